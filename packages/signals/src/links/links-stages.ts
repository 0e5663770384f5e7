// Stages `shared_infrastructure` (account_links, account_pairs) and
// `coordination` (coordination_pairs, account_handoffs). Both read events
// once between them: the first to run builds the _lk_* temp tables
// (link-holdings.ts) and the second reuses them on the same connection.
// With `carry` (a cumulative replay), the tables grouped from events are kept
// from the previous run and updated with the new events only (link-carry.ts).
import type { CaseFile } from '@farmscope/casefile';
import type { AnalyzeStage, StageContext, StageOutcome } from '../stage.js';
import { buildAccountLinks } from './account-links.js';
import { buildHandoffs } from './account-handoffs.js';
import { buildCoordinationPairs, unitMembersSql } from './coordination-pairs.js';
import { buildHoldings, ensureAddressUse, tempTableExists, type HoldingsSummary } from './link-holdings.js';
import {
  CARRIED_EVENT_TABLES, CARRIED_UNIT_TABLE, EVENT_CARRY_STATE, type LinkCarry, markCarried, takeCarriedCutoff, UNIT_CARRY_STATE,
  updateAddressUse, updateClients, updateUnitMembers,
} from './link-carry.js';
import { DEFAULT_LINK_PARAMS, type LinkParams } from './link-params.js';
import { createEmptyLinkTableSql, LINK_TABLES } from './link-tables.js';
import { weightFormulaText } from './link-weights.js';
import { readSourceGaps, sourceGapNotes } from '../source-gaps.js';

/** Link kinds built from each events column (the registry's links come from the accounts table). */
const LINK_KINDS_BY_FIELD: Readonly<Record<string, readonly string[]>> = {
  ip: ['ip links', 'ip_net links'],
  user_agent: ['user_agent links'],
  system_prompt: ['system_prompt links'],
  prompt: ['template links'],
};

/** What coordination reads from each events column. */
const COORDINATION_BY_FIELD: Readonly<Record<string, readonly string[]>> = {
  ip: ['co-activity on shared addresses (coordination_pairs)', 'hand-offs through shared addresses'],
};

const INFRA_TABLES = ['account_links', 'account_pairs'];
const COORD_TABLES = ['coordination_pairs', 'account_handoffs'];

/** Options of the links stages: with `carry`, the tables grouped from events are kept for the next run and updated from the previous one's (see LinkCarry). */
export interface LinkStageOptions {
  carry?: LinkCarry;
  /**
   * Only what the farm stages read: no template links (they leave that kind
   * out; their template evidence comes from account_template_counts) and an
   * empty account_pairs (they do not read it). For a replay's steps, whose
   * last analysis is then made whole (replay.ts).
   */
  farmInputsOnly?: boolean;
}

const FARM_INPUTS_DESCRIPTION = '; only the links the farm stages read (no template links, account_pairs empty)';
const CARRIED_DESCRIPTION = '; address activity, addresses and clients carried from the previous run, plus the new events';

export function sharedInfrastructureStage(params: LinkParams = DEFAULT_LINK_PARAMS, options: LinkStageOptions = {}): AnalyzeStage {
  const description = 'account pairs sharing rare things (card, signup address, address in overlapping time, client, template, ...), weighted by rarity';
  return {
    name: 'shared_infrastructure',
    description: (options.carry ? description + CARRIED_DESCRIPTION : description) + (options.farmInputsOnly ? FARM_INPUTS_DESCRIPTION : ''),
    run: async (ctx) => {
      if (ctx.inputs.events === 0) return emptyTables(ctx.caseFile, INFRA_TABLES, 'the case file has no events');
      const summary = await holdings(ctx, params, options.carry, options.farmInputsOnly);
      await buildAccountLinks(ctx.caseFile, params, ctx.inputs.hasAccounts, { pairs: !options.farmInputsOnly });
      const counts = await ctx.caseFile.one<{ links: number; pairs: number; sampled: number }>(
        `SELECT (SELECT count(*) FROM account_links)::INTEGER AS links, (SELECT count(*) FROM account_pairs)::INTEGER AS pairs,
                (SELECT count(*) FROM account_links WHERE sampled)::INTEGER AS sampled`,
      );
      const notes = [
        `${counts?.links ?? 0} links (${counts?.sampled ?? 0} from ring samples of values held by more than ${params.pairCap} accounts), ${counts?.pairs ?? 0} pairs`,
        weightFormulaText(params),
        ...summary.skipped.map((s) => `no links of kind ${s}`),
        ...sourceGapNotes(await readSourceGaps(ctx.caseFile), (field) => LINK_KINDS_BY_FIELD[field] ?? []),
      ];
      const ubiquitous = Object.entries(summary.ubiquitous).map(([k, n]) => `${k} ${n}`);
      const caps = Object.entries(params.kindMaxHolders).map(([k, n]) => `${k} over ${n}`).join(', ');
      if (ubiquitous.length) {
        notes.push(`values too common to link anyone (held by over ${params.ubiquitousShare * 100}% of accounts${caps ? `, or ${caps}` : ''}): ${ubiquitous.join(', ')}`);
      }
      return { tables: INFRA_TABLES, notes };
    },
  };
}

export function coordinationStage(params: LinkParams = DEFAULT_LINK_PARAMS, options: LinkStageOptions = {}): AnalyzeStage {
  const description = 'co-activity on the same address in the same time buckets against a chance model (SynchroTrap-style), and hand-offs after ends and bans';
  return {
    name: 'coordination',
    description: options.carry ? description + CARRIED_DESCRIPTION.replace('clients', 'clients, shared address buckets') : description,
    run: async (ctx) => {
      if (ctx.inputs.events === 0) return emptyTables(ctx.caseFile, COORD_TABLES, 'the case file has no events');
      await holdings(ctx, params, options.carry);
      if (options.carry) await carryUnitMembers(ctx.caseFile, params, options.carry);
      await buildCoordinationPairs(ctx.caseFile, params, options.carry ? 'kept' : 'build');
      await buildHandoffs(ctx.caseFile, params, ctx.inputs.hasEnforcement);
      await dropTempTables(ctx.caseFile, options.carry ? KEPT_TABLES : []);
      const counts = await ctx.caseFile.one<{ pairs: number; surprising: number; handoffs: number; after_ban: number }>(
        `SELECT (SELECT count(*) FROM coordination_pairs)::INTEGER AS pairs,
                (SELECT count(*) FROM coordination_pairs WHERE surprise >= 3)::INTEGER AS surprising,
                (SELECT count(*) FROM account_handoffs)::INTEGER AS handoffs,
                (SELECT count(*) FROM account_handoffs WHERE after_ban)::INTEGER AS after_ban`,
      );
      const notes = [
        `${counts?.pairs ?? 0} co-active pairs (${counts?.surprising ?? 0} with surprise ≥ 3), ${counts?.handoffs ?? 0} hand-offs (${counts?.after_ban ?? 0} after a ban)`,
      ];
      if (!ctx.inputs.hasEnforcement) notes.push('no enforcement table: hand-offs are found from activity ends only, after_ban is false');
      if (!ctx.inputs.hasAccounts) notes.push('no accounts table: hand-offs are found through shared addresses only');
      notes.push(...sourceGapNotes(await readSourceGaps(ctx.caseFile), (field) => COORDINATION_BY_FIELD[field] ?? []));
      return { tables: COORD_TABLES, notes };
    },
  };
}

/**
 * The holdings are built once per analyze run: every stage of one run gets
 * the same `inputs` object, so it keys the cache; a later run rebuilds them.
 */
const built = new WeakMap<object, HoldingsSummary>();

/** The runs (keyed likewise) whose address tables (_lk_activity, _lk_ips, _lk_acct_ip) are built, with their bucket length. */
const addressUseBuilt = new WeakMap<object, number>();

const ADDRESS_TABLES = ['_lk_activity', '_lk_ips', '_lk_acct_ip'];

async function holdings(ctx: StageContext, params: LinkParams, carry?: LinkCarry, farmInputsOnly = false): Promise<HoldingsSummary> {
  const known = built.get(ctx.inputs);
  if (known && (await tempTableExists(ctx.caseFile, '_lk_holdings'))) return known;
  const keepAddresses = addressUseBuilt.get(ctx.inputs) === params.bucketMinutes && (await tempTableExists(ctx.caseFile, '_lk_acct_ip'));
  const bucketSeconds = Math.round(params.bucketMinutes * 60);
  // Tables built earlier in this run (shareAddressUse) are this run's already: nothing to carry (their state is gone).
  const covered = carry && !keepAddresses
    ? await takeCarriedCutoff(ctx.caseFile, carry, bucketSeconds, EVENT_CARRY_STATE, CARRIED_EVENT_TABLES)
    : undefined;
  if (covered === undefined) {
    await dropTempTables(ctx.caseFile, keepAddresses ? ADDRESS_TABLES : []);
  } else {
    await dropTempTables(ctx.caseFile, KEPT_TABLES);
    await updateAddressUse(ctx.caseFile, bucketSeconds, covered);
    await updateClients(ctx.caseFile, covered);
  }
  const summary = await buildHoldings(ctx, params, { templates: !farmInputsOnly });
  if (carry) await markCarried(ctx.caseFile, EVENT_CARRY_STATE, carry.cutoffMs, bucketSeconds);
  built.set(ctx.inputs, summary);
  addressUseBuilt.set(ctx.inputs, params.bucketMinutes);
  return summary;
}

/** The tables (and their states) a carrying run keeps for the next. */
const KEPT_TABLES = [...CARRIED_EVENT_TABLES, EVENT_CARRY_STATE, CARRIED_UNIT_TABLE, UNIT_CARRY_STATE];

/**
 * Brings the kept _lk_unit_members up to this run's _lk_activity (built or
 * updated by holdings first), or builds it when none is kept.
 */
async function carryUnitMembers(caseFile: CaseFile, params: LinkParams, carry: LinkCarry): Promise<void> {
  const bucketSeconds = Math.round(params.bucketMinutes * 60);
  const covered = await takeCarriedCutoff(caseFile, carry, bucketSeconds, UNIT_CARRY_STATE, [CARRIED_UNIT_TABLE]);
  if (covered === undefined) {
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE ${CARRIED_UNIT_TABLE} AS ${unitMembersSql('_lk_activity')}`, 'find address buckets shared by two or more accounts');
  } else {
    await updateUnitMembers(caseFile, bucketSeconds, covered);
  }
  await markCarried(caseFile, UNIT_CARRY_STATE, carry.cutoffMs, bucketSeconds);
}

/**
 * Builds this run's address tables (_lk_activity, _lk_ips, _lk_acct_ip:
 * link-holdings.ts) for an earlier stage to read, account_features' address
 * counts; the links stages of the same run then reuse them instead of
 * scanning the events again. Returns the names of (_lk_ips: i, ip) and
 * (_lk_acct_ip: i, a) with `a` = hash(account_id), `i` = hash(ip).
 */
export async function shareAddressUse(ctx: StageContext, params: LinkParams = DEFAULT_LINK_PARAMS): Promise<{ addresses: string; accountAddresses: string }> {
  if (addressUseBuilt.get(ctx.inputs) !== params.bucketMinutes || !(await tempTableExists(ctx.caseFile, '_lk_acct_ip'))) {
    await dropTempTables(ctx.caseFile);
    await ensureAddressUse(ctx.caseFile, params);
    addressUseBuilt.set(ctx.inputs, params.bucketMinutes);
  }
  return { addresses: '_lk_ips', accountAddresses: '_lk_acct_ip' };
}

/**
 * Drops the _lk_* temp tables but `keep` (the per-bucket activity is as big
 * as a fair share of events), with the carried tables' states: tables
 * rebuilt for one run must not be taken for carried ones by the next.
 */
export async function dropTempTables(caseFile: CaseFile, keep: readonly string[] = []): Promise<void> {
  const tables = ['_lk_activity', '_lk_ips', '_lk_acct_ip', '_lk_clients', '_lk_lifetimes', '_lk_holders', '_lk_holdings', CARRIED_UNIT_TABLE];
  for (const t of [EVENT_CARRY_STATE, UNIT_CARRY_STATE, ...tables]) {
    if (!keep.includes(t)) await caseFile.run(`DROP TABLE IF EXISTS temp.${t}`);
  }
}

async function emptyTables(caseFile: CaseFile, names: string[], why: string): Promise<StageOutcome> {
  for (const table of LINK_TABLES.filter((t) => names.includes(t.name))) await caseFile.run(createEmptyLinkTableSql(table));
  return { tables: names, notes: [`${names.join(', ')} empty: ${why}`] };
}
