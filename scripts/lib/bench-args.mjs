// Command-line options shared by the benchmarks that run the farmscope CLI on
// a generated scenario (bench-analyze, bench-farms, bench-replay): the
// scenario, scale, DuckDB settings and the CLI's path, parsed with
// node:util's parseArgs. A bad option exits 2, --help prints the usage, and a
// CLI that was not built exits 1 with what to run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * @param {string} name the script's name, for messages
 * @param {string} root the workspace root
 * @param {Record<string, import('node:util').ParseArgsOptionConfig>} extra the script's own options
 * @param {string} usage the usage line
 */
export function benchArgs(name, root, extra, usage) {
  let args;
  try {
    ({ values: args } = parseArgs({
      options: {
        scenario: { type: 'string', default: 'mixed' },
        scale: { type: 'string', default: '1' },
        threads: { type: 'string' },
        'memory-limit': { type: 'string' },
        fresh: { type: 'boolean', default: false },
        cli: { type: 'string', default: join(root, 'packages', 'cli', 'dist', 'bin.js') },
        help: { type: 'boolean', short: 'h', default: false },
        ...extra,
      },
    }));
  } catch (error) {
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`usage: ${usage}\n`);
    process.exit(0);
  }
  if (!existsSync(args.cli)) {
    process.stderr.write(`${name}: ${args.cli} not found; run "pnpm build" first\n`);
    process.exit(1);
  }
  return args;
}
