// The output folder of a run: refused when it already holds files, unless
// forced; with --force only the files a run writes are replaced, nothing else
// in the folder is touched.
import { prepareOutputFolder } from '@farmscope/casefile';

export const OUTPUT_TABLES = ['events', 'accounts', 'enforcement', 'truth'] as const;
export type OutputFormat = 'parquet' | 'jsonl';

/** File names a run writes, by table, for a format. */
export function outputFileNames(format: OutputFormat): Record<(typeof OUTPUT_TABLES)[number], string> {
  return Object.fromEntries(OUTPUT_TABLES.map((t) => [t, `${t}.${format}`])) as Record<(typeof OUTPUT_TABLES)[number], string>;
}

export const SCENARIO_COPY = 'scenario.json';

/** Checks (and creates) the folder; throws an InputError if it is not empty and not forced. */
export function prepareGeneratorFolder(dir: string, force: boolean): void {
  const files = (['parquet', 'jsonl'] as const).flatMap((format) => [...Object.values(outputFileNames(format)), SCENARIO_COPY]);
  prepareOutputFolder(dir, { force, replaces: 'the generated files', files });
}
