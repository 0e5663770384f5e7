// coordination_pairs: accounts active on the same address in the same time
// bucket, again and again (SynchroTrap's matched actions, with the address as
// the constraint), scored against what chance predicts from each account's
// own activity. Reads _lk_activity and _lk_lifetimes (link-holdings.ts).
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
import type { CaseFile } from '@farmscope/casefile';
import type { LinkParams } from './link-params.js';

export async function buildCoordinationPairs(caseFile: CaseFile, params: LinkParams): Promise<void> {
  const bucketSeconds = Math.round(params.bucketMinutes * 60);
  // Units with one account (most of a rotating proxy's) pair nobody: drop them
  // first. Only crowds need a rank for their ring.
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_unit_members AS
     WITH shared AS (
       SELECT ip, bucket, count(*)::INTEGER AS active FROM _lk_activity GROUP BY ip, bucket HAVING count(*) >= 2
     )
     SELECT a.ip, a.bucket, a.account_id, s.active FROM _lk_activity a JOIN shared s USING (ip, bucket)`,
    'find address buckets shared by two or more accounts',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_crowds AS
     SELECT ip, bucket, account_id, active,
            row_number() OVER (PARTITION BY ip, bucket ORDER BY hash(account_id), account_id)::INTEGER AS rk
     FROM _lk_unit_members WHERE active > ${params.bucketCap}`,
    'rank the accounts of crowded address buckets',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_co AS
     SELECT account_a, account_b, count(*)::INTEGER AS shared_buckets, count(DISTINCT ip)::INTEGER AS shared_ips,
            bool_or(sampled) AS sampled
     FROM (
       SELECT a.ip, a.account_id AS account_a, b.account_id AS account_b, false AS sampled
       FROM _lk_unit_members a JOIN _lk_unit_members b
         ON a.ip = b.ip AND a.bucket = b.bucket AND a.account_id < b.account_id
       WHERE a.active <= ${params.bucketCap}
       UNION ALL
       SELECT a.ip, least(a.account_id, b.account_id), greatest(a.account_id, b.account_id), true
       FROM _lk_crowds a CROSS JOIN range(1, ${params.ringNeighbours + 1}) AS o(step)
       JOIN _lk_crowds b ON b.ip = a.ip AND b.bucket = a.bucket AND b.rk = (a.rk - 1 + o.step) % a.active + 1
     )
     GROUP BY account_a, account_b
     HAVING count(*) >= ${params.minSharedBuckets}`,
    'count co-active buckets per account pair',
  );
  // Per account: units per address, total units, hour-of-day profile.
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_acct_ip AS
     SELECT account_id, ip, count(*)::INTEGER AS units FROM _lk_activity
     WHERE account_id IN (SELECT account_a FROM _lk_co UNION SELECT account_b FROM _lk_co)
     GROUP BY account_id, ip`,
    'count the buckets of each coordinated account per address',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _lk_profile AS
     WITH hours AS (
       SELECT account_id, ((bucket * ${bucketSeconds}) // 3600 % 24)::INTEGER AS h, count(*)::DOUBLE AS n
       FROM _lk_activity WHERE account_id IN (SELECT account_id FROM _lk_acct_ip)
       GROUP BY account_id, h
     ),
     grid AS (
       SELECT a.account_id, g.h, coalesce(hours.n, 0) AS n,
              sum(coalesce(hours.n, 0)) OVER (PARTITION BY a.account_id) AS total
       FROM (SELECT DISTINCT account_id FROM hours) a CROSS JOIN range(24) AS g(h)
       LEFT JOIN hours ON hours.account_id = a.account_id AND hours.h = g.h
     )
     SELECT account_id, any_value(total)::INTEGER AS units, list(n / total ORDER BY h) AS profile
     FROM grid GROUP BY account_id`,
    'hour-of-day profile of each coordinated account',
  );
  await caseFile.run(
    `CREATE OR REPLACE TABLE coordination_pairs AS
     WITH chance AS (
       SELECT c.account_a, c.account_b, sum(ia.units::DOUBLE * ib.units) AS cross_units
       FROM _lk_co c
       JOIN _lk_acct_ip ia ON ia.account_id = c.account_a
       JOIN _lk_acct_ip ib ON ib.account_id = c.account_b AND ib.ip = ia.ip
       GROUP BY c.account_a, c.account_b
     ),
     scored AS (
       SELECT c.*, pa.units AS buckets_a, pb.units AS buckets_b,
              greatest(1, (epoch(least(la.last_ts, lb.last_ts)) - epoch(greatest(la.first_ts, lb.first_ts))) / ${bucketSeconds} + 1) AS overlap_buckets,
              24 * list_dot_product(pa.profile, pb.profile) AS hour_factor,
              ch.cross_units,
              abs(epoch(la.first_ts) - epoch(lb.first_ts)) / 3600.0 AS start_gap_hours,
              abs(epoch(la.last_ts) - epoch(lb.last_ts)) / 3600.0 AS stop_gap_hours
       FROM _lk_co c
       JOIN chance ch USING (account_a, account_b)
       JOIN _lk_profile pa ON pa.account_id = c.account_a
       JOIN _lk_profile pb ON pb.account_id = c.account_b
       JOIN _lk_lifetimes la ON la.account_id = c.account_a
       JOIN _lk_lifetimes lb ON lb.account_id = c.account_b
     ),
     expected AS (
       SELECT *, greatest(cross_units / overlap_buckets * hour_factor, 1e-9) AS expected FROM scored
     )
     SELECT account_a, account_b, shared_buckets, shared_ips, buckets_a, buckets_b,
            round(shared_buckets / (buckets_a + buckets_b - shared_buckets)::DOUBLE, 6) AS jaccard,
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
  for (const t of ['_lk_unit_members', '_lk_crowds', '_lk_co', '_lk_acct_ip', '_lk_profile']) await caseFile.run(`DROP TABLE IF EXISTS ${t}`);
}
