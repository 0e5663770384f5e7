// The farm graph's edges: one score in [0,1] per account pair, the noisy-or
// of what links them (rarity-weighted shared infrastructure, shared prompt
// templates, surprising co-activity, hand-offs). Each part is already
// down-weighted for popularity by the links stage (Fraudar's 1/log(d + 5)
// column weight; co-activity against a Poisson chance model); here they are
// combined, and only pairs of suspect accounts are kept. A pair that shares
// something also gains from keeping the same daily rhythm (the Pearson
// correlation of their hour-of-day histograms: accounts run on one
// operator's schedule, where co-activity on a shared address, which careful
// farms avoid, cannot show it).
import type { CaseFile } from '@farmscope/casefile';
import { DEFAULT_LINK_PARAMS } from '@farmscope/signals';
import type { FarmConfig } from './farm-config.js';

/** `farm_pair_scores`: per suspect pair, each part and the combined score. */
function pairScoresSql(config: FarmConfig): string {
  const g = config.graph;
  const both = (a: string, b: string) => `${a} IN (SELECT account_id FROM suspects) AND ${b} IN (SELECT account_id FROM suspects)`;
  return `CREATE OR REPLACE TABLE farm_pair_scores AS
    WITH suspects AS (SELECT account_id FROM account_scores WHERE behaviour_score >= ${g.suspectMinScore}),
    infra AS (
      SELECT account_a, account_b, 1 - exp(sum(ln(1 - least(weight / CASE WHEN same_org AND ${g.undoSameOrgDiscount} THEN ${DEFAULT_LINK_PARAMS.sameOrgFactor} ELSE 1 END, 0.999)))) AS infrastructure,
        list(kind ORDER BY weight DESC, kind) AS infra_kinds, bool_and(same_org) AS same_org
      FROM account_links WHERE kind <> 'template' AND ${both('account_a', 'account_b')} GROUP BY ALL),
    tpl AS (
      SELECT l.account_a, l.account_b, round(${g.contentWeight} * greatest(0, (c.cosine - ${g.contentFloor}) / (1 - ${g.contentFloor})), 6) AS templates,
        l.shared_values AS shared_templates, round(c.cosine, 4) AS template_cosine
      FROM account_links l JOIN _fp_cosine c USING (account_a, account_b)
      WHERE l.kind = 'template'),
    coord AS (
      SELECT account_a, account_b, 1 - exp(-surprise / ${g.coordinationSurpriseScale}) AS coordination, surprise
      FROM coordination_pairs WHERE surprise >= ${g.coordinationMinSurprise} AND ${both('account_a', 'account_b')}),
    hand AS (
      SELECT least(from_account, to_account) AS account_a, greatest(from_account, to_account) AS account_b, ${g.handoffScore} AS handoff
      FROM account_handoffs WHERE ${both('from_account', 'to_account')} GROUP BY ALL),
    parts AS (
      SELECT account_a, account_b,
        coalesce(i.infrastructure, 0) AS infrastructure, coalesce(t.templates, 0) AS templates,
        coalesce(c.coordination, 0) AS coordination, coalesce(h.handoff, 0) AS handoff,
        i.infra_kinds, coalesce(t.shared_templates, 0) AS shared_templates, t.template_cosine, c.surprise, coalesce(i.same_org, false) AS same_org
      FROM infra i FULL JOIN tpl t USING (account_a, account_b) FULL JOIN coord c USING (account_a, account_b)
        FULL JOIN hand h USING (account_a, account_b)),
    timed AS (
      SELECT p.*, round(${g.rhythmWeight} * greatest(0, coalesce(list_cosine_similarity(
          list_transform(fa.hour_histogram, x -> x - list_avg(fa.hour_histogram)),
          list_transform(fb.hour_histogram, x -> x - list_avg(fb.hour_histogram))), 0)), 6) AS rhythm
      FROM parts p JOIN account_features fa ON fa.account_id = p.account_a JOIN account_features fb ON fb.account_id = p.account_b)
    SELECT t.*, round(1 - (1 - infrastructure) * (1 - coordination) * (1 - handoff), 6) AS operator_score,
      round(1 - (1 - infrastructure) * (1 - templates) * (1 - coordination) * (1 - handoff) * (1 - rhythm), 6) AS score
    FROM timed t
    ORDER BY account_a, account_b`;
}

/**
 * `_fp_cosine`: for suspect pairs that share a template, the cosine of their
 * template profiles, each template weighted by √requests × ln(N / accounts
 * using it) (TF-IDF with a sublinear term frequency): sharing a template
 * everybody uses says little, sharing the same rare mix says a lot.
 */
function templateCosineSql(config: FarmConfig): string {
  const g = config.graph;
  return `CREATE OR REPLACE TEMP TABLE _fp_cosine AS
    WITH suspects AS (SELECT account_id FROM account_scores WHERE behaviour_score >= ${g.suspectMinScore}),
    n AS (SELECT greatest(count(*), 1) AS n FROM account_features),
    v AS (
      SELECT c.account_id, c.template_id, sqrt(c.requests) * ln((SELECT n FROM n) / greatest(t.accounts, 1)) AS w
      FROM account_template_counts c JOIN prompt_templates t USING (template_id)
      WHERE c.account_id IN (SELECT account_id FROM suspects)),
    unit AS (SELECT account_id, template_id, w / nullif(sqrt(sum(w * w) OVER (PARTITION BY account_id)), 0) AS w FROM v),
    pairs AS (
      SELECT account_a, account_b FROM account_links
      WHERE kind = 'template' AND account_a IN (SELECT account_id FROM suspects) AND account_b IN (SELECT account_id FROM suspects))
    SELECT p.account_a, p.account_b, sum(x.w * y.w) AS cosine
    FROM pairs p JOIN unit x ON x.account_id = p.account_a JOIN unit y ON y.account_id = p.account_b AND y.template_id = x.template_id
    GROUP BY ALL`;
}

export async function buildPairScores(caseFile: CaseFile, config: FarmConfig): Promise<void> {
  try {
    if (await caseFile.tableExists('account_template_counts')) {
      await caseFile.run(templateCosineSql(config), 'farm graph: template-profile cosine of suspect pairs');
    } else {
      await caseFile.run('CREATE OR REPLACE TEMP TABLE _fp_cosine (account_a VARCHAR, account_b VARCHAR, cosine DOUBLE)');
    }
    await caseFile.run(pairScoresSql(config), 'farm graph: pair scores');
  } finally {
    await caseFile.run('DROP TABLE IF EXISTS _fp_cosine');
  }
}
