// `farmscope generate`: synthetic usage logs with ground truth from a scenario
// (events, accounts, enforcement and truth files plus scenario.json), written
// by DuckDB; see datasets/scenarios/README.md for the scenario format.
import { Command, Option } from 'commander';
import { InputError, parseByteSize } from '@farmscope/casefile';
import { generate, shippedScenarioNames, type OutputFormat } from '@farmscope/generator';
import { globalOptions, InvalidOption } from '../global-options.js';
import { withExamples } from '../examples.js';

interface GenerateCommandOptions {
  scenario: string;
  seed: string;
  scale: string;
  out: string;
  format: OutputFormat;
  force?: boolean;
}

export function registerGenerate(program: Command): void {
  const command = program
    .command('generate')
    .description('write synthetic usage logs with ground truth (events, accounts, enforcement, truth) from a scenario')
    .requiredOption('--scenario <name|file>', `a shipped scenario (${shippedScenarioNames().join(', ')}) or a scenario JSON file`)
    .requiredOption('--seed <n>', 'random seed (a whole number); the same scenario, seed and scale give byte-identical files')
    .option('--scale <f>', 'multiply every population\'s account count (and so the volume) by this factor', '1')
    .requiredOption('--out <dir>', 'output folder (must be empty or absent unless --force)')
    .addOption(new Option('--format <format>', 'file format').choices(['parquet', 'jsonl']).default('parquet'))
    .option('--force', 'write into a non-empty folder, replacing the generated files')
    .action(async (options: GenerateCommandOptions, cmd: Command) => {
      const globals = globalOptions(cmd);
      const seed = Number(options.seed);
      if (!/^\d+$/.test(options.seed) || !Number.isSafeInteger(seed)) {
        throw new InvalidOption('--seed', options.seed, 'a whole number ≥ 0');
      }
      const scale = Number(options.scale);
      if (!Number.isFinite(scale) || scale <= 0) throw new InvalidOption('--scale', options.scale, 'a number > 0');
      const threads = globals.threads === undefined ? undefined : Number(globals.threads);
      if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
        throw new InvalidOption('--threads', String(globals.threads), 'a whole number ≥ 1');
      }
      const log = globals.quiet ? () => {} : (line: string) => process.stderr.write(`${line}\n`);
      const result = await generate({
        scenario: options.scenario,
        seed,
        scale,
        out: options.out,
        format: options.format,
        force: options.force ?? false,
        memoryLimitBytes: globals.memoryLimit ? parseByteSize(globals.memoryLimit, '--memory-limit') : undefined,
        threads,
        onProgress: log,
      });
      if (result.rows.events === 0) throw new InputError('generate: the scenario produced no requests');
      log(`wrote ${result.outDir} (scenario ${result.scenario.name}, seed ${seed}, scale ${scale}) in ${result.seconds.toFixed(1)} s`);
    });
  withExamples(command, [
    'farmscope generate --scenario tiny --seed 1 --out data/tiny',
    'farmscope generate --scenario mixed --seed 7 --scale 0.1 --out data/mixed --format jsonl',
    'farmscope generate --scenario ./my-scenario.json --seed 3 --out data/mine --force',
  ]);
}
