// One step of the replay: the analysis (signal and farm stages) over what
// the step's views show, and a snapshot of its answer (farm members) kept in
// replay_step_members / replay_step_summary before the next step replaces
// the analysis tables. A step at which nothing arrives (cumulative mode)
// would recompute the same tables: its snapshot is the previous one's.
// The templates stage keeps its per-text work (normalised text, MinHash
// sketch) from step to step in replay_template_texts_* tables. What only
// the reports read (template links, account_pairs, the farms' evidence
// tables) is left out of the steps: replay.ts makes it once, after the last.
import type { CaseFile } from '@farmscope/casefile';
import { allStages, DEFAULT_FARM_CONFIG, type FarmConfig } from '@farmscope/farms';
import { DEFAULT_TEMPLATE_PARAMS, runStages, templatesStage, type AnalyzeStage, type StageReport } from '@farmscope/signals';
import { cachedEmbeddingsStage, EMBEDDINGS_STAGE, suspectEmbeddingsStage } from './suspect-embeddings.js';
import { incrementalSampleStage } from './incremental-sample.js';
import { carryAccountFeatures } from './incremental-features.js';
import { stepLinks } from './incremental-links.js';
import type { ReplayStep } from './replay-schedule.js';
import { arrivals, showStep } from './step-views.js';

export const SNAPSHOT_TABLES = {
  members: 'replay_step_members',
  summary: 'replay_step_summary',
} as const;

/** Prefix of the case-file tables in which the templates stage keeps its per-text work across steps. */
export const TEMPLATE_TEXT_CACHE = 'replay_template_texts';

export interface StepOutcome {
  step: number;
  /** false when nothing arrived and the previous answer was carried over. */
  analysed: boolean;
  seconds: number;
  stages: StageReport[];
}

export interface StepOptions {
  config?: FarmConfig;
  cumulative: boolean;
  /** Embed as a full analysis does (the suspects' vectors, IDF over every account's sampled prompts) instead of over the suspects' prompts alone (see suspectEmbeddingsStage). */
  embedAllAccounts?: boolean;
  inputs: { hasAccounts: boolean; hasEnforcement: boolean };
  notice?: (message: string) => void;
  onStageStart?: (name: string, index: number, total: number) => void;
}

export async function createSnapshotTables(caseFile: CaseFile): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TABLE ${SNAPSHOT_TABLES.members} (step INTEGER, farm_id VARCHAR, account_id VARCHAR);
     CREATE OR REPLACE TABLE ${SNAPSHOT_TABLES.summary} (step INTEGER, since TIMESTAMP, cutoff TIMESTAMP, events BIGINT, accounts INTEGER,
       farms INTEGER, flagged INTEGER, analysed BOOLEAN)`,
    'create the replay snapshot tables',
  );
}

export async function runStep(caseFile: CaseFile, step: ReplayStep, options: StepOptions): Promise<StepOutcome> {
  const started = performance.now();
  await showStep(caseFile, step, options.inputs);
  const first = step.step === 1;
  const unchanged = options.cumulative && !first && (await arrivals(caseFile, step, options.inputs)) === 0;
  let stages: StageReport[] = [];
  if (!unchanged) {
    const config = options.config ?? DEFAULT_FARM_CONFIG;
    const pipeline = stepPipeline(allStages(config, { farmEvidence: false }), step, { first, cumulative: options.cumulative, embedAll: options.embedAllAccounts ?? false, config });
    stages = await runStages(pipeline, caseFile, {
      ...(options.notice ? { notice: options.notice } : {}),
      ...(options.onStageStart ? { onStageStart: options.onStageStart } : {}),
    });
    await snapshotAnalysis(caseFile, step);
  } else {
    await carryOverSnapshot(caseFile, step);
  }
  return { step: step.step, analysed: !unchanged, seconds: (performance.now() - started) / 1000, stages };
}

/**
 * The analysis stages for one step: the carried prompt sample in cumulative
 * mode, the templates and embeddings stages with their text caches (exact in
 * both modes: the cached work is a function of each text alone), and the embeddings moved
 * after account_scores and limited to the suspects (unless `embedAll`).
 */
export function stepPipeline(
  stages: readonly AnalyzeStage[],
  step: ReplayStep,
  o: { first: boolean; cumulative: boolean; embedAll: boolean; config: FarmConfig },
): AnalyzeStage[] {
  const pipeline = stages.map((stage) => {
    if (o.cumulative && stage.name === 'prompt_sample') return incrementalSampleStage(step, o.first);
    if (stage.name === 'prompt_templates') return templatesStage(DEFAULT_TEMPLATE_PARAMS, { textCache: TEMPLATE_TEXT_CACHE });
    if (stage.name === EMBEDDINGS_STAGE) return cachedEmbeddingsStage(stage, o.config.graph.suspectMinScore);
    return stage;
  });
  if (o.cumulative) carryAccountFeatures(pipeline, step, o.first);
  stepLinks(pipeline, step, { first: o.first, cumulative: o.cumulative });
  if (o.embedAll) return pipeline;
  const embeddings = pipeline.find((s) => s.name === EMBEDDINGS_STAGE);
  const scores = pipeline.findIndex((s) => s.name === 'account_scores');
  if (!embeddings || scores < 0) return pipeline;
  const moved = pipeline.filter((s) => s !== embeddings);
  moved.splice(moved.findIndex((s) => s.name === 'account_scores') + 1, 0, suspectEmbeddingsStage(embeddings, o.config.graph.suspectMinScore));
  return moved;
}

async function snapshotAnalysis(caseFile: CaseFile, step: ReplayStep): Promise<void> {
  await caseFile.run(
    `INSERT INTO ${SNAPSHOT_TABLES.members}
       SELECT ${step.step}, farm_id, account_id FROM account_farms WHERE farm_id IS NOT NULL ORDER BY farm_id, account_id;
     INSERT INTO ${SNAPSHOT_TABLES.summary}
       SELECT ${step.step}, make_timestamp(${step.sinceMs * 1000}::BIGINT), make_timestamp(${step.cutoffMs * 1000}::BIGINT),
              (SELECT coalesce(sum(requests), 0) FROM account_features)::BIGINT,
              (SELECT count(*) FROM account_farms)::INTEGER,
              (SELECT count(*) FROM farms)::INTEGER,
              (SELECT count(*) FROM account_farms WHERE farm_id IS NOT NULL)::INTEGER,
              true`,
    `keep step ${step.step}'s farms`,
  );
}

async function carryOverSnapshot(caseFile: CaseFile, step: ReplayStep): Promise<void> {
  await caseFile.run(
    `INSERT INTO ${SNAPSHOT_TABLES.members}
       SELECT ${step.step}, farm_id, account_id FROM ${SNAPSHOT_TABLES.members} WHERE step = ${step.step - 1} ORDER BY farm_id, account_id;
     INSERT INTO ${SNAPSHOT_TABLES.summary}
       SELECT ${step.step}, since, make_timestamp(${step.cutoffMs * 1000}::BIGINT), events, accounts, farms, flagged, false
       FROM ${SNAPSHOT_TABLES.summary} WHERE step = ${step.step - 1}`,
    `carry step ${step.step - 1}'s farms over to step ${step.step} (nothing new arrived)`,
  );
}
