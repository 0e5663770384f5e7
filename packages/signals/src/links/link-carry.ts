// The links stages' event tables carried from one run to the next (a
// cumulative replay, whose events only grow by requests at or after the
// previous cut-off): _lk_activity, _lk_ips, _lk_acct_ip and _lk_clients are
// kept as temp tables and brought up to the new cut-off from the new events
// only; the coordination stage's _lk_unit_members likewise, from the new
// activity buckets. Everything derived from them (lifetimes, holdings,
// links, co-activity pairs, hand-offs) is recomputed at every run.
//
// Why it is exact: every kept table is a group-by of events whose aggregates
// merge (counts and sums add, min/min, max/max, distinct sets union). The one
// key that can straddle the cut-off is the time bucket: a request just before
// the cut-off C lands in bucket f(C) = round(epoch(C)) // bucket length when
// C is not a multiple of the bucket length, and also when it is (epoch is
// rounded to the second, so a request in C's last half second counts in the
// bucket starting at C). Kept rows have buckets ≤ f(C) and new rows ≥ f(C),
// so only rows of bucket f(C) can meet: they are merged into the kept row,
// and a new (account, address, bucket) row adds a unit to its account and
// address only when no kept row had it.
import { literalList, type CaseFile } from '@farmscope/casefile';
import { activityRowsSql, addressRowsSql, bucketSql, clientRowsSql } from './link-holdings.js';
import { unitMembersSql } from './coordination-pairs.js';

/** Carry the tables between runs: `events` holds every request before `cutoffMs`, and a later run's only adds requests at or after it. */
export interface LinkCarry {
  /** The cut-off of this run's events (exclusive). */
  readonly cutoffMs: number;
  /** Rebuild the kept tables from all events (the first step). */
  readonly first: boolean;
}

/** The tables kept by shared_infrastructure, and the one row saying up to which cut-off (and with which bucket length) they hold events. */
export const CARRIED_EVENT_TABLES = ['_lk_activity', '_lk_ips', '_lk_acct_ip', '_lk_clients'] as const;
export const EVENT_CARRY_STATE = '_lk_carry_state';

/** The table kept by coordination, and its state (it follows _lk_activity but is updated a stage later). */
export const CARRIED_UNIT_TABLE = '_lk_unit_members';
export const UNIT_CARRY_STATE = '_lk_carry_units_state';

const tsSql = (ms: number) => `make_timestamp(${ms * 1000}::BIGINT)`;

/** Events at or after `ms`. */
const eventsFrom = (ms: number) => `(SELECT * FROM events WHERE ts >= ${tsSql(ms)})`;

/**
 * The cut-off the kept `tables` cover, or undefined when they are to be
 * rebuilt (first run, none kept or one missing, kept past this cut-off or
 * with another bucket length). The state is dropped until markCarried: a run
 * that fails half-way leaves none, and the next one rebuilds.
 */
export async function takeCarriedCutoff(
  caseFile: CaseFile, carry: LinkCarry, bucketSeconds: number, state: string, tables: readonly string[],
): Promise<number | undefined> {
  let covered: number | undefined;
  if (!carry.first) {
    const kept = await caseFile.value<number>(
      `SELECT count(DISTINCT table_name)::INTEGER FROM duckdb_tables() WHERE temporary AND list_contains(${literalList([state, ...tables])}, table_name)`,
      'links: finding the carried tables',
    );
    if (kept === tables.length + 1) {
      const row = await caseFile.one<{ covered_ms: number; bucket_seconds: number }>(
        `SELECT covered_ms::DOUBLE AS covered_ms, bucket_seconds::DOUBLE AS bucket_seconds FROM temp.${state}`,
        'links: reading the carried cut-off',
      );
      const ms = Number(row?.covered_ms);
      if (Number.isFinite(ms) && ms <= carry.cutoffMs && Number(row?.bucket_seconds) === bucketSeconds) covered = ms;
    }
  }
  await caseFile.run(`DROP TABLE IF EXISTS temp.${state}`, 'links: clearing the carried cut-off');
  return covered;
}

export async function markCarried(caseFile: CaseFile, state: string, cutoffMs: number, bucketSeconds: number): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE ${state} AS SELECT ${cutoffMs}::BIGINT AS covered_ms, ${bucketSeconds}::BIGINT AS bucket_seconds`,
    'links: recording the carried cut-off',
  );
}

/** Brings _lk_activity, _lk_ips and _lk_acct_ip, kept up to `coveredMs`, up to this run's events. */
export async function updateAddressUse(caseFile: CaseFile, bucketSeconds: number, coveredMs: number): Promise<void> {
  const edge = `(${bucketSql(tsSql(coveredMs), bucketSeconds)})`;
  // The new activity rows; `fresh` unless a kept row has the same (account, address, bucket), which only bucket f(C) can.
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_activity_new AS
     SELECT n.a, n.i, n.bucket, n.requests, k.a IS NULL AS fresh
     FROM (${activityRowsSql(eventsFrom(coveredMs), bucketSeconds)}) n
     LEFT JOIN (SELECT a, i, bucket FROM _lk_activity WHERE bucket = ${edge}) k
       ON k.a = n.a AND k.i = n.i AND k.bucket = n.bucket`,
    'links: scan the new events for address activity per account and time bucket',
  );
  await caseFile.run(
    `UPDATE _lk_activity SET requests = _lk_activity.requests + n.requests
     FROM (SELECT * FROM _lk_activity_new WHERE NOT fresh) n
     WHERE _lk_activity.bucket = ${edge} AND _lk_activity.a = n.a AND _lk_activity.i = n.i AND _lk_activity.bucket = n.bucket`,
    'links: add the new requests to the kept activity of the cut-off\'s bucket',
  );
  await caseFile.run(
    `INSERT INTO _lk_activity SELECT a, i, bucket, requests FROM _lk_activity_new WHERE fresh`,
    'links: append the new activity rows',
  );
  await caseFile.run(
    `INSERT INTO _lk_ips
     SELECT n.* FROM (${addressRowsSql(eventsFrom(coveredMs))}) n ANTI JOIN _lk_ips k ON k.i = n.i`,
    'links: append the addresses not seen before',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_acct_ip AS
     SELECT i, a, sum(requests)::BIGINT AS requests, sum(units)::INTEGER AS units, min(bucket) AS bucket, max(max_bucket) AS max_bucket
     FROM (SELECT i, a, requests, units, bucket, max_bucket FROM _lk_acct_ip
           UNION ALL
           SELECT i, a, requests, fresh::INTEGER, bucket, bucket FROM _lk_activity_new)
     GROUP BY i, a`,
    'links: merge the new activity into the per-account address use',
  );
  await caseFile.run(`DROP TABLE _lk_activity_new`);
}

/** Brings _lk_clients, kept up to `coveredMs`, up to this run's events. */
export async function updateClients(caseFile: CaseFile, coveredMs: number): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_clients AS
     SELECT account_id, user_agent, org_id, sp_hash, sum(requests)::INTEGER AS requests, min(first_ts) AS first_ts, max(last_ts) AS last_ts
     FROM (SELECT * FROM _lk_clients UNION ALL BY NAME (${clientRowsSql(eventsFrom(coveredMs))}))
     GROUP BY account_id, user_agent, org_id, sp_hash`,
    'links: merge the new events into the clients, system prompts and organisations per account',
  );
}

/**
 * Brings _lk_unit_members, kept up to `coveredMs`, up to the current
 * _lk_activity: the units of buckets before f(coveredMs) had all their
 * activity then; those from it on are recomputed.
 */
export async function updateUnitMembers(caseFile: CaseFile, bucketSeconds: number, coveredMs: number): Promise<void> {
  const edge = `(${bucketSql(tsSql(coveredMs), bucketSeconds)})`;
  await caseFile.run(`DELETE FROM ${CARRIED_UNIT_TABLE} WHERE bucket >= ${edge}`, 'links: drop the kept address buckets the new activity reaches');
  await caseFile.run(
    `INSERT INTO ${CARRIED_UNIT_TABLE} ${unitMembersSql(`(SELECT * FROM _lk_activity WHERE bucket >= ${edge})`)}`,
    'links: add the address buckets shared by two or more accounts from the new activity',
  );
}
