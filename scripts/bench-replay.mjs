#!/usr/bin/env node
// Replay benchmark (issue 8): `farmscope replay --step 1d --truth` on a
// generated scenario, against one `farmscope investigate` of the same data.
//
//   pnpm bench:replay                                  # mixed, scale 1, seed 1, daily steps
//   node scripts/bench-replay.mjs --scale 0.1          # a quick check
//
// Options:
//   --scenario NAME    shipped scenario (default mixed)
//   --scale F          --scale passed to generate (default 1)
//   --seed N           seed (default 1)
//   --step D           replay step (default 1d)
//   --threads N        DuckDB threads (investigate and replay)
//   --memory-limit S   DuckDB memory limit (investigate and replay)
//   --fresh            regenerate, ignoring every cached copy
//   --cli <bin.js>     the farmscope CLI (default packages/cli/dist/bin.js; needs `pnpm build`)
//
// The logs are generated once into the git-ignored .cache/bench/replay/
// (or taken from bench-farms' or bench-analyze's cache: the same scenario,
// scale and seed give the same bytes). Then, each in a measured child
// process (wall, CPU, peak RSS): one investigate (ingest + analyze +
// outputs), then twice, alternately, one analyze of its case file (the "one
// full analysis" of the bar) and the replay (its outputs must be
// byte-identical); the faster of each pair is compared.
// Bars (issue 8, on mixed at daily steps): every true farm of ≥ 50 accounts
// detected within 3 days of its first request, before it made 20% of its
// requests; precision ≥ 0.98 at every step; the replay ≤ 5× one full
// analysis. stdout: Markdown tables; everything measured also goes to
// .cache/bench/replay/<scenario>-s<scale>-seed<seed>-results.json.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { openDuckDB, sqlString } from './lib/duckdb.mjs';
import { benchArgs } from './lib/bench-args.mjs';
import { measuredCli } from './lib/measure-child.mjs';
import { formatBytes, formatInt, formatSeconds, markdownTable, progress } from './lib/report.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const BARS = { minAccounts: 50, maxDelayHours: 72, maxShare: 0.2, minPrecision: 0.98, maxRatio: 5 };
const OUTPUTS = ['replay.json', 'replay.csv', 'replay-steps.csv', 'replay.html'];

const args = benchArgs('bench-replay', ROOT, { seed: { type: 'string', default: '1' }, step: { type: 'string', default: '1d' } },
  'node scripts/bench-replay.mjs [--scenario NAME] [--scale F] [--seed N] [--step D] [--threads N] [--memory-limit S] [--fresh]');

const log = progress();
const cli = measuredCli(args.cli, ROOT, log);
const dbOptions = [
  ...(args.threads ? ['--threads', args.threads] : []),
  ...(args['memory-limit'] ? ['--memory-limit', args['memory-limit']] : []),
];
const name = `${args.scenario}-s${args.scale}-seed${args.seed}`;
const dir = join(ROOT, '.cache', 'bench', 'replay', name);
if (args.fresh) rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const data = await logs();
const inputs = ['--events', join(data, 'events.parquet'), '--accounts', join(data, 'accounts.parquet'), '--enforcement', join(data, 'enforcement.parquet')];
const load = loadavg()[0];

log('investigate (one full analysis) ...');
const investigate = await cli('investigate', [...dbOptions, '--quiet', 'investigate', ...inputs, '--out', join(dir, 'investigate'), '--force']);
const timings = JSON.parse(readFileSync(join(dir, 'investigate', 'run.json'), 'utf8')).timings;
// The analysis and the replay are each measured twice, alternately (a shared machine's speed drifts), and the
// faster of each pair is compared: the same number of tries on both sides.
const analyses = [];
const replays = [];
for (const run of ['first', 'second']) {
  log(`analyze (${run}; one full analysis of the same case file) ...`);
  analyses.push(await cli(`analyze (${run})`, [...dbOptions, '--quiet', '--db', join(dir, 'investigate', 'case.duckdb'), 'analyze', '--format', 'json']));
  log(`replay (${run}) ...`);
  const out = join(dir, `replay-${run}`);
  const child = await cli(`replay (${run})`, [
    ...dbOptions, '--quiet', 'replay', ...inputs, '--truth', join(data, 'truth.parquet'), '--step', args.step, '--out', out, '--force',
  ]);
  const record = JSON.parse(readFileSync(join(out, 'replay-run.json'), 'utf8'));
  const hashes = Object.fromEntries(OUTPUTS.map((f) => [f, createHash('sha256').update(readFileSync(join(out, f))).digest('hex')]));
  replays.push({ out, seconds: child.seconds, cpuSeconds: child.cpuSeconds, peakRssBytes: child.peakRssBytes, record, hashes });
}
const analyze = {
  seconds: Math.min(...analyses.map((a) => a.seconds)),
  cpuSeconds: Math.min(...analyses.map((a) => a.cpuSeconds ?? Infinity)),
  peakRssBytes: Math.max(...analyses.map((a) => a.peakRssBytes ?? 0)),
  runs: analyses.map((a) => ({ seconds: a.seconds, cpuSeconds: a.cpuSeconds, peakRssBytes: a.peakRssBytes })),
};
const analysisSeconds = analyze.seconds;
const identical = OUTPUTS.every((f) => replays[0].hashes[f] === replays[1].hashes[f]);
const doc = JSON.parse(readFileSync(join(replays[0].out, 'replay.json'), 'utf8'));
const lastStep = await lastStepAgreement();
report();

/** The replay's last step (everything arrived) against investigate's account_farms.csv: accounts flagged by both, and grouped alike. */
async function lastStepAgreement() {
  const db = await openDuckDB(':memory:');
  try {
    await db.connection.run(`ATTACH ${sqlString(join(replays[0].out, 'replay.duckdb'))} AS r (READ_ONLY)`);
    const reader = await db.connection.runAndReadAll(`
      WITH last AS (SELECT account_id, farm_id FROM r.replay_step_members WHERE step = (SELECT max(step) FROM r.replay_step_members)),
           full_ AS (SELECT account_id, farm_id FROM read_csv(${sqlString(join(dir, 'investigate', 'account_farms.csv'))}, all_varchar = true) WHERE farm_id <> '')
      SELECT (SELECT count(*) FROM last)::INTEGER AS replay_flagged, (SELECT count(*) FROM full_)::INTEGER AS investigate_flagged,
             (SELECT count(*) FROM last JOIN full_ USING (account_id))::INTEGER AS both_flagged,
             (SELECT count(*) FROM last JOIN full_ USING (account_id, farm_id))::INTEGER AS same_farm`);
    return reader.getRowObjectsJS()[0];
  } finally {
    db.close();
  }
}

async function logs() {
  const done = (d) => existsSync(join(d, '.generated.done'));
  for (const other of ['farms', 'analyze']) {
    const shared = join(ROOT, '.cache', 'bench', other, name);
    if (!args.fresh && done(shared)) {
      log(`using the logs generated by bench-${other} in ${join(shared, 'data')}`);
      return join(shared, 'data');
    }
  }
  const target = join(dir, 'data');
  if (!done(dir)) {
    rmSync(target, { recursive: true, force: true });
    log(`generate ${args.scenario} (scale ${args.scale}, seed ${args.seed}) into ${target} ...`);
    await cli('generate', ['--quiet', 'generate', '--scenario', args.scenario, '--scale', args.scale, '--seed', args.seed, '--out', target]);
    writeFileSync(join(dir, '.generated.done'), new Date().toISOString());
  }
  return target;
}

function report() {
  const pct = (v) => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(1)}%`);
  const f3 = (v) => (v === null || v === undefined ? '—' : v.toFixed(3));
  const hours = (h) => (h === null || h === undefined ? '—' : h.toFixed(1));
  const yes = (ok) => (ok ? 'met' : '**not met**');
  process.stdout.write(`\nfarmscope replay --step ${args.step} — ${args.scenario} (scale ${args.scale}, seed ${args.seed}); ${cpus().length} cores, `
    + `${formatBytes(totalmem())} RAM, load average ${load.toFixed(1)} at start\n\n`);

  const big = doc.true_farms.filter((f) => f.accounts >= BARS.minAccounts);
  const timely = (f) => f.detected_step !== null && f.delay_hours <= BARS.maxDelayHours && f.requests_share < BARS.maxShare;
  process.stdout.write(`Detection per true farm (delay from the farm's first request to the cut-off of the step that found it):\n\n${markdownTable(
    ['true farm', 'campaign', 'accounts', 'first request', 'detected at step', 'delay (h)', 'requests before', 'share', 'output tokens before', 'share'],
    doc.true_farms.map((f) => [f.farm_id, f.campaign, formatInt(f.accounts), f.first_request, f.detected_step ?? 'never', hours(f.delay_hours),
      formatInt(f.requests_before_detection), pct(f.requests_share), formatInt(f.output_tokens_before_detection), pct(f.output_tokens_share)]),
    ['l', 'l', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'])}\n\n`);

  const retracted = doc.farms.filter((f) => f.retracted_at_steps.length > 0);
  process.stdout.write(`Per step:\n\n${markdownTable(
    ['step', 'cut-off', 'farms', 'flagged', 'new', 'retracted', 'precision', 'recall'],
    doc.steps.map((s) => [s.step, s.cutoff, s.farms, formatInt(s.flagged_accounts), s.new_farms.length, s.retracted_farms.length, f3(s.precision), f3(s.recall)]),
    ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'])}\n\n`);

  const [a, b] = replays;
  const stepSeconds = a.record.steps.reduce((sum, s) => sum + s.seconds, 0);
  const cpuRatio = (r) => (r.cpuSeconds && analyze.cpuSeconds ? `${(r.cpuSeconds / analyze.cpuSeconds).toFixed(2)}×` : '—');
  process.stdout.write(`Cost (one investigate = ingest ${formatSeconds(timings.ingest)} s + analysis + outputs ${formatSeconds(timings.outputs)} s; one analysis = \`farmscope analyze\` on its case file, the faster of two runs made alternately with the replays; ratios against it):\n\n${markdownTable(
    ['run', 'wall', 'CPU', 'peak RSS', 'replay / analysis (wall)', 'replay / analysis (CPU)', 'replay / investigate (wall)'],
    [
      ['investigate', `${formatSeconds(investigate.seconds)} s`, `${formatSeconds(investigate.cpuSeconds)} s`, formatBytes(investigate.peakRssBytes), '—', '—', '—'],
      ...analyze.runs.map((r, i) => [`analyze ${i + 1}`, `${formatSeconds(r.seconds)} s`, `${formatSeconds(r.cpuSeconds)} s`, formatBytes(r.peakRssBytes), '—', '—', '—']),
      ...replays.map((r, i) => [`replay ${i + 1} (${r.record.steps.length} steps, ${formatSeconds(r.record.steps.reduce((s, x) => s + x.seconds, 0))} s in steps)`,
        `${formatSeconds(r.seconds)} s`, `${formatSeconds(r.cpuSeconds)} s`, formatBytes(r.peakRssBytes),
        `${(r.seconds / analysisSeconds).toFixed(2)}×`, cpuRatio(r), `${(r.seconds / investigate.seconds).toFixed(2)}×`]),
    ],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'])}\n\n`);

  const precisions = doc.steps.map((s) => s.precision).filter((p) => p !== null);
  const lowest = precisions.length ? Math.min(...precisions) : null;
  const ratio = Math.min(a.seconds, b.seconds) / analysisSeconds;
  // On a shared machine wall times swing with the load: the bar must hold in CPU time too.
  const cpu = Math.min(a.cpuSeconds ?? Infinity, b.cpuSeconds ?? Infinity) / (analyze.cpuSeconds ?? NaN);
  process.stdout.write([
    `Bars (issue 8):`,
    `- every true farm of ≥ ${BARS.minAccounts} accounts (${big.map((f) => f.farm_id).join(', ') || 'none'}) detected within ${BARS.maxDelayHours} h of its first request, before ${pct(BARS.maxShare)} of its requests: ${yes(big.length > 0 && big.every(timely))}`,
    `- precision at every step ≥ ${BARS.minPrecision}: lowest ${f3(lowest)}: ${yes(lowest !== null && lowest >= BARS.minPrecision)}; farms found and later retracted: ${retracted.length} (${retracted.map((f) => f.farm_id).join(', ') || 'none'}), each reported in replay.json`,
    `- replay ≤ ${BARS.maxRatio}× one full analysis: ${ratio.toFixed(2)}× (faster of the two runs, wall; CPU ${cpuRatio(a)}, ${cpuRatio(b)}; ${(Math.min(a.seconds, b.seconds) / investigate.seconds).toFixed(2)}× one investigate): ${yes(ratio <= BARS.maxRatio && cpu <= BARS.maxRatio)} (wall and CPU)`,
    `- the last step (everything arrived) against one investigate: ${lastStep.replay_flagged} and ${lastStep.investigate_flagged} accounts flagged, ${lastStep.both_flagged} by both, ${lastStep.same_farm} in the same farm`,
    `- byte-identical outputs on a rerun (${OUTPUTS.join(', ')}): ${identical ? 'yes' : '**no**'}`,
    `(replay 1: ingest ${formatSeconds(a.record.ingest_seconds)} s, steps ${formatSeconds(stepSeconds)} s)`,
  ].join('\n') + '\n');

  writeFileSync(join(ROOT, '.cache', 'bench', 'replay', `${name}-results.json`), `${JSON.stringify({
    date: new Date().toISOString(), scenario: args.scenario, scale: Number(args.scale), seed: Number(args.seed), step: args.step,
    cores: cpus().length, totalMemoryBytes: totalmem(), loadAverageAtStart: load,
    investigate: { seconds: investigate.seconds, cpuSeconds: investigate.cpuSeconds, peakRssBytes: investigate.peakRssBytes, timings },
    analyze,
    replays: replays.map(({ out: _o, ...r }) => r), identical, lastStep, steps: doc.steps, trueFarms: doc.true_farms, farms: doc.farms,
  }, null, 2)}\n`);
}
