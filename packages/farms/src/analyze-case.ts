// `analyzeCase`: the whole analysis of a case file, the signal stages and
// then the farm stages, timed like signals' `analyze`.
import type { CaseFile } from '@farmscope/casefile';
import { runStages, STAGES, type AnalyzeStage, type StageReport } from '@farmscope/signals';
import { DEFAULT_FARM_CONFIG, type FarmConfig } from './farm-config.js';
import { farmStages } from './farm-stages.js';

export interface AnalyzeCaseOptions {
  config?: FarmConfig;
  /** Run only these stages (by name, signal or farm stages); default all. */
  only?: readonly string[];
  onStageStart?: (name: string, index: number, total: number) => void;
  notice?: (message: string) => void;
}

/** Every stage of the analysis, in order: signals' STAGES, then the farm stages for this config. */
export function allStages(config: FarmConfig = DEFAULT_FARM_CONFIG): AnalyzeStage[] {
  return [...STAGES, ...farmStages(config)];
}

export async function analyzeCase(caseFile: CaseFile, options: AnalyzeCaseOptions = {}): Promise<StageReport[]> {
  return runStages(allStages(options.config ?? DEFAULT_FARM_CONFIG), caseFile, options);
}
