// `farmscope report`: the reports of an analysed case file (report.html,
// report.md, evidence/ BagIt package, stix-bundle.json, timeline.jsonl,
// regulator-summary.md), optionally redacted. The case file is opened
// read-only; the work is in @farmscope/report.
import { createRequire } from 'node:module';
import { Command, Option } from 'commander';
import { withCaseFile } from '@farmscope/casefile';
import { DEFAULT_CHARTED_FARMS, loadRedactionKey, REDACT_KEY_ENV, TLP_LEVELS, writeReport, type Tlp } from '@farmscope/report';
import { withExamples } from '../examples.js';
import { caseFileOptions, globalOptions, InvalidOption } from '../global-options.js';

const require = createRequire(import.meta.url);

interface ReportOptions {
  out: string;
  redact?: boolean;
  redactKeyFile?: string;
  farm: string[];
  tlp: Tlp;
  deterministic?: boolean;
  chartedFarms: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerReport(program: Command): void {
  const command = program
    .command('report')
    .description(
      'write the reports of an analysed case file into --out: report.html (self-contained, charts), report.md, ' +
        'evidence/ (BagIt: farm tables as Parquet and CSV, sample prompts, manifest), stix-bundle.json (STIX 2.1), ' +
        'timeline.jsonl (Timesketch) and regulator-summary.md',
    )
    .requiredOption('--out <dir>', 'output folder (created if missing; the report files and a previous evidence/ are replaced)')
    .option('--redact', `no prompt text, keyed tokens for account/key/farm ids, addresses cut to /24 (IPv6 /48); needs --redact-key-file or ${REDACT_KEY_ENV}`)
    .option('--redact-key-file <path>', 'the redaction key (any bytes, at least 16; keep it outside the report folder: the same key gives the same tokens)')
    .option('--farm <id>', 'report only this farm (repeatable)', collect, [])
    .addOption(new Option('--tlp <level>', 'TLP marking of the reports and the STIX bundle').choices([...TLP_LEVELS]).default('amber'))
    .option('--deterministic', 'pin the manifest\'s generated_at (to SOURCE_DATE_EPOCH, else 1970-01-01), so reruns are byte-identical')
    .option('--charted-farms <n>', 'farms, largest first, whose sections get charts', String(DEFAULT_CHARTED_FARMS))
    .action(async (options: ReportOptions, cmd: Command) => {
      const globals = globalOptions(cmd);
      const charted = Number(options.chartedFarms);
      if (!Number.isInteger(charted) || charted < 0) throw new InvalidOption('--charted-farms', options.chartedFarms, 'a whole number ≥ 0');
      if (options.redactKeyFile !== undefined && !options.redact) throw new InvalidOption('--redact-key-file', options.redactKeyFile, 'to be used with --redact');
      const redactKey = options.redact ? loadRedactionKey(options.redactKeyFile) : undefined;
      const started = performance.now();
      const showProgress = !globals.quiet && process.stderr.isTTY;
      const result = await withCaseFile(globals.db, { ...caseFileOptions(globals), readOnly: true }, (caseFile) =>
        writeReport(caseFile, {
          out: options.out,
          redactKey,
          farms: options.farm,
          tlp: options.tlp,
          deterministic: options.deterministic ?? false,
          chartedFarms: charted,
          tool: { name: 'farmscope', version: (require('../../package.json') as { version: string }).version },
          progress: showProgress ? (s) => process.stderr.write(`\r\x1b[K${s}`) : undefined,
        }),
      );
      if (showProgress) process.stderr.write('\r\x1b[K');
      process.stdout.write(
        `report: ${result.farms} farm(s)${redactKey ? ', redacted' : ''}; wrote ${result.files.join(', ')} in ${result.out} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
      );
    });
  withExamples(command, [
    'farmscope --db findings/case.duckdb report --out findings/report/',
    'farmscope --db case.duckdb report --out shared/ --redact --redact-key-file ~/.farmscope-redact.key --tlp green',
    'farmscope --db case.duckdb report --out farm-report/ --farm farm-3f2a9c01b7de --deterministic',
  ]);
}
