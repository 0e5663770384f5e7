// Ingest orchestration: resolves every input to files first (so a typo in one
// path loads nothing), then loads file after file, each atomically. A file
// that fails (corrupt, a required column missing, no rows) is reported and the
// others still load; the caller turns failures into exit code 2.
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { CaseFile, CONTRACT_TABLES, EXIT_BAD_INPUT, FarmscopeError, InputError, type ContractTableName } from '@farmscope/casefile';
import { ensureCaseSchema } from './case-schema.js';
import { sourceNames, type ColumnMapping } from './column-mapping.js';
import { ingestFile, type FileResult } from './ingest-file.js';
import { installMacros } from './sql-macros.js';
import { resolveSourceFiles, type SourceFile } from './source-files.js';
import type { DetectedFormat } from './source-format.js';
import { chooseSource, type SourceChoice } from './sources/source-registry.js';

export interface IngestRequest {
  table: Exclude<ContractTableName, 'truth'> | 'truth';
  inputs: readonly string[];
}

export interface IngestOptions {
  /** Overrides the format told from file names. */
  format?: DetectedFormat;
  mapping?: ColumnMapping;
  /**
   * The log format of the events files: `auto` (default: recognised per file
   * by its keys), `contract`, `cloudtrail`, or a source adapter's name.
   */
  source?: SourceChoice;
  /** Longest prompt / system prompt kept, in characters (0 = no limit). Default 1,000,000. */
  maxTextChars?: number;
  /** Longest line a text reader accepts, in bytes. Default 64 MiB. */
  maxLineBytes?: number;
  onFileStart?: (index: number, total: number, table: string, file: SourceFile) => void;
  onFileDone?: (result: FileResult) => void;
}

export interface FileFailure {
  table: string;
  path: string;
  error: string;
  exitCode: number;
}

export interface IngestSummary {
  files: FileResult[];
  failures: FileFailure[];
  totals: { rowsRead: number; rowsLoaded: number; rowsRejected: number; rowsDuplicate: number; textsTruncated: number };
}

export const DEFAULT_MAX_TEXT_CHARS = 1_000_000;

/**
 * Ingest's default DuckDB memory limit: 3 GiB (or 40% of RAM if less). A load
 * streams through a few operators, so more memory buys little speed; beyond the
 * limit DuckDB spills to the case file's .tmp folder, so loads larger than RAM
 * still finish, and peak RSS stays under 4 GiB.
 */
export function defaultIngestMemoryLimitBytes(): number {
  return Math.min(3 * 2 ** 30, Math.floor(totalmem() * 0.4));
}
export const DEFAULT_MAX_LINE_BYTES = 64 * 2 ** 20;

export async function ingest(caseFile: CaseFile, requests: readonly IngestRequest[], options: IngestOptions = {}): Promise<IngestSummary> {
  const plan: { table: ContractTableName; file: SourceFile }[] = [];
  const failures: FileFailure[] = [];
  for (const request of requests) {
    if (request.inputs.length === 0) continue;
    // A bad mapping fails here, before any file is read.
    const required = CONTRACT_TABLES[request.table].columns.filter((c) => c.required);
    const names = sourceNames(CONTRACT_TABLES[request.table], options.mapping ?? {});
    for (const file of await resolveSourceFiles(caseFile, request.inputs, options.format)) {
      if (request.table === 'events') {
        try {
          file.source = await chooseSource(caseFile, file, options.source ?? 'auto', required.map((c) => names.get(c.name)!));
        } catch (error) {
          // A file of no known shape fails alone, like one missing a required column.
          if (!(error instanceof InputError)) throw error;
          failures.push({ table: request.table, path: file.path, error: error.message, exitCode: EXIT_BAD_INPUT });
          continue;
        }
      }
      plan.push({ table: request.table, file });
    }
  }
  // CloudTrail first: the Bedrock invocation logs of the same command join it.
  plan.sort((a, b) => Number(b.file.source === 'cloudtrail') - Number(a.file.source === 'cloudtrail'));
  await installMacros(caseFile);
  const fileOptions = {
    mapping: options.mapping ?? {},
    maxTextChars: options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS,
    maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    scratchDir: caseFile.path === ':memory:' ? join(tmpdir(), 'farmscope-scratch') : `${caseFile.path}.tmp`,
  };
  const files: FileResult[] = [];
  for (const [i, { table, file }] of plan.entries()) {
    const contract = CONTRACT_TABLES[table];
    await ensureCaseSchema(caseFile, contract);
    options.onFileStart?.(i, plan.length, table, file);
    try {
      const result = await ingestFile(caseFile, contract, file, fileOptions);
      files.push(result);
      options.onFileDone?.(result);
    } catch (error) {
      if (!(error instanceof FarmscopeError)) throw error;
      failures.push({ table, path: file.path, error: failureMessage(error, file.path), exitCode: failureExitCode(error) });
    }
  }
  const sum = (k: keyof IngestSummary['totals']) => files.reduce((n, f) => n + f[k], 0);
  return {
    files,
    failures,
    totals: {
      rowsRead: sum('rowsRead'), rowsLoaded: sum('rowsLoaded'), rowsRejected: sum('rowsRejected'),
      rowsDuplicate: sum('rowsDuplicate'), textsTruncated: sum('textsTruncated'),
    },
  };
}

// DuckDB errors raised while reading a file (corrupt Parquet, bytes that are
// not UTF-8, a value it cannot convert) are the file's fault, not ours.
const INPUT_FAULT = /IO Error|Invalid Input Error|Conversion Error|Invalid Error|corrupt|magic bytes|not a parquet file|unicode|utf-?8/i;

function failureExitCode(error: FarmscopeError): number {
  return error instanceof InputError || INPUT_FAULT.test(error.message) ? EXIT_BAD_INPUT : error.exitCode;
}

function failureMessage(error: FarmscopeError, path: string): string {
  return error.message.includes(path) ? error.message : `${path}: ${error.message}`;
}
