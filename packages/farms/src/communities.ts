// Communities over confident edges of the farm graph, robust to a single weak
// edge bridging two groups: weighted structural-similarity filtering in the
// manner of SCAN (Xu, Yuruk, Feng & Schweiger, KDD 2007), then connected
// components of the kept edges by min-label propagation with pointer jumping.
//
// SCAN's idea: two accounts of one farm share most of their neighbours, so
// the cosine of their closed, weighted neighbourhoods is high; a lone edge
// between two farms (or from a NAT hub to a passer-by) joins accounts whose
// neighbourhoods barely overlap, so its similarity is low and it is cut.
// An edge strong on its own (a shared card, a hand-off) is kept anyway.
import type { CaseFile } from '@farmscope/casefile';
import type { FarmConfig } from './farm-config.js';

/** The pair table's columns read here. */
export interface EdgeSource {
  /** A table or subquery with account_a, account_b, score. */
  relation: string;
}

/** `_fc_nb`: each account's strongest neighbours (directed, capped), with weights. */
function neighbourhoodsSql(source: EdgeSource, config: FarmConfig): string {
  const g = config.graph;
  return `CREATE OR REPLACE TEMP TABLE _fc_nb AS
    SELECT u, x, w FROM (
      SELECT account_a AS u, account_b AS x, score AS w FROM ${source.relation} WHERE score >= ${g.minPairScore}
      UNION ALL SELECT account_b, account_a, score FROM ${source.relation} WHERE score >= ${g.minPairScore})
    QUALIFY row_number() OVER (PARTITION BY u ORDER BY w DESC, x) <= ${g.neighbourCap}`;
}

/**
 * `farm_graph_similarity`: each undirected edge of the capped graph with its
 * structural similarity σ(u,v) = Σ_{x ∈ Γ(u)∩Γ(v)} w(u,x)·w(v,x) / √(Σ_Γ(u) w² · Σ_Γ(v) w²),
 * Γ the closed neighbourhood (the account itself with weight 1).
 */
function similaritySql(): string {
  return `CREATE OR REPLACE TABLE farm_graph_similarity AS
    WITH closed AS (SELECT u, x, w FROM _fc_nb UNION ALL SELECT DISTINCT u, u, 1.0 FROM _fc_nb),
    norms AS (SELECT u, sum(w * w) AS n2 FROM closed GROUP BY u),
    edges AS (SELECT least(u, x) AS account_a, greatest(u, x) AS account_b, max(w) AS score FROM _fc_nb GROUP BY ALL),
    common AS (
      SELECT e.account_a, e.account_b, sum(c1.w * c2.w) AS dot
      FROM edges e JOIN closed c1 ON c1.u = e.account_a JOIN closed c2 ON c2.u = e.account_b AND c2.x = c1.x
      GROUP BY ALL)
    SELECT e.account_a, e.account_b, e.score,
      round(coalesce(c.dot, 0) / sqrt(na.n2 * nb.n2), 6) AS similarity
    FROM edges e LEFT JOIN common c USING (account_a, account_b)
      JOIN norms na ON na.u = e.account_a JOIN norms nb ON nb.u = e.account_b
    ORDER BY account_a, account_b`;
}

/**
 * Connected components of the kept edges: every account starts with its own
 * id as label, takes the smallest label among itself and its neighbours,
 * then jumps to its label's label; repeated until nothing changes. The
 * labels are account ids, so the result does not depend on thread order.
 */
async function components(caseFile: CaseFile, config: FarmConfig): Promise<number> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _fc_kept AS
       SELECT account_a AS u, account_b AS v FROM farm_graph_edges WHERE kept
       UNION ALL SELECT account_b, account_a FROM farm_graph_edges WHERE kept`,
    'farm graph: kept edges',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _fc_label AS SELECT DISTINCT u AS account_id, u AS label FROM _fc_kept`,
    'farm graph: initial labels',
  );
  let rounds = 0;
  for (; rounds < config.graph.maxRounds; rounds++) {
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _fc_next AS
         WITH hop AS (
           SELECT l.account_id, least(l.label, coalesce(min(n.label), l.label)) AS label
           FROM _fc_label l LEFT JOIN _fc_kept k ON k.u = l.account_id LEFT JOIN _fc_label n ON n.account_id = k.v
           GROUP BY l.account_id, l.label)
         SELECT h.account_id, least(h.label, j.label) AS label FROM hop h JOIN hop j ON j.account_id = h.label`,
      'farm graph: label propagation round',
    );
    const changed = await caseFile.value<number>(
      `SELECT count(*)::INTEGER FROM _fc_next n JOIN _fc_label l USING (account_id) WHERE n.label <> l.label`,
    );
    await caseFile.run('CREATE OR REPLACE TEMP TABLE _fc_label AS FROM _fc_next');
    if (changed === 0) break;
  }
  return rounds + 1;
}

/** `graph_communities(account_id, community)`: community = smallest member id; only communities of at least minAccounts. */
function communitiesSql(config: FarmConfig): string {
  return `CREATE OR REPLACE TABLE graph_communities AS
    SELECT account_id, label AS community FROM _fc_label
    QUALIFY count(*) OVER (PARTITION BY label) >= ${config.farm.minAccounts}
    ORDER BY account_id`;
}

/**
 * `farm_graph_edges`: the similarity edges with the behaviour clusters of
 * their ends; kept when structurally similar and inside one behaviour
 * cluster, or strong on their own.
 */
function corroboratedEdgesSql(config: FarmConfig): string {
  const g = config.graph;
  return `CREATE OR REPLACE TABLE farm_graph_edges AS
    SELECT e.account_a, e.account_b, e.score, e.similarity, ca.cluster AS cluster_a, cb.cluster AS cluster_b,
      coalesce(ca.cluster = cb.cluster, false) AS same_cluster,
      (e.similarity >= ${g.scanEpsilon} AND coalesce(ca.cluster = cb.cluster, false)) OR e.score >= ${g.strongPairScore} AS kept
    FROM farm_graph_similarity e LEFT JOIN account_clusters ca ON ca.account_id = e.account_a
      LEFT JOIN account_clusters cb ON cb.account_id = e.account_b
    ORDER BY account_a, account_b`;
}

/** Structural similarity of every capped edge (stage farm_graph). */
export async function buildGraphSimilarity(caseFile: CaseFile, config: FarmConfig, source: EdgeSource): Promise<void> {
  try {
    await caseFile.run(neighbourhoodsSql(source, config), 'farm graph: capped neighbourhoods');
    await caseFile.run(similaritySql(), 'farm graph: structural similarity of each edge');
  } finally {
    await caseFile.run('DROP TABLE IF EXISTS _fc_nb');
  }
}

/** Kept edges and their components (stage communities, after the behaviour clusters). */
export async function buildCommunities(caseFile: CaseFile, config: FarmConfig): Promise<{ rounds: number }> {
  try {
    await caseFile.run(corroboratedEdgesSql(config), 'communities: edges corroborated by behaviour clusters');
    const rounds = await components(caseFile, config);
    await caseFile.run(communitiesSql(config), 'communities: components of the kept edges');
    return { rounds };
  } finally {
    for (const t of ['_fc_kept', '_fc_label', '_fc_next']) await caseFile.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
