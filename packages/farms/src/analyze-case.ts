// `analyzeCase`: the whole analysis of a case file, the signal stages and
// then the farm stages, timed like signals' `analyze`.
import { literal, type CaseFile } from '@farmscope/casefile';
import { embeddingsStage, runStages, STAGES, type AnalyzeStage, type EmbeddedAccounts, type StageReport } from '@farmscope/signals';
import { DEFAULT_FARM_CONFIG, type FarmConfig } from './farm-config.js';
import { farmStages, type FarmStageOptions } from './farm-stages.js';

export interface AnalyzeCaseOptions {
  config?: FarmConfig;
  /** Run only these stages (by name, signal or farm stages); default all. */
  only?: readonly string[];
  onStageStart?: (name: string, index: number, total: number) => void;
  notice?: (message: string) => void;
}

/** The signal stage that farms run later than signals does: after account_scores, for the suspects. */
export const EMBEDDINGS_STAGE = 'prompt_embeddings';

/**
 * Every stage of the analysis, in order: signals' STAGES, then the farm
 * stages for this config, with one move: account embeddings have one
 * reader, behaviour_clusters, which reads the suspects' only (behaviour
 * score ≥ graph.suspectMinScore), and account_scores does not read them. So
 * prompt_embeddings runs right after account_scores and averages the
 * suspects' prompt vectors only, the stage's largest aggregate; their
 * vectors are the bytes an every-account run gives (IDF is still over every
 * sampled prompt).
 */
export function allStages(config: FarmConfig = DEFAULT_FARM_CONFIG, options: FarmStageOptions = {}): AnalyzeStage[] {
  const farm = farmStages(config, options);
  const scores = farm.findIndex((s) => s.name === 'account_scores');
  const suspects = embeddingsStage(undefined, { accounts: suspectAccounts(config.graph.suspectMinScore) });
  return [
    ...STAGES.filter((s) => s.name !== EMBEDDINGS_STAGE),
    ...farm.slice(0, scores + 1),
    suspects,
    ...farm.slice(scores + 1),
  ];
}

/** The accounts whose vectors the embeddings stage averages: the suspects, the only ones behaviour_clusters reads. */
export function suspectAccounts(suspectMinScore: number): EmbeddedAccounts {
  return {
    sql: `SELECT account_id FROM account_scores WHERE behaviour_score >= ${suspectMinScore}`,
    requires: 'account_scores',
    label: `the suspects (behaviour score ≥ ${suspectMinScore})`,
  };
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
