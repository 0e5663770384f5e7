// `analyze`: runs every stage over the case file, timing each. Re-runnable:
// stages replace their own tables.
import type { CaseFile } from '@farmscope/casefile';
import { inspectInputs } from './case-inputs.js';
import type { AnalyzeStage, StageReport } from './stage.js';
import { STAGES } from './stages.js';

export interface AnalyzeOptions {
  /** Run only these stages (by name); default all. */
  only?: readonly string[];
  onStageStart?: (name: string, index: number, total: number) => void;
  notice?: (message: string) => void;
}

export async function analyze(caseFile: CaseFile, options: AnalyzeOptions = {}): Promise<StageReport[]> {
  return runStages(STAGES, caseFile, options);
}

/** Runs `stages` in order (those named in `only`, when given), timing each. */
export async function runStages(
  stages: readonly AnalyzeStage[],
  caseFile: CaseFile,
  options: AnalyzeOptions = {},
): Promise<StageReport[]> {
  const inputs = await inspectInputs(caseFile);
  const chosen = options.only ? stages.filter((s) => options.only!.includes(s.name)) : stages;
  const reports: StageReport[] = [];
  for (const [i, stage] of chosen.entries()) {
    options.onStageStart?.(stage.name, i, chosen.length);
    const started = performance.now();
    const outcome = await stage.run({ caseFile, inputs, notice: options.notice ?? (() => undefined) });
    reports.push({ name: stage.name, seconds: (performance.now() - started) / 1000, ...outcome });
  }
  return reports;
}
