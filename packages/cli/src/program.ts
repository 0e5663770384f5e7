// The root `farmscope` command: global options, every subcommand, and help
// text that ends with examples.
import { createRequire } from 'node:module';
import { Command } from 'commander';
import { addGlobalOptions } from './global-options.js';
import { COMMANDS } from './commands/index.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('farmscope')
    .description(
      'Offline forensics for distillation attacks on LLM APIs: load usage logs into a DuckDB case file, ' +
        'compute account signals, and reconstruct coordinated account farms with evidence.',
    )
    .version(version, '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  addGlobalOptions(program);
  for (const register of COMMANDS) register(program);
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 internal error, 2 bad usage or bad input data.

Examples:
  $ farmscope ingest --events logs/*.parquet --accounts accounts.csv
  $ farmscope query "SELECT account_id, count(*) FROM events GROUP BY ALL ORDER BY 2 DESC LIMIT 10"
  $ farmscope --db incident-42.duckdb query "FROM ingested_files" --format json`,
  );
  return program;
}
