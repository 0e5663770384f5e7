// The farm graph's edges: one score in [0,1] per account pair, the noisy-or
// of what links them (rarity-weighted shared infrastructure, surprising
// co-activity, hand-offs, similar prompt-template profiles). The links
// stage already down-weights what is popular (Fraudar's 1/log(d + 5) column
// weight; co-activity against a Poisson chance model), the template profiles
// are TF-IDF weighted (content-pairs.ts); here they are combined, for pairs
// of suspect accounts only. A pair that shares
// something also gains from keeping the same daily rhythm (the Pearson
// correlation of their hour-of-day histograms: accounts run on one
// operator's schedule, where co-activity on a shared address, which careful
// farms avoid, cannot show it). Each histogram is centred once per account,
// not once per pair.
import type { CaseFile } from '@farmscope/casefile';
import { buildContentPairs, dropContentPairs } from './content-pairs.js';
import type { FarmConfig } from './farm-config.js';

/** `farm_pair_scores`: per suspect pair, each part and the combined score. */
function pairScoresSql(config: FarmConfig): string {
  const g = config.graph;
  const both = (a: string, b: string) => `${a} IN (SELECT account_id FROM suspects) AND ${b} IN (SELECT account_id FROM suspects)`;
  return `CREATE OR REPLACE TABLE farm_pair_scores AS
    WITH suspects AS (SELECT account_id FROM account_scores WHERE behaviour_score >= ${g.suspectMinScore}),
    infra AS (
      SELECT account_a, account_b, 1 - exp(sum(ln(1 - least(CASE WHEN ${g.undoSameOrgDiscount} THEN raw_weight ELSE weight END, 0.999)))) AS infrastructure,
        list(kind ORDER BY weight DESC, kind) AS infra_kinds, bool_and(same_org) AS same_org
      FROM account_links WHERE kind <> 'template' AND ${both('account_a', 'account_b')} GROUP BY ALL),
    tpl AS (
      SELECT account_a, account_b, round(${g.contentWeight} * greatest(0, (cosine - ${g.contentFloor}) / (1 - ${g.contentFloor})), 6) AS templates,
        shared_templates, round(cosine, 4) AS template_cosine
      FROM _fp_cosine),
    coord AS (
      SELECT account_a, account_b, 1 - exp(-surprise / ${g.coordinationSurpriseScale}) AS coordination, surprise
      FROM coordination_pairs WHERE surprise >= ${g.coordinationMinSurprise} AND ${both('account_a', 'account_b')}),
    hand AS (
      SELECT least(from_account, to_account) AS account_a, greatest(from_account, to_account) AS account_b, ${g.handoffScore}::DOUBLE AS handoff
      FROM account_handoffs WHERE ${both('from_account', 'to_account')} GROUP BY ALL),
    parts AS (
      SELECT account_a, account_b,
        coalesce(i.infrastructure, 0) AS infrastructure, coalesce(t.templates, 0) AS templates,
        coalesce(c.coordination, 0) AS coordination, coalesce(h.handoff, 0) AS handoff,
        i.infra_kinds, coalesce(t.shared_templates, 0) AS shared_templates, t.template_cosine, c.surprise, coalesce(i.same_org, false) AS same_org
      FROM infra i FULL JOIN tpl t USING (account_a, account_b) FULL JOIN coord c USING (account_a, account_b)
        FULL JOIN hand h USING (account_a, account_b)),
    centred AS (
      SELECT account_id, list_transform(hour_histogram, x -> x - mean) AS hours
      FROM (SELECT account_id, hour_histogram, list_avg(hour_histogram) AS mean
            FROM account_features)),
    timed AS (
      SELECT p.*, round(${g.rhythmWeight} * greatest(0, coalesce(list_cosine_similarity(fa.hours, fb.hours), 0)), 6) AS rhythm
      FROM parts p JOIN centred fa ON fa.account_id = p.account_a JOIN centred fb ON fb.account_id = p.account_b)
    SELECT t.*, round(1 - (1 - infrastructure) * (1 - coordination) * (1 - handoff), 6) AS operator_score,
      round(1 - (1 - infrastructure) * (1 - templates) * (1 - coordination) * (1 - handoff) * (1 - rhythm), 6) AS score
    FROM timed t
    ORDER BY account_a, account_b`;
}

export async function buildPairScores(caseFile: CaseFile, config: FarmConfig): Promise<void> {
  try {
    await buildContentPairs(caseFile, config);
    await caseFile.run(pairScoresSql(config), 'farm graph: pair scores');
  } finally {
    await dropContentPairs(caseFile);
  }
}
