// Behaviour and embedding clusters (k-means) and the refinement of the graph
// communities with them. First version: communities pass through unchanged.
import type { CaseFile } from '@farmscope/casefile';
import type { FarmConfig } from './farm-config.js';

export async function refineCommunities(caseFile: CaseFile, _config: FarmConfig): Promise<string[]> {
  await caseFile.run('CREATE OR REPLACE TABLE account_clusters (account_id VARCHAR, cluster INTEGER)');
  await caseFile.run('CREATE OR REPLACE TABLE behaviour_cluster_summary (cluster INTEGER, accounts INTEGER)');
  await caseFile.run('CREATE OR REPLACE TABLE community_members AS SELECT account_id, community FROM graph_communities');
  return [];
}
