// Stage `account_scores`: each account's distillation score in [0,1] from six
// interpretable signal groups. Every feature is compared with the whole
// case (robust z: distance from the case's median in units of its median
// absolute deviation), so a signal means "unusual here", never "above a
// constant tuned to one data set"; the graph groups come from the links
// stage's pair tables. Writes the per-feature evidence, the baselines and
// the per-group contributions, so every score can be explained.
import { type CaseFile, ident, literal } from '@farmscope/casefile';
import { SIGNAL_GROUPS, type FarmConfig, type SignalGroup } from './farm-config.js';
import { OPERATOR_FEATURES, SIGNAL_FEATURES } from './signal-features.js';

/** Groups computed from the account's own behaviour (the graph groups come from pairs). */
export const BEHAVIOUR_GROUPS: readonly SignalGroup[] = ['content', 'economics', 'automation', 'churn'];

const transformed = (feature: string, transform: 'log' | 'none') =>
  transform === 'log' ? `ln(1 + greatest(${ident(feature)}, 0))` : `${ident(feature)}::DOUBLE`;

/** One row per (account, feature) with its transformed value. */
function featureValuesSql(): string {
  return SIGNAL_FEATURES.map((f) =>
    `SELECT account_id, ${literal(f.feature)} AS feature, ${literal(f.group)} AS "group", ${f.direction} AS direction,
       ${f.minScale} AS min_scale, ${ident(f.feature)}::DOUBLE AS value, ${transformed(f.feature, f.transform)} AS x,
       ${f.sample ? `coalesce(${ident(f.sample)}, 0)::DOUBLE` : 'NULL::DOUBLE'} AS sample_size,
       ${f.sample ? `(SELECT greatest(median(${ident(f.sample)}), 1) FROM account_features)::DOUBLE` : 'NULL::DOUBLE'} AS typical_sample
     FROM account_features WHERE ${ident(f.feature)} IS NOT NULL`,
  ).join('\nUNION ALL\n');
}

/**
 * Median and spread of each feature over every account that has it. Spread:
 * 1.4826 × MAD (the normal-consistent MAD), else 1.2533 × mean absolute
 * deviation when over half the accounts share one value (Iglewicz & Hoaglin's
 * modified z-score), never below the feature's minScale.
 */
function baselinesSql(): string {
  return `CREATE OR REPLACE TABLE farm_feature_baselines AS
    WITH m AS (SELECT feature, median(x) AS med FROM _fs_values GROUP BY feature)
    SELECT v.feature, any_value(v."group") AS "group", any_value(v.direction)::INTEGER AS direction,
      any_value(m.med) AS median, median(v.value) AS median_value,
      greatest(1.4826 * median(abs(v.x - m.med)), 1.2533 * avg(abs(v.x - m.med)) * (median(abs(v.x - m.med)) = 0)::INTEGER,
               any_value(v.min_scale)) AS scale,
      count(*)::INTEGER AS accounts
    FROM _fs_values v JOIN m USING (feature)
    GROUP BY v.feature ORDER BY v.feature`;
}

/**
 * Evidence per (account, feature): robust z in the suspicious direction,
 * mapped linearly from zStart → 0 to zFull → 1, times the reliability of a
 * per-request statistic, n / (n + reliabilityScale × the case's median n)
 * (shrinkage towards no evidence for accounts with fewer requests or
 * prompts than a typical account of this log).
 */
function evidenceSql(config: FarmConfig): string {
  const { zStart, zFull, coordinationSurpriseFull, infrastructureWeightFull } = config.score;
  const ramp = (z: string) => `least(1, greatest(0, (${z} - ${zStart}) / ${zFull - zStart}))`;
  return `CREATE OR REPLACE TABLE account_signal_evidence AS
    SELECT account_id, feature, "group", value, round(z, 4) AS z,
      round(${ramp('z')} * coalesce(sample_size / (sample_size + ${config.score.reliabilityScale} * typical_sample), 1), 4) AS evidence FROM (
      SELECT v.account_id, v.feature, v."group", v.value, v.sample_size, v.typical_sample, v.direction * (v.x - b.median) / b.scale AS z
      FROM _fs_values v JOIN farm_feature_baselines b USING (feature))
    UNION ALL
    SELECT account_id, 'coactivity_surprise', 'coordination', s, NULL, round(least(1, s / ${coordinationSurpriseFull}), 4)
    FROM (SELECT account_id, max(surprise) AS s FROM (
            SELECT account_a AS account_id, surprise FROM coordination_pairs WHERE surprise >= ${config.graph.coordinationMinSurprise}
            UNION ALL SELECT account_b, surprise FROM coordination_pairs WHERE surprise >= ${config.graph.coordinationMinSurprise})
          GROUP BY account_id)
    UNION ALL
    SELECT account_id, 'handoffs', 'churn', n, NULL, 1.0
    FROM (SELECT account_id, count(*)::DOUBLE AS n FROM (
            SELECT from_account AS account_id FROM account_handoffs UNION ALL SELECT to_account FROM account_handoffs)
          GROUP BY account_id)
    UNION ALL
    SELECT account_id, 'shared_infrastructure_weight', 'infrastructure', w, NULL, round(least(1, w / ${infrastructureWeightFull}), 4)
    FROM (SELECT account_id, max(weight) AS w FROM (
            SELECT account_a AS account_id, weight FROM account_links WHERE kind <> 'template' AND NOT same_org
            UNION ALL SELECT account_b, weight FROM account_links WHERE kind <> 'template' AND NOT same_org)
          GROUP BY account_id)`;
}

/** Per account: each group's evidence (mean of its features' evidence), its contribution (weight × evidence), the scores. */
function scoresSql(config: FarmConfig): string {
  const weights = config.score.groupWeights;
  const total = SIGNAL_GROUPS.reduce((s, g) => s + weights[g], 0) || 1;
  const behaviourTotal = BEHAVIOUR_GROUPS.reduce((s, g) => s + weights[g], 0) || 1;
  // A group's evidence: the mean of its strongest `topFeatures` features (two
  // indicators of one kind agreeing), so indicators an account lacks do not
  // dilute the ones it shows.
  const top = config.score.topFeatures;
  const groupCols = SIGNAL_GROUPS.map((g) =>
    `coalesce(list_avg(list_slice(list_reverse_sort(list(e.evidence) FILTER (e."group" = ${literal(g)})), 1, ${top})), 0) AS ${ident(g)}`);
  const contributions = SIGNAL_GROUPS.map((g) => `round(${weights[g] / total} * ${ident(g)}, 4) AS ${ident(`${g}_contribution`)}`);
  const behaviour = BEHAVIOUR_GROUPS.map((g) => `${weights[g] / behaviourTotal} * ${ident(g)}`).join(' + ');
  const score = SIGNAL_GROUPS.map((g) => `${weights[g] / total} * ${ident(g)}`).join(' + ');
  return `CREATE OR REPLACE TABLE account_scores AS
    SELECT account_id, ${SIGNAL_GROUPS.map((g) => `round(${ident(g)}, 4) AS ${ident(g)}`).join(', ')},
      ${contributions.join(', ')},
      round(${behaviour}, 4) AS behaviour_score,
      round(${score}, 4) AS score,
      round(operator_evidence, 4) AS operator_evidence
    FROM (
      SELECT f.account_id, ${groupCols.join(', ')},
        coalesce(max(e.evidence) FILTER (e.feature IN (${OPERATOR_FEATURES.map(literal).join(', ')})), 0) AS operator_evidence
      FROM account_features f LEFT JOIN account_signal_evidence e USING (account_id)
      GROUP BY f.account_id)
    ORDER BY account_id`;
}

export async function buildAccountScores(caseFile: CaseFile, config: FarmConfig): Promise<void> {
  await caseFile.run(`CREATE OR REPLACE TEMP TABLE _fs_values AS ${featureValuesSql()}`, 'account_scores: feature values');
  try {
    await caseFile.run(baselinesSql(), 'account_scores: case baselines per feature');
    await caseFile.run(evidenceSql(config), 'account_scores: evidence per account and feature');
    await caseFile.run(scoresSql(config), 'account_scores: group evidence and scores');
  } finally {
    await caseFile.run('DROP TABLE IF EXISTS _fs_values');
  }
}
