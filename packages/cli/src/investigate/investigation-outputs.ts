// The files `investigate` writes into its output folder (contract §5):
// account_farms.csv, farms.json and report.html (with the other reports of
// @farmscope/report: report.md, stix-bundle.json, timeline.jsonl,
// regulator-summary.md and the evidence/ package, which has its own manifest),
// then manifest.json, which hashes the contract's files; and run.json (timings
// and locations), which differs from run to run and so stays out of the manifest.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CaseFile } from '@farmscope/casefile';
import { farmDocuments, type FarmConfig } from '@farmscope/farms';
import { OUTPUT_NAMES } from '@farmscope/report';
import type { FileFailure } from '@farmscope/ingest';
import type { StageReport } from '@farmscope/signals';
import type { Progress } from '../progress.js';
import { writeAccountFarmsCsv, type AccountFarmsCounts } from './account-farms-csv.js';
import { canonicalJson } from './canonical-json.js';
import { digestFile, type FileDigest } from './file-digest.js';
import type { LoadedInputs } from './loaded-inputs.js';
import { buildManifest, toolVersion, type ManifestInput } from './manifest.js';
import { DEFAULT_CASE_FILE, OUTPUT_FILES } from './output-folder.js';
import { writeInvestigationReport } from './report-html.js';

export interface OutputContext {
  out: string;
  progress: Progress;
  loaded: LoadedInputs;
  failures: readonly FileFailure[];
  farmConfig: FarmConfig;
  /** Files that shape the result besides the data (--config, --map), hashed as inputs. */
  sideFiles: readonly { role: string; path: string }[];
  /** CLI options for the manifest. */
  options: Record<string, unknown>;
  columnMapping: unknown;
  /** The case file is the default one inside the output folder. */
  ownCaseFile: boolean;
}

/** Writes every hashed output and the manifest; returns the account counts for the summary. */
export async function writeOutputs(caseFile: CaseFile, ctx: OutputContext): Promise<AccountFarmsCounts> {
  const path = (name: string) => join(ctx.out, name);
  ctx.progress.update(`write ${OUTPUT_FILES.accountFarms}`);
  const counts = await writeAccountFarmsCsv(caseFile, path(OUTPUT_FILES.accountFarms));
  ctx.progress.update(`write ${OUTPUT_FILES.farms}`);
  const farms = await farmDocuments(caseFile);
  writeFileSync(path(OUTPUT_FILES.farms), canonicalJson(farms, { sortKeys: false }));
  const sideDigests: ManifestInput[] = [];
  for (const f of ctx.sideFiles) sideDigests.push({ role: f.role, path: resolve(f.path), ...(await digestFile(f.path)) });
  const { loaded, failures } = ctx;
  ctx.progress.update(`write ${OUTPUT_FILES.report}`);
  await writeInvestigationReport(caseFile, ctx.out, ctx.progress, { name: 'farmscope', version: toolVersion() });
  const outputs: Record<string, FileDigest> = {};
  // Every output that is the same on a rerun; evidence/ holds the run's
  // generated_at and is verified by its own manifest-sha256.txt.
  const hashed = [OUTPUT_FILES.accountFarms, OUTPUT_FILES.farms, OUTPUT_FILES.report,
    OUTPUT_NAMES.markdown, OUTPUT_NAMES.stix, OUTPUT_NAMES.timeline, OUTPUT_NAMES.regulator];
  for (const name of hashed) outputs[name] = await digestFile(path(name));
  ctx.progress.update(`write ${OUTPUT_FILES.manifest}`);
  const manifest = await buildManifest(caseFile, {
    options: ctx.options,
    columnMapping: ctx.columnMapping,
    farmConfig: ctx.farmConfig,
    loaded: loaded.files,
    sideFiles: sideDigests,
    failedInputs: failures.map(({ table, path: p, error }) => ({ table, path: p, error })),
    rejected: loaded.rejected,
    outputs,
    notHashed: [
      { file: OUTPUT_FILES.manifest, why: 'this file' },
      { file: OUTPUT_FILES.run, why: 'run timings and locations, written after the manifest; differ from run to run' },
      ...(ctx.ownCaseFile ? [{ file: DEFAULT_CASE_FILE, why: 'the DuckDB case file; its bytes differ from run to run' }] : []),
    ],
  });
  writeFileSync(path(OUTPUT_FILES.manifest), manifest);
  return counts;
}

export interface RunRecord {
  started: Date;
  seconds: number;
  out: string;
  db: string;
  ingestSeconds: number;
  stages: readonly StageReport[];
  outputSeconds: number;
}

/** run.json: when and where the run happened and how long each step took. */
export function writeRunRecord(file: string, r: RunRecord): void {
  const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;
  const record = {
    started_at: r.started.toISOString(), finished_at: new Date().toISOString(), seconds: ms(r.seconds),
    out: r.out, case_file: r.db,
    timings: {
      ingest: ms(r.ingestSeconds),
      stages: r.stages.map((s) => ({ name: s.name, seconds: ms(s.seconds), tables: s.tables, notes: s.notes })),
      outputs: ms(r.outputSeconds),
    },
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}
