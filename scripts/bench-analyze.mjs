#!/usr/bin/env node
// Analyze benchmark: wall time per stage and peak RSS of `farmscope analyze`
// on a generated scenario (default claude-2026, ≈ 42M events, ≈ 107k accounts).
//
//   pnpm bench:analyze                                  # claude-2026 at scale 1
//   node scripts/bench-analyze.mjs --scenario mixed     # ≈ 3.5M events, a quicker run
//   node scripts/bench-analyze.mjs --stages account_features
//
// Options:
//   --scenario NAME    shipped scenario (default claude-2026)
//   --scale F          --scale passed to generate (default 1)
//   --seed N           --seed passed to generate (default 1)
//   --stages a,b       run only these stages (default all)
//   --threads N        DuckDB threads for analyze (default: DuckDB's, all cores)
//   --memory-limit S   DuckDB memory limit for analyze (e.g. 8GiB; default farmscope's)
//   --fresh            regenerate and re-ingest even if cached
//   --cli <bin.js>     the farmscope CLI (default packages/cli/dist/bin.js; needs `pnpm build`)
//
// The scenario is generated once, and ingested once, into the git-ignored
// .cache/bench/analyze/<scenario>-s<scale>-seed<seed>/ (a `.done` marker
// says each step finished); later runs reuse both, since analyze replaces its
// own tables. analyze runs in a fresh child process with `--format json`, so
// the stage times are the command's own; wall time and peak RSS
// (getrusage ru_maxrss via the `node --import` exit hook) are the child's
// (scripts/lib/measure-child.mjs); with FARMSCOPE_TRACE=1 its stderr gives
// the slowest SQL statements. Target (issue 4): claude-2026, signal stages ≤ 240 s, and
// ≤ 10 GiB on 2 cores. stdout: Markdown tables; results also in results.json
// next to the case file.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measuredCli } from './lib/measure-child.mjs';
import { benchArgs } from './lib/bench-args.mjs';
import { formatBytes, formatInt, formatSeconds, markdownTable, progress } from './lib/report.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const TARGET = { scenario: 'claude-2026', seconds: 240, rssBytes: 10 * 2 ** 30 };

const args = benchArgs('bench-analyze', ROOT, { scenario: { type: 'string', default: 'claude-2026' }, seed: { type: 'string', default: '1' }, stages: { type: 'string' } },
  'node scripts/bench-analyze.mjs [--scenario NAME] [--scale F] [--seed N] [--stages a,b] [--threads N] [--memory-limit S] [--fresh]');

const log = progress();
const dir = join(ROOT, '.cache', 'bench', 'analyze', `${args.scenario}-s${args.scale}-seed${args.seed}`);
const dataDir = join(dir, 'data');
const db = join(dir, 'case.duckdb');
const generated = join(dir, '.generated.done');
const ingested = join(dir, '.ingested.done');
if (args.fresh) rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const cli = measuredCli(args.cli, ROOT, log);

if (!existsSync(generated)) {
  rmSync(dataDir, { recursive: true, force: true });
  log(`generate ${args.scenario} (scale ${args.scale}, seed ${args.seed}) into ${dataDir} ...`);
  await cli('generate', ['generate', '--scenario', args.scenario, '--scale', args.scale, '--seed', args.seed, '--out', dataDir]);
  writeFileSync(generated, new Date().toISOString());
  rmSync(ingested, { force: true });
}
if (!existsSync(ingested)) {
  for (const f of [db, `${db}.wal`]) rmSync(f, { force: true });
  rmSync(`${db}.tmp`, { recursive: true, force: true });
  log('ingest ...');
  await cli('ingest', [
    '--db', db, '--quiet', 'ingest', '--events', join(dataDir, 'events.parquet'),
    '--accounts', join(dataDir, 'accounts.parquet'), '--enforcement', join(dataDir, 'enforcement.parquet'),
  ]);
  writeFileSync(ingested, new Date().toISOString());
}

const counts = JSON.parse((await cli('count', [
  '--db', db, 'query', '--format', 'json',
  'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(DISTINCT account_id) FROM events) AS accounts',
])).stdout)[0];

const options = [
  '--db', db, '--quiet',
  ...(args.threads ? ['--threads', args.threads] : []),
  ...(args['memory-limit'] ? ['--memory-limit', args['memory-limit']] : []),
  'analyze', '--format', 'json',
  ...(args.stages ? ['--stage', ...args.stages.split(',')] : []),
];
log(`analyze (${formatInt(counts.events)} events, ${formatInt(counts.accounts)} accounts) ...`);
const load = loadavg()[0];
// FARMSCOPE_TRACE=1: every statement's duration on stderr, for the slowest-statements table.
const run = await cli('analyze', options, { FARMSCOPE_TRACE: '1' });
const stages = JSON.parse(run.stdout);
const statements = [...run.stderr.matchAll(/^\[trace\] +(\d+) ms {2}(.*)$/gm)]
  .map((m) => ({ ms: Number(m[1]), sql: m[2] }))
  .sort((a, b) => b.ms - a.ms);

// Issue 4's target is on the signal stages; the farm stages after them
// (issue 5) count in investigate's budget (scripts/bench-farms.mjs).
const { STAGES: SIGNAL_STAGES } = await import(pathToFileURL(join(ROOT, 'packages', 'signals', 'dist', 'index.js')).href);
const signalNames = new Set(SIGNAL_STAGES.map((s) => s.name));
const signalSeconds = stages.filter((s) => signalNames.has(s.name)).reduce((t, s) => t + s.seconds, 0);
const isTarget = args.scenario === TARGET.scenario && Number(args.scale) === 1 && !args.stages;
const met = signalSeconds <= TARGET.seconds && run.peakRssBytes <= TARGET.rssBytes;
process.stdout.write(`\nfarmscope analyze — ${args.scenario} (scale ${args.scale}): ${formatInt(counts.events)} events, ${formatInt(counts.accounts)} accounts; `
  + `${cpus().length} cores, ${formatBytes(totalmem())} RAM, load average ${load.toFixed(1)} at start\n\n`);
process.stdout.write(`${markdownTable(
  ['stage', 'seconds', 'events/s', 'tables', 'notes'],
  stages.map((s) => [s.name, formatSeconds(s.seconds), formatInt(counts.events / s.seconds), s.tables.join(' '), s.notes.join('; ')]),
  ['l', 'r', 'r', 'l', 'l'])}\n\n`);
process.stdout.write(`${markdownTable(
  ['wall (child)', 'sum of stages', 'signal stages', 'peak RSS', 'CPU seconds', 'target'],
  [[formatSeconds(run.seconds), formatSeconds(stages.reduce((t, s) => t + s.seconds, 0)), formatSeconds(signalSeconds), formatBytes(run.peakRssBytes),
    formatSeconds(run.cpuSeconds), isTarget ? (met ? 'met' : 'MISSED') : 'n/a (target is claude-2026, scale 1, all stages)']],
  ['r', 'r', 'r', 'r', 'r', 'l'])}\n`);
process.stdout.write(`\nSlowest statements:\n\n${markdownTable(
  ['seconds', 'statement'],
  statements.slice(0, 15).map((t) => [formatSeconds(t.ms / 1000), t.sql.slice(0, 110)]),
  ['r', 'l'])}\n`);
process.stdout.write(`\nTarget: claude-2026, signal stages ≤ ${TARGET.seconds} s and the whole analyze ≤ ${formatBytes(TARGET.rssBytes)} peak RSS on 2 cores.\n`);
writeFileSync(join(dir, 'results.json'), `${JSON.stringify({
  date: new Date().toISOString(), scenario: args.scenario, scale: Number(args.scale), seed: Number(args.seed),
  cores: cpus().length, loadAverageAtStart: load, ...counts,
  seconds: run.seconds, peakRssBytes: run.peakRssBytes, cpuSeconds: run.cpuSeconds, stages, statements,
}, null, 2)}\n`);
