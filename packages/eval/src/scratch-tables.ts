// The temporary tables an evaluation builds on the case file's connection.
// TEMP tables live in memory and never touch the case file (which may be
// open read-only); they are dropped when the evaluation ends.
import type { CaseFile } from '@farmscope/casefile';

export const SCRATCH = {
  /** account_id, farm_id, campaign, source_row: the truth file as read. */
  truth: '_fs_eval_truth',
  /** account_id, farm_id, score, source_row: the predictions as read. */
  predictions: '_fs_eval_predictions',
  /** account_id, requests: requests per account from the events. */
  requests: '_fs_eval_requests',
  /** One row per account of truth ∪ predictions: the table every metric reads. */
  accounts: '_fs_eval_accounts',
} as const;

export async function dropScratchTables(caseFile: CaseFile): Promise<void> {
  for (const table of Object.values(SCRATCH)) await caseFile.run(`DROP TABLE IF EXISTS temp.${table}`, `drop ${table}`);
}
