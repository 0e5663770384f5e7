// `farmscope farms`: lists the farms the analysis found, with their size,
// activity, totals, score and significance.
import { Command, Option } from 'commander';
import { InputError, withCaseFile } from '@farmscope/casefile';
import { withExamples } from '../examples.js';
import { caseFileOptions, globalOptions } from '../global-options.js';
import { formatRows, type OutputFormat } from '../output.js';

const COLUMNS = ['farm_id', 'accounts', 'first_ts', 'last_ts', 'requests', 'input_tokens', 'output_tokens', 'score', 'significance', 'top_links'];

export function registerFarms(program: Command): void {
  const command = program
    .command('farms')
    .description('list the distillation farms found by "farmscope analyze"')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .action(async (options: { format: OutputFormat }, cmd: Command) => {
      const globals = globalOptions(cmd);
      const rows = await withCaseFile(globals.db, { ...caseFileOptions(globals), readOnly: true }, async (caseFile) => {
        if (!(await caseFile.tableExists('farms'))) throw new InputError('no farms table in the case file: run "farmscope analyze" first');
        return caseFile.all(
          `SELECT f.farm_id, f.accounts, strftime(f.first_ts, '%Y-%m-%dT%H:%M:%SZ') AS first_ts, strftime(f.last_ts, '%Y-%m-%dT%H:%M:%SZ') AS last_ts,
             f.requests::DOUBLE AS requests, f.input_tokens::DOUBLE AS input_tokens, f.output_tokens::DOUBLE AS output_tokens,
             f.score, f.significance,
             (SELECT string_agg(kind || ':' || pairs, ' ' ORDER BY pairs DESC, kind) FROM farm_link_evidence l WHERE l.farm_id = f.farm_id) AS top_links
           FROM farms f ORDER BY f.farm_id`,
          'farms: listing',
        );
      });
      process.stdout.write(formatRows(rows, COLUMNS, options.format));
    });
  withExamples(command, [
    'farmscope --db case.duckdb farms',
    'farmscope --db case.duckdb farms --format json > farms.json',
    'farmscope --db case.duckdb farms --format csv',
  ]);
}
