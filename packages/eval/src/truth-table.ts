// Ground truth (contract §4): account_id, farm_id (null = legitimate),
// campaign, read from a Parquet, CSV or JSON Lines file into a scratch table
// and checked: every account once, with an id and a campaign.
import type { CaseFile } from '@farmscope/casefile';
import { openTableFile, runOnSource, type RecordSource } from './record-sources.js';
import { rejectDuplicateAccounts, rejectFirstRow, rejectMissingAccountIds } from './record-checks.js';
import { SCRATCH } from './scratch-tables.js';

export const TRUTH_COLUMNS = ['account_id', 'farm_id', 'campaign'] as const;

/** Loads and checks the truth file; returns where it came from. */
export async function loadTruth(caseFile: CaseFile, path: string): Promise<RecordSource> {
  const source = await openTableFile(caseFile, 'truth file', path, TRUTH_COLUMNS);
  // An empty farm_id (CSV has no null) means legitimate, like a null one.
  await runOnSource(
    caseFile,
    source,
    `CREATE TEMP TABLE ${SCRATCH.truth} AS
SELECT source_row,
       account_id::VARCHAR AS account_id,
       nullif(farm_id::VARCHAR, '') AS farm_id,
       campaign::VARCHAR AS campaign
FROM ${source.relation}`,
  );
  await rejectMissingAccountIds(caseFile, SCRATCH.truth, source);
  await rejectFirstRow(caseFile, SCRATCH.truth, source, {
    condition: `campaign IS NULL OR campaign = ''`,
    value: 'campaign',
    problem: () => 'campaign is empty (every account needs the label of the behaviour that generated it)',
  });
  await rejectDuplicateAccounts(caseFile, SCRATCH.truth, source);
  return source;
}
