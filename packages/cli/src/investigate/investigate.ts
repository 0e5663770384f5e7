// `investigate` end to end: check every input and the output folder before
// anything is written, ingest into the case file, run the analysis (signals,
// then farms), and write the outputs of contract §5 into the output folder:
// account_farms.csv, farms.json, report.html, then manifest.json (which
// hashes them), and run.json (timings; not covered by the manifest).
import { writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  CaseFile,
  defaultMemoryLimitBytes,
  InputError,
  withCaseFile,
  type CaseFileOptions,
  type ContractTableName,
} from '@farmscope/casefile';
import {
  ingest,
  resolveSourceFiles,
  type ColumnMapping,
  type DetectedFormat,
  type FileFailure,
  type IngestRequest,
} from '@farmscope/ingest';
import { analyzeCase, farmDocuments, loadFarmConfig, type FarmConfig } from '@farmscope/farms';
import type { StageReport } from '@farmscope/signals';
import { createProgress, type Progress } from '../progress.js';
import { writeAccountFarmsCsv, type AccountFarmsCounts } from './account-farms-csv.js';
import { canonicalJson } from './canonical-json.js';
import { digestFile, type FileDigest } from './file-digest.js';
import { loadedInputs, type LoadedInputs } from './loaded-inputs.js';
import { buildManifest, type ManifestInput } from './manifest.js';
import { DEFAULT_CASE_FILE, OUTPUT_FILES, prepareOutputFolder } from './output-folder.js';
import { reportHtml } from './report-html.js';

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
  const plan = await planInputs(request.inputs, request.format);
  const out = resolve(request.out);
  const db = request.db === undefined ? join(out, DEFAULT_CASE_FILE) : resolve(request.db);
  prepareOutputFolder(out, request.force, request.db === undefined ? db : undefined);

  return withCaseFile(db, request.caseFileOptions, async (caseFile) => {
    const progress = await createProgress(caseFile, request.showProgress);
    try {
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

      progress.update(`write ${OUTPUT_FILES.accountFarms}`);
      const outputStarted = performance.now();
      const path = (name: string) => join(out, name);
      const counts = await writeAccountFarmsCsv(caseFile, path(OUTPUT_FILES.accountFarms));
      progress.update(`write ${OUTPUT_FILES.farms}`);
      const farms = await farmDocuments(caseFile);
      writeFileSync(path(OUTPUT_FILES.farms), canonicalJson(farms, { sortKeys: false }));
      const sideDigests: ManifestInput[] = await Promise.all(
        sideFiles.map(async (f) => ({ role: f.role, path: resolve(f.path), ...(await digestFile(f.path)) })),
      );
      writeFileSync(
        path(OUTPUT_FILES.report),
        reportHtml(
          {
            events: loaded.events, accounts: counts.accounts, flagged: counts.flagged, farms: counts.farms,
            rejectedRows: loaded.rejected.reduce((n, r) => n + r.rows, 0), failedFiles: failures.length,
            inputs: [...loaded.files.map((f) => ({ role: f.table, ...f })), ...sideDigests],
          },
          farms,
        ),
      );
      const outputs: Record<string, FileDigest> = {};
      for (const name of [OUTPUT_FILES.accountFarms, OUTPUT_FILES.farms, OUTPUT_FILES.report]) outputs[name] = await digestFile(path(name));
      progress.update(`write ${OUTPUT_FILES.manifest}`);
      const manifest = await buildManifest(caseFile, {
        options: { ...request.options, case_file: request.db === undefined ? DEFAULT_CASE_FILE : db },
        columnMapping: request.mapping,
        farmConfig,
        loaded: loaded.files,
        sideFiles: sideDigests,
        failedInputs: failures.map(({ table, path: p, error }) => ({ table, path: p, error })),
        rejected: loaded.rejected,
        outputs,
        notHashed: [
          { file: OUTPUT_FILES.manifest, why: 'this file' },
          { file: OUTPUT_FILES.run, why: 'run timings and locations, written after the manifest; differ from run to run' },
          ...(request.db === undefined ? [{ file: DEFAULT_CASE_FILE, why: 'the DuckDB case file; its bytes differ from run to run' }] : []),
        ],
      });
      writeFileSync(path(OUTPUT_FILES.manifest), manifest);
      const seconds = (performance.now() - clock) / 1000;
      writeFileSync(
        path(OUTPUT_FILES.run),
        `${JSON.stringify(
          {
            started_at: started.toISOString(), finished_at: new Date().toISOString(), seconds: ms(seconds),
            out, case_file: db,
            timings: {
              ingest: ms(ingestSeconds),
              stages: stages.map((s) => ({ name: s.name, seconds: ms(s.seconds), tables: s.tables, notes: s.notes })),
              outputs: ms((performance.now() - outputStarted) / 1000),
            },
          },
          null,
          2,
        )}\n`,
      );
      return { out, db, loaded, failures, counts, stages, written: Object.values(OUTPUT_FILES), seconds };
    } finally {
      progress.done();
    }
  });
}

/**
 * Every input resolved to files before anything is written, so a pattern that
 * matches nothing or a missing file stops the run with no output folder or
 * case file left behind. Globs are expanded by DuckDB (as ingest does).
 */
async function planInputs(inputs: Record<InputTable, readonly string[]>, format: DetectedFormat | undefined): Promise<IngestRequest[]> {
  return withCaseFile(':memory:', { memoryLimitBytes: 256 * 2 ** 20, threads: 1 }, async (scratch) => {
    const plan: IngestRequest[] = [];
    for (const [table, patterns] of Object.entries(inputs) as [InputTable, readonly string[]][]) {
      if (patterns.length === 0) continue;
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

/** Seconds to the millisecond. */
const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;

async function setMemoryLimit(caseFile: CaseFile, bytes: number): Promise<void> {
  await caseFile.run(`SET memory_limit = '${Math.floor(bytes / 2 ** 20)}MiB'`, 'set the memory limit');
}
