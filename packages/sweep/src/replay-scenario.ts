// One replay: generate a scenario (or a variant of it) into a folder, load the
// logs into a fresh case file, run the whole analysis, and score the farms
// found against the generator's truth. Everything it writes stays in `out`.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, withCaseFile, type CaseFile, type CaseFileOptions } from '@farmscope/casefile';
import { evaluate } from '@farmscope/eval';
import { analyzeCase } from '@farmscope/farms';
import { generate, readRawScenario, scenarioVariant, type ScenarioKnobName } from '@farmscope/generator';
import { ingest } from '@farmscope/ingest';

export interface ReplayOptions {
  /** A shipped scenario name or a scenario file. */
  scenario: string;
  seed: number;
  scale?: number;
  /** A folder that must not exist or be empty; holds data/, case.duckdb and (for a variant) scenario.json. */
  out: string;
  /** Turn one knob of the scenario before generating. */
  knob?: { name: ScenarioKnobName; value: number };
  caseFileOptions?: CaseFileOptions;
}

/** What a replay measured: account-level detection and farm recovery against the truth. */
export interface ReplayMetrics {
  accounts: number;
  trueFarmAccounts: number;
  flagged: number;
  /** Account precision, recall and F1 of the farm assignment; null when undefined (nothing flagged, no farm account). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Average precision of the distillation score. */
  auprc: number | null;
  farmsFound: number;
  trueFarms: number;
  /** Share of true farms recovered (best Jaccard ≥ 0.5). */
  farmsRecovered: number | null;
  /** Share of the true farms' requests made by accounts placed in a farm. */
  attackRequestsAttributed: number | null;
}

export interface ReplayResult {
  /** The scenario name as generated (a variant's name says its knob). */
  scenario: string;
  caseFile: string;
  truth: string;
  metrics: ReplayMetrics;
}

export async function replayScenario(options: ReplayOptions): Promise<ReplayResult> {
  const out = resolve(options.out);
  if (existsSync(out) && readdirSync(out).length > 0) throw new InputError(`replay folder ${out} is not empty`);
  mkdirSync(out, { recursive: true });
  const data = join(out, 'data');
  let scenario = options.scenario;
  if (options.knob) {
    const variant = scenarioVariant(readRawScenario(options.scenario), options.knob.name, options.knob.value);
    scenario = join(out, 'scenario.json');
    writeFileSync(scenario, `${JSON.stringify(variant, null, 2)}\n`);
  }
  const generated = await generate({ scenario, seed: options.seed, scale: options.scale ?? 1, out: data });
  const caseFile = join(out, 'case.duckdb');
  const metrics = await withCaseFile(caseFile, options.caseFileOptions ?? {}, async (c) => {
    // A small scale may leave a table empty (no enforcement action): ingest refuses empty files.
    const tables = (['events', 'accounts', 'enforcement'] as const).filter((t) => generated.rows[t] > 0);
    const summary = await ingest(c, tables.map((table) => ({ table, inputs: [generated.files[table]] })));
    if (summary.failures.length > 0) {
      throw new InputError(`replay of ${generated.scenario.name}: ${summary.failures.map((f) => `${f.path}: ${f.error}`).join('; ')}`);
    }
    await analyzeCase(c);
    return replayMetrics(c, generated.files.truth);
  });
  return { scenario: generated.scenario.name, caseFile, truth: generated.files.truth, metrics };
}

async function replayMetrics(caseFile: CaseFile, truthPath: string): Promise<ReplayMetrics> {
  const e = await evaluate(caseFile, { truthPath });
  const farmsFound = Number(await caseFile.value('SELECT count(*) FROM farms', 'count the farms found'));
  return {
    accounts: e.accounts.evaluated,
    trueFarmAccounts: e.accounts.trueFarmMembers,
    flagged: e.accounts.flagged,
    precision: e.accountLevel.precision,
    recall: e.accountLevel.recall,
    f1: e.accountLevel.f1,
    auprc: e.accountLevel.auprc,
    farmsFound,
    trueFarms: e.trueFarms.total,
    farmsRecovered: e.trueFarms.recoveredShare,
    attackRequestsAttributed: e.attackRequests.share,
  };
}
