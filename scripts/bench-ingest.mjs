#!/usr/bin/env node
// Ingest benchmark: how fast `farmscope ingest` loads usage logs, and how much
// memory it takes, against DuckDB's bare copy of the same Parquet file.
//
//   pnpm bench:ingest                         # 1M and 10M rows, Parquet and JSONL.gz
//   pnpm bench:ingest --quick                 # 200k rows only (smoke run)
//   node scripts/bench-ingest.mjs --sizes 1M --formats parquet
//
// Options:
//   --sizes 1M,10M            row counts to run (k/M suffixes allowed; default 1M,10M)
//   --formats parquet,jsonl.gz  input formats (default both)
//   --quick                   200k rows only (overrides --sizes)
//   --repeat N                run each measurement N times; report the median time, the max RSS (default 1)
//   --bare-jsonl              also measure DuckDB's bare copy of the JSONL.gz files (read_json)
//   --cli <bin.js>            the farmscope CLI to run (default packages/cli/dist/bin.js; needs `pnpm build`)
//   --keep-db                 keep the case files in .cache/bench/run/ (default: deleted after each run)
//   --verbose                 pass the children's stderr through
//
// Test data is generated once by DuckDB SQL (scripts/lib/bench-data.mjs) and
// cached in .cache/bench/ (git-ignored); it is rebuilt only if missing.
// Each measurement runs in a fresh child process on a fresh case file (db,
// .wal and .tmp deleted first); wall time is the child's whole life (start-up,
// load, checkpoint, close). Peak RSS is the child's getrusage ru_maxrss,
// written by a `node --import` exit hook (scripts/lib/measure-child.mjs), which
// also gives its CPU time (user + system): on a busy machine the CPU-time ratio
// is a steadier comparison than wall time.
// The input file is read once before its runs so the page cache is warm for
// both contenders.
//
// stdout: a Markdown table and the targets (ingest ≥ 0.4× bare-copy
// throughput on Parquet; peak RSS < 4 GiB at 10M rows). stderr: progress.
// Results also go to .cache/bench/ingest-results.json.
// Exit code: 0 if every run succeeded (targets are reported, not enforced), 1 otherwise.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, platform, release } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CACHE_DIR, ensureEventFile, FORMATS, parseRowCount, ROOT, rowLabel } from './lib/bench-data.mjs';
import { duckdbPackageVersion, removeDuckDBFiles } from './lib/duckdb.mjs';
import { measureChild } from './lib/measure-child.mjs';
import { formatBytes, formatInt, formatSeconds, markdownTable, median, progress } from './lib/report.mjs';

const TARGET_RATIO = 0.4;
const TARGET_RSS_BYTES = 4 * 2 ** 30;
const TARGET_RSS_MIN_ROWS = 10_000_000;
const QUICK_ROWS = 200_000;
const BARE_COPY = join(ROOT, 'scripts', 'lib', 'bare-copy.mjs');
const RESULTS_FILE = join(CACHE_DIR, 'ingest-results.json');
const RUN_DIR = join(CACHE_DIR, 'run');

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1M,10M' },
      formats: { type: 'string', default: FORMATS.join(',') },
      quick: { type: 'boolean', default: false },
      repeat: { type: 'string', default: '1' },
      'bare-jsonl': { type: 'boolean', default: false },
      cli: { type: 'string', default: join(ROOT, 'packages', 'cli', 'dist', 'bin.js') },
      'keep-db': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }));
} catch (error) {
  fail(`${error.message} (see --help)`);
}

if (args.help) {
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1);
  const header = lines.slice(0, lines.findIndex((l) => !l.startsWith('//')));
  process.stdout.write(`${header.map((l) => l.replace(/^\/\/ ?/, '')).join('\n')}\n`);
  process.exit(0);
}

const log = progress();
const loadAtStart = loadavg()[0];
// The commit the CLI under test was (presumably) built from: taken at the start, before anyone commits more.
const gitAtStart = { commit: gitOutput(['rev-parse', '--short', 'HEAD']), dirty: gitOutput(['status', '--porcelain', '--untracked-files=no'])?.length > 0 };
let sizes;
try {
  sizes = args.quick ? [QUICK_ROWS] : args.sizes.split(',').map(parseRowCount);
} catch (error) {
  fail(error.message);
}
const formats = args.formats.split(',').map((f) => f.trim());
for (const f of formats) if (!FORMATS.includes(f)) fail(`unknown format "${f}" (expected ${FORMATS.join(', ')})`);
const repeat = Number(args.repeat);
if (!Number.isInteger(repeat) || repeat < 1) fail(`--repeat must be a whole number ≥ 1`);
const cli = resolve(args.cli);

function fail(message) {
  process.stderr.write(`bench-ingest: ${message}\n`);
  process.exit(1);
}

function tail(text, lines = 15) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

// ---- preflight: the CLI must have an ingest command ------------------------------------------
if (!existsSync(cli)) fail(`${relative(ROOT, cli)} not found; run \`pnpm build\` first`);
{
  const help = await measureChild(process.execPath, [cli, 'ingest', '--help']);
  if (help.exitCode !== 0 || !/--events\b/.test(help.stdout + help.stderr)) {
    fail(`\`farmscope ingest --help\` does not offer --events (exit ${help.exitCode}); is ingest built?\n${tail(help.stdout + help.stderr)}`);
  }
}
let cliVersion = null;
try {
  cliVersion = execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).trim();
} catch {
  // not essential
}

// ---- test data -------------------------------------------------------------------------------
const files = [];
for (const rows of sizes) {
  for (const format of formats) {
    files.push(await ensureEventFile({ rows, format, log }));
  }
}

async function warm(path) {
  // Read the whole file once so every contender finds it in the page cache.
  await new Promise((done, reject) =>
    createReadStream(path, { highWaterMark: 8 * 2 ** 20 }).on('data', () => {}).on('end', done).on('error', reject),
  );
}

// ---- measurements ----------------------------------------------------------------------------
mkdirSync(RUN_DIR, { recursive: true });
const stderrMode = args.verbose ? 'inherit' : 'pipe';

/** One measured run of a child on a fresh database; `verify` reads back the row count (not timed). */
async function runOnce(label, db, childArgs, verify) {
  removeDuckDBFiles(db);
  log(`${label} ...`);
  const r = await measureChild(process.execPath, childArgs, { cwd: ROOT, stderr: stderrMode });
  const dbBytes = existsSync(db) ? statSync(db).size : null;
  const verified = r.exitCode === 0 ? await verify(r) : null;
  if (!args['keep-db']) removeDuckDBFiles(db);
  if (r.exitCode !== 0) {
    log(`${label} FAILED (exit ${r.exitCode ?? r.signal})\n${tail(r.stderr || r.stdout)}`);
  } else {
    log(`${label}: ${formatSeconds(r.seconds)} s, peak RSS ${formatBytes(r.peakRssBytes)} (${r.rssMethod})`);
  }
  return { ...r, dbBytes, verified };
}

/** Median time, max RSS over the runs of one contender. */
function aggregate(runs) {
  const ok = runs.every((r) => r.exitCode === 0);
  const last = runs.at(-1);
  return {
    ok,
    exitCode: last.exitCode,
    signal: last.signal,
    seconds: ok ? median(runs.map((r) => r.seconds)) : null,
    secondsAll: runs.map((r) => r.seconds),
    cpuSeconds: ok && runs.every((r) => r.cpuSeconds !== null) ? median(runs.map((r) => r.cpuSeconds)) : null,
    peakRssBytes: runs.some((r) => r.peakRssBytes !== null) ? Math.max(...runs.map((r) => r.peakRssBytes ?? 0)) : null,
    rssMethod: last.rssMethod,
    dbBytes: last.dbBytes,
    verified: last.verified,
    stderrTail: ok ? undefined : tail(last.stderr || last.stdout),
  };
}

/** Rows in the case file's `events`, read back through the CLI (not timed). */
async function eventsInCase(db) {
  const r = await measureChild(process.execPath, [cli, '--db', db, 'query', 'SELECT count(*) AS n FROM events', '--format', 'json']);
  try {
    return Number(JSON.parse(r.stdout)[0].n);
  } catch {
    return null;
  }
}

const results = [];
for (const file of files) {
  const size = rowLabel(file.rows);
  log(`-- ${size} rows, ${file.format} (${formatBytes(file.bytes)}): warming the page cache`);
  await warm(file.path);

  const tag = `${size}-${file.format.replace('.', '-')}`;
  const contenders = [];
  if (file.format === 'parquet' || args['bare-jsonl']) {
    const db = join(RUN_DIR, `bare-${tag}.duckdb`);
    contenders.push({
      kind: 'bare',
      command: 'duckdb bare copy',
      db,
      childArgs: [BARE_COPY, db, file.path],
      verify: async (r) => {
        try {
          return JSON.parse(r.stdout).rows;
        } catch {
          return null;
        }
      },
      runs: [],
    });
  }
  const ingestDb = join(RUN_DIR, `ingest-${tag}.duckdb`);
  let summary = null;
  contenders.push({
    kind: 'ingest',
    command: 'farmscope ingest',
    db: ingestDb,
    childArgs: [cli, '--db', ingestDb, 'ingest', '--events', file.path, '--format', 'json'],
    verify: async (r) => {
      try {
        summary = JSON.parse(r.stdout);
      } catch {
        summary = { unparsedStdout: r.stdout.slice(0, 2000) };
      }
      return eventsInCase(ingestDb);
    },
    runs: [],
  });
  // Interleaved (bare, ingest, bare, ingest, ...) so drifting machine load hits both alike.
  for (let k = 0; k < repeat; k++) {
    for (const c of contenders) {
      if (c.runs.some((r) => r.exitCode !== 0)) continue;
      const label = `${c.command} ${size} ${file.format}${repeat > 1 ? ` (run ${k + 1}/${repeat})` : ''}`;
      c.runs.push(await runOnce(label, c.db, c.childArgs, c.verify));
    }
  }
  const measured = Object.fromEntries(
    contenders.map((c) => [c.kind, { command: c.command, ...aggregate(c.runs), ...(c.kind === 'ingest' ? { summary } : {}) }]),
  );

  for (const [kind, entry] of Object.entries(measured)) {
    const rowsPerSecond = entry.ok ? file.rows / entry.seconds : null;
    if (entry.ok && entry.verified !== file.rows) {
      log(`WARNING: ${entry.command} ${size} ${file.format}: ${entry.verified} rows in the database, expected ${file.rows}`);
    }
    results.push({
      size,
      rows: file.rows,
      format: file.format,
      file: relative(ROOT, file.path),
      fileBytes: file.bytes,
      kind,
      ...entry,
      rowsPerSecond,
    });
  }
  const bareRow = measured.bare && results.find((r) => r.kind === 'bare' && r.size === size && r.format === file.format);
  const ingestRow = results.at(-1);
  ingestRow.ratioToBareCopy = bareRow?.ok && ingestRow.ok ? ingestRow.rowsPerSecond / bareRow.rowsPerSecond : null;
  // Same ratio on CPU time (user + system): far less sensitive to other load on a shared machine.
  ingestRow.cpuRatioToBareCopy =
    bareRow?.ok && ingestRow.ok && bareRow.cpuSeconds && ingestRow.cpuSeconds ? bareRow.cpuSeconds / ingestRow.cpuSeconds : null;
}

function ratioText(ratio) {
  return ratio === null || ratio === undefined ? '—' : `${ratio.toFixed(2)}×`;
}

// ---- report ----------------------------------------------------------------------------------
const table = markdownTable(
  ['size', 'format', 'command', 'rows', 'seconds', 'rows/s', 'peak RSS', 'ratio to bare copy', 'CPU s', 'CPU ratio'],
  results.map((r) => [
    r.size,
    r.format,
    r.command,
    formatInt(r.rows),
    r.ok ? formatSeconds(r.seconds) : `FAILED (exit ${r.exitCode ?? r.signal})`,
    formatInt(r.rowsPerSecond),
    formatBytes(r.peakRssBytes),
    r.kind === 'bare' ? '1.00×' : ratioText(r.ratioToBareCopy),
    formatSeconds(r.cpuSeconds),
    r.kind === 'bare' ? '1.00×' : ratioText(r.cpuRatioToBareCopy),
  ]),
  ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
);

const checks = [];
for (const r of results.filter((x) => x.kind === 'ingest')) {
  // The throughput target is defined against the bare Parquet copy; JSONL ratios (--bare-jsonl) are informative.
  if (r.format === 'parquet') {
    const pass = r.ratioToBareCopy != null && r.ratioToBareCopy >= TARGET_RATIO;
    checks.push({
      target: `throughput ≥ ${TARGET_RATIO}× bare copy`,
      size: r.size,
      format: r.format,
      value: r.ratioToBareCopy,
      pass,
      cpuRatio: r.cpuRatioToBareCopy,
      text:
        `${r.size} ${r.format}: ${ratioText(r.ratioToBareCopy)} bare-copy throughput (target ≥ ${TARGET_RATIO}×; ` +
        `on CPU time ${ratioText(r.cpuRatioToBareCopy)})`,
    });
  }
  if (r.rows >= TARGET_RSS_MIN_ROWS) {
    const pass = r.ok && r.peakRssBytes !== null && r.peakRssBytes < TARGET_RSS_BYTES;
    checks.push({
      target: 'peak RSS < 4 GiB at 10M rows',
      size: r.size,
      format: r.format,
      value: r.peakRssBytes,
      pass,
      text: `${r.size} ${r.format}: peak RSS ${formatBytes(r.peakRssBytes)} (target < 4 GiB)`,
    });
  }
}

const env = {
  node: process.version,
  duckdb: duckdbPackageVersion(),
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? null,
  totalMemoryBytes: totalmem(),
  platform: `${platform()} ${release()}`,
  farmscope: cliVersion,
  gitCommit: gitAtStart.commit,
  gitDirty: gitAtStart.dirty,
  loadAverage1m: { start: loadAtStart, end: loadavg()[0] },
};

function gitOutput(gitArgs) {
  try {
    return execFileSync('git', gitArgs, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const out = [];
out.push(`## farmscope ingest benchmark (${new Date().toISOString().slice(0, 16)}Z)`, '');
out.push(
  `${env.cpus} CPUs, ${formatBytes(env.totalMemoryBytes)} RAM, Node ${env.node}, DuckDB ${env.duckdb}, ` +
    `farmscope ${env.farmscope ?? '?'} @ ${env.gitCommit ?? '?'}${env.gitDirty ? ' (uncommitted changes)' : ''}; ` +
    `1-min load average ${loadAtStart.toFixed(1)} at start, ${env.loadAverage1m.end.toFixed(1)} at end.`,
);
out.push(
  `Wall time of the whole child process; CPU s = its user + system CPU time (the CPU ratio compares that, ` +
    `steadier than wall time when the machine is busy); peak RSS = the child's getrusage ru_maxrss; ` +
    `${repeat > 1 ? `median of ${repeat} runs (RSS: max)` : 'one run each'}.`,
  '',
);
out.push(table, '');
if (checks.length > 0) {
  out.push('Targets:', '');
  for (const c of checks) out.push(`- ${c.pass ? 'PASS' : 'FAIL'} ${c.text}`);
  out.push('');
}
process.stdout.write(`${out.join('\n')}\n`);

mkdirSync(CACHE_DIR, { recursive: true });
writeFileSync(
  RESULTS_FILE,
  `${JSON.stringify(
    {
      benchmark: 'ingest',
      finishedAt: new Date().toISOString(),
      options: { sizes: sizes.map(rowLabel), formats, repeat, quick: args.quick, cli: relative(ROOT, cli) },
      method: {
        wallTime: 'whole child process, spawn to exit (hrtime)',
        peakRss:
          'child getrusage(RUSAGE_SELF).ru_maxrss via `node --import scripts/lib/rss-hook.mjs` (process.resourceUsage().maxRSS on exit); fallback: polled /proc/<pid>/status VmHWM',
        bareCopy: 'node scripts/lib/bare-copy.mjs: CREATE TABLE events AS SELECT * FROM read_parquet(file) into a fresh on-disk DuckDB file, memory_limit 40% of RAM like the case file',
        pageCache: 'input file read once before its runs',
      },
      environment: env,
      files: files.map((f) => ({ path: relative(ROOT, f.path), rows: f.rows, format: f.format, bytes: f.bytes })),
      results,
      targets: checks,
    },
    null,
    2,
  )}\n`,
);
log(`results written to ${relative(ROOT, RESULTS_FILE)}`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
