// `farmscope eval --truth <file>`: how well an investigation's farm
// assignments (the case file's account_farms table, or an account_farms.csv
// given with --pred) match ground truth; see packages/eval/README.md for
// every metric.
import { Command, Option } from 'commander';
import { withCaseFile } from '@farmscope/casefile';
import { evaluate, formatEvaluation, type EvaluationFormat, type Weighting } from '@farmscope/eval';
import { withExamples } from '../examples.js';
import { caseFileOptions, globalOptions } from '../global-options.js';

interface EvalOptions {
  truth: string;
  pred?: string;
  events?: string;
  format: EvaluationFormat;
  accountsWeighting: Weighting;
  allowUnknown?: boolean;
}

export function registerEval(program: Command): void {
  const command = program
    .command('eval')
    .description('score farm assignments against ground truth: account precision/recall/F1, AUPRC, B-cubed, ARI, AMI, per-farm Jaccard, attributed requests')
    .requiredOption('--truth <file>', 'ground truth (Parquet, CSV or JSON Lines) with account_id, farm_id (null = legitimate), campaign')
    .option('--pred <file>', 'predictions (account_farms.csv: account_id,farm_id,score) instead of the case file\'s account_farms table')
    .option('--events <file>', 'events file to count requests per account (default: the case file\'s events table, with --db)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(
      new Option('--accounts-weighting <weighting>', 'account-level metrics count each account once, or by its requests')
        .choices(['uniform', 'requests'])
        .default('uniform'),
    )
    .option('--allow-unknown', 'count predicted accounts missing from the truth as legitimate instead of failing')
    .action(async (options: EvalOptions, cmd: Command) => {
      const globals = globalOptions(cmd);
      // With --pred and no explicit --db, nothing is read from a case file: DuckDB runs in memory.
      const useCaseFile = !options.pred || cmd.getOptionValueSourceWithGlobals('db') === 'cli';
      const path = useCaseFile ? globals.db : ':memory:';
      const evaluation = await withCaseFile(path, { ...caseFileOptions(globals), readOnly: useCaseFile }, (caseFile) =>
        evaluate(caseFile, {
          truthPath: options.truth,
          ...(options.pred ? { predPath: options.pred } : {}),
          ...(options.events ? { eventsPath: options.events } : {}),
          allowUnknown: options.allowUnknown ?? false,
          weighting: options.accountsWeighting,
        }),
      );
      process.stdout.write(formatEvaluation(evaluation, options.format));
    });
  withExamples(command, [
    'farmscope --db case.duckdb eval --truth data/tiny/truth.parquet',
    'farmscope eval --truth data/tiny/truth.parquet --pred out/account_farms.csv --events data/tiny/events.parquet',
    'farmscope --db case.duckdb eval --truth truth.csv --format json > eval.json',
    'farmscope --db case.duckdb eval --truth truth.parquet --accounts-weighting requests',
  ]);
}
