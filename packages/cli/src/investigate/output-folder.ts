// The folder `investigate` writes into: refused when it already holds
// anything, unless --force; with --force only the files a run writes are
// replaced (and the default case file inside it, so a rerun starts from a
// fresh case), nothing else in the folder is touched.
import { relative } from 'node:path';
import { prepareOutputFolder } from '@farmscope/casefile';

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

/** Checks the folder is empty (or forced), clears what a previous run wrote (and its own case file), and creates it. */
export function prepareInvestigateFolder(dir: string, force: boolean, ownCaseFile: string | undefined): void {
  prepareOutputFolder(dir, {
    force, replaces: 'the files investigate writes', files: [...Object.values(OUTPUT_FILES), ...(ownCaseFile ? caseFileSiblings(relative(dir, ownCaseFile)) : [])],
  });
}
