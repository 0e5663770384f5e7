// The replay's case file: the inputs ingested once (ingest's validation, row
// by row), then moved aside to replay_events / replay_accounts /
// replay_enforcement, events stored in time order so that each step's view
// of "what had arrived by then" reads a prefix of the table (DuckDB skips
// the row groups past the cut-off by their min/max). Events that arrive in
// time order (row group by row group) are kept as loaded, not sorted again.
import type { CaseFile } from '@farmscope/casefile';
import { tsSql } from './replay-schedule.js';

/** Where each input table is kept during the replay; the analysis sees views named after the contract tables. */
export const REPLAY_TABLES = {
  events: 'replay_events',
  accounts: 'replay_accounts',
  enforcement: 'replay_enforcement',
} as const;

export type ReplayInput = keyof typeof REPLAY_TABLES;

/** Moves the ingested contract tables to their replay names; returns which optional inputs exist. */
export async function setAsideInputs(caseFile: CaseFile): Promise<{ hasAccounts: boolean; hasEnforcement: boolean }> {
  if (await inTimeOrder(caseFile)) {
    await caseFile.run(`ALTER TABLE events RENAME TO ${REPLAY_TABLES.events}`, 'set the events aside for the replay');
  } else {
    await caseFile.run(
      `CREATE OR REPLACE TABLE ${REPLAY_TABLES.events} AS SELECT * FROM events ORDER BY ts, request_id;
       DROP TABLE events`,
      'store the events in time order for the replay',
    );
  }
  const present = { hasAccounts: false, hasEnforcement: false };
  for (const table of ['accounts', 'enforcement'] as const) {
    if (!(await caseFile.tableExists(table))) continue;
    await caseFile.run(`ALTER TABLE ${table} RENAME TO ${REPLAY_TABLES[table]}`, `set aside ${table}`);
    present[table === 'accounts' ? 'hasAccounts' : 'hasEnforcement'] = true;
  }
  return present;
}

/**
 * Whether the ingested events are already stored in time order at the
 * granularity that matters: each row group's (122,880 rows, in insertion
 * order) earliest time is at or after the previous group's latest, so a
 * cut-off's prefix is read without sorting the table again. Logs exported
 * by time, and the generator's, are; one scan of the ts column says so.
 */
async function inTimeOrder(caseFile: CaseFile): Promise<boolean> {
  const overlaps = await caseFile.value(
    `SELECT count(*) FILTER (WHERE next_first < last)::BIGINT FROM (
       SELECT last, lead(first) OVER (ORDER BY g) AS next_first
       FROM (SELECT rowid // 122880 AS g, min(ts) AS first, max(ts) AS last FROM events GROUP BY g))`,
    'check whether the events are stored in time order',
  );
  return Number(overlaps) === 0;
}

/** The events' time range, with the count inside [fromMs, toMs). */
export async function eventRange(
  caseFile: CaseFile,
  fromMs: number | undefined,
  toMs: number | undefined,
): Promise<{ firstMs: number | null; lastMs: number | null; inRange: number }> {
  const where = [
    ...(fromMs !== undefined ? [`ts >= ${tsSql(fromMs)}`] : []),
    ...(toMs !== undefined ? [`ts < ${tsSql(toMs)}`] : []),
  ];
  const row = await caseFile.one<{ first: number | null; last: number | null; n: number }>(
    `SELECT (epoch_us(min(ts)) // 1000)::BIGINT AS first, (epoch_us(max(ts)) // 1000)::BIGINT AS last, count(*)::BIGINT AS n
     FROM ${REPLAY_TABLES.events} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
    'find the time range of the events to replay',
  );
  return { firstMs: row?.first ?? null, lastMs: row?.last ?? null, inRange: Number(row?.n ?? 0) };
}
