// `investigate` end to end: check every input, the mapping, the farm config
// and the output folder before anything is written, ingest into the case
// file, run the analysis (signals, then farms), and write the outputs
// (investigation-outputs.ts).
import { basename, join, resolve } from 'node:path';
import {
  CaseFile,
  CONTRACT_TABLES,
  defaultMemoryLimitBytes,
  InputError,
  withCaseFile,
  type CaseFileOptions,
  type ContractTableName,
} from '@farmscope/casefile';
import {
  ingest,
  resolveSourceFiles,
  sourceNames,
  type ColumnMapping,
  type DetectedFormat,
  type FileFailure,
  type IngestRequest,
} from '@farmscope/ingest';
import { analyzeCase, loadFarmConfig, type FarmConfig } from '@farmscope/farms';
import type { StageReport } from '@farmscope/signals';
import { createProgress, type Progress } from '../progress.js';
import type { AccountFarmsCounts } from './account-farms-csv.js';
import { writeOutputs, writeRunRecord } from './investigation-outputs.js';
import { loadedInputs, type LoadedInputs } from './loaded-inputs.js';
import { DEFAULT_CASE_FILE, OUTPUT_FILES, prepareInvestigateFolder } from './output-folder.js';

type InputTable = Exclude<ContractTableName, 'truth'>;

export interface InvestigateRequest {
  inputs: Record<InputTable, readonly string[]>;
  out: string;
  force: boolean;
  /** The case file; undefined means `<out>/case.duckdb`. */
  db: string | undefined;
  caseFileOptions: CaseFileOptions;
  /** Ingest's own default (3 GiB) applies while loading unless --memory-limit was given. */
  ingestMemoryLimitBytes: number | undefined;
  configPath: string | undefined;
  mapping: ColumnMapping;
  /** Side files that shape the result (the --map file), hashed into the manifest. */
  sideFiles: readonly { role: string; path: string }[];
  format: DetectedFormat | undefined;
  /** Log format of the events files (`auto`: recognised by their keys). */
  source?: string;
  maxTextChars: number;
  /** The CLI options as given, recorded in the manifest. */
  options: Record<string, unknown>;
  notice: (message: string) => void;
  showProgress: boolean;
}

export interface InvestigateResult {
  out: string;
  db: string;
  loaded: LoadedInputs;
  failures: FileFailure[];
  counts: AccountFarmsCounts;
  stages: StageReport[];
  written: string[];
  seconds: number;
}

export async function investigate(request: InvestigateRequest): Promise<InvestigateResult> {
  const started = new Date();
  const clock = performance.now();
  const farmConfig: FarmConfig = await loadFarmConfig(request.configPath);
  const sideFiles = [...(request.configPath ? [{ role: 'farm_config', path: request.configPath }] : []), ...request.sideFiles];
  const plan = await planInputs(request.inputs, request.mapping, request.format);
  const out = resolve(request.out);
  const db = request.db === undefined ? join(out, DEFAULT_CASE_FILE) : resolve(request.db);
  prepareInvestigateFolder(out, request.force, request.db === undefined ? db : undefined);

  return withCaseFile(db, request.caseFileOptions, async (caseFile) => {
    const progress = await createProgress(caseFile, request.showProgress);
    try {
      if (request.db !== undefined) await noticeEarlierEvents(caseFile, request.notice);
      const ingestStarted = performance.now();
      const failures = await ingestInputs(caseFile, plan, request, progress);
      const ingestSeconds = (performance.now() - ingestStarted) / 1000;
      const loaded = await loadedInputs(caseFile);
      if (loaded.events === 0) {
        const why = failures.length > 0 ? `: ${failures.map((f) => f.error).join('; ')}` : ` (every row was rejected; see rejected_rows in ${db})`;
        throw new InputError(`no events were loaded${why}`);
      }
      const stages = await analyzeCase(caseFile, {
        config: farmConfig,
        notice: request.notice,
        onStageStart: (name, i, n) => progress.update(`analyze [${i + 1}/${n}] ${name}`),
      });

      const outputStarted = performance.now();
      const counts = await writeOutputs(caseFile, {
        out, progress, loaded, failures, farmConfig, sideFiles,
        options: { ...request.options, case_file: request.db === undefined ? DEFAULT_CASE_FILE : db },
        columnMapping: request.mapping,
        ownCaseFile: request.db === undefined,
      });
      const seconds = (performance.now() - clock) / 1000;
      writeRunRecord(join(out, OUTPUT_FILES.run), {
        started, seconds, out, db, ingestSeconds, stages, outputSeconds: (performance.now() - outputStarted) / 1000,
      });
      return { out, db, loaded, failures, counts, stages, written: Object.values(OUTPUT_FILES), seconds };
    } finally {
      progress.done();
    }
  });
}

/**
 * Every input resolved to files before anything is written, so a pattern that
 * matches nothing, a missing file or a bad mapping stops the run with no
 * output folder or case file left behind. Globs are expanded by DuckDB (as ingest does).
 */
async function planInputs(
  inputs: Record<InputTable, readonly string[]>,
  mapping: ColumnMapping,
  format: DetectedFormat | undefined,
): Promise<IngestRequest[]> {
  return withCaseFile(':memory:', { memoryLimitBytes: 256 * 2 ** 20, threads: 1 }, async (scratch) => {
    const plan: IngestRequest[] = [];
    for (const [table, patterns] of Object.entries(inputs) as [InputTable, readonly string[]][]) {
      if (patterns.length === 0) continue;
      sourceNames(CONTRACT_TABLES[table], mapping); // a mapping naming no contract column is refused here

      const files = await resolveSourceFiles(scratch, patterns, format);
      plan.push({ table, inputs: files.map((f) => f.path) });
    }
    if (!plan.some((r) => r.table === 'events')) throw new InputError('investigate: give the events files with --events');
    return plan;
  });
}

async function ingestInputs(caseFile: CaseFile, plan: IngestRequest[], request: InvestigateRequest, progress: Progress): Promise<FileFailure[]> {
  if (request.ingestMemoryLimitBytes !== undefined) await setMemoryLimit(caseFile, request.ingestMemoryLimitBytes);
  const summary = await ingest(caseFile, plan, {
    mapping: request.mapping,
    maxTextChars: request.maxTextChars,
    ...(request.format ? { format: request.format } : {}),
    ...(request.source ? { source: request.source } : {}),
    onFileStart: (i, n, table, file) => progress.update(`ingest [${i + 1}/${n}] ${table} ${basename(file.path)}`),
    onFileDone: (r) => {
      if (r.status === 'skipped') request.notice(`${r.path}: ${r.message}`);
      if (r.textsTruncated > 0) {
        request.notice(`${r.path}: ${r.textsTruncated} prompt(s) longer than ${request.maxTextChars} characters were cut (see --max-text-chars)`);
      }
    },
  });
  if (request.ingestMemoryLimitBytes !== undefined) {
    await setMemoryLimit(caseFile, request.caseFileOptions.memoryLimitBytes ?? defaultMemoryLimitBytes());
  }
  return summary.failures;
}

/** An explicit --db may hold earlier loads: the investigation covers them too, and the analyst should know. */
async function noticeEarlierEvents(caseFile: CaseFile, notice: (message: string) => void): Promise<void> {
  if (!(await caseFile.tableExists('events'))) return;
  const earlier = await caseFile.value<number>('SELECT count(*)::BIGINT FROM events', 'count the events already loaded');
  if (earlier > 0) {
    notice(`${caseFile.path} already holds ${earlier.toLocaleString('en-US')} events from earlier loads; the investigation covers them too`);
  }
}

async function setMemoryLimit(caseFile: CaseFile, bytes: number): Promise<void> {
  await caseFile.run(`SET memory_limit = '${Math.floor(bytes / 2 ** 20)}MiB'`, 'set the memory limit');
}
