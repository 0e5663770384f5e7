// Options every command shares (declared once on the root program) and how
// they become case-file settings.
import { Command } from 'commander';
import { InputError, parseByteSize, type CaseFileOptions } from '@farmscope/casefile';

export interface GlobalOptions {
  db: string;
  memoryLimit?: string;
  tempDir?: string;
  threads?: string;
  quiet?: boolean;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--db <file>', 'the case file (a DuckDB database)', './case.duckdb')
    .option('--memory-limit <size>', 'DuckDB memory limit, e.g. 4GiB or 40% (default: 6GiB, or 40% of RAM if less; 3GiB for ingest)')
    .option('--temp-dir <dir>', 'where DuckDB spills data larger than memory (default: <db>.tmp)')
    .option('--threads <n>', 'DuckDB worker threads (default: all cores)')
    .option('-q, --quiet', 'no progress or notices on stderr');
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

export function caseFileOptions(options: GlobalOptions): CaseFileOptions {
  const out: CaseFileOptions = {};
  if (options.memoryLimit) out.memoryLimitBytes = parseByteSize(options.memoryLimit, '--memory-limit');
  if (options.tempDir) out.tempDirectory = options.tempDir;
  if (options.threads) {
    const n = Number(options.threads);
    if (!Number.isInteger(n) || n < 1) throw new InvalidOption('--threads', options.threads, 'a whole number ≥ 1');
    out.threads = n;
  }
  return out;
}

export class InvalidOption extends InputError {
  constructor(option: string, value: string, expected: string) {
    super(`invalid value for ${option}: "${value}" (expected ${expected})`);
  }
}
