// account_links and account_pairs: pairs of accounts that hold the same rare
// thing, with the evidence and a weight (link-weights.ts), and their sum per
// pair. Reads the _lk_holdings temp table (link-holdings.ts).
//
// Never all pairs of a big group: a value held by at most `pairCap` accounts
// links every pair of its holders; above that, its holders are put in a ring
// (ordered by when they first used the value, then by a hash of account and
// value, so the order is deterministic) and each links only to its next
// `ringNeighbours` holders: holders × ringNeighbours pairs instead of
// holders²/2, and the group stays connected (a ring with chords), which is
// what a community search needs. Rows from a ring say `sampled = true`.
import type { CaseFile } from '@farmscope/casefile';
import type { LinkParams } from './link-params.js';
import { kindStrengthSql, raritySql } from './link-weights.js';

/** Kinds whose links need the two accounts' use of the value to overlap in time. */
export const TIME_BOUND_KINDS = ['ip', 'ip_net', 'user_agent', 'system_prompt'] as const;

/** With `pairs: false`, account_pairs is written empty (its columns only). */
export async function buildAccountLinks(caseFile: CaseFile, params: LinkParams, hasAccounts: boolean, options: { pairs?: boolean } = {}): Promise<void> {
  const cap = params.pairCap;
  const timeBound = TIME_BOUND_KINDS.map((k) => `'${k}'`).join(', ');
  const slack = `INTERVAL ${Math.round(params.overlapSlackHours * 60)} MINUTE`;
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_ring AS
     SELECT kind, value, account_id, requests, first_ts, last_ts, holders,
            row_number() OVER (PARTITION BY kind, value ORDER BY first_ts NULLS LAST, hash(account_id, value), account_id) AS rk
     FROM _lk_holdings WHERE holders > ${cap}`,
    'order the holders of common values into rings',
  );
  // Each ring position with the rank of each of its successors, as a table:
  // in one query the planner joined the two ring copies on (kind, value)
  // alone before applying the cross join with the steps, i.e. all holders²
  // pairs of the biggest groups (297 s at the claude-2026 scale, 0.2 s this way).
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_ring_steps AS
     SELECT r.*, (r.rk - 1 + o.step) % r.holders + 1 AS next_rk
     FROM _lk_ring r CROSS JOIN range(1, ${params.ringNeighbours + 1}) AS o(step)`,
    'list each ring position\'s successors',
  );
  const pairColumns = (a: string, b: string, sampled: boolean) =>
    `${a}.kind, ${a}.value, ${a}.holders, ${sampled} AS sampled,
     least(${a}.account_id, ${b}.account_id) AS account_a, greatest(${a}.account_id, ${b}.account_id) AS account_b,
     CASE WHEN ${a}.account_id < ${b}.account_id THEN ${a}.requests ELSE ${b}.requests END AS requests_a,
     CASE WHEN ${a}.account_id < ${b}.account_id THEN ${b}.requests ELSE ${a}.requests END AS requests_b,
     greatest(${a}.first_ts, ${b}.first_ts) AS overlap_from, least(${a}.last_ts, ${b}.last_ts) AS overlap_to`;
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_value_pairs AS
     SELECT * FROM (
       SELECT ${pairColumns('a', 'b', false)}
       FROM _lk_holdings a JOIN _lk_holdings b
         ON a.kind = b.kind AND a.value = b.value AND a.account_id < b.account_id
       WHERE a.holders <= ${cap}
       UNION ALL
       SELECT ${pairColumns('a', 'b', true)}
       FROM _lk_ring_steps a JOIN _lk_ring b ON b.kind = a.kind AND b.value = a.value AND b.rk = a.next_rk
     )
     WHERE kind NOT IN (${timeBound}) OR overlap_from <= overlap_to + ${slack}`,
    'pair the holders of every shared value',
  );
  // The organisation an account declares: the registry's, else the one most
  // of its requests carry.
  const orgSource = hasAccounts
    ? `SELECT l.account_id, coalesce(a.org_id, l.org_id) AS org_id FROM _lk_lifetimes l LEFT JOIN accounts a USING (account_id)`
    : `SELECT account_id, org_id FROM _lk_lifetimes`;
  await caseFile.run(
    `CREATE OR REPLACE TABLE account_links AS
     WITH orgs AS (${orgSource}),
     per_kind AS (
       SELECT account_a, account_b, kind,
              -- the rarest shared value (ties: the smallest), with its own request counts
              min({'holders': holders, 'value': value, 'requests_a': requests_a, 'requests_b': requests_b}) AS rarest,
              count(*)::INTEGER AS shared_values,
              bool_or(sampled) AS sampled,
              max(epoch(overlap_to - overlap_from) / 3600.0) FILTER (WHERE kind IN (${timeBound})) AS overlap_hours,
              max(${kindStrengthSql('kind', params)} * ${raritySql('holders')}) AS base_weight
       FROM _lk_value_pairs GROUP BY account_a, account_b, kind
     )
     SELECT p.account_a, p.account_b, p.kind, p.rarest.value AS shared_value, p.rarest.holders::INTEGER AS holders,
            p.shared_values, p.sampled,
            coalesce(oa.org_id IS NOT NULL AND oa.org_id = ob.org_id, false) AS same_org,
            p.rarest.requests_a AS requests_a, p.rarest.requests_b AS requests_b,
            CASE WHEN p.overlap_hours IS NULL THEN NULL ELSE round(greatest(p.overlap_hours, 0), 2) END AS overlap_hours,
            round(p.base_weight * CASE WHEN oa.org_id IS NOT NULL AND oa.org_id = ob.org_id THEN ${params.sameOrgFactor} ELSE 1 END, 6) AS weight,
            round(p.base_weight, 6) AS raw_weight
     FROM per_kind p
     LEFT JOIN orgs oa ON oa.account_id = p.account_a
     LEFT JOIN orgs ob ON ob.account_id = p.account_b
     ORDER BY p.account_a, p.account_b, p.kind`,
    'write account_links',
  );
  await caseFile.run(
    `CREATE OR REPLACE TABLE account_pairs AS
     SELECT account_a, account_b, round(sum(weight), 6) AS weight,
            list_transform(list_sort(list({'w': -weight, 'k': kind})), x -> x.k) AS kinds,
            sum(shared_values)::INTEGER AS evidence_count,
            max(weight) AS max_weight,
            bool_or(same_org) AS same_org
     FROM account_links ${options.pairs === false ? 'WHERE false' : ''} GROUP BY account_a, account_b
     ORDER BY account_a, account_b`,
    'write account_pairs',
  );
  await caseFile.run(`DROP TABLE IF EXISTS _lk_ring`);
  await caseFile.run(`DROP TABLE IF EXISTS _lk_ring_steps`);
  await caseFile.run(`DROP TABLE IF EXISTS _lk_value_pairs`);
}
