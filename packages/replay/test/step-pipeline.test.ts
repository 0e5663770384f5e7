// The stages a replay step runs: the carried prompt sample in cumulative
// mode, the templates and the embeddings with their text caches in both
// modes, and the embeddings after account_scores over the suspects' prompts
// (behaviour_clusters, their only reader, still comes after them).
import { describe, expect, it } from 'vitest';
import { allStages, DEFAULT_FARM_CONFIG } from '@farmscope/farms';
import { buildSchedule, stepPipeline } from '@farmscope/replay';

const step = buildSchedule({ stepMs: 86_400_000, mode: { kind: 'cumulative' } }, { firstMs: 0, lastMs: 3 * 86_400_000, inRange: 1 }).steps[1]!;
const names = (o: { cumulative: boolean; embedAll: boolean }) =>
  stepPipeline(allStages(), step, { ...o, first: false, config: DEFAULT_FARM_CONFIG }).map((s) => `${s.name}${/carried|cached|suspects only/.test(s.description) ? '*' : ''}`);

describe('stepPipeline', () => {
  it('carries the sample and embeds the suspects after their scores', () => {
    expect(names({ cumulative: true, embedAll: false })).toEqual([
      'prompt_sample*', 'prompt_templates*', 'account_features*', 'shared_infrastructure*', 'coordination*',
      'account_scores', 'prompt_embeddings*', 'behaviour_clusters', 'farm_graph', 'communities', 'farms',
    ]);
  });

  it('runs the stages of a full analysis, in its order, with --embed-all in a sliding window (templates and embeddings cached)', () => {
    const cached = new Set(['prompt_templates', 'prompt_embeddings']);
    expect(names({ cumulative: false, embedAll: true })).toEqual(allStages().map((s) => (cached.has(s.name) ? `${s.name}*` : s.name)));
  });
});
