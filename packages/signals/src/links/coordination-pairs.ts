// coordination_pairs: accounts active on the same address in the same time
// bucket, again and again (SynchroTrap's matched actions, with the address as
// the constraint), scored against what chance predicts from each account's
// own activity.
//
//   unit               = (address, bucket of `bucketMinutes`)
//   shared_buckets     = units where both accounts were active
//   jaccard            = shared / (units_a + units_b − shared)      (SynchroTrap)
//   expected           = Σ_addresses n_a(c)·n_b(c) / T  ×  24·Σ_h p_a(h)·p_b(h)
//       n_x(c): units of x on address c; T: buckets in the overlap of the two
//       lifetimes; p_x(h): x's share of units in UTC hour h. The first factor
//       is what independent accounts with these rates would share; the second
//       lets two people keeping the same office hours share more by chance.
//   lift               = shared / expected
//   surprise           = −log10 of the Chernoff bound on P(Poisson(expected) ≥ shared)
//                      = (shared·ln(shared/expected) − shared + expected) / ln 10, 0 if shared ≤ expected
//
// A busy 24/7 account next to another on a corporate egress shares almost
// every bucket, but so does chance: lift ≈ 1, surprise ≈ 0. A crowd (more than
// `bucketCap` accounts in one unit: a NAT at lunchtime) is ring-sampled by a
// global hash of the account id, so the same neighbours recur across the
// crowd's units and their counts stay comparable.
// Reads _lk_activity, _lk_acct_ip and _lk_lifetimes (link-holdings.ts), and
// _lk_unit_members when it is carried between runs (link-carry.ts).
import type { CaseFile } from '@farmscope/casefile';
import type { LinkParams } from './link-params.js';

/** SQL: the members of the address buckets of `activity` (rows of _lk_activity, whole buckets) shared by two or more accounts. */
export function unitMembersSql(activity: string): string {
  return `WITH shared AS (
       SELECT i, bucket, count(*)::INTEGER AS active FROM ${activity} GROUP BY i, bucket HAVING count(*) >= 2
     )
     SELECT u.i, u.bucket, u.a, s.active FROM ${activity} u JOIN shared s USING (i, bucket)`;
}

/**
 * Writes coordination_pairs. `unitMembers: 'kept'`: _lk_unit_members is
 * already up to date (carried between runs, link-carry.ts) and is left in
 * place; otherwise it is built here and dropped.
 */
export async function buildCoordinationPairs(caseFile: CaseFile, params: LinkParams, unitMembers: 'build' | 'kept' = 'build'): Promise<void> {
  const bucketSeconds = Math.round(params.bucketMinutes * 60);
  // Accounts (a) and addresses (i) are 64-bit hashes here (link-holdings.ts);
  // pairs are (x, y) with x < y by hash until the ids are put back at the end.
  // Units with one account (most of a rotating proxy's) pair nobody: drop them
  // first. Only crowds need a rank for their ring.
  if (unitMembers === 'build') {
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _lk_unit_members AS
     ${unitMembersSql('_lk_activity')}`,
      'find address buckets shared by two or more accounts',
    );
  }
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_crowds AS
     SELECT i, bucket, a, active, row_number() OVER (PARTITION BY i, bucket ORDER BY a)::INTEGER AS rk
     FROM _lk_unit_members WHERE active > ${params.bucketCap}`,
    'rank the accounts of crowded address buckets',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_co AS
     SELECT x, y, count(*)::INTEGER AS shared_buckets, count(DISTINCT i)::INTEGER AS shared_ips, bool_or(sampled) AS sampled
     FROM (
       SELECT p.i, p.a AS x, q.a AS y, false AS sampled
       FROM _lk_unit_members p JOIN _lk_unit_members q ON p.i = q.i AND p.bucket = q.bucket AND p.a < q.a
       WHERE p.active <= ${params.bucketCap}
       UNION ALL
       -- each crowd member's ring neighbours: the rank to meet is a column, so the join is on three equal keys
       -- (computed inside the join condition it left DuckDB a join on (i, bucket) alone: 15 s instead of 0.3 s on claude-2026)
       SELECT p.i, least(p.a, q.a), greatest(p.a, q.a), true
       FROM (SELECT c.*, ((c.rk - 1 + o.step) % c.active + 1)::INTEGER AS target
             FROM _lk_crowds c CROSS JOIN range(1, ${params.ringNeighbours + 1}) AS o(step)) p
       JOIN _lk_crowds q ON q.i = p.i AND q.bucket = p.bucket AND q.rk = p.target
     )
     GROUP BY x, y
     HAVING count(*) >= ${params.minSharedBuckets}`,
    'count co-active buckets per account pair',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_profile AS
     WITH coordinated AS (SELECT x AS a FROM _lk_co UNION SELECT y FROM _lk_co),
     hours AS (
       SELECT u.a, ((u.bucket * ${bucketSeconds}) // 3600 % 24)::INTEGER AS h, count(*)::DOUBLE AS n
       FROM _lk_activity u SEMI JOIN coordinated c ON c.a = u.a
       GROUP BY u.a, h
     ),
     grid AS (
       SELECT c.a, g.h, coalesce(hours.n, 0) AS n, sum(coalesce(hours.n, 0)) OVER (PARTITION BY c.a) AS total
       FROM coordinated c CROSS JOIN range(24) AS g(h)
       LEFT JOIN hours ON hours.a = c.a AND hours.h = g.h
     )
     SELECT a, any_value(total)::INTEGER AS units, list(n / total ORDER BY h) AS profile
     FROM grid GROUP BY a`,
    'hour-of-day profile of each coordinated account',
  );
  await caseFile.run(
    `CREATE OR REPLACE TABLE coordination_pairs AS
     WITH chance AS (
       SELECT c.x, c.y, sum(ux.units::DOUBLE * uy.units) AS cross_units
       FROM _lk_co c
       JOIN _lk_acct_ip ux ON ux.a = c.x
       JOIN _lk_acct_ip uy ON uy.a = c.y AND uy.i = ux.i
       GROUP BY c.x, c.y
     ),
     scored AS (
       SELECT c.*, lx.account_id AS id_x, ly.account_id AS id_y, px.units AS units_x, py.units AS units_y,
              greatest(1, (epoch(least(lx.last_ts, ly.last_ts)) - epoch(greatest(lx.first_ts, ly.first_ts))) / ${bucketSeconds} + 1) AS overlap_buckets,
              24 * list_dot_product(px.profile, py.profile) AS hour_factor,
              ch.cross_units,
              abs(epoch(lx.first_ts) - epoch(ly.first_ts)) / 3600.0 AS start_gap_hours,
              abs(epoch(lx.last_ts) - epoch(ly.last_ts)) / 3600.0 AS stop_gap_hours
       FROM _lk_co c
       JOIN chance ch USING (x, y)
       JOIN _lk_profile px ON px.a = c.x
       JOIN _lk_profile py ON py.a = c.y
       JOIN _lk_lifetimes lx ON lx.a = c.x
       JOIN _lk_lifetimes ly ON ly.a = c.y
     ),
     expected AS (
       SELECT *, greatest(cross_units / overlap_buckets * hour_factor, 1e-9) AS expected FROM scored
     )
     SELECT least(id_x, id_y) AS account_a, greatest(id_x, id_y) AS account_b, shared_buckets, shared_ips,
            CASE WHEN id_x < id_y THEN units_x ELSE units_y END AS buckets_a,
            CASE WHEN id_x < id_y THEN units_y ELSE units_x END AS buckets_b,
            round(shared_buckets / (units_x + units_y - shared_buckets)::DOUBLE, 6) AS jaccard,
            round(expected, 4) AS expected,
            round(shared_buckets / expected, 4) AS lift,
            round(CASE WHEN shared_buckets > expected
                       THEN (shared_buckets * ln(shared_buckets / expected) - shared_buckets + expected) / ln(10)
                       ELSE 0 END, 4) AS surprise,
            round(start_gap_hours, 2) AS start_gap_hours,
            round(stop_gap_hours, 2) AS stop_gap_hours,
            sampled
     FROM expected
     ORDER BY account_a, account_b`,
    'write coordination_pairs',
  );
  const scratch = ['_lk_crowds', '_lk_co', '_lk_profile', ...(unitMembers === 'build' ? ['_lk_unit_members'] : [])];
  for (const t of scratch) await caseFile.run(`DROP TABLE IF EXISTS ${t}`);
}
