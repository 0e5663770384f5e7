#!/usr/bin/env node
// `pnpm notebooks`: builds every notebook in notebooks/ (Observable Notebook
// Kit HTML notebooks) against a case file, into a static site that loads
// nothing from the network. By default it generates the `tiny` scenario and
// runs `farmscope investigate` on it; --case uses a case file of your own.
// The notebooks' SQL cells run at build time on the case file (read-only,
// through Notebook Kit's DuckDB connector, without the wall-clock time the
// kit would record) and their results are snapshotted into the site; the data the packages compute (the score's precision-recall
// curve, a camouflage sweep) is written next to them as JSON. Everything goes
// under the git-ignored .cache/notebooks/ unless --out says otherwise.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FarmscopeError, withCaseFile } from '@farmscope/casefile';
import { scoreCurve } from '@farmscope/eval';
import { sweepScenario } from '@farmscope/sweep';
import { buildNotebookSite, serveNotebookSite, snapshotSqlCells } from './lib/notebook-site.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/cli/dist/bin.js');
const TEMPLATE = 'template.html';
/** The findings files "Investigate an incident" offers for download (the notebook names each one). */
const EXPORT_FILES = ['farms.json', 'account_farms.csv', 'manifest.json', 'report.html', 'report.md', 'regulator-summary.md', 'stix-bundle.json', 'timeline.jsonl'];

const HELP = `usage: pnpm notebooks [options]

Builds the notebooks in notebooks/ into <out>/site (a static site; open it
with --serve, which serves it on http://127.0.0.1).

  --scenario <name|file>   scenario to generate and investigate (default tiny)
  --seed <n>               its seed (default 1)
  --scale <f>              its scale (default 1)
  --case <case.duckdb>     build against this analysed case file instead
  --findings <dir>         with --case: the investigate output folder (farms.json, ...)
  --truth <file>           with --case: ground truth for the precision-recall curves
  --sweep-scenario <name>  scenario replayed by "Replay and compare" (default mixed)
  --sweep-scale <f>        its scale (default 0.02)
  --sweep-values <list>    camouflage values (default 0,0.3,0.6)
  --no-sweep               skip the sweep (the notebook says so)
  --out <dir>              where everything goes (default .cache/notebooks)
  --notebooks <dir>        the notebook sources (default notebooks/)
  --serve                  serve the built site afterwards (Ctrl-C stops)
  --port <n>               port for --serve (default: any free port)
  --skip-build             with --serve: serve the last build
  -h, --help               this message

examples:
  pnpm notebooks
  pnpm notebooks --serve
  pnpm notebooks --case findings/case.duckdb --findings findings --serve
  pnpm notebooks --sweep-scale 0.05 --sweep-values 0,0.2,0.4,0.6,0.8
`;

const { values: opts } = parseOptions({
  allowNegative: true,
  options: {
    scenario: { type: 'string', default: 'tiny' },
    seed: { type: 'string', default: '1' },
    scale: { type: 'string', default: '1' },
    case: { type: 'string' },
    findings: { type: 'string' },
    truth: { type: 'string' },
    'sweep-scenario': { type: 'string', default: 'mixed' },
    'sweep-scale': { type: 'string', default: '0.02' },
    'sweep-values': { type: 'string', default: '0,0.3,0.6' },
    sweep: { type: 'boolean', default: true },
    out: { type: 'string', default: join(root, '.cache/notebooks') },
    notebooks: { type: 'string', default: join(root, 'notebooks') },
    serve: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    'skip-build': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
/** parseArgs, with a bad option reported as usage error (exit 2) rather than a stack trace. */
function parseOptions(config) {
  try {
    return parseArgs(config);
  } catch (error) {
    process.stderr.write(`notebooks: ${error.message}\n(pnpm notebooks --help lists the options)\n`);
    process.exit(2);
  }
}

if (opts.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

function fail(message) {
  process.stderr.write(`notebooks: ${message}\n`);
  process.exit(2);
}

function number(name, text) {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) fail(`--${name} ${text}: expected a number`);
  return value;
}

const out = resolve(opts.out);
const notebooksDir = resolve(opts.notebooks);
if (!existsSync(join(notebooksDir, TEMPLATE))) fail(`--notebooks ${opts.notebooks}: no ${TEMPLATE} there`);
const site = join(out, 'site');

try {
  if (!opts['skip-build']) await build();
} catch (error) {
  // Bad input (a scenario, a case file the analysis cannot read) exits 2 with its message; anything else is a bug.
  if (error instanceof FarmscopeError && error.exitCode === 2) fail(error.message);
  throw error;
}
if (opts.serve) {
  if (!existsSync(join(site, 'index.html'))) fail(`no built site in ${site}; run without --skip-build first`);
  const server = await serveNotebookSite({ outDir: site, port: number('port', opts.port) });
  process.stdout.write(`serving ${site} at ${server.resolvedUrls.local[0]}index.html (Ctrl-C stops)\n`);
}

async function build() {
  const started = performance.now();
  const work = join(out, 'work');
  const source = join(out, 'source');
  rmSync(work, { recursive: true, force: true });
  rmSync(source, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  const input = opts.case ? ownCase() : generatedCase(work);
  const pages = readdirSync(notebooksDir).filter((f) => f.endsWith('.html') && f !== TEMPLATE).sort();
  const data = join(source, 'data');
  mkdirSync(join(source, '.observable'), { recursive: true });
  mkdirSync(data, { recursive: true });
  for (const page of pages) cpSync(join(notebooksDir, page), join(source, page));

  // The notebooks' SQL cells name database "case": the case file, opened read-only.
  writeJson(join(source, '.observable', 'databases.json'), {
    case: { type: 'duckdb', path: input.caseFile, options: { access_mode: 'READ_ONLY' } },
  });
  step('run the SQL cells on the case file');
  const { snapshots, failures } = await snapshotSqlCells(pages.map((p) => join(source, p)));
  if (failures.length > 0) {
    const lines = failures.map((f) => `${join(notebooksDir, basename(f.page))}, cell ${f.cell}: ${f.message}`);
    fail(`SQL cells that do not run on ${input.caseFile}:\n  ${lines.join('\n  ')}`);
  }
  writeJson(join(data, 'case.json'), input.description);
  mkdirSync(join(data, 'findings'), { recursive: true });
  const exported = EXPORT_FILES.filter((file) => input.findings && existsSync(join(input.findings, file)));
  for (const file of exported) copyFileSync(join(input.findings, file), join(data, 'findings', file));
  writeJson(join(data, 'findings.json'), exported);

  step('score curve');
  const curve = input.truth
    ? await withCaseFile(input.caseFile, { readOnly: true }, (caseFile) => scoreCurve(caseFile, { truthPath: input.truth, allowUnknown: true }))
    : null;
  writeJson(join(data, 'score-curve.json'), curve);

  writeJson(join(data, 'sweep.json'), opts.sweep ? await sweep(join(work, 'sweep')) : null);

  step(`build ${pages.length} notebooks (${snapshots} query results)`);
  const imports = await buildNotebookSite({
    root: source,
    outDir: site,
    inputs: pages.map((p) => join(source, p)),
    template: join(notebooksDir, TEMPLATE),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `built ${pages.length} notebooks (${pages.join(', ')}) in ${seconds} s: ${site}\n` +
      `  bundled from node_modules: ${imports.bundled.join(', ')}\n` +
      `  not installed (stubbed, unused): ${imports.stubbed.length} CDN modules\n` +
      `open them with: pnpm notebooks --serve --skip-build\n`,
  );
}

/** The scenario generated and investigated into the work folder, as a user would. */
function generatedCase(work) {
  const data = join(work, 'data');
  const findings = join(work, 'findings');
  const seed = String(number('seed', opts.seed));
  const scale = String(number('scale', opts.scale));
  farmscope('generate', '--scenario', opts.scenario, '--seed', seed, '--scale', scale, '--out', data, '--quiet');
  farmscope(
    'investigate',
    '--events', join(data, 'events.parquet'),
    '--accounts', join(data, 'accounts.parquet'),
    '--enforcement', join(data, 'enforcement.parquet'),
    '--out', findings,
    '--quiet',
  );
  return {
    caseFile: join(findings, 'case.duckdb'),
    findings,
    truth: join(data, 'truth.parquet'),
    description: { source: 'generated', scenario: opts.scenario, seed: Number(seed), scale: Number(scale), findings: true, truth: true },
  };
}

/** A case file the analyst brings (already analysed), with its findings folder and truth if any. */
function ownCase() {
  const caseFile = resolve(opts.case);
  if (!existsSync(caseFile)) fail(`--case ${opts.case}: no such file`);
  if (opts.truth && !existsSync(opts.truth)) fail(`--truth ${opts.truth}: no such file`);
  if (opts.findings && !existsSync(opts.findings)) fail(`--findings ${opts.findings}: no such folder`);
  return {
    caseFile,
    findings: opts.findings ? resolve(opts.findings) : null,
    truth: opts.truth ? resolve(opts.truth) : null,
    description: { source: 'case file', caseFile: basename(caseFile), findings: Boolean(opts.findings), truth: Boolean(opts.truth) },
  };
}

async function sweep(folder) {
  const values = opts['sweep-values'].split(',').map((v) => number('sweep-values', v));
  const scale = number('sweep-scale', opts['sweep-scale']);
  const seed = number('seed', opts.seed);
  step(`sweep ${opts['sweep-scenario']} at scale ${scale}, camouflage ${values.join(', ')}`);
  const points = await sweepScenario({
    scenario: opts['sweep-scenario'],
    knob: 'camouflage',
    values,
    seed,
    scale,
    out: folder,
    onReplay: (point, i, total) => step(`  [${i + 1}/${total}] camouflage ${point.value}: ${point.farmsFound} farms found`),
  });
  return { scenario: opts['sweep-scenario'], scale, seed, knob: 'camouflage', points };
}

function farmscope(...args) {
  step(`farmscope ${args.filter((a) => a !== '--quiet').map((a) => a.replace(`${out}/`, '')).join(' ')}`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) fail(`farmscope ${args[0]} failed (exit ${result.status})`);
}

function step(message) {
  process.stderr.write(`${message}\n`);
}

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
