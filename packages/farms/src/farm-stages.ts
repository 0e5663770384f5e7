// The farm stages of `farmscope analyze`, run after the signal stages: the
// distillation score per account, the farm graph and its communities, their
// refinement by behaviour and embedding clusters, and the farms themselves.
import type { AnalyzeStage, StageContext } from '@farmscope/signals';
import { buildAccountScores } from './account-scores.js';
import { buildBehaviourClusters } from './behaviour-clusters.js';
import { buildCommunities } from './communities.js';
import { DEFAULT_FARM_CONFIG, type FarmConfig } from './farm-config.js';
import { assembleFarms } from './farm-assembly.js';
import { ensureInputTables } from './farm-inputs.js';
import { buildPairScores } from './pair-scores.js';

/** Options of the farm stages: `farmEvidence: false` leaves out the farms' evidence tables (see assembleFarms). */
export interface FarmStageOptions {
  farmEvidence?: boolean;
}

export function farmStages(config: FarmConfig = DEFAULT_FARM_CONFIG, options: FarmStageOptions = {}): AnalyzeStage[] {
  return [
    {
      name: 'account_scores',
      description: 'distillation score per account from six signal groups, each feature against the whole case (robust z)',
      run: async (ctx: StageContext) => {
        const notes = await ensureInputTables(ctx.caseFile);
        await buildAccountScores(ctx.caseFile, config);
        const n = await ctx.caseFile.value<number>(`SELECT count(*)::INTEGER FROM account_scores WHERE behaviour_score >= ${config.graph.suspectMinScore}`);
        notes.push(`${n} suspect accounts (behaviour score ≥ ${config.graph.suspectMinScore})`);
        return { tables: ['farm_feature_baselines', 'account_signal_evidence', 'account_scores'], notes };
      },
    },
    {
      name: 'behaviour_clusters',
      description: 'k-means over the suspects\' robust-scaled features, day phase and projected embeddings; k by silhouette',
      run: async (ctx: StageContext) => ({
        tables: ['account_clusters', 'behaviour_cluster_choice'],
        notes: await buildBehaviourClusters(ctx.caseFile, config),
      }),
    },
    {
      name: 'farm_graph',
      description: 'pair scores among suspects: shared infrastructure, co-activity, hand-offs, and template profiles and daily rhythm within a behaviour cluster',
      run: async (ctx: StageContext) => {
        await buildPairScores(ctx.caseFile, config);
        const n = await ctx.caseFile.value<number>(`SELECT count(*)::INTEGER FROM farm_pair_scores`);
        return { tables: ['farm_pair_scores'], notes: [`${n} suspect pairs`] };
      },
    },
    {
      name: 'communities',
      description: 'edges weighted by behaviour-cluster agreement, kept by structural similarity (SCAN) or their own strength, and their components',
      run: async (ctx: StageContext) => {
        const { rounds } = await buildCommunities(ctx.caseFile, config, { relation: 'farm_pair_scores' });
        await ctx.caseFile.run(
          `CREATE OR REPLACE TABLE community_members AS
             SELECT account_id, 'c:' || community AS community FROM graph_communities
             UNION ALL SELECT account_id, 'o:' || core FROM operator_cores
             ORDER BY account_id, community`,
        );
        const c = await ctx.caseFile.one<{ kept: number; communities: number }>(
          `SELECT (SELECT count(*) FROM farm_graph_edges WHERE kept)::INTEGER AS kept,
                  (SELECT count(DISTINCT community) FROM graph_communities)::INTEGER AS communities`,
        );
        return {
          tables: ['farm_graph_edges', 'graph_communities', 'operator_cores', 'community_members'],
          notes: [
            `${c?.kept ?? 0} edges kept, ${c?.communities ?? 0} communities (${rounds} propagation rounds)`,
            ...(rounds === 0 ? [`label propagation did not converge in ${config.graph.maxRounds} rounds: raise graph.maxRounds`] : []),
          ],
        };
      },
    },
    {
      name: 'farms',
      description: 'distillation farms and benign clusters, account_farms for every account, farm totals, scores and significance against a day-shift null model',
      run: async (ctx: StageContext) => {
        await assembleFarms(ctx.caseFile, config, { evidence: options.farmEvidence ?? true });
        const c = await ctx.caseFile.one<{ farms: number; accounts: number; benign: number; pooled: number }>(
          `SELECT (SELECT count(*) FROM farms)::INTEGER AS farms, (SELECT count(*) FROM account_farms WHERE farm_id IS NOT NULL)::INTEGER AS accounts,
                  (SELECT count(*) FROM benign_clusters)::INTEGER AS benign, (SELECT count(*) FROM farm_address_pools)::INTEGER AS pooled`,
        );
        return {
          tables: ['farm_candidates', 'farm_address_pools', 'farm_significance', 'account_farms', 'farms', 'benign_clusters'],
          notes: [
            `${c?.farms ?? 0} farms holding ${c?.accounts ?? 0} accounts; ${c?.benign ?? 0} benign clusters`,
            ...(c?.pooled ? [`${c.pooled} pairs of groups joined by a shared pool of private addresses (farm_address_pools)`] : []),
          ],
        };
      },
    },
  ];
}

/** The farm stages with the default config (run after signals' STAGES). */
export const FARM_STAGES: AnalyzeStage[] = farmStages();
