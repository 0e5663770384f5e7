// What the analysis sees at one step: views named events, accounts and
// enforcement over the replay tables, holding only what had arrived by the
// step's cut-off (events also from its window start). The registry holds
// the accounts created by then (or of unknown creation time), enforcement
// the actions taken by then: a later ban or signup is not known yet.
import type { CaseFile } from '@farmscope/casefile';
import { REPLAY_TABLES } from './replay-case.js';
import { tsSql, type ReplayStep } from './replay-schedule.js';

export async function showStep(
  caseFile: CaseFile,
  step: ReplayStep,
  inputs: { hasAccounts: boolean; hasEnforcement: boolean },
): Promise<void> {
  const statements = [
    `CREATE OR REPLACE VIEW events AS SELECT * FROM ${REPLAY_TABLES.events} WHERE ts >= ${tsSql(step.sinceMs)} AND ts < ${tsSql(step.cutoffMs)}`,
  ];
  if (inputs.hasAccounts) {
    statements.push(
      `CREATE OR REPLACE VIEW accounts AS SELECT * FROM ${REPLAY_TABLES.accounts} WHERE created_at IS NULL OR created_at < ${tsSql(step.cutoffMs)}`,
    );
  }
  if (inputs.hasEnforcement) {
    statements.push(`CREATE OR REPLACE VIEW enforcement AS SELECT * FROM ${REPLAY_TABLES.enforcement} WHERE ts < ${tsSql(step.cutoffMs)}`);
  }
  await caseFile.run(statements.join(';\n'), `show step ${step.step}'s data to the analysis`);
}

/** Rows that arrive in (previous cut-off, cut-off]: new events, signups and actions. 0 means the step changes nothing (cumulative mode). */
export async function arrivals(
  caseFile: CaseFile,
  step: ReplayStep,
  inputs: { hasAccounts: boolean; hasEnforcement: boolean },
): Promise<number> {
  const between = (column: string) => `${column} >= ${tsSql(step.previousMs)} AND ${column} < ${tsSql(step.cutoffMs)}`;
  const parts = [`(SELECT count(*) FROM ${REPLAY_TABLES.events} WHERE ${between('ts')})`];
  if (inputs.hasAccounts) parts.push(`(SELECT count(*) FROM ${REPLAY_TABLES.accounts} WHERE ${between('created_at')})`);
  if (inputs.hasEnforcement) parts.push(`(SELECT count(*) FROM ${REPLAY_TABLES.enforcement} WHERE ${between('ts')})`);
  return Number(await caseFile.value(`SELECT (${parts.join(' + ')})::BIGINT`, `count what arrives at step ${step.step}`));
}
