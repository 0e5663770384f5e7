// The folder `investigate` writes into: refused when it already holds
// anything, unless --force; with --force only the files a run writes are
// replaced (and the default case file inside it, so a rerun starts from a
// fresh case), nothing else in the folder is touched.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@farmscope/casefile';

/** The files of contract §5, plus run.json (timings, kept out of the manifest). */
export const OUTPUT_FILES = {
  accountFarms: 'account_farms.csv',
  farms: 'farms.json',
  report: 'report.html',
  manifest: 'manifest.json',
  run: 'run.json',
} as const;

/** The case file's name inside --out when --db is not given. */
export const DEFAULT_CASE_FILE = 'case.duckdb';

/** Case file plus the files DuckDB keeps next to it. */
export function caseFileSiblings(db: string): string[] {
  return [db, `${db}.wal`, `${db}.tmp`];
}

/** Checks the folder is empty (or forced), clears what a previous run wrote, and creates it. */
export function prepareOutputFolder(dir: string, force: boolean, ownCaseFile: string | undefined): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (!statSync(dir).isDirectory()) throw new InputError(`--out ${dir}: exists and is not a folder`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !force) {
    throw new InputError(
      `--out ${dir}: folder is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); ` +
        'pass --force to replace the files investigate writes, or choose another folder',
    );
  }
  for (const name of Object.values(OUTPUT_FILES)) rmSync(join(dir, name), { force: true });
  if (ownCaseFile) for (const path of caseFileSiblings(ownCaseFile)) rmSync(path, { recursive: true, force: true });
}
