// Significance of each farm's co-activity against a null model in which its
// members act independently: each member's activity is shifted circularly
// by a whole number of days (a deterministic pseudo-random offset per
// member and replicate), which keeps each account's own volume, lifetime
// shape and hour-of-day habits but breaks any alignment between accounts.
// Co-activity that stays as strong after the shift is chance (people of one
// time zone keeping office hours), not coordination. The statistic is
// Σ over time buckets of C(n, 2), n = members active in the bucket: the
// number of member pairs active together, summed without a pair join.
// The members' active buckets come from SQL (bounded: at most maxMembers
// per farm); the replicates are counted in typed arrays, which is two orders
// of magnitude cheaper than a hash aggregate over every shifted row.
import type { CaseFile } from '@farmscope/casefile';
import type { FarmConfig } from './farm-config.js';
import { shiftedPairCounts } from './shifted-pairs.js';

/** `_fn_stats(group_id, replicate, pairs)`: co-active member pairs per group, observed (replicate 0) and under each day shift. */
async function writeShiftedPairCounts(caseFile: CaseFile, n: FarmConfig['nullModel'], days: number, perDay: number): Promise<void> {
  const rows = await caseFile.all<{ group_id: string; account_id: string; buckets: number[] }>(
    `SELECT group_id, account_id, list(b::INTEGER ORDER BY b) AS buckets FROM _fn_acts GROUP BY ALL ORDER BY group_id, account_id`,
    'null model: member activity per group',
  );
  await caseFile.run(`CREATE OR REPLACE TEMP TABLE _fn_stats (group_id VARCHAR, replicate INTEGER, pairs DOUBLE)`);
  const appender = await caseFile.connection.createAppender('_fn_stats', 'main', 'temp');
  let start = 0;
  while (start < rows.length) {
    let end = start;
    while (end < rows.length && rows[end]!.group_id === rows[start]!.group_id) end++;
    const members = rows.slice(start, end);
    const pairs = shiftedPairCounts(members, { days, perDay, replicates: n.replicates, seed: n.seed });
    pairs.forEach((value, replicate) => {
      appender.appendVarchar(members[0]!.group_id);
      appender.appendInteger(replicate);
      appender.appendDouble(value);
      appender.endRow();
    });
    start = end;
  }
  appender.closeSync();
}

/**
 * The links test: operator links (shared infrastructure, co-activity,
 * hand-offs: farm_pair_scores.operator_score > 0) inside the group against
 * a configuration where the suspects' operator links fall on random pairs:
 * expected = links among all suspects × m(m−1) / (S(S−1)); p by the Chernoff
 * bound on P(Poisson(expected) ≥ observed). The group's significance is the
 * smaller of the two p-values, doubled (Bonferroni for two tests).
 */
function linkSignificanceSql(config: FarmConfig, groups: string): string {
  return `CREATE OR REPLACE TABLE farm_significance AS
    WITH s AS (SELECT greatest(count(*), 2)::DOUBLE AS s FROM account_scores WHERE behaviour_score >= ${config.graph.suspectMinScore}),
    total AS (SELECT count(*)::DOUBLE AS l FROM farm_pair_scores WHERE operator_score > 0),
    sizes AS (SELECT group_id, count(*)::DOUBLE AS m FROM ${groups} GROUP BY group_id),
    inside AS (
      SELECT ga.group_id, count(*)::DOUBLE AS o
      FROM farm_pair_scores p JOIN ${groups} ga ON ga.account_id = p.account_a JOIN ${groups} gb ON gb.account_id = p.account_b AND gb.group_id = ga.group_id
      WHERE p.operator_score > 0 GROUP BY ga.group_id),
    links AS (
      SELECT z.group_id, coalesce(i.o, 0) AS o, (SELECT l FROM total) * z.m * (z.m - 1) / ((SELECT s FROM s) * ((SELECT s FROM s) - 1)) AS e
      FROM sizes z LEFT JOIN inside i USING (group_id)),
    tested AS (
      SELECT group_id, o::INTEGER AS operator_links, round(e, 4) AS operator_links_expected,
        round(CASE WHEN o > e AND e > 0 THEN exp(-(o * ln(o / e) - o + e)) WHEN o > 0 AND e = 0 THEN 0 ELSE 1 END, 6) AS links_p
      FROM links)
    SELECT t.group_id, c.members_used, c.coactive_pairs, c.coactive_null_mean, c.coactive_null_sd, c.coactivity_z, c.coactivity_p,
      t.operator_links, t.operator_links_expected, t.links_p,
      round(least(1, 2 * least(coalesce(c.coactivity_p, 1), t.links_p)), 6) AS p_value
    FROM tested t LEFT JOIN _fn_time c USING (group_id)
    ORDER BY group_id`;
}

/** `farm_significance` for each group of `groups(group_id, account_id)`: co-activity against day shifts, operator links against random placement. */
export async function buildSignificance(caseFile: CaseFile, config: FarmConfig, groups: string): Promise<void> {
  const n = config.nullModel;
  const bucketMs = n.bucketMinutes * 60_000;
  const perDay = Math.max(1, Math.round(1440 / n.bucketMinutes));
  try {
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _fn_acts AS
       WITH members AS (
         SELECT group_id, account_id FROM ${groups}
         QUALIFY row_number() OVER (PARTITION BY group_id ORDER BY hash(account_id, ${n.seed}), account_id) <= ${n.maxMembers}),
       t0 AS (SELECT epoch_ms(min(ts)) AS t0 FROM events)
       SELECT DISTINCT m.group_id, e.account_id, (epoch_ms(e.ts) - t0.t0) // ${bucketMs} AS b
       FROM events e JOIN members m USING (account_id), t0`,
      'null model: member activity buckets',
    );
    // Whole days in the window (the circle the shifts turn on).
    const days = Math.max(1, (await caseFile.value<number>(`SELECT (coalesce(max(b), 0) // ${perDay} + 1)::INTEGER FROM _fn_acts`)) ?? 1);
    await writeShiftedPairCounts(caseFile, n, days, perDay);
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _fn_time AS
       WITH obs AS (SELECT group_id, pairs AS observed FROM _fn_stats WHERE replicate = 0),
       nul AS (SELECT group_id, avg(pairs) AS m, stddev_samp(pairs) AS sd, list(pairs) AS draws FROM _fn_stats WHERE replicate > 0 GROUP BY group_id),
       used AS (SELECT group_id, count(DISTINCT account_id)::INTEGER AS members_used FROM _fn_acts GROUP BY group_id)
       SELECT o.group_id, u.members_used, o.observed AS coactive_pairs, round(nul.m, 3) AS coactive_null_mean, round(nul.sd, 3) AS coactive_null_sd,
         round(CASE WHEN nul.sd > 0 THEN (o.observed - nul.m) / nul.sd WHEN o.observed > nul.m THEN 99 ELSE 0 END, 3) AS coactivity_z,
         round((1 + len(list_filter(nul.draws, d -> d >= o.observed))) / ${n.replicates + 1}, 4) AS coactivity_p
       FROM obs o JOIN nul USING (group_id) JOIN used u USING (group_id)`,
      'null model: co-activity significance per group',
    );
    await caseFile.run(linkSignificanceSql(config, groups), 'null model: significance per group');
  } finally {
    for (const t of ['_fn_acts', '_fn_stats', '_fn_time']) await caseFile.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
