// The scratch DuckDB instance of a generation run: in memory, spilling to a
// temporary folder, with the memory limit and thread count of the run. Kept
// apart from CaseFile because the generator needs no case file and no ICU
// extension (every timestamp is a naive UTC TIMESTAMP).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { defaultMemoryLimitBytes, duckdbMessage, FarmscopeError, literal } from '@farmscope/casefile';

export interface GeneratorDbOptions {
  memoryLimitBytes?: number;
  threads?: number;
  tempDirectory: string;
}

export class GeneratorDb {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(options: GeneratorDbOptions): Promise<GeneratorDb> {
    const config: Record<string, string> = {
      memory_limit: `${Math.floor((options.memoryLimitBytes ?? defaultMemoryLimitBytes()) / 2 ** 20)}MiB`,
      // Output row order must not depend on scheduling.
      preserve_insertion_order: 'true',
    };
    if (options.threads) config.threads = String(options.threads);
    const instance = await DuckDBInstance.create(':memory:', config);
    const db = new GeneratorDb(instance, await instance.connect());
    await db.run(`SET temp_directory = ${literal(options.tempDirectory)}`, 'set the spill directory');
    return db;
  }

  /** Runs a statement; `purpose` names it in the error if it fails. */
  async run(sql: string, purpose: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (error) {
      throw new FarmscopeError(`${purpose} failed: ${duckdbMessage(error)}`, undefined, { cause: error });
    }
  }

  /** The first column of the first row, as a JS number. */
  async number(sql: string, purpose: string): Promise<number> {
    try {
      const reader = await this.connection.runAndReadAll(sql);
      return Number(reader.getRows()[0]?.[0] ?? 0);
    } catch (error) {
      throw new FarmscopeError(`${purpose} failed: ${duckdbMessage(error)}`, undefined, { cause: error });
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
