// `farmscope report` (and the report step of `investigate`): reads an
// analysed case file and writes report.html, report.md, stix-bundle.json,
// timeline.jsonl, regulator-summary.md and the evidence/ BagIt package into
// the output folder. Facts are gathered by DuckDB, redacted once, then handed
// to each writer; the report's manifest (inside the bag) hashes every output
// and input and holds the one wall-clock value, generated_at, which
// --deterministic pins.
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { InputError, type CaseFile } from '@farmscope/casefile';
import { caseFacts } from './case-facts.js';
import { canonicalJson } from './canonical-json.js';
import { BAG_DATA, filesUnder, finishBag, registerFarmTokens, writeEvidenceTables } from './evidence-bag.js';
import { DEFAULT_LIMITS, farmFacts, registerMembers, selectedFarms, type ReportLimits } from './farm-facts.js';
import { digestFile } from './file-digest.js';
import { redactCaseFacts, redactFarmFacts } from './redact-facts.js';
import { keyedRedactor, SHOW_EVERYTHING } from './redaction.js';
import { reportHtml } from './report-html.js';
import { reportMarkdown } from './report-markdown.js';
import { OUTPUT_NAMES, type ReportData, type Tlp } from './report-model.js';
import { regulatorSummary } from './regulator-summary.js';
import { stixBundle } from './stix-bundle.js';
import { writeTimeline } from './timeline-jsonl.js';

const require = createRequire(import.meta.url);

export interface ReportRequest {
  out: string;
  /** Redact with this key (HMAC-SHA256); undefined: no redaction. */
  redactKey: Buffer | undefined;
  /** Farm ids to report; empty: every farm. */
  farms: readonly string[];
  tlp: Tlp;
  /** Pin generated_at (to SOURCE_DATE_EPOCH when set, else 1970-01-01T00:00:00Z). */
  deterministic: boolean;
  /** Farms, largest first, whose sections get charts (default 40). */
  chartedFarms?: number;
  limits?: Partial<ReportLimits>;
  tool?: { name: string; version: string };
  /** Notices (a replaced evidence folder, ...). */
  notice?: (message: string) => void;
  progress?: (step: string) => void;
}

export interface ReportResult {
  out: string;
  farms: number;
  files: string[];
}

export const DEFAULT_CHARTED_FARMS = 40;

export async function writeReport(caseFile: CaseFile, request: ReportRequest): Promise<ReportResult> {
  if (!(await caseFile.tableExists('farms'))) {
    throw new InputError(`${caseFile.path}: no farms table; run "farmscope analyze" (or investigate) first`);
  }
  if (!(await caseFile.tableExists('events'))) {
    throw new InputError(
      `${caseFile.path}: no events table (a replay's case file keeps the events only when it ran with --keep-events); report on a case file that holds the events`,
    );
  }
  if (!(await caseFile.columnNames('account_features')).has('output_tokens_total')) {
    throw new InputError(`${caseFile.path}: account_features has no token totals (analysed by an older farmscope); run "farmscope analyze" again`);
  }
  const out = resolve(request.out);
  const bag = join(out, OUTPUT_NAMES.evidence);
  prepareFolder(out, bag);
  const step = request.progress ?? (() => {});
  const redactor = request.redactKey ? keyedRedactor(request.redactKey) : SHOW_EVERYTHING;
  const limits = { ...DEFAULT_LIMITS, ...request.limits };
  const tool = request.tool ?? { name: 'farmscope', version: (require('../package.json') as { version: string }).version };

  step('report: farms');
  const docs = await selectedFarms(caseFile, request.farms);
  await registerMembers(caseFile, docs, redactor, limits);
  await registerFarmTokens(caseFile, redactor);
  try {
    step('report: aggregates');
    const facts = redactCaseFacts(await caseFacts(caseFile), redactor);
    const farms = (await farmFacts(caseFile, docs, limits)).map((f) => redactFarmFacts(f, redactor));
    const data: ReportData = {
      tool,
      duckdb: await caseFile.value<string>('SELECT library_version FROM pragma_version()', 'read the DuckDB version'),
      caseName: basename(caseFile.path),
      params: {
        redact: redactor.active, farms: docs.length === 0 ? [] : request.farms.map((f) => redactor.farm(f)).sort(), tlp: request.tlp,
        deterministic: request.deterministic, chartedFarms: request.chartedFarms ?? DEFAULT_CHARTED_FARMS, limits,
      },
      facts,
      farms,
    };
    const path = (name: string) => join(out, name);
    step(`report: ${OUTPUT_NAMES.html}`);
    writeFileSync(path(OUTPUT_NAMES.html), await reportHtml(data));
    writeFileSync(path(OUTPUT_NAMES.markdown), reportMarkdown(data));
    writeFileSync(path(OUTPUT_NAMES.regulator), regulatorSummary(data));
    writeFileSync(path(OUTPUT_NAMES.stix), canonicalJson(stixBundle(data), { sortKeys: false }));
    step(`report: ${OUTPUT_NAMES.timeline}`);
    await writeTimeline(caseFile, path(OUTPUT_NAMES.timeline));
    step('report: evidence');
    await writeEvidenceTables(caseFile, bag, redactor.active);

    const generatedAt = generatedAtFor(request.deterministic);
    const outputs = [];
    for (const name of [OUTPUT_NAMES.html, OUTPUT_NAMES.markdown, OUTPUT_NAMES.regulator, OUTPUT_NAMES.stix, OUTPUT_NAMES.timeline]) {
      outputs.push({ file: name, ...(await digestFile(path(name))) });
    }
    for (const p of filesUnder(join(bag, BAG_DATA))) outputs.push({ file: `${OUTPUT_NAMES.evidence}/${BAG_DATA}/${p}`, ...(await digestFile(join(bag, BAG_DATA, p))) });
    writeFileSync(join(bag, BAG_DATA, 'manifest.json'), canonicalJson({
      manifest_version: 1,
      tool: { ...tool, command: 'report' },
      duckdb: data.duckdb,
      generated_at: generatedAt,
      case_file: { name: data.caseName },
      parameters: {
        farms: data.params.farms, tlp: request.tlp, deterministic: request.deterministic, charted_farms: data.params.chartedFarms, limits,
        redaction: redactor.active
          ? { on: true, method: 'HMAC-SHA256 tokens; IPv4 /24, IPv6 /48; e-mail domains kept only when disposable; no prompt text', key_id: keyId(request.redactKey!) }
          : { on: false },
      },
      inputs: facts.ingestedFiles.map((f) => ({ role: f.table, path: f.path, size_bytes: f.sizeBytes, sha256: f.sha256, rows_loaded: f.rowsLoaded, rows_rejected: f.rowsRejected })),
      outputs,
      not_hashed: [{ file: `${OUTPUT_NAMES.evidence}/${BAG_DATA}/manifest.json`, why: 'this file (its SHA-256 is in evidence/manifest-sha256.txt)' }],
    }));
    await finishBag(bag, {
      software: `${tool.name} ${tool.version}`,
      baggingDate: generatedAt.slice(0, 10),
      description: `Farmscope evidence for ${docs.length} farm(s) of ${data.caseName}${redactor.active ? ' (redacted)' : ''}`,
    });
    return { out, farms: docs.length, files: [OUTPUT_NAMES.html, OUTPUT_NAMES.markdown, OUTPUT_NAMES.stix, OUTPUT_NAMES.timeline, OUTPUT_NAMES.regulator, `${OUTPUT_NAMES.evidence}/`] };
  } finally {
    for (const t of ['report_addresses', 'report_values', 'report_farms', 'report_members']) await caseFile.run(`DROP TABLE IF EXISTS temp.${t}`);
  }
}

/** The one wall-clock value of a report. SOURCE_DATE_EPOCH is the reproducible-builds convention for pinning it. */
function generatedAtFor(deterministic: boolean): string {
  if (!deterministic) return new Date().toISOString();
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date(0).toISOString();
}

/** Names the key without revealing it: reports with the same key_id have comparable tokens. */
function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('farmscope report key id').digest('hex').slice(0, 16);
}

/**
 * The output folder is created if missing; a previous evidence/ bag in it is
 * replaced, but a folder of that name that is not a bag is left alone and the
 * run refused.
 */
function prepareFolder(out: string, bag: string): void {
  mkdirSync(out, { recursive: true });
  if (existsSync(bag)) {
    if (!existsSync(join(bag, 'bagit.txt'))) throw new InputError(`${bag}: exists and is not an evidence package; choose another --out`);
    rmSync(bag, { recursive: true, force: true });
  }
}
