// One generation run: check everything (scenario, seed, scale, output folder)
// before writing anything, build the account and request tables in a scratch
// in-memory DuckDB, then let DuckDB write each contract table with COPY; rows
// never pass through JS. Output row order relies on DuckDB's default
// preserve_insertion_order (requests are stored in time order).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CaseFile, CONTRACT_TABLES, defaultMemoryLimitBytes, InputError, literal, type ContractTableName } from '@farmscope/casefile';
import { createAccountsSql, ACCOUNTS_TABLE } from './accounts-sql.js';
import { enforcementSql } from './enforcement-sql.js';
import { createRequestsSql, eventsSql } from './events-sql.js';
import { networkMacros, userAgentMacro } from './network-sql.js';
import { outputFileNames, prepareGeneratorFolder, SCENARIO_COPY, type OutputFormat } from './output-folder.js';
import { parquetRowCountSql, rowGroupsOutOfOrderSql } from './output-checks.js';
import { bindSalts, randomMacros } from './random-sql.js';
import { accountsRegistrySql, truthSql } from './registry-sql.js';
import { loadScenario } from './scenario-files.js';
import type { GenerateParameters, Scenario } from './scenario.js';

/**
 * DuckDB memory limit unless told otherwise: the sort of the request keys and
 * the parquet writer fit in it with room to spare (claude-2026 peaks near
 * 2.5 GiB), and it keeps a run well under the 8 GiB budget; beyond it DuckDB
 * spills to a temporary folder inside --out.
 */
const DEFAULT_MEMORY_LIMIT = 4 * 2 ** 30;

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
  prepareGeneratorFolder(outDir, options.force ?? false);

  const tempDirectory = mkdtempSync(join(outDir, '.generate-tmp-'));
  const caseFile = await CaseFile.open(':memory:', {
    tempDirectory,
    memoryLimitBytes: options.memoryLimitBytes ?? Math.min(defaultMemoryLimitBytes(), DEFAULT_MEMORY_LIMIT),
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
      // The events are written on one thread: with several, DuckDB 1.5's hash
      // join swapped whole row groups of the time-ordered requests on big runs
      // (18 of 342 row groups in claude-2026). The footer check below guards it.
      if (table === 'events') await db.run('SET threads = 1', 'write the events in time order');
      await db.run(copySql(table, queries[table], files[table], parameters.format), `write ${names[table]}`);
      if (table === 'events') await db.run(options.threads ? `SET threads = ${options.threads}` : 'RESET threads', 'restore the threads');
      rows[table] = await db.number(plannedRowsSql(table, queries[table]), `count ${names[table]}`);
      if (parameters.format === 'parquet') {
        const written = await db.number(parquetRowCountSql(files[table]), `check ${names[table]}`);
        if (written !== rows[table]) throw new Error(`internal: planned ${rows[table]} rows for ${names[table]}, wrote ${written}`);
        if (table === 'events' || table === 'enforcement') {
          const unordered = await db.number(rowGroupsOutOfOrderSql(files[table], 'ts'), `check the order of ${names[table]}`);
          if (unordered > 0) throw new Error(`internal: ${names[table]} has ${unordered} row groups out of time order`);
        }
      }
      progress(`${names[table]}: ${rows[table].toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } catch (error) {
    // No half-written output is left behind to be mistaken for a complete run.
    for (const file of Object.values(files)) rmSync(file, { force: true });
    throw error;
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
    // zstd level 1: about 20% less CPU than the default level 3 on these files, and no bigger.
    return `COPY (${query}) TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1)`;
  }
  const times = CONTRACT_TABLES[table].columns.filter((c) => c.kind === 'timestamp').map((c) => c.name);
  const replace = times.map((c) => `strftime(${c}, '%Y-%m-%dT%H:%M:%S.%fZ') AS ${c}`).join(', ');
  const select = times.length > 0 ? `SELECT * REPLACE (${replace}) FROM (${query})` : query;
  return `COPY (${select}) TO ${literal(file)} (FORMAT json)`;
}

/** Row count of a table without reading its file: requests are planned per account. */
function plannedRowsSql(table: ContractTableName, query: string): string {
  if (table === 'events') return `SELECT coalesce(sum(n_events), 0) FROM ${ACCOUNTS_TABLE}`;
  if (table === 'accounts' || table === 'truth') return `SELECT count(*) FROM ${ACCOUNTS_TABLE}`;
  return `SELECT count(*) FROM (${query})`;
}
