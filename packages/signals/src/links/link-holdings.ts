// Who holds what: one row per (kind, value, account) for every kind of thing
// two accounts can share, built from two narrow passes over `events` plus
// the small `accounts` and template tables. Everything later in the
// links and coordination stages reads these temp tables, never `events`.
//
// Temp tables (live for the connection, rebuilt when missing; a cumulative
// replay keeps the first four from run to run: link-carry.ts):
//   _lk_activity   (a, i, bucket, requests): hash(account_id), hash(ip);
//                  one row per account, address and time bucket
//   _lk_ips        (i, ip, net, n): every address, its /24 or /48 and hash(net)
//   _lk_acct_ip    (i, a, requests, units, bucket, max_bucket): per account and address
//   _lk_clients    (account_id, user_agent, org_id, sp_hash, requests, first_ts, last_ts)
//   _lk_lifetimes  (account_id, a, first_ts, last_ts, requests, org_id)
//   _lk_holdings   (kind, value, account_id, requests, first_ts, last_ts, holders)
//                  values held by 2 ≤ holders ≤ the kind's cap; event kinds
//                  only where the account made ≥ minRequests requests with it
import { literal, literalList, type CaseFile } from '@farmscope/casefile';
import type { StageContext } from '../stage.js';
import type { LinkParams } from './link-params.js';

export interface HoldingsSummary {
  /** Accounts seen in events (the population the rarity is relative to). */
  accounts: number;
  /** Kinds that could not be built, with the reason. */
  skipped: string[];
  /** Values dropped as ubiquitous, per kind. */
  ubiquitous: Record<string, number>;
}

/** SQL: the /24 of an IPv4 address or the /48 of an IPv6 address, as text. */
export function networkSql(ip: string): string {
  return `CASE WHEN contains(${ip}, ':') THEN
      array_to_string((string_split(split_part(lower(${ip}), '::', 1), ':') || ['0', '0', '0'])[1:3], ':') || '::/48'
    ELSE regexp_extract(${ip}, '^(\\d+\\.\\d+\\.\\d+)\\.', 1) || '.0/24' END`;
}

/**
 * Builds _lk_activity, _lk_ips and _lk_acct_ip (who used which address, when)
 * from the events, unless _lk_acct_ip exists. account_features' address
 * counts read them too (links-stages.ts, shareAddressUse), so one run scans
 * the events for them once.
 */
export async function ensureAddressUse(caseFile: CaseFile, params: LinkParams): Promise<void> {
  if (await tempTableExists(caseFile, '_lk_acct_ip')) return;
  const bucketSeconds = Math.round(params.bucketMinutes * 60);
  // Two narrow scans rather than one wide one: the per-bucket address
  // activity is as long as a good share of events (a rotating proxy makes a
  // row per request), so it carries only what coordination needs, with
  // accounts and addresses as 64-bit hashes (fixed-width keys group about a
  // third faster than strings; at 10^6 distinct values a collision has odds
  // of about 10^-7). Clients, system prompts and organisations are grouped
  // per account, a short table. Timestamps become bucket numbers, so the
  // coordination self-join is an equality join (no range join on 10^7 rows).
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_activity AS
     ${activityRowsSql('events', bucketSeconds)}`,
    'scan events for address activity per account and time bucket',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_ips AS
     ${addressRowsSql('events')}`,
    'collect distinct addresses and their networks',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_acct_ip AS
     SELECT i, a, sum(requests)::BIGINT AS requests, count(*)::INTEGER AS units, min(bucket) AS bucket, max(bucket) AS max_bucket
     FROM _lk_activity GROUP BY i, a`,
    'collect per-account address use',
  );
}

/** SQL: the bucket number of a timestamp (epoch rounded to the second, then divided: a request in the last half second before a bucket counts in it). */
export function bucketSql(ts: string, bucketSeconds: number): string {
  return `epoch(${ts})::BIGINT // ${bucketSeconds}`;
}

/** SQL: _lk_activity's rows over the events of `from`. */
export function activityRowsSql(from: string, bucketSeconds: number): string {
  return `SELECT hash(account_id) AS a, hash(ip) AS i, ${bucketSql('ts', bucketSeconds)} AS bucket, count(*)::INTEGER AS requests
     FROM ${from} WHERE ip IS NOT NULL GROUP BY ALL`;
}

/** SQL: _lk_ips's rows over the events of `from`. */
export function addressRowsSql(from: string): string {
  return `SELECT i, ip, ${networkSql('ip')} AS net, hash(${networkSql('ip')}) AS n
     FROM (SELECT hash(ip) AS i, any_value(ip) AS ip FROM ${from} WHERE ip IS NOT NULL GROUP BY i)`;
}

/** SQL: _lk_clients's rows over the events of `from`. */
export function clientRowsSql(from: string): string {
  return `SELECT account_id, user_agent, org_id, CASE WHEN system_prompt IS NOT NULL THEN hash(system_prompt) END AS sp_hash,
            count(*)::INTEGER AS requests, min(ts) AS first_ts, max(ts) AS last_ts
     FROM ${from} GROUP BY ALL`;
}

/** Builds the address tables (ensureAddressUse), then _lk_clients from one more scan of events and _lk_lifetimes from it, each unless it exists. */
export async function ensureActivity(caseFile: CaseFile, params: LinkParams): Promise<void> {
  await ensureAddressUse(caseFile, params);
  if (!(await tempTableExists(caseFile, '_lk_clients'))) {
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _lk_clients AS
     ${clientRowsSql('events')}`,
      'scan events for clients, system prompts and organisations per account',
    );
  }
  if (await tempTableExists(caseFile, '_lk_lifetimes')) return;
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_lifetimes AS
     SELECT account_id, hash(account_id) AS a, min(first_ts) AS first_ts, max(last_ts) AS last_ts,
            sum(requests)::BIGINT AS requests,
            -- the organisation on most requests (ties: the largest id), deterministic
            (max({'requests': requests, 'org': org_id}) FILTER (WHERE org_id IS NOT NULL)).org AS org_id
     FROM _lk_clients GROUP BY account_id`,
    'collect account lifetimes',
  );
}

/** True when a temporary table of this name exists on the connection. */
export async function tempTableExists(caseFile: CaseFile, name: string): Promise<boolean> {
  const n = await caseFile.value<number>(
    `SELECT count(*)::INTEGER FROM duckdb_tables() WHERE temporary AND table_name = ${literal(name)}`,
  );
  return n > 0;
}

/** Builds _lk_holdings: every (kind, value, account) with the value's holder count; `templates: false` leaves out the template kind. */
export async function buildHoldings(ctx: StageContext, params: LinkParams, options: { templates?: boolean } = {}): Promise<HoldingsSummary> {
  const { caseFile } = ctx;
  const skipped: string[] = [];
  await ensureActivity(caseFile, params);
  const bucketSeconds = Math.round(params.bucketMinutes * 60);
  // Event kinds count only "sticky" use: at least minRequests requests on the
  // value. A rotating proxy touches each address once or twice; counting that
  // would make every pool address a crowd of thousands and pair nobody usefully.
  const sticky = `HAVING sum(requests) >= ${params.minRequests}`;
  const times = `to_timestamp(bucket * ${bucketSeconds})::TIMESTAMP AS first_ts, to_timestamp((max_bucket + 1) * ${bucketSeconds})::TIMESTAMP AS last_ts`;
  const parts: string[] = [
    `SELECT 'ip' AS kind, d.ip AS value, l.account_id, x.requests, ${times}
     FROM (SELECT * FROM _lk_acct_ip WHERE requests >= ${params.minRequests}) x
     JOIN _lk_ips d USING (i) JOIN _lk_lifetimes l USING (a)`,
    `SELECT 'ip_net', nets.net, l.account_id, x.requests, ${times}
     FROM (SELECT d.n, x.a, sum(x.requests)::BIGINT AS requests, min(x.bucket) AS bucket, max(x.max_bucket) AS max_bucket
           FROM _lk_acct_ip x JOIN _lk_ips d USING (i) GROUP BY d.n, x.a HAVING sum(x.requests) >= ${params.minRequests}) x
     JOIN (SELECT DISTINCT n, net FROM _lk_ips) nets USING (n) JOIN _lk_lifetimes l USING (a)`,
    `SELECT 'user_agent', user_agent, account_id, sum(requests)::BIGINT, min(first_ts), max(last_ts)
     FROM _lk_clients WHERE user_agent IS NOT NULL GROUP BY user_agent, account_id ${sticky}`,
    `SELECT 'system_prompt', 'sp:' || lower(to_hex(sp_hash)), account_id, sum(requests)::BIGINT, min(first_ts), max(last_ts)
     FROM _lk_clients WHERE sp_hash IS NOT NULL GROUP BY sp_hash, account_id ${sticky}`,
  ];
  if (ctx.inputs.hasAccounts) {
    const acct = (kind: string, value: string, where = `${value} IS NOT NULL AND ${value} <> ''`) =>
      `SELECT '${kind}', ${value}, account_id, NULL::BIGINT, created_at, created_at FROM accounts WHERE ${where}`;
    parts.push(
      acct('payment', 'payment_fingerprint'),
      acct('signup_ip', 'signup_ip'),
      acct('email_local', 'email_local_hash'),
      acct('email_throwaway', 'lower(email_domain)', `list_contains(${literalList(params.throwawayDomains.map((d) => d.toLowerCase()))}, lower(email_domain))`),
    );
  } else {
    skipped.push('payment, signup_ip, email_local, email_throwaway: no accounts table');
  }
  if (options.templates === false) {
    skipped.push('template: left out (links for the farm stages only)');
  } else if (await caseFile.tableExists('account_template_counts')) {
    parts.push(
      `SELECT 'template', 'tpl:' || template_id::VARCHAR, account_id, requests::BIGINT, NULL::TIMESTAMP, NULL::TIMESTAMP FROM account_template_counts WHERE requests >= ${params.minRequests}`,
    );
  } else {
    skipped.push('template: no account_template_counts table (run the prompt_templates stage first)');
  }
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_raw_holdings AS
     ${parts.join('\n     UNION ALL\n     ')}`,
    'collect shared-value holdings',
  );
  const accounts = Number(await caseFile.value(`SELECT count(*) FROM _lk_lifetimes`));
  const maxHolders = Math.max(params.pairCap, Math.floor(params.ubiquitousShare * accounts));
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_holders AS
     SELECT kind, value, count(*)::INTEGER AS holders FROM _lk_raw_holdings WHERE value IS NOT NULL GROUP BY kind, value`,
    'count the holders of every value',
  );
  const ubiquitousRows = await caseFile.all<{ kind: string; n: number }>(
    `SELECT kind, count(*)::INTEGER AS n FROM _lk_holders
     WHERE holders > least(${maxHolders}, CASE kind ${Object.entries(params.kindMaxHolders).map(([k, n]) => `WHEN ${literal(k)} THEN ${n}`).join(' ')} ELSE ${maxHolders} END)
     GROUP BY kind ORDER BY kind`,
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_holdings AS
     SELECT r.*, h.holders
     FROM _lk_raw_holdings r JOIN _lk_holders h USING (kind, value)
     WHERE h.holders BETWEEN 2 AND ${maxHolders}
       AND h.holders <= CASE r.kind ${Object.entries(params.kindMaxHolders).map(([k, n]) => `WHEN ${literal(k)} THEN ${n}`).join(' ')} ELSE ${maxHolders} END`,
    'keep values shared by 2 or more accounts but not ubiquitous',
  );
  await caseFile.run(`DROP TABLE _lk_raw_holdings`);
  return { accounts, skipped, ubiquitous: Object.fromEntries(ubiquitousRows.map((r) => [r.kind, r.n])) };
}
