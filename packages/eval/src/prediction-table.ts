// Predictions (contract §5, account_farms.csv): account_id, farm_id (empty =
// in no farm), score in [0, 1], read from a file or from the case file's
// account_farms table into a scratch table and checked: every account once,
// with an id and a score in range.
import type { CaseFile } from '@farmscope/casefile';
import { openCaseTable, openTableFile, type RecordSource } from './record-sources.js';
import { loadAccountRecords, rejectFirstRow } from './account-records.js';
import { SCRATCH } from './scratch-tables.js';

export const PREDICTION_COLUMNS = ['account_id', 'farm_id', 'score'] as const;
export const PREDICTION_TABLE = 'account_farms';

/** Loads and checks the predictions: from `path` when given, else from the case file's account_farms table. */
export async function loadPredictions(caseFile: CaseFile, path: string | undefined): Promise<RecordSource> {
  const source = path
    ? await openTableFile(caseFile, 'predictions file', path, PREDICTION_COLUMNS)
    : await openCaseTable(
        caseFile,
        PREDICTION_TABLE,
        PREDICTION_COLUMNS,
        'run the farm reconstruction first, or pass --pred account_farms.csv',
      );
  await loadAccountRecords(caseFile, source, SCRATCH.predictions, [
    'score::VARCHAR AS score_text',
    'try_cast(score AS DOUBLE) AS score',
  ]);
  await rejectFirstRow(caseFile, SCRATCH.predictions, source, {
    condition: 'score IS NULL OR isnan(score) OR score < 0 OR score > 1',
    value: 'score_text',
    problem: (value) => (value === null ? 'score is empty' : `score "${value}" is not a number in [0, 1]`),
  });
  return source;
}
