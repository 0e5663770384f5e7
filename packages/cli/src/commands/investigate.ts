// `farmscope investigate`: ingest + analyze + outputs in one command (contract
// §5). The case file goes where --db says, by default inside --out.
import type { Command } from 'commander';
import {
  defaultIngestMemoryLimitBytes,
  DEFAULT_MAX_TEXT_CHARS,
  mergeMappings,
  parseColumnFlags,
  parseFormatOption,
  parseSourceOption,
  readMappingFile,
  SOURCE_NAMES,
} from '@farmscope/ingest';
import { withExamples } from '../examples.js';
import { caseFileOptions, globalOptions, InvalidOption } from '../global-options.js';
import { investigate, type InvestigateResult } from '../investigate/investigate.js';

interface InvestigateOptions {
  events: string[];
  accounts?: string[];
  enforcement?: string[];
  config?: string;
  map?: string;
  col: string[];
  format?: string;
  source: string;
  maxTextChars: string;
  out: string;
  force?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerInvestigate(program: Command): void {
  const command = program
    .command('investigate')
    .description(
      'ingest, analyze and write the findings in one go: account_farms.csv, farms.json, manifest.json, report.html ' +
        '(and run.json with timings) in --out; the case file is --db, by default <out>/case.duckdb',
    )
    .requiredOption('--events <files...>', 'event files, globs or (hive-partitioned) folders')
    .option('--accounts <files...>', 'account registry files')
    .option('--enforcement <files...>', 'enforcement action files')
    .option('--config <file.json>', 'farm reconstruction config (overrides the defaults; the full effective config goes in manifest.json)')
    .option('--map <file.json>', 'JSON mapping of contract columns to source column names')
    .option('--col <name=source>', 'map one contract column to a source column (repeatable)', collect, [])
    .option('--format <format>', 'input format, overriding the file names (parquet, arrow, jsonl, csv, tsv, each optionally .gz)')
    .option('--source <name>', `log format of the events files: auto (by their keys), ${SOURCE_NAMES.join(', ')}`, 'auto')
    .option('--max-text-chars <n>', 'cut prompts and system prompts longer than this (0 = keep all)', String(DEFAULT_MAX_TEXT_CHARS))
    .requiredOption('--out <dir>', 'output folder (must be empty or absent unless --force)')
    .option('--force', 'write into a non-empty folder, replacing the files investigate writes (and its default case file)')
    .action(async (options: InvestigateOptions, cmd: Command) => {
      const globals = globalOptions(cmd);
      const maxTextChars = Number(options.maxTextChars);
      if (!Number.isInteger(maxTextChars) || maxTextChars < 0) {
        throw new InvalidOption('--max-text-chars', options.maxTextChars, 'a whole number ≥ 0');
      }
      const format = options.format === undefined ? undefined : parseFormatOption(options.format);
      const source = parseSourceOption(options.source);
      const mapping = mergeMappings(options.map ? readMappingFile(options.map) : {}, parseColumnFlags(options.col));
      const dbGiven = cmd.getOptionValueSourceWithGlobals('db') !== 'default';
      const notice = (msg: string) => {
        if (!globals.quiet) process.stderr.write(`farmscope: ${msg}\n`);
      };
      const result = await investigate({
        inputs: { events: options.events, accounts: options.accounts ?? [], enforcement: options.enforcement ?? [] },
        out: options.out,
        force: options.force ?? false,
        db: dbGiven ? globals.db : undefined,
        caseFileOptions: caseFileOptions(globals),
        ingestMemoryLimitBytes: globals.memoryLimit ? undefined : defaultIngestMemoryLimitBytes(),
        configPath: options.config,
        mapping,
        sideFiles: options.map ? [{ role: 'column_mapping', path: options.map }] : [],
        format,
        source,
        maxTextChars,
        options: {
          events: options.events,
          accounts: options.accounts ?? [],
          enforcement: options.enforcement ?? [],
          config: options.config ?? null,
          map: options.map ?? null,
          col: options.col,
          format: options.format ?? null,
          source,
          max_text_chars: maxTextChars,
          threads: globals.threads ?? null,
          memory_limit: globals.memoryLimit ?? null,
        },
        notice,
        showProgress: !globals.quiet,
      });
      printSummary(result);
      for (const f of result.failures) process.stderr.write(`farmscope: error: ${f.error}\n`);
      if (result.failures.length > 0) {
        process.stderr.write(`farmscope: ${result.failures.length} file(s) did not load; the results cover the other files\n`);
        process.exitCode = Math.max(...result.failures.map((f) => f.exitCode));
      }
    });
  withExamples(command, [
    'farmscope investigate --events logs/*.parquet --accounts accounts.parquet --enforcement bans.jsonl --out findings/',
    'farmscope --db incident.duckdb investigate --events exports/events/ --out findings/ --force',
    'farmscope investigate --events gateway.jsonl.gz --col ts=timestamp --config farms.json --out findings/',
  ]);
}

function printSummary(r: InvestigateResult): void {
  const n = (x: number) => x.toLocaleString('en-US');
  const rejected = r.loaded.rejected.reduce((sum, x) => sum + x.rows, 0);
  const lines = [
    `events: ${n(r.loaded.events)} loaded from ${r.loaded.files.filter((f) => f.table === 'events').length} file(s); ` +
      `${n(rejected)} row(s) rejected${rejected > 0 ? ` (${r.loaded.rejected.map((x) => `${x.table} ${x.reason_code} ${n(x.rows)}`).join(', ')}; see rejected_rows)` : ''}, ` +
      `${r.failures.length} file(s) failed`,
    `farms: ${n(r.counts.farms)} found; ${n(r.counts.flagged)} of ${n(r.counts.accounts)} accounts flagged`,
    `wrote: ${r.written.join(', ')} in ${r.out}`,
    `case file: ${r.db} (${r.seconds.toFixed(1)} s)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
