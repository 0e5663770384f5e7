// `farmscope replay`: replays the log in time order, analysing at each step
// what had arrived by then, and writes when each farm was first detected and
// what it had harvested by then (replay.json, replay.csv, replay-steps.csv,
// replay.html) into --out. See packages/replay.
import type { Command } from 'commander';
import { InputError } from '@farmscope/casefile';
import { DEFAULT_MAX_TEXT_CHARS, mergeMappings, parseColumnFlags, parseFormatOption, readMappingFile } from '@farmscope/ingest';
import { formatDuration, parseDuration, replay, type ReplayMode, type ReplayResult } from '@farmscope/replay';
import { withExamples } from '../examples.js';
import { caseFileOptions, globalOptions, InvalidOption } from '../global-options.js';
import { createProgress } from '../progress.js';

interface ReplayOptions {
  events: string[];
  accounts?: string[];
  enforcement?: string[];
  truth?: string;
  step: string;
  window?: string;
  cumulative?: boolean;
  from?: string;
  to?: string;
  config?: string;
  embedAll?: boolean;
  keepEvents?: boolean;
  map?: string;
  col: string[];
  format?: string;
  maxTextChars: string;
  out: string;
  force?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerReplay(program: Command): void {
  const command = program
    .command('replay')
    .description(
      'replay the log in time order, analysing at each step what had arrived by then: when each farm was first detected, ' +
        'the delay from its first request, and the requests and output tokens it had harvested before (replay.json, replay.csv, replay-steps.csv, replay.html in --out)',
    )
    .requiredOption('--events <files...>', 'event files, globs or (hive-partitioned) folders')
    .option('--accounts <files...>', 'account registry files (an account is known from its created_at)')
    .option('--enforcement <files...>', 'enforcement action files (an action is known from its ts)')
    .requiredOption('--step <duration>', 'time between analyses, e.g. 1d, 6h, 1d12h')
    .option('--window <duration>', 'analyse only the last <duration> of events at each step (sliding window; at least --step)')
    .option('--cumulative', 'analyse everything that had arrived at each step (the default)')
    .option('--from <time>', 'replay from this UTC time (ISO-8601); default: the first event, floored to a whole step')
    .option('--to <time>', 'replay up to this UTC time (exclusive); default: past the last event')
    .option('--truth <file>', 'ground truth (account_id, farm_id, campaign; from farmscope generate): precision/recall per step, detection per true farm')
    .option('--config <file.json>', 'farm reconstruction config (overrides the defaults)')
    .option('--keep-events', 'keep the ingested events in the case file (replay_events, the last step\'s prompt_sample and event_templates, and views events/accounts/enforcement of the last step), e.g. to report on the last step; default: not (the replay holds them in memory, and the inputs are the record)')
    .option('--embed-all', 'embed at each step as a full analysis does: the suspects\' vectors with the IDF over every account\'s sampled prompts (slower; default: the IDF over the suspects\' prompts only)')
    .option('--map <file.json>', 'JSON mapping of contract columns to source column names')
    .option('--col <name=source>', 'map one contract column to a source column (repeatable)', collect, [])
    .option('--format <format>', 'input format, overriding the file names (parquet, arrow, jsonl, csv, tsv, each optionally .gz)')
    .option('--max-text-chars <n>', 'cut prompts and system prompts longer than this (0 = keep all)', String(DEFAULT_MAX_TEXT_CHARS))
    .requiredOption('--out <dir>', 'output folder (must be empty or absent unless --force)')
    .option('--force', 'write into a non-empty folder, replacing the files replay writes (and its default case file)')
    .action(async (options: ReplayOptions, cmd: Command) => {
      const globals = globalOptions(cmd);
      const stepMs = parseDuration(options.step, '--step');
      if (options.window !== undefined && options.cumulative) throw new InputError('give --window or --cumulative, not both');
      const mode: ReplayMode = options.window === undefined ? { kind: 'cumulative' } : { kind: 'window', windowMs: parseDuration(options.window, '--window') };
      const fromMs = options.from === undefined ? undefined : parseTime(options.from, '--from');
      const toMs = options.to === undefined ? undefined : parseTime(options.to, '--to');
      if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) throw new InputError(`--to ${options.to} is not after --from ${options.from}`);
      const maxTextChars = Number(options.maxTextChars);
      if (!Number.isInteger(maxTextChars) || maxTextChars < 0) throw new InvalidOption('--max-text-chars', options.maxTextChars, 'a whole number ≥ 0');
      const dbGiven = cmd.getOptionValueSourceWithGlobals('db') !== 'default';
      const notice = (msg: string) => {
        if (!globals.quiet) process.stderr.write(`farmscope: ${msg}\n`);
      };
      const result = await replay({
        inputs: { events: options.events, accounts: options.accounts ?? [], enforcement: options.enforcement ?? [] },
        ...(options.truth !== undefined ? { truth: options.truth } : {}),
        out: options.out,
        force: options.force ?? false,
        ...(dbGiven ? { db: globals.db } : {}),
        caseFileOptions: caseFileOptions(globals),
        stepMs,
        mode,
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(toMs !== undefined ? { toMs } : {}),
        ...(options.config !== undefined ? { configPath: options.config } : {}),
        embedAllAccounts: options.embedAll ?? false,
        keepEvents: options.keepEvents ?? false,
        mapping: mergeMappings(options.map ? readMappingFile(options.map) : {}, parseColumnFlags(options.col)),
        ...(options.format !== undefined ? { format: parseFormatOption(options.format) } : {}),
        maxTextChars,
        parameters: {
          events: options.events,
          accounts: options.accounts ?? [],
          enforcement: options.enforcement ?? [],
          truth: options.truth ?? null,
          step: formatDuration(stepMs),
          window: mode.kind === 'window' ? formatDuration(mode.windowMs) : null,
          from: options.from ?? null,
          to: options.to ?? null,
          config: options.config ?? null,
          embed_all: options.embedAll ?? false,
        },
        notice,
        progress: (caseFile) => createProgress(caseFile, !globals.quiet),
      });
      printSummary(result);
    });
  withExamples(command, [
    'farmscope replay --events logs/*.parquet --accounts accounts.parquet --enforcement bans.jsonl --step 1d --out replay/',
    'farmscope replay --events logs/ --step 6h --window 3d --out replay-6h/',
    'farmscope replay --events gen/events.parquet --accounts gen/accounts.parquet --truth gen/truth.parquet --step 1d --out replay/',
  ]);
}

function parseTime(text: string, option: string): number {
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !/T|\d\d:\d\d/.test(text) ? text : `${text}Z`);
  if (!Number.isFinite(ms)) throw new InvalidOption(option, text, 'an ISO-8601 UTC time such as 2026-05-01 or 2026-05-01T06:00:00Z');
  return ms;
}

function printSummary(r: ReplayResult): void {
  const d = r.document;
  const analysed = r.steps.filter((s) => s.analysed).length;
  const lines = [
    `steps: ${d.schedule.steps} of ${formatDuration(d.schedule.step_seconds * 1000)} from ${d.schedule.start} to ${d.schedule.end} (${analysed} analysed, ${d.schedule.mode})`,
    `farms found: ${d.farms.length}; retracted later: ${d.farms.filter((f) => f.retracted_at_steps.length > 0).length}`,
  ];
  if (d.true_farms) {
    const detected = d.true_farms.filter((f) => f.detected_step !== null).length;
    const precisions = d.steps.map((s) => s.precision).filter((p): p is number => p !== null);
    lines.push(
      `true farms detected: ${detected} of ${d.true_farms.length}; lowest precision at a step: ${precisions.length ? Math.min(...precisions).toFixed(3) : '—'}`,
    );
  }
  lines.push(`wrote: ${r.written.join(', ')} in ${r.out}`, `case file: ${r.db} (${r.seconds.toFixed(1)} s)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
