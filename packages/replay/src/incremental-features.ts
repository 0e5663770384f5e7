// The account_features stage carried from step to step (cumulative replay):
// its sums, counts, min/max and distinct sets per account (hours, clients,
// network, end users, models) are kept from the previous step and updated
// with the new slice only, then the features are computed from them; the
// other passes (gaps and sliding peaks, the prompt sample's content, related
// bans, the registry) run in full. Exactly the table the stage writes over
// all events up to the cut-off (test/incremental-features.test.ts).
import { ACCOUNT_FEATURES_STAGE, accountFeaturesStage, type AnalyzeStage } from '@farmscope/signals';
import type { ReplayStep } from './replay-schedule.js';

/** Replaces the account_features stage of `pipeline`, in place, by the carried one for `step`. */
export function carryAccountFeatures(pipeline: AnalyzeStage[], step: ReplayStep, first: boolean): void {
  const at = pipeline.findIndex((s) => s.name === ACCOUNT_FEATURES_STAGE.name);
  if (at >= 0) pipeline[at] = accountFeaturesStage({ carry: { cutoffMs: step.cutoffMs, first } });
}
