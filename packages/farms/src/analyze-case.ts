// `analyzeCase`: the whole analysis of a case file, the signal stages and
// then the farm stages, timed like signals' `analyze`.
import { literal, type CaseFile } from '@farmscope/casefile';
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

/** Table holding the farm parameters the farm stages last ran with (read by the reports' "method and parameters"). */
export const FARM_CONFIG_TABLE = 'analysis_parameters';

export async function analyzeCase(caseFile: CaseFile, options: AnalyzeCaseOptions = {}): Promise<StageReport[]> {
  const config = options.config ?? DEFAULT_FARM_CONFIG;
  const reports = await runStages(allStages(config), caseFile, options);
  const farmStageNames = new Set(farmStages(config).map((s) => s.name));
  if (reports.some((r) => farmStageNames.has(r.name))) {
    await caseFile.run(
      `CREATE OR REPLACE TABLE ${FARM_CONFIG_TABLE} AS SELECT ${literal(JSON.stringify(config))}::JSON AS farm_config`,
      'record the farm parameters',
    );
  }
  return reports;
}
