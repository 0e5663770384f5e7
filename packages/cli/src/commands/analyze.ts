// `farmscope analyze`: computes the account signals and then the farms over
// the case file, and prints how long each stage took and what it wrote.
import type { Command } from 'commander';
import { withCaseFile } from '@farmscope/casefile';
import { analyzeCase, loadFarmConfig } from '@farmscope/farms';
import { withExamples } from '../examples.js';
import { caseFileOptions, globalOptions } from '../global-options.js';
import { formatRows } from '../output.js';
import { createProgress } from '../progress.js';

interface AnalyzeOptions {
  stage?: string[];
  config?: string;
  format: 'table' | 'json';
}

export function registerAnalyze(program: Command): void {
  const command = program
    .command('analyze')
    .description('compute per-account signals (behaviour, content, infrastructure, coordination), then farms and distillation scores, in the case file')
    .option('--stage <names...>', 'run only these stages')
    .option('--config <file>', 'farm parameters (JSON) overriding the defaults, field by field')
    .option('--format <format>', 'output format of the stage summary: table or json', 'table')
    .action(async (options: AnalyzeOptions, cmd: Command) => {
      const globals = globalOptions(cmd);
      const notice = (msg: string) => {
        if (!globals.quiet) process.stderr.write(`farmscope: ${msg}\n`);
      };
      const config = await loadFarmConfig(options.config);
      const reports = await withCaseFile(globals.db, { ...caseFileOptions(globals), create: false }, async (caseFile) => {
        const progress = await createProgress(caseFile, !globals.quiet);
        try {
          return await analyzeCase(caseFile, {
            config,
            ...(options.stage ? { only: options.stage } : {}),
            notice,
            onStageStart: (name, i, n) => progress.update(`[${i + 1}/${n}] ${name}`),
          });
        } finally {
          progress.done();
        }
      });
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
        return;
      }
      const rows = reports.map((r) => ({
        stage: r.name, seconds: Number(r.seconds.toFixed(2)), tables: r.tables.join(' '), notes: r.notes.join('; '),
      }));
      process.stdout.write(formatRows(rows, ['stage', 'seconds', 'tables', 'notes'], 'table'));
    });
  withExamples(command, [
    'farmscope --db case.duckdb analyze',
    'farmscope --db case.duckdb analyze --config farm-params.json',
    'farmscope --db case.duckdb analyze --stage account_scores farm_graph behaviour_clusters farms',
    'farmscope --db case.duckdb analyze --stage account_features --format json',
  ]);
}
