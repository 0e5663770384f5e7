// `farmscope query "<SQL>"`: read-only SQL on the case file, printed as a
// table, JSON or CSV, or written to Parquet/CSV/JSON with --out (by DuckDB's
// COPY, so big results never pass through JS).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { DuckDBTypeId } from '@duckdb/node-api';
import { CaseFile, duckdbMessage, InputError, literal, toPlainValue, withCaseFile } from '@farmscope/casefile';
import { caseFileOptions, globalOptions } from '../global-options.js';
import { withExamples } from '../examples.js';
import { formatRows, type OutputFormat } from '../output.js';

interface QueryOptions {
  format: OutputFormat | 'parquet';
  out?: string;
  limit: string;
}

export function registerQuery(program: Command): void {
  const command = program
    .command('query')
    .description('run read-only SQL on the case file')
    .argument('<sql>', 'a SQL query (SELECT, FROM, WITH, DESCRIBE, SUMMARIZE, SHOW, PRAGMA ...)')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv', 'parquet']).default('table'),
    )
    .option('--out <file>', 'write the whole result to this file (parquet, csv or json) instead of stdout')
    .option('--limit <n>', 'at most this many rows on stdout (0 = no limit); --out writes all rows', '10000')
    .action(async (sql: string, options: QueryOptions, cmd: Command) => {
      const globals = globalOptions(cmd);
      await withCaseFile(globals.db, { ...caseFileOptions(globals), readOnly: true }, (caseFile) =>
        runQuery(caseFile, sql, options),
      );
    });
  withExamples(command, [
    `farmscope query "SELECT count(*) AS n FROM events"`,
    `farmscope query "FROM rejected_rows LIMIT 20" --format json`,
    `farmscope query "SELECT * FROM events WHERE account_id = 'acct-1'" --format parquet --out acct-1.parquet`,
  ]);
}

async function runQuery(caseFile: CaseFile, sql: string, options: QueryOptions): Promise<void> {
  const body = sql.trim().replace(/;\s*$/, '');
  if (body === '') throw new InputError('query: the SQL is empty');
  if (options.format === 'parquet' && !options.out) {
    throw new InputError('query: --format parquet needs --out <file>');
  }
  if (options.out) {
    const format = options.format === 'table' ? inferFormat(options.out) : options.format;
    mkdirSync(dirname(resolve(options.out)), { recursive: true });
    try {
      await caseFile.connection.run(`COPY (${body}) TO ${literal(options.out)} (FORMAT ${format})`);
    } catch (error) {
      throw new InputError(`query failed: ${duckdbMessage(error)}`, { cause: error });
    }
    process.stderr.write(`wrote ${options.out}\n`);
    return;
  }
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new InputError(`invalid value for --limit: "${options.limit}"`);
  let reader;
  try {
    reader = await caseFile.connection.streamAndReadUntil(body, limit === 0 ? Number.MAX_SAFE_INTEGER : limit + 1);
  } catch (error) {
    throw new InputError(`query failed: ${duckdbMessage(error)}`, { cause: error });
  }
  const columns = reader.columnNames();
  const dateColumns = new Set(columns.filter((_, i) => reader.columnTypes()[i]!.typeId === DuckDBTypeId.DATE));
  const all = reader.getRowObjectsJS();
  const rows = (limit === 0 ? all : all.slice(0, limit)).map((row) => plainRow(row, dateColumns));
  process.stdout.write(formatRows(rows, columns, options.format as OutputFormat));
  if (limit !== 0 && all.length > limit) {
    process.stderr.write(`(output cut at ${limit} rows; use --limit 0 or --out for all)\n`);
  }
}

/** Plain JSON-safe values; DATE columns print as YYYY-MM-DD, not as a midnight timestamp. */
function plainRow(row: Record<string, unknown>, dateColumns: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const plain = toPlainValue(v);
    out[k] = dateColumns.has(k) && typeof plain === 'string' ? plain.slice(0, 10) : plain;
  }
  return out;
}

function inferFormat(path: string): 'parquet' | 'csv' | 'json' {
  if (/\.parquet$/i.test(path)) return 'parquet';
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(json|jsonl|ndjson)$/i.test(path)) return 'json';
  throw new InputError(`query: cannot tell the format of --out ${path}; pass --format parquet|csv|json`);
}
