#!/usr/bin/env node
// Generator benchmark: wall time and peak RSS of `farmscope generate` for the
// shipped scenarios, each run in a fresh child process.
//
//   pnpm bench:generate                          # tiny, mixed and claude-2026 at scale 1
//   node scripts/bench-generate.mjs --scenarios tiny,mixed --scale 0.1
//
// Options:
//   --scenarios a,b   shipped scenario names (default tiny,mixed,claude-2026)
//   --scale F         --scale passed to generate (default 1)
//   --seed N          --seed passed to generate (default 1)
//   --format F        parquet or jsonl (default parquet)
//   --cli <bin.js>    the farmscope CLI (default packages/cli/dist/bin.js; needs `pnpm build`)
//   --keep            keep the outputs in .cache/bench-generate/<scenario>/ (default: deleted)
//
// Peak RSS is the child's getrusage ru_maxrss, written by the `node --import`
// exit hook of scripts/lib/measure-child.mjs. Targets (issue 3): tiny ≤ 5 s;
// claude-2026 ≤ 6 min and ≤ 8 GiB on a 2-core machine. stdout: a Markdown
// table; results also in .cache/bench-generate/results.json.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { measureChild } from './lib/measure-child.mjs';
import { formatBytes, formatInt, formatSeconds, markdownTable, progress } from './lib/report.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const OUT_DIR = join(ROOT, '.cache', 'bench-generate');
const TARGETS = { tiny: { seconds: 5 }, 'claude-2026': { seconds: 360, rssBytes: 8 * 2 ** 30 } };

const { values: args } = parseArgs({
  options: {
    scenarios: { type: 'string', default: 'tiny,mixed,claude-2026' },
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    format: { type: 'string', default: 'parquet' },
    cli: { type: 'string', default: join(ROOT, 'packages', 'cli', 'dist', 'bin.js') },
    keep: { type: 'boolean', default: false },
  },
});

if (!existsSync(args.cli)) {
  process.stderr.write(`bench-generate: ${args.cli} not found; run "pnpm build" first\n`);
  process.exit(1);
}

const log = progress();
mkdirSync(OUT_DIR, { recursive: true });
const results = [];
let failed = false;
for (const scenario of args.scenarios.split(',').map((s) => s.trim()).filter(Boolean)) {
  const out = join(OUT_DIR, scenario);
  rmSync(out, { recursive: true, force: true });
  log(`generate ${scenario} (scale ${args.scale}) ...`);
  const run = await measureChild(process.execPath, [
    args.cli, 'generate', '--scenario', scenario, '--seed', args.seed, '--scale', args.scale,
    '--format', args.format, '--out', out,
  ]);
  if (run.exitCode !== 0) {
    failed = true;
    process.stderr.write(run.stderr);
    log(`${scenario}: failed (exit ${run.exitCode ?? run.signal})`);
    continue;
  }
  const events = /events\.\w+: ([\d,]+) rows/.exec(run.stderr)?.[1]?.replaceAll(',', '');
  const accounts = /accounts\.\w+: ([\d,]+) rows/.exec(run.stderr)?.[1]?.replaceAll(',', '');
  const bytes = readdirSync(out).reduce((sum, f) => sum + statSync(join(out, f)).size, 0);
  const result = {
    scenario, scale: Number(args.scale), seconds: run.seconds, peakRssBytes: run.peakRssBytes,
    cpuSeconds: run.cpuSeconds, events: Number(events), accounts: Number(accounts), outputBytes: bytes,
  };
  results.push(result);
  log(`${scenario}: ${formatSeconds(run.seconds)} s (CPU ${formatSeconds(run.cpuSeconds)} s), peak RSS ${formatBytes(run.peakRssBytes)}, ${formatInt(result.events)} events`);
  if (!args.keep) rmSync(out, { recursive: true, force: true });
}

const rows = results.map((r) => {
  const target = TARGETS[r.scenario];
  const ok = !target || r.scale !== 1 ? '' :
    (r.seconds <= target.seconds && (!target.rssBytes || r.peakRssBytes <= target.rssBytes)) ? 'met' : 'MISSED';
  return [r.scenario, r.scale, formatInt(r.events), formatInt(r.accounts), formatSeconds(r.seconds),
    formatSeconds(r.cpuSeconds), formatInt(r.events / r.seconds), formatBytes(r.peakRssBytes), formatBytes(r.outputBytes), ok];
});
process.stdout.write(`\nfarmscope generate — ${cpus().length} cores, ${formatBytes(totalmem())} RAM, format ${args.format}\n\n`);
process.stdout.write(`${markdownTable(
  ['scenario', 'scale', 'events', 'accounts', 'seconds', 'CPU s', 'events/s', 'peak RSS', 'output', 'target'],
  rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'])}\n`);
process.stdout.write('\nTargets: tiny ≤ 5 s; claude-2026 ≤ 360 s and ≤ 8 GiB peak RSS (scale 1).\n');
process.stdout.write(`CPU s is the child's user + system time; on a busy machine wall time exceeds CPU s / ${cpus().length}.\n`);
writeFileSync(join(OUT_DIR, 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
process.exit(failed ? 1 : 0);
