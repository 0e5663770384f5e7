// The precision-recall curve of the distillation score: for every distinct
// score, the precision and recall of flagging the accounts scored at or above
// it (each account counted once), plus the operating point of the farm
// assignment itself. Built on the same truth ∪ predictions table as
// evaluate(), in TEMP tables dropped at the end; one row per distinct score
// reaches JS.
import type { CaseFile } from '@farmscope/casefile';
import { buildEvaluationAccounts } from './evaluation-accounts.js';
import { harmonicMean } from './partition-metrics.js';
import { loadPredictions } from './prediction-table.js';
import { dropScratchTables, SCRATCH } from './scratch-tables.js';
import { loadTruth } from './truth-table.js';

export interface ScoreCurveOptions {
  /** Ground truth file (Parquet, CSV or JSON Lines): account_id, farm_id, campaign. */
  truthPath: string;
  /** account_farms.csv (or Parquet/JSONL); default: the case file's account_farms table. */
  predPath?: string;
  /** Count predicted accounts missing from the truth as legitimate instead of failing. */
  allowUnknown?: boolean;
}

export interface ScoreCurvePoint {
  /** Accounts scored at or above this are flagged. */
  threshold: number;
  flagged: number;
  truePositives: number;
  /** TP / flagged. */
  precision: number;
  /** TP / true farm accounts; null without any. */
  recall: number | null;
  f1: number | null;
}

export interface ScoreCurve {
  /** Accounts evaluated (truth ∪ predictions) and, of them, true farm members. */
  accounts: number;
  positives: number;
  /** From the highest threshold to the lowest. */
  points: ScoreCurvePoint[];
  /** Precision and recall of the farm assignment (an account in a predicted farm is flagged). */
  farmAssignment: { flagged: number; truePositives: number; precision: number | null; recall: number | null };
}

export async function scoreCurve(caseFile: CaseFile, options: ScoreCurveOptions): Promise<ScoreCurve> {
  await dropScratchTables(caseFile);
  try {
    await loadTruth(caseFile, options.truthPath);
    const predictions = await loadPredictions(caseFile, options.predPath);
    const counts = await buildEvaluationAccounts(caseFile, {
      hasRequests: false,
      weighting: 'uniform',
      allowUnknown: options.allowUnknown ?? false,
      predictions: predictions.description,
    });
    const positives = counts.trueFarmMembers;
    const rows = await caseFile.all<{ threshold: number; flagged: number; true_positives: number }>(
      `WITH by_score AS (
  SELECT score, count(*) AS accounts, count(true_farm) AS positives
  FROM temp.${SCRATCH.accounts} GROUP BY score
)
SELECT score AS threshold,
       sum(accounts) OVER above::BIGINT AS flagged,
       sum(positives) OVER above::BIGINT AS true_positives
FROM by_score
WINDOW above AS (ORDER BY score DESC ROWS UNBOUNDED PRECEDING)
ORDER BY score DESC`,
      'precision and recall at every score threshold',
    );
    const assignment = (await caseFile.one<{ flagged: number; true_positives: number }>(
      `SELECT count(predicted_farm)::BIGINT AS flagged,
       count(*) FILTER (predicted_farm IS NOT NULL AND true_farm IS NOT NULL)::BIGINT AS true_positives
FROM temp.${SCRATCH.accounts}`,
      'precision and recall of the farm assignment',
    ))!;
    return {
      accounts: counts.evaluated,
      positives,
      points: rows.map((r) => curvePoint(r.threshold, r.flagged, r.true_positives, positives)),
      farmAssignment: {
        flagged: assignment.flagged,
        truePositives: assignment.true_positives,
        precision: assignment.flagged > 0 ? assignment.true_positives / assignment.flagged : null,
        recall: positives > 0 ? assignment.true_positives / positives : null,
      },
    };
  } finally {
    await dropScratchTables(caseFile);
  }
}

function curvePoint(threshold: number, flagged: number, truePositives: number, positives: number): ScoreCurvePoint {
  const precision = truePositives / flagged;
  const recall = positives > 0 ? truePositives / positives : null;
  return { threshold, flagged, truePositives, precision, recall, f1: recall === null ? null : harmonicMean(precision, recall) };
}
