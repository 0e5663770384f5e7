// The shared_infrastructure and coordination stages carried from step to step
// (cumulative replay): the tables they group from events (address activity
// per time bucket, addresses, per-account address use, clients, shared
// address buckets) are kept from the previous step and updated with the new
// slice only; holdings, links, co-activity pairs and hand-offs are
// recomputed from them. Exactly the tables the stages write over all events
// up to the cut-off (test/incremental-links.test.ts).
import { coordinationStage, DEFAULT_LINK_PARAMS, sharedInfrastructureStage, type AnalyzeStage } from '@farmscope/signals';
import type { ReplayStep } from './replay-schedule.js';

/** Replaces the shared_infrastructure and coordination stages of `pipeline`, in place, by the carried ones for `step`. */
export function carryLinks(pipeline: AnalyzeStage[], step: ReplayStep, first: boolean): void {
  const carry = { carry: { cutoffMs: step.cutoffMs, first } };
  const infrastructure = pipeline.findIndex((s) => s.name === 'shared_infrastructure');
  if (infrastructure >= 0) pipeline[infrastructure] = sharedInfrastructureStage(DEFAULT_LINK_PARAMS, carry);
  const coordination = pipeline.findIndex((s) => s.name === 'coordination');
  if (coordination >= 0) pipeline[coordination] = coordinationStage(DEFAULT_LINK_PARAMS, carry);
}
