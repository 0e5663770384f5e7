// The shared_infrastructure and coordination stages carried from step to step
// (cumulative replay): the tables they group from events (address activity
// per time bucket, addresses, per-account address use, clients, shared
// address buckets) are kept from the previous step and updated with the new
// slice only; holdings, links, co-activity pairs and hand-offs are
// recomputed from them. Exactly the tables the stages write over all events
// up to the cut-off (test/incremental-links.test.ts).
// At every step, shared_infrastructure writes only the links the farm stages
// read (farmInputsOnly: no template links, account_pairs empty), in both
// modes; the replay makes the last analysis' links whole after the last step
// (completeLinks).
import type { CaseFile } from '@farmscope/casefile';
import { coordinationStage, DEFAULT_LINK_PARAMS, runStages, sharedInfrastructureStage, type AnalyzeStage } from '@farmscope/signals';
import type { ReplayStep } from './replay-schedule.js';

/** Replaces the shared_infrastructure and coordination stages of `pipeline`, in place, by the carried ones for `step`; with `farmInputsOnly`, shared_infrastructure writes only the links the farm stages read. */
export function carryLinks(pipeline: AnalyzeStage[], step: ReplayStep, first: boolean, farmInputsOnly = false): void {
  const carry = { carry: { cutoffMs: step.cutoffMs, first } };
  const infrastructure = pipeline.findIndex((s) => s.name === 'shared_infrastructure');
  if (infrastructure >= 0) pipeline[infrastructure] = sharedInfrastructureStage(DEFAULT_LINK_PARAMS, { ...carry, farmInputsOnly });
  const coordination = pipeline.findIndex((s) => s.name === 'coordination');
  if (coordination >= 0) pipeline[coordination] = coordinationStage(DEFAULT_LINK_PARAMS, carry);
}

/** The links stages of a replay step: carried in cumulative mode, and in both modes writing only the links the farm stages read. */
export function stepLinks(pipeline: AnalyzeStage[], step: ReplayStep, o: { first: boolean; cumulative: boolean }): void {
  if (o.cumulative) return carryLinks(pipeline, step, o.first, true);
  const infrastructure = pipeline.findIndex((s) => s.name === 'shared_infrastructure');
  if (infrastructure >= 0) pipeline[infrastructure] = sharedInfrastructureStage(DEFAULT_LINK_PARAMS, { farmInputsOnly: true });
}

/**
 * The last analysis' links made whole (template links, account_pairs), as a
 * full analysis of what the last step saw writes them: the stage again, over
 * the views the last step left, from the carried tables (nothing new to add)
 * in cumulative mode.
 */
export async function completeLinks(caseFile: CaseFile, last: ReplayStep, cumulative: boolean): Promise<void> {
  const carry = cumulative ? { carry: { cutoffMs: last.cutoffMs, first: false } } : {};
  await runStages([sharedInfrastructureStage(DEFAULT_LINK_PARAMS, carry)], caseFile);
}
