// Stages `shared_infrastructure` (account_links, account_pairs) and
// `coordination` (coordination_pairs, account_handoffs). Both read events
// once between them: the first to run builds the _lk_* temp tables
// (link-holdings.ts) and the second reuses them on the same connection.
import type { CaseFile } from '@farmscope/casefile';
import type { AnalyzeStage, StageContext, StageOutcome } from '../stage.js';
import { buildAccountLinks } from './account-links.js';
import { buildHandoffs } from './account-handoffs.js';
import { buildCoordinationPairs } from './coordination-pairs.js';
import { buildHoldings, ensureAddressUse, tempTableExists, type HoldingsSummary } from './link-holdings.js';
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

export function sharedInfrastructureStage(params: LinkParams = DEFAULT_LINK_PARAMS): AnalyzeStage {
  return {
    name: 'shared_infrastructure',
    description: 'account pairs sharing rare things (card, signup address, address in overlapping time, client, template, ...), weighted by rarity',
    run: async (ctx) => {
      if (ctx.inputs.events === 0) return emptyTables(ctx.caseFile, INFRA_TABLES, 'the case file has no events');
      const summary = await holdings(ctx, params);
      await buildAccountLinks(ctx.caseFile, params, ctx.inputs.hasAccounts);
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

export function coordinationStage(params: LinkParams = DEFAULT_LINK_PARAMS): AnalyzeStage {
  return {
    name: 'coordination',
    description: 'co-activity on the same address in the same time buckets against a chance model (SynchroTrap-style), and hand-offs after ends and bans',
    run: async (ctx) => {
      if (ctx.inputs.events === 0) return emptyTables(ctx.caseFile, COORD_TABLES, 'the case file has no events');
      await holdings(ctx, params);
      await buildCoordinationPairs(ctx.caseFile, params);
      await buildHandoffs(ctx.caseFile, params, ctx.inputs.hasEnforcement);
      await dropTempTables(ctx.caseFile);
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

async function holdings(ctx: StageContext, params: LinkParams): Promise<HoldingsSummary> {
  const known = built.get(ctx.inputs);
  if (known && (await tempTableExists(ctx.caseFile, '_lk_holdings'))) return known;
  const keepAddresses = addressUseBuilt.get(ctx.inputs) === params.bucketMinutes && (await tempTableExists(ctx.caseFile, '_lk_acct_ip'));
  await dropTempTables(ctx.caseFile, keepAddresses ? ADDRESS_TABLES : []);
  const summary = await buildHoldings(ctx, params);
  built.set(ctx.inputs, summary);
  addressUseBuilt.set(ctx.inputs, params.bucketMinutes);
  return summary;
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

/** Drops the _lk_* temp tables but `keep` (the per-bucket activity is as big as a fair share of events). */
export async function dropTempTables(caseFile: CaseFile, keep: readonly string[] = []): Promise<void> {
  for (const t of ['_lk_activity', '_lk_ips', '_lk_acct_ip', '_lk_clients', '_lk_lifetimes', '_lk_holders', '_lk_holdings']) {
    if (!keep.includes(t)) await caseFile.run(`DROP TABLE IF EXISTS temp.${t}`);
  }
}

async function emptyTables(caseFile: CaseFile, names: string[], why: string): Promise<StageOutcome> {
  for (const table of LINK_TABLES.filter((t) => names.includes(t.name))) await caseFile.run(createEmptyLinkTableSql(table));
  return { tables: names, notes: [`${names.join(', ')} empty: ${why}`] };
}
