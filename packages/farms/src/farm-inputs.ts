// The signal tables the farm stages read; a case file analysed only in part
// gets a clear error naming the stage to run, not a DuckDB "table not found".
import { type CaseFile, InputError } from '@farmscope/casefile';

const NEEDED: ReadonlyArray<[table: string, stage: string]> = [
  ['account_features', 'account_features'],
  ['account_links', 'shared_infrastructure'],
  ['coordination_pairs', 'coordination'],
  ['account_handoffs', 'coordination'],
];

/** Throws when a needed signal table is missing; returns notes on optional ones. */
export async function ensureInputTables(caseFile: CaseFile): Promise<string[]> {
  for (const [table, stage] of NEEDED) {
    if (!(await caseFile.tableExists(table))) {
      throw new InputError(`the farm stages need ${table}: run "farmscope analyze" (stage ${stage}) first`);
    }
  }
  const notes: string[] = [];
  if (!(await caseFile.tableExists('account_template_counts'))) notes.push('no account_template_counts: farm evidence lists no templates');
  return notes;
}
