// One generation run: check everything (scenario, seed, scale, output folder)
// before writing anything, build the account and request tables in a scratch
// in-memory DuckDB, then let DuckDB write each contract table with COPY; rows
// never pass through JS. Output row order relies on DuckDB's default
// preserve_insertion_order (requests are stored in time order).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CaseFile, CONTRACT_TABLES, InputError, literal, type ContractTableName } from '@farmscope/casefile';
import { createAccountsSql, ACCOUNTS_TABLE } from './accounts-sql.js';
import { enforcementSql } from './enforcement-sql.js';
import { createRequestsSql, eventsSql } from './events-sql.js';
import { networkMacros, userAgentMacro } from './network-sql.js';
import { outputFileNames, prepareOutputFolder, SCENARIO_COPY, type OutputFormat } from './output-folder.js';
import { bindSalts, randomMacros } from './random-sql.js';
import { accountsRegistrySql, truthSql } from './registry-sql.js';
import { loadScenario } from './scenario-files.js';
import type { GenerateParameters, Scenario } from './scenario.js';

export interface GenerateOptions {
  /** A shipped scenario name or a path to a scenario JSON file. */
  scenario: string;
  seed: number;
  scale?: number;
  out: string;
  format?: OutputFormat;
  force?: boolean;
  memoryLimitBytes?: number;
  threads?: number;
  /** Progress lines (one per table written). */
  onProgress?: (message: string) => void;
}

export interface GenerateResult {
  outDir: string;
  scenario: Scenario;
  files: Record<ContractTableName, string>;
  rows: Record<ContractTableName, number>;
  seconds: number;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const parameters = checkParameters(options);
  const { scenario } = loadScenario(options.scenario, parameters.scale);
  const outDir = resolve(options.out);
  prepareOutputFolder(outDir, options.force ?? false);

  const tempDirectory = mkdtempSync(join(outDir, '.generate-tmp-'));
  const caseFile = await CaseFile.open(':memory:', {
    tempDirectory,
    ...(options.memoryLimitBytes ? { memoryLimitBytes: options.memoryLimitBytes } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
  });
  // Every statement goes through bindSalts (integer salts for the hash draws).
  const db = {
    run: (sql: string, purpose: string) => caseFile.run(bindSalts(sql), purpose),
    number: async (sql: string, purpose: string) => Number(await caseFile.value(bindSalts(sql), purpose)),
  };
  const names = outputFileNames(parameters.format);
  const files = Object.fromEntries(Object.entries(names).map(([t, n]) => [t, join(outDir, n)])) as Record<ContractTableName, string>;
  const rows = {} as Record<ContractTableName, number>;
  const progress = options.onProgress ?? (() => {});
  try {
    for (const sql of [...randomMacros(parameters.seed), ...networkMacros(), userAgentMacro()]) {
      await db.run(sql, 'define the generator macros');
    }
    await db.run(createAccountsSql(scenario), 'build the accounts of the scenario');
    await db.run(createRequestsSql(), 'place the requests in time');
    const queries: Record<ContractTableName, string> = {
      events: eventsSql(scenario.models, scenario.embeddingDim),
      accounts: accountsRegistrySql(),
      enforcement: enforcementSql(scenario.window.end),
      truth: truthSql(),
    };
    for (const table of ['events', 'accounts', 'enforcement', 'truth'] as const) {
      const t0 = performance.now();
      await db.run(copySql(table, queries[table], files[table], parameters.format), `write ${names[table]}`);
      rows[table] = await db.number(countSql(table, files[table], parameters.format), `count ${names[table]}`);
      progress(`${names[table]}: ${rows[table].toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const expected = await db.number(`SELECT sum(n_events) FROM ${ACCOUNTS_TABLE}`, 'count the planned requests');
    if (expected !== rows.events) throw new Error(`internal: planned ${expected} requests, wrote ${rows.events}`);
  } finally {
    caseFile.close();
    rmSync(tempDirectory, { recursive: true, force: true });
  }
  writeFileSync(join(outDir, SCENARIO_COPY), `${JSON.stringify({ parameters, scenario }, null, 2)}\n`);
  return { outDir, scenario, files, rows, seconds: (performance.now() - started) / 1000 };
}

function checkParameters(options: GenerateOptions): GenerateParameters {
  const { seed } = options;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InputError(`invalid seed: ${seed} (expected a whole number ≥ 0)`);
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale) || scale <= 0) throw new InputError(`invalid scale: ${scale} (expected a number > 0)`);
  const format = options.format ?? 'parquet';
  if (format !== 'parquet' && format !== 'jsonl') throw new InputError(`invalid format: ${String(format)} (expected parquet or jsonl)`);
  return { seed, scale, format };
}

/** COPY of a table to its file; JSON Lines get ISO-8601 "Z" times. */
function copySql(table: ContractTableName, query: string, file: string, format: OutputFormat): string {
  if (format === 'parquet') {
    return `COPY (${query}) TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd)`;
  }
  const times = CONTRACT_TABLES[table].columns.filter((c) => c.kind === 'timestamp').map((c) => c.name);
  const replace = times.map((c) => `strftime(${c}, '%Y-%m-%dT%H:%M:%S.%fZ') AS ${c}`).join(', ');
  const select = times.length > 0 ? `SELECT * REPLACE (${replace}) FROM (${query})` : query;
  return `COPY (${select}) TO ${literal(file)} (FORMAT json)`;
}

function countSql(table: ContractTableName, file: string, format: OutputFormat): string {
  void table;
  return format === 'parquet'
    ? `SELECT count(*) FROM read_parquet(${literal(file)})`
    : `SELECT count(*) FROM read_json(${literal(file)}, format = 'newline_delimited', columns = {'x': 'VARCHAR'})`;
}
