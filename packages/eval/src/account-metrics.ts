// Account-level detection: an account is flagged when it is placed in a farm,
// positive when its true farm_id is not null. Precision, recall and F1 of the
// flags, and the average precision (area under the precision-recall curve)
// of the score, each account weighted 1 or by its requests.
import type { CaseFile } from '@farmscope/casefile';
import { harmonicMean } from './partition-metrics.js';
import { SCRATCH } from './scratch-tables.js';

export interface AccountLevel {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** TP / (TP + FP); null when nothing is flagged. */
  precision: number | null;
  /** TP / (TP + FN); null when the truth has no farm account. */
  recall: number | null;
  f1: number | null;
  /** Average precision of the score; null when the truth has no farm account. */
  auprc: number | null;
}

export async function accountLevelMetrics(caseFile: CaseFile): Promise<AccountLevel> {
  const c = (await caseFile.one<Record<string, number>>(
    `SELECT coalesce(sum(weight) FILTER (true_farm IS NOT NULL AND predicted_farm IS NOT NULL), 0)::BIGINT AS tp,
       coalesce(sum(weight) FILTER (true_farm IS NULL AND predicted_farm IS NOT NULL), 0)::BIGINT AS fp,
       coalesce(sum(weight) FILTER (true_farm IS NOT NULL AND predicted_farm IS NULL), 0)::BIGINT AS fn,
       coalesce(sum(weight) FILTER (true_farm IS NULL AND predicted_farm IS NULL), 0)::BIGINT AS tn
FROM temp.${SCRATCH.accounts}`,
    'count flagged accounts',
  ))!;
  const tp = c.tp!, fp = c.fp!, fn = c.fn!;
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: c.tn!,
    precision,
    recall,
    f1: precision === null || recall === null ? null : harmonicMean(precision, recall),
    auprc: recall === null ? null : await averagePrecision(caseFile),
  };
}

/**
 * Average precision as scikit-learn's average_precision_score: the sum over
 * score thresholds (from high to low; tied scores are one threshold) of the
 * recall gained times the precision there, AP = Σ (R_k − R_{k−1}) P_k.
 * fsum (compensated summation) keeps the result independent of thread order.
 */
async function averagePrecision(caseFile: CaseFile): Promise<number> {
  return caseFile.value<number>(
    `WITH by_score AS (
  SELECT score,
         coalesce(sum(weight) FILTER (true_farm IS NOT NULL), 0)::DOUBLE AS positives,
         sum(weight)::DOUBLE AS weight
  FROM temp.${SCRATCH.accounts} GROUP BY score
), cumulative AS (
  SELECT positives,
         sum(positives) OVER above AS true_positives,
         sum(weight) OVER above AS flagged
  FROM by_score
  WINDOW above AS (ORDER BY score DESC ROWS UNBOUNDED PRECEDING)
)
SELECT fsum(positives * true_positives / flagged) / sum(positives)
FROM cumulative WHERE flagged > 0`,
    'average precision of the score',
  );
}
