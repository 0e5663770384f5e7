// The output folder of a run: refused when it already holds files, unless
// forced; with --force only the files a run writes are replaced, nothing else
// in the folder is touched.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@farmscope/casefile';

export const OUTPUT_TABLES = ['events', 'accounts', 'enforcement', 'truth'] as const;
export type OutputFormat = 'parquet' | 'jsonl';

/** File names a run writes, by table, for a format. */
export function outputFileNames(format: OutputFormat): Record<(typeof OUTPUT_TABLES)[number], string> {
  return Object.fromEntries(OUTPUT_TABLES.map((t) => [t, `${t}.${format}`])) as Record<(typeof OUTPUT_TABLES)[number], string>;
}

export const SCENARIO_COPY = 'scenario.json';

/** Checks (and creates) the folder; throws an InputError if it is not empty and not forced. */
export function prepareOutputFolder(dir: string, force: boolean): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError(`--out ${dir}: exists and is not a folder`);
    const entries = readdirSync(dir);
    if (entries.length > 0 && !force) {
      throw new InputError(`--out ${dir}: folder is not empty (${entries.length} entries); pass --force to replace the generated files`);
    }
    for (const format of ['parquet', 'jsonl'] as const) {
      for (const name of [...Object.values(outputFileNames(format)), SCENARIO_COPY]) rmSync(join(dir, name), { force: true });
    }
  } else {
    mkdirSync(dir, { recursive: true });
  }
}
