// Turns the paths the user gave (files, globs, hive-partitioned folders) into
// a sorted list of concrete files with their format. DuckDB's glob() expands
// patterns so they mean the same here as in DuckDB's own readers.
import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CaseFile, InputError, literal } from '@farmscope/casefile';
import { formatFromName, type DetectedFormat } from './source-format.js';

export interface SourceFile extends DetectedFormat {
  path: string;
  sizeBytes: number;
  /** The log format its records are in: `contract` (or absent), `cloudtrail`, or a source adapter's name. */
  source?: string;
}

const GLOB_CHARS = /[*?[]/;

export async function resolveSourceFiles(
  caseFile: CaseFile,
  inputs: readonly string[],
  formatOverride?: DetectedFormat,
): Promise<SourceFile[]> {
  const files = new Map<string, SourceFile>();
  for (const input of inputs) {
    for (const path of await expand(caseFile, input, formatOverride !== undefined)) {
      const format = formatOverride ?? formatFromName(path);
      if (!format) {
        throw new InputError(`cannot tell the format of ${path} from its name; pass --format parquet|arrow|jsonl|csv`);
      }
      files.set(path, { path, sizeBytes: statSync(path).size, ...format });
    }
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function expand(caseFile: CaseFile, input: string, anyName: boolean): Promise<string[]> {
  if (GLOB_CHARS.test(input)) {
    const matches = await globFiles(caseFile, input);
    if (matches.length === 0) throw new InputError(`no files match ${input}`);
    return matches;
  }
  const path = resolve(input);
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new InputError(`file not found: ${input}`);
  }
  if (stats.isDirectory()) {
    // A (hive-partitioned) folder: every data file below it, skipping markers
    // such as _SUCCESS and hidden files.
    const matches = (await globFiles(caseFile, `${path}/**`)).filter((p) => {
      const name = p.slice(p.lastIndexOf('/') + 1);
      return !name.startsWith('.') && !name.startsWith('_') && (anyName || formatFromName(p) !== undefined);
    });
    if (matches.length === 0) throw new InputError(`folder ${input} holds no recognised data files`);
    return matches;
  }
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new InputError(`file not readable: ${input}`);
  }
  return [path];
}

async function globFiles(caseFile: CaseFile, pattern: string): Promise<string[]> {
  const rows = await caseFile.all<{ file: string }>(
    `SELECT file FROM glob(${literal(resolve(pattern))}) ORDER BY file`,
    `listing files matching ${pattern}`,
  );
  return rows.map((r) => r.file).filter((f) => statSync(f).isFile());
}
