// The per-farm facts of a report, as bounded DuckDB aggregates over the case
// file: requests per time bin for each farm's busiest accounts (the rest
// summed as "other accounts"), the infrastructure its members share (an
// account × shared-value adjacency from account_links), its busiest accounts
// with their figures, and the client addresses most of its members used.
// The farms' members go into a temporary table, `report_members`, with their
// (possibly redacted) tokens, so that the evidence tables and the timeline can
// be written by DuckDB itself.
import { InputError, literal, literalList, type CaseFile } from '@farmscope/casefile';
import { farmDocuments, type FarmDocument } from '@farmscope/farms';
import type { Redactor } from './redaction.js';

export interface ReportLimits {
  /**
   * Accounts drawn as their own series in a farm's timeline, the rest summed;
   * a farm of more than twice as many is stacked by the week its accounts
   * first appeared instead (a hydra's generations show).
   */
  timelineAccounts: number;
  /** Most time bins in a timeline: the bin widens (1, 2, 3, 6, 12, 24 hours, then days) to stay under it. */
  timelineBins: number;
  /** Accounts and shared values in a farm's adjacency picture. */
  adjacencyAccounts: number;
  adjacencyValues: number;
  /** Member accounts listed per farm (all of them are in the evidence tables). */
  memberRows: number;
  /** Client addresses per farm (report, indicators). */
  addresses: number;
}

export const DEFAULT_LIMITS: ReportLimits = {
  timelineAccounts: 6,
  timelineBins: 200,
  adjacencyAccounts: 24,
  adjacencyValues: 16,
  memberRows: 25,
  addresses: 20,
};

export interface TimelinePoint {
  bin: string;
  series: string;
  requests: number;
}

export interface AdjacencyCell {
  account: string;
  kind: string;
  value: string;
}

export interface MemberRow {
  account: string;
  score: number;
  accountScore: number | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  firstSeen: string | null;
  lastSeen: string | null;
  distinctIps: number | null;
  emailDomain: string | null;
  country: string | null;
}

export interface AddressRow {
  address: string;
  accounts: number;
  requests: number;
  /** Null when the address is a signup address never seen in the events. */
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface FarmFacts {
  doc: FarmDocument;
  binHours: number;
  /** How the timeline is stacked: by account (small farms) or by the week accounts first appeared. */
  timelineBy: 'account' | 'cohort';
  timeline: TimelinePoint[];
  adjacency: AdjacencyCell[];
  members: MemberRow[];
  addresses: AddressRow[];
  /** Enforcement actions on members, by action. */
  enforcement: { action: string; accounts: number; first: string; last: string }[];
  targets: { model: string; requests: number }[];
}

const BIN_STEPS_HOURS = [1, 2, 3, 6, 12, 24, 48, 168];

/** Bin width so that the farm's span fits in at most `maxBins` bins. */
export function binHoursFor(first: string, last: string, maxBins: number): number {
  const hours = (Date.parse(last) - Date.parse(first)) / 3_600_000 + 1;
  return BIN_STEPS_HOURS.find((h) => hours / h <= maxBins) ?? Math.ceil(hours / maxBins / 168) * 168;
}

/** The farms asked for (all when `only` is empty), sorted by farm id; an unknown id is a usage error. */
export async function selectedFarms(caseFile: CaseFile, only: readonly string[]): Promise<FarmDocument[]> {
  const docs = await farmDocuments(caseFile);
  if (only.length === 0) return docs;
  const known = new Set(docs.map((d) => d.id));
  const unknown = only.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new InputError(`--farm ${unknown.join(', ')}: no such farm in the case file (farmscope farms lists them)`);
  }
  const wanted = new Set(only);
  return docs.filter((d) => wanted.has(d.id));
}

/**
 * Creates temp.report_members (account_id, farm_id, account_token, farm_token)
 * for the selected farms: one row per member, the tokens from the redactor;
 * and temp.report_member_slices, their events by time slice and model
 * (registerMemberSlices), which the farm facts and timeline.jsonl read.
 */
export async function registerMembers(caseFile: CaseFile, docs: readonly FarmDocument[], redactor: Redactor, limits: ReportLimits): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE report_members (account_id VARCHAR, farm_id VARCHAR, account_token VARCHAR, farm_token VARCHAR)`,
    'report: members table',
  );
  const rows = docs.flatMap((d) => d.accounts.map((a) => [a, d.id, redactor.account(a), redactor.farm(d.id)]));
  const CHUNK = 2000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((r) => `(${r.map(literal).join(', ')})`).join(',\n');
    await caseFile.run(`INSERT INTO report_members VALUES ${values}`, 'report: members table');
  }
  await registerMemberSlices(caseFile, chartBins(docs, limits));
}

/** Each farm's timeline bin width in hours. */
const chartBins = (docs: readonly FarmDocument[], limits: ReportLimits) =>
  new Map(docs.map((d) => [d.id, binHoursFor(d.firstActivity, d.lastActivity, limits.timelineBins)]));

/**
 * Creates temp.report_member_slices (account_id, slice, model, requests,
 * input_tokens, output_tokens): the members' events per model and time
 * slice, one scan of the events that the timeline chart, the models
 * targeted and the daily rows of timeline.jsonl all read. A farm's slices
 * are its chart bins when they divide a day (1–12 h), else whole days; every
 * bin starts at a midnight-aligned multiple of its width, so the slices add
 * up exactly to both the chart's bins and the UTC days.
 */
async function registerMemberSlices(caseFile: CaseFile, bins: ReadonlyMap<string, number>): Promise<void> {
  const columns = await caseFile.columnNames('events');
  const column = (name: string, type: string) => (columns.has(name) ? `e.${name}` : `NULL::${type}`);
  const widths = [...bins].map(([farm, hours]) => `(${literal(farm)}, ${Math.min(hours, 24)})`);
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE report_member_slices AS
     WITH widths(farm_id, hours) AS (${widths.length > 0 ? `VALUES ${widths.join(', ')}` : 'SELECT NULL::VARCHAR, NULL::INTEGER WHERE false'}),
     member_widths AS (SELECT m.account_id, w.hours FROM report_members m JOIN widths w USING (farm_id))
     SELECT e.account_id, time_bucket(to_hours(w.hours::BIGINT), e.ts, TIMESTAMP '2000-01-01') AS slice, ${column('model', 'VARCHAR')} AS model,
       count(*) AS requests, sum(${column('input_tokens', 'BIGINT')}) AS input_tokens, sum(${column('output_tokens', 'BIGINT')}) AS output_tokens
     FROM events e JOIN member_widths w USING (account_id)
     GROUP BY ALL`,
    'report: members\' requests per time slice and model',
  );
}

export async function farmFacts(caseFile: CaseFile, docs: readonly FarmDocument[], limits: ReportLimits): Promise<FarmFacts[]> {
  const bins = chartBins(docs, limits);
  if (docs.length === 0) return [];
  const timeline = groupBy(await timelineRows(caseFile, bins, limits), 'farm_id');
  const adjacency = groupBy(await adjacencyRows(caseFile, limits), 'farm_id');
  const members = groupBy(await memberRows(caseFile, limits), 'farm_id');
  const addresses = groupBy(await addressRows(caseFile, limits), 'farm_id');
  const enforcement = groupBy(await enforcementRows(caseFile), 'farm_id');
  const targets = groupBy(await targetRows(caseFile), 'farm_id');
  return docs.map((doc) => ({
    doc,
    binHours: bins.get(doc.id) ?? 1,
    timelineBy: doc.accountCount > 2 * limits.timelineAccounts ? 'cohort' : 'account',
    timeline: (timeline.get(doc.id) ?? []).map((r) => ({ bin: String(r.bin), series: String(r.series), requests: Number(r.requests) })),
    adjacency: (adjacency.get(doc.id) ?? []).map((r) => ({ account: String(r.account_id), kind: String(r.kind), value: String(r.shared_value) })),
    members: (members.get(doc.id) ?? []).map((r) => ({
      account: String(r.account_id), score: Number(r.score), accountScore: (r.account_score as number | null) ?? null,
      requests: Number(r.requests ?? 0), inputTokens: Number(r.input_tokens ?? 0), outputTokens: Number(r.output_tokens ?? 0),
      firstSeen: (r.first_seen as string | null) ?? null, lastSeen: (r.last_seen as string | null) ?? null,
      distinctIps: (r.distinct_ips as number | null) ?? null, emailDomain: (r.email_domain as string | null) ?? null,
      country: (r.country as string | null) ?? null,
    })),
    addresses: (addresses.get(doc.id) ?? []).map((r) => ({
      address: String(r.ip), accounts: Number(r.accounts), requests: Number(r.requests),
      firstSeen: (r.first_seen as string | null) ?? null, lastSeen: (r.last_seen as string | null) ?? null,
    })),
    enforcement: (enforcement.get(doc.id) ?? []).map((r) => ({ action: String(r.action), accounts: Number(r.accounts), first: String(r.first), last: String(r.last) })),
    targets: (targets.get(doc.id) ?? []).map((r) => ({ model: String(r.model), requests: Number(r.requests) })),
  }));
}

/** Members ranked by requests within their farm (account_features.requests), ties by id. */
const RANKED_MEMBERS = `
  SELECT m.farm_id, m.account_id, coalesce(f.requests, 0) AS requests,
    row_number() OVER (PARTITION BY m.farm_id ORDER BY coalesce(f.requests, 0) DESC, m.account_id) AS rank
  FROM report_members m LEFT JOIN account_features f USING (account_id)`;

async function timelineRows(caseFile: CaseFile, bins: Map<string, number>, limits: ReportLimits) {
  const binTable = [...bins].map(([farm, hours]) => `(${literal(farm)}, ${hours})`).join(', ');
  return caseFile.all(
    `WITH ranked AS (${RANKED_MEMBERS}),
     bins(farm_id, hours) AS (VALUES ${binTable}),
     member_series AS (
       SELECT r.farm_id, r.account_id, b.hours,
         CASE
           WHEN count(*) OVER (PARTITION BY r.farm_id) > ${2 * limits.timelineAccounts}
             THEN 'from ' || strftime(date_trunc('week', f.first_seen), '%Y-%m-%d')
           WHEN r.rank <= ${limits.timelineAccounts} THEN m.account_token
           ELSE 'other accounts'
         END AS series
       FROM ranked r JOIN bins b USING (farm_id) JOIN report_members m USING (farm_id, account_id)
         LEFT JOIN account_features f USING (account_id)
     )
     SELECT s.farm_id, strftime(time_bucket(to_hours(s.hours::BIGINT), e.slice, TIMESTAMP '2000-01-01'), '%Y-%m-%dT%H:%M:%SZ') AS bin,
       s.series, sum(e.requests)::DOUBLE AS requests
     FROM report_member_slices e JOIN member_series s USING (account_id)
     GROUP BY ALL ORDER BY s.farm_id, bin, s.series`,
    'report: requests per time bin of each farm',
  );
}

/**
 * Shared values linking members of one farm (account_links between two
 * members), the values held by most members first; each value's holders among
 * the farm's most linked accounts.
 */
async function adjacencyRows(caseFile: CaseFile, limits: ReportLimits) {
  if (!(await caseFile.tableExists('account_links'))) return [];
  return caseFile.all(
    `WITH held AS (
       SELECT DISTINCT ma.farm_id, l.kind, l.shared_value, unnest([ma.account_id, mb.account_id]) AS account_id
       FROM account_links l
       JOIN report_members ma ON ma.account_id = l.account_a
       JOIN report_members mb ON mb.account_id = l.account_b AND mb.farm_id = ma.farm_id
     ),
     top_values AS (
       SELECT farm_id, kind, shared_value FROM held GROUP BY farm_id, kind, shared_value
       QUALIFY row_number() OVER (PARTITION BY farm_id ORDER BY count(*) DESC, kind, shared_value) <= ${limits.adjacencyValues}
     ),
     cells AS (SELECT h.* FROM held h JOIN top_values USING (farm_id, kind, shared_value)),
     top_accounts AS (
       SELECT farm_id, account_id FROM cells GROUP BY farm_id, account_id
       QUALIFY row_number() OVER (PARTITION BY farm_id ORDER BY count(*) DESC, account_id) <= ${limits.adjacencyAccounts}
     )
     SELECT c.farm_id, m.account_token AS account_id, c.kind, c.shared_value
     FROM cells c JOIN top_accounts USING (farm_id, account_id) JOIN report_members m USING (farm_id, account_id)
     ORDER BY c.farm_id, c.kind, c.shared_value, m.account_token`,
    'report: infrastructure shared inside each farm',
  );
}

async function memberRows(caseFile: CaseFile, limits: ReportLimits) {
  const registry = await caseFile.tableExists('accounts');
  return caseFile.all(
    `WITH ranked AS (${RANKED_MEMBERS})
     SELECT r.farm_id, m.account_token AS account_id, af.score, af.account_score, r.requests::DOUBLE AS requests,
       f.input_tokens_total::DOUBLE AS input_tokens, f.output_tokens_total::DOUBLE AS output_tokens,
       strftime(f.first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen, strftime(f.last_seen, '%Y-%m-%dT%H:%M:%SZ') AS last_seen, f.distinct_ips,
       ${registry ? 'a.email_domain, a.country' : 'NULL AS email_domain, NULL AS country'}
     FROM ranked r JOIN report_members m USING (farm_id, account_id) JOIN account_farms af USING (account_id)
       LEFT JOIN account_features f USING (account_id)
       ${registry ? 'LEFT JOIN (SELECT DISTINCT ON (account_id) * FROM accounts ORDER BY account_id, source_file_id, source_row) a USING (account_id)' : ''}
     WHERE r.rank <= ${limits.memberRows}
     ORDER BY r.farm_id, r.rank`,
    'report: busiest accounts of each farm',
  );
}

/**
 * The client addresses members share (account_links kinds ip and signup_ip
 * between two members of the farm), most members first; then their requests
 * and span from the events, scanning only the rows of those addresses. A
 * farm on rotating proxies shares no address and lists none: its addresses
 * are no use as indicators.
 */
async function addressRows(caseFile: CaseFile, limits: ReportLimits) {
  if (!(await caseFile.tableExists('account_links'))) return [];
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE report_addresses AS
     WITH held AS (
       SELECT DISTINCT ma.farm_id, l.shared_value AS ip, unnest([ma.account_id, mb.account_id]) AS account_id
       FROM account_links l
       JOIN report_members ma ON ma.account_id = l.account_a
       JOIN report_members mb ON mb.account_id = l.account_b AND mb.farm_id = ma.farm_id
       WHERE l.kind IN ('ip', 'signup_ip')
     ),
     counted AS (SELECT farm_id, ip, count(*)::DOUBLE AS accounts FROM held GROUP BY farm_id, ip)
     SELECT * FROM counted
     QUALIFY row_number() OVER (PARTITION BY farm_id ORDER BY accounts DESC, ip) <= ${limits.addresses}`,
    'report: addresses shared inside each farm',
  );
  return caseFile.all(
    `WITH used AS (
       SELECT m.farm_id, e.ip, count(*)::DOUBLE AS requests, min(e.ts) AS first_ts, max(e.ts) AS last_ts
       FROM events e JOIN report_members m USING (account_id)
       WHERE e.ip IN (SELECT ip FROM report_addresses)
       GROUP BY m.farm_id, e.ip
     )
     SELECT a.farm_id, a.ip, a.accounts, coalesce(u.requests, 0) AS requests,
       strftime(u.first_ts, '%Y-%m-%dT%H:%M:%SZ') AS first_seen, strftime(u.last_ts, '%Y-%m-%dT%H:%M:%SZ') AS last_seen
     FROM report_addresses a LEFT JOIN used u USING (farm_id, ip)
     ORDER BY a.farm_id, a.accounts DESC, requests DESC, a.ip`,
    'report: use of the shared addresses',
  );
}

async function enforcementRows(caseFile: CaseFile) {
  if (!(await caseFile.tableExists('enforcement'))) return [];
  return caseFile.all(
    `SELECT m.farm_id, x.action, count(DISTINCT x.account_id)::DOUBLE AS accounts,
       strftime(min(x.ts), '%Y-%m-%dT%H:%M:%SZ') AS first, strftime(max(x.ts), '%Y-%m-%dT%H:%M:%SZ') AS last
     FROM enforcement x JOIN report_members m USING (account_id) GROUP BY ALL ORDER BY m.farm_id, x.action`,
    'report: enforcement on farm members',
  );
}

async function targetRows(caseFile: CaseFile) {
  const columns = await caseFile.columnNames('events');
  if (!columns.has('model')) return [];
  return caseFile.all(
    `SELECT m.farm_id, coalesce(e.model, '(none)') AS model, sum(e.requests)::DOUBLE AS requests
     FROM report_member_slices e JOIN report_members m USING (account_id) GROUP BY ALL ORDER BY m.farm_id, requests DESC, model`,
    'report: models each farm targeted',
  );
}

function groupBy(rows: Record<string, unknown>[], key: string): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) {
    const k = String(r[key]);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(r);
  }
  return out;
}

/** SQL list of the selected farm ids, for the evidence exports. */
export function farmIdList(docs: readonly FarmDocument[]): string {
  return literalList(docs.map((d) => d.id));
}
