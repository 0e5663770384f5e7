// Ground truth (contract §4): account_id, farm_id (null = legitimate),
// campaign, read from a Parquet, CSV or JSON Lines file into a scratch table
// and checked: every account once, with an id and a campaign.
import type { CaseFile } from '@farmscope/casefile';
import { openTableFile, type RecordSource } from './record-sources.js';
import { loadAccountRecords, rejectFirstRow } from './account-records.js';
import { SCRATCH } from './scratch-tables.js';

export const TRUTH_COLUMNS = ['account_id', 'farm_id', 'campaign'] as const;

/** Loads and checks the truth file; returns where it came from. */
export async function loadTruth(caseFile: CaseFile, path: string): Promise<RecordSource> {
  const source = await openTableFile(caseFile, 'truth file', path, TRUTH_COLUMNS);
  await loadAccountRecords(caseFile, source, SCRATCH.truth, ['campaign::VARCHAR AS campaign']);
  await rejectFirstRow(caseFile, SCRATCH.truth, source, {
    condition: `campaign IS NULL OR campaign = ''`,
    value: 'campaign',
    problem: () => 'campaign is empty (every account needs the label of the behaviour that generated it)',
  });
  return source;
}
