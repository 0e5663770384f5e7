// A generated `mixed` log ingested into a case file, for the replay's
// exactness tests, and the comparison they make of two tables.
import { CaseFile } from '@farmscope/casefile';
import { generate } from '@farmscope/generator';
import { ingest } from '@farmscope/ingest';
import type { TempFolder } from '../../../../test/support/temp-folder.js';

/** Generates `mixed` at `scale` with `seed` into `tmp`, and ingests its events, accounts and enforcement into a new case file there. */
export async function generatedCase(tmp: TempFolder, o: { seed: number; scale: number; threads?: number }): Promise<CaseFile> {
  const { files } = await generate({ scenario: 'mixed', seed: o.seed, scale: o.scale, out: tmp.path('data'), threads: 1 });
  const db = await CaseFile.open(tmp.path('case.duckdb'), { threads: o.threads ?? 1 });
  await ingest(db, [
    { table: 'events', inputs: [files.events] },
    { table: 'accounts', inputs: [files.accounts] },
    { table: 'enforcement', inputs: [files.enforcement] },
  ]);
  return db;
}

/** Rows in one table and not the other, both ways (all columns, duplicates counted). */
export function tableDifference(db: CaseFile, a: string, b: string): Promise<number> {
  return db.value<number>(`SELECT ((SELECT count(*) FROM (FROM ${a} EXCEPT ALL FROM ${b})) + (SELECT count(*) FROM (FROM ${b} EXCEPT ALL FROM ${a})))::INTEGER`);
}
