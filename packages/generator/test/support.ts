// Test helpers: generate into a throwaway folder and query the files with a real DuckDB.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CaseFile, type Row } from '@farmscope/casefile';

export const STATS_SCENARIO = fileURLToPath(new URL('./fixtures/stats.json', import.meta.url));

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Opens an in-memory DuckDB with views `events`, `accounts`, `enforcement`, `truth` on a generated folder. */
export async function openOutputs(dir: string): Promise<CaseFile> {
  const db = await CaseFile.open(':memory:');
  for (const table of ['events', 'accounts', 'enforcement', 'truth']) {
    await db.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet('${dir}/${table}.parquet')`);
  }
  return db;
}

/** Rows of a query keyed by the first column. */
export async function byKey<T extends Row>(db: CaseFile, sql: string): Promise<Record<string, T>> {
  const rows = await db.all<T>(sql);
  return Object.fromEntries(rows.map((r) => [String(Object.values(r)[0]), r]));
}
