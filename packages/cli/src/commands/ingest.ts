// `farmscope ingest`: loads events, accounts and enforcement files into the
// case file and prints what was loaded, rejected and skipped, per file.
import { basename } from 'node:path';
import type { Command } from 'commander';
import { InputError, withCaseFile } from '@farmscope/casefile';
import {
  ingest,
  mergeMappings,
  parseColumnFlags,
  parseFormatOption,
  parseSourceOption,
  readMappingFile,
  SOURCE_NAMES,
  DEFAULT_MAX_TEXT_CHARS,
  defaultIngestMemoryLimitBytes,
  type DetectedFormat,
  type IngestRequest,
  type IngestSummary,
} from '@farmscope/ingest';
import { withExamples } from '../examples.js';
import { caseFileOptions, globalOptions } from '../global-options.js';
import { formatRows } from '../output.js';
import { createProgress } from '../progress.js';

interface IngestOptions {
  events?: string[];
  accounts?: string[];
  enforcement?: string[];
  format: string[];
  map?: string;
  col: string[];
  source: string;
  maxTextChars: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerIngest(program: Command): void {
  const command = program
    .command('ingest')
    .description(
      'load usage logs (events), the account registry and enforcement actions into the case file ' +
        '(DuckDB memory limit: 3 GiB unless --memory-limit says otherwise; larger loads spill to <db>.tmp)',
    )
    .option('--events <files...>', 'event files, globs or (hive-partitioned) folders')
    .option('--accounts <files...>', 'account registry files')
    .option('--enforcement <files...>', 'enforcement action files')
    .option(
      '--format <format>',
      'input format, overriding the file names (parquet, arrow, jsonl, csv, tsv, each optionally .gz), ' +
        'and/or output format of the summary (table, json); may be given twice',
      collect,
      [],
    )
    .option('--map <file.json>', 'JSON mapping of contract columns to source column names')
    .option('--col <name=source>', 'map one contract column to a source column (repeatable)', collect, [])
    .option(
      '--source <name>',
      `log format of the events files: auto (recognised per file by its keys), ${SOURCE_NAMES.join(', ')} ` +
        '(see "Supported sources" in the README)',
      'auto',
    )
    .option('--max-text-chars <n>', 'cut prompts and system prompts longer than this (0 = keep all)', String(DEFAULT_MAX_TEXT_CHARS))
    .action(async (options: IngestOptions, cmd: Command) => {
      const globals = globalOptions(cmd);
      const { input, output } = splitFormats(options.format);
      const requests: IngestRequest[] = [
        { table: 'events', inputs: options.events ?? [] },
        { table: 'accounts', inputs: options.accounts ?? [] },
        { table: 'enforcement', inputs: options.enforcement ?? [] },
      ];
      if (requests.every((r) => r.inputs.length === 0)) {
        throw new InputError('ingest: nothing to load; give --events, --accounts and/or --enforcement files');
      }
      const mapping = mergeMappings(options.map ? readMappingFile(options.map) : {}, parseColumnFlags(options.col));
      const source = parseSourceOption(options.source);
      const maxTextChars = Number(options.maxTextChars);
      if (!Number.isInteger(maxTextChars) || maxTextChars < 0) {
        throw new InputError(`invalid value for --max-text-chars: "${options.maxTextChars}" (expected a whole number ≥ 0)`);
      }
      const notice = (msg: string) => {
        if (!globals.quiet) process.stderr.write(`farmscope: ${msg}\n`);
      };
      // What vendor sources lack, said once per source and column (not once per file).
      const gaps = new Map<string, number>();
      const fileOptions = caseFileOptions(globals);
      fileOptions.memoryLimitBytes ??= defaultIngestMemoryLimitBytes();
      const summary = await withCaseFile(globals.db, fileOptions, async (caseFile) => {
        const progress = await createProgress(caseFile, !globals.quiet);
        try {
          return await ingest(caseFile, requests, {
            mapping,
            source,
            maxTextChars,
            ...(input ? { format: input } : {}),
            onFileStart: (i, n, table, file) => progress.update(`[${i + 1}/${n}] ${table} ${basename(file.path)}`),
            onFileDone: (r) => {
              if (r.message) notice(`${r.path}: ${r.message}`);
              for (const gap of r.unavailable ?? []) {
                const key = `${r.source} logs: no ${gap.field} (${gap.provenance}): ${gap.note}`;
                gaps.set(key, (gaps.get(key) ?? 0) + 1);
              }
              if (r.textsTruncated > 0) {
                notice(`${r.path}: ${r.textsTruncated} prompt(s) longer than ${maxTextChars} characters were cut (see --max-text-chars)`);
              }
            },
          });
        } finally {
          progress.done();
        }
      });
      printSummary(summary, output, globals.db);
      for (const [gap, files] of gaps) notice(`${gap}${files > 1 ? ` (${files} files)` : ''}`);
      for (const f of summary.failures) process.stderr.write(`farmscope: error: ${f.error}\n`);
      if (summary.failures.length > 0) {
        process.exitCode = Math.max(...summary.failures.map((f) => f.exitCode));
      }
    });
  withExamples(command, [
    'farmscope ingest --events logs/2026-*.parquet --accounts accounts.csv --enforcement bans.jsonl',
    'farmscope --db case.duckdb ingest --events exports/events/   # a hive-partitioned folder',
    'farmscope ingest --events gateway.jsonl.gz --col ts=timestamp --col account_id=customer_id',
    'farmscope ingest --events dump.txt --format jsonl --format json   # input format, JSON summary',
    'farmscope ingest --events logs.csv --map mapping.json',
    'farmscope ingest --events bedrock-logs/ cloudtrail/*.json.gz   # Bedrock invocation logs + CloudTrail, recognised by their keys',
    'farmscope ingest --events LiteLLM_SpendLogs.csv --source litellm',
    'farmscope query "SELECT field, provenance, sum(rows) FROM source_capabilities GROUP BY ALL ORDER BY ALL"',
  ]);
}

function splitFormats(values: readonly string[]): { input?: DetectedFormat; output: 'table' | 'json' } {
  let input: DetectedFormat | undefined;
  let output: 'table' | 'json' = 'table';
  for (const value of values) {
    if (value === 'table' || value === 'json') output = value;
    else input = parseFormatOption(value);
  }
  return { ...(input ? { input } : {}), output };
}

function printSummary(summary: IngestSummary, format: 'table' | 'json', db: string): void {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ case_file: db, ...summary }, null, 2)}\n`);
    return;
  }
  const rows = [
    ...summary.files.map((f) => ({
      table: f.table, file: f.path, format: f.source ? `${f.format} (${f.source})` : f.format, status: f.status,
      read: f.rowsRead, loaded: f.rowsLoaded, rejected: f.rowsRejected, duplicate: f.rowsDuplicate,
      seconds: Number(f.seconds.toFixed(2)),
    })),
    ...summary.failures.map((f) => ({
      table: f.table, file: f.path, format: '', status: 'failed', read: null, loaded: null, rejected: null, duplicate: null, seconds: null,
    })),
  ];
  const columns = ['table', 'file', 'format', 'status', 'read', 'loaded', 'rejected', 'duplicate', 'seconds'];
  process.stdout.write(formatRows(rows, columns, 'table'));
  const t = summary.totals;
  process.stdout.write(
    `total: ${t.rowsRead} read, ${t.rowsLoaded} loaded, ${t.rowsRejected} rejected (see rejected_rows), ` +
      `${t.rowsDuplicate} duplicate, ${summary.failures.length} file(s) failed → ${db}\n`,
  );
}
