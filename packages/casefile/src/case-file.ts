// The case file: one DuckDB database per investigation. This wrapper owns the
// single DuckDB instance and connection of a process for that file, applies
// the resource settings (memory limit, spill directory, threads), wraps DuckDB
// failures with the statement's purpose, and converts small results to plain
// JS values. Big results stay in DuckDB (COPY ... TO) or are streamed.
import { existsSync, mkdirSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckdbMessage, FarmscopeError, InputError } from './errors.js';
import { literal } from './sql.js';
import { toPlainValue } from './plain-values.js';

export interface CaseFileOptions {
  /** DuckDB memory limit, in bytes; default: 40% of physical memory. */
  memoryLimitBytes?: number;
  /** Where DuckDB spills when a query is larger than memory; default `<case file>.tmp`. */
  tempDirectory?: string;
  threads?: number;
  readOnly?: boolean;
  /** Create the file if missing (default true unless readOnly). */
  create?: boolean;
}

/**
 * 6 GiB, or 40% of RAM when that is less (at least 1 GiB). DuckDB's limit
 * bounds its buffer manager, not every allocation: analysing claude-2026
 * (42M events) peaked at 11.4 GiB RSS under a 9.6 GiB limit and at 7.9 GiB
 * under 6 GiB, and the signal stages ran no slower (they stream, or spill to
 * the temp directory). 40% leaves room for Node, the page cache and a second
 * process on a small machine.
 */
export function defaultMemoryLimitBytes(): number {
  return Math.max(1 << 30, Math.min(6 * 2 ** 30, Math.floor(totalmem() * 0.4)));
}

export type Row = Record<string, unknown>;

export class CaseFile {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Opens (or creates) a case file. `:memory:` gives a throwaway in-memory case. */
  static async open(path: string, options: CaseFileOptions = {}): Promise<CaseFile> {
    const inMemory = path === ':memory:';
    const fullPath = inMemory ? path : resolve(path);
    const readOnly = options.readOnly ?? false;
    if (!inMemory && !existsSync(fullPath)) {
      if (readOnly || options.create === false) {
        throw new InputError(`case file not found: ${path} (run "farmscope ingest" first, or pass --db)`);
      }
      mkdirSync(dirname(fullPath), { recursive: true });
    }
    const config: Record<string, string> = {
      memory_limit: `${Math.floor((options.memoryLimitBytes ?? defaultMemoryLimitBytes()) / 2 ** 20)}MiB`,
    };
    if (options.threads) config.threads = String(options.threads);
    if (readOnly) config.access_mode = 'READ_ONLY';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(fullPath, config);
    } catch (error) {
      throw new InputError(`cannot open case file ${path}: ${duckdbMessage(error)}`, { cause: error });
    }
    const connection = await instance.connect();
    const caseFile = new CaseFile(fullPath, instance, connection);
    // Timestamps are UTC throughout; TIMESTAMPTZ values convert at UTC.
    await caseFile.run(`SET TimeZone = 'UTC'`, 'set the time zone');
    const temp = options.tempDirectory ?? (inMemory ? undefined : `${fullPath}.tmp`);
    if (temp) await caseFile.run(`SET temp_directory = ${literal(temp)}`, 'set the spill directory');
    return caseFile;
  }

  /** Runs a statement; `purpose` names what it was for in the error if it fails. */
  async run(sql: string, purpose?: string): Promise<void> {
    const started = TRACE ? performance.now() : 0;
    try {
      await this.connection.run(sql);
    } catch (error) {
      throw wrap(error, purpose);
    } finally {
      if (TRACE) trace(sql, started);
    }
  }

  /** Runs a query with a small result and returns its rows as plain JS values. */
  async all<T extends Row = Row>(sql: string, purpose?: string): Promise<T[]> {
    const started = TRACE ? performance.now() : 0;
    try {
      const reader = await this.connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((row) => {
        const out: Row = {};
        for (const [key, value] of Object.entries(row)) out[key] = toPlainValue(value);
        return out as T;
      });
    } catch (error) {
      throw wrap(error, purpose);
    } finally {
      if (TRACE) trace(sql, started);
    }
  }

  /** The first row of a query, or undefined. */
  async one<T extends Row = Row>(sql: string, purpose?: string): Promise<T | undefined> {
    return (await this.all<T>(sql, purpose))[0];
  }

  /** The first column of the first row. */
  async value<T = unknown>(sql: string, purpose?: string): Promise<T> {
    const row = await this.one(sql, purpose);
    return (row ? Object.values(row)[0] : undefined) as T;
  }

  async tableExists(name: string, schema = 'main'): Promise<boolean> {
    // What information_schema.tables lists (tables and non-internal views of every attached catalog, temp
    // included), read directly: half the time, which a replay's ~30 calls per step notice.
    const n = await this.value<number>(
      `SELECT ((SELECT count(*) FROM duckdb_tables() WHERE schema_name = ${literal(schema)} AND table_name = ${literal(name)})
             + (SELECT count(*) FROM duckdb_views() WHERE NOT internal AND schema_name = ${literal(schema)} AND view_name = ${literal(name)}))::INTEGER`,
    );
    return n > 0;
  }

  /** The table's column names (none when it does not exist). */
  async columnNames(table: string, schema = 'main'): Promise<Set<string>> {
    const rows = await this.all<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = ${literal(schema)} AND table_name = ${literal(table)}`,
    );
    return new Set(rows.map((r) => r.column_name));
  }

  /** Runs `fn` in a transaction: all of it is committed, or none of it. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const result = await fn();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      try {
        await this.connection.run('ROLLBACK');
      } catch {
        // The transaction may already be aborted by DuckDB; the original error matters.
      }
      throw error;
    }
  }

  /** Closes the connection, then the instance (and so releases the file lock). */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** FARMSCOPE_TRACE=1 prints every statement and its duration on stderr. */
const TRACE = Boolean(process.env.FARMSCOPE_TRACE);

function trace(sql: string, started: number): void {
  const ms = (performance.now() - started).toFixed(0).padStart(7);
  process.stderr.write(`[trace] ${ms} ms  ${sql.replace(/\s+/g, ' ').slice(0, 160)}\n`);
}

function wrap(error: unknown, purpose?: string): Error {
  if (error instanceof FarmscopeError) return error;
  const message = duckdbMessage(error);
  return new FarmscopeError(purpose ? `${purpose} failed: ${message}` : message, undefined, { cause: error });
}

/** Opens a case file, runs `fn`, and always closes it. */
export async function withCaseFile<T>(
  path: string,
  options: CaseFileOptions,
  fn: (caseFile: CaseFile) => Promise<T>,
): Promise<T> {
  const caseFile = await CaseFile.open(path, options);
  try {
    return await fn(caseFile);
  } finally {
    caseFile.close();
  }
}
