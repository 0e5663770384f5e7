// Communities over confident edges of the farm graph, robust to a single weak
// edge bridging two groups: weighted structural-similarity filtering in the
// manner of SCAN (Xu, Yuruk, Feng & Schweiger, KDD 2007), then connected
// components of the kept edges by min-label propagation with pointer jumping.
//
// SCAN's idea: two accounts of one farm share most of their neighbours, so
// the cosine of their closed, weighted neighbourhoods is high; a lone edge
// between two farms (or from a NAT hub to a passer-by) joins accounts whose
// neighbourhoods barely overlap, so its similarity is low and it is cut.
// An edge strong on operator evidence alone (a shared card, a hand-off,
// co-activity) is kept anyway; content and rhythm never suffice on their own.
//
// The behaviour clusters corroborate the graph first: an edge between
// accounts of different clusters enters only when it is strong on its own,
// and agreeing on behaviour adds to an edge's weight (noisy-or with
// `clusterAgreement`), so accounts that act alike and share a little
// content hold together better than accounts that only share content.
import type { CaseFile } from '@farmscope/casefile';
import type { FarmConfig } from './farm-config.js';

/** The pair table's columns read here. */
export interface EdgeSource {
  /** A table or subquery with account_a, account_b, score (all evidence) and operator_score (shared infrastructure, co-activity, hand-offs only). */
  relation: string;
}

/**
 * `farm_graph_edges` (first pass): every pair at or above minPairScore with the
 * behaviour clusters of its ends and its weight: the pair score, raised by
 * cluster agreement; pairs across clusters only when strong on their own.
 */
function weightedEdgesSql(source: EdgeSource, config: FarmConfig): string {
  const g = config.graph;
  return `CREATE OR REPLACE TEMP TABLE _fc_edges AS
    SELECT p.account_a, p.account_b, p.score, p.operator_score, ca.cluster AS cluster_a, cb.cluster AS cluster_b,
      coalesce(ca.cluster = cb.cluster, false) AS same_cluster,
      CASE WHEN coalesce(ca.cluster = cb.cluster, false) THEN 1 - (1 - p.score) * (1 - ${g.clusterAgreement}) ELSE p.score END AS w
    FROM ${source.relation} p LEFT JOIN account_clusters ca ON ca.account_id = p.account_a
      LEFT JOIN account_clusters cb ON cb.account_id = p.account_b
    WHERE p.score >= ${g.minPairScore} AND (coalesce(ca.cluster = cb.cluster, false) OR p.operator_score >= ${g.strongPairScore})`;
}

/** `_fc_nb`: each account's strongest neighbours (directed, capped), with weights. */
function neighbourhoodsSql(config: FarmConfig): string {
  return `CREATE OR REPLACE TEMP TABLE _fc_nb AS
    SELECT u, x, w FROM (
      SELECT account_a AS u, account_b AS x, w FROM _fc_edges UNION ALL SELECT account_b, account_a, w FROM _fc_edges)
    QUALIFY row_number() OVER (PARTITION BY u ORDER BY w DESC, x) <= ${config.graph.neighbourCap}`;
}

/**
 * `farm_graph_edges`: each undirected edge of the capped graph with its
 * structural similarity σ(u,v) = Σ_{x ∈ Γ(u)∩Γ(v)} w(u,x)·w(v,x) / √(Σ_Γ(u) w² · Σ_Γ(v) w²),
 * Γ the closed neighbourhood: the account itself belongs to it with the weight
 * of its strongest tie (with weight 1, as in unweighted SCAN, any lone weak
 * edge between two quiet accounts would look as similar as a strong one).
 */
function similaritySql(config: FarmConfig): string {
  const g = config.graph;
  return `CREATE OR REPLACE TABLE farm_graph_edges AS
    WITH closed AS (SELECT u, x, w FROM _fc_nb UNION ALL SELECT u, u, max(w) FROM _fc_nb GROUP BY u),
    norms AS (SELECT u, sum(w * w) AS n2 FROM closed GROUP BY u),
    edges AS (SELECT DISTINCT least(u, x) AS account_a, greatest(u, x) AS account_b FROM _fc_nb),
    common AS (
      SELECT e.account_a, e.account_b, sum(c1.w * c2.w) AS dot
      FROM edges e JOIN closed c1 ON c1.u = e.account_a JOIN closed c2 ON c2.u = e.account_b AND c2.x = c1.x
      GROUP BY ALL)
    SELECT e.account_a, e.account_b, round(f.score, 6) AS score, round(f.operator_score, 6) AS operator_score, round(f.w, 6) AS weight, f.cluster_a, f.cluster_b, f.same_cluster,
      round(coalesce(c.dot, 0) / sqrt(na.n2 * nb.n2), 6) AS similarity,
      round(coalesce(c.dot, 0) / sqrt(na.n2 * nb.n2), 6) >= ${g.scanEpsilon} OR f.operator_score >= ${g.strongPairScore} AS kept
    FROM edges e JOIN _fc_edges f USING (account_a, account_b) LEFT JOIN common c USING (account_a, account_b)
      JOIN norms na ON na.u = e.account_a JOIN norms nb ON nb.u = e.account_b
    ORDER BY account_a, account_b`;
}

/**
 * Connected components of an edge list (`edges`: u, v with both directions):
 * every account starts with its own id as label, takes the smallest label
 * among itself and its neighbours, then jumps to its label's label; repeated
 * until nothing changes. Labels are account ids, so the result does not
 * depend on thread order. Writes `out(account_id, <column>)` for components of
 * at least minAccounts; returns the rounds, or 0 when maxRounds passed
 * without convergence (labels then split some components; the caller notes it).
 */
async function components(caseFile: CaseFile, config: FarmConfig, edges: string, out: string, column: string): Promise<number> {
  await caseFile.run(`CREATE OR REPLACE TEMP TABLE _fc_kept AS ${edges}`, `${out}: edges`);
  await caseFile.run(`CREATE OR REPLACE TEMP TABLE _fc_label AS SELECT DISTINCT u AS account_id, u AS label FROM _fc_kept`, `${out}: initial labels`);
  let rounds = 0;
  let converged = false;
  for (; rounds < config.graph.maxRounds && !converged; rounds++) {
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _fc_next AS
         WITH hop AS (
           SELECT l.account_id, least(l.label, coalesce(min(n.label), l.label)) AS label
           FROM _fc_label l LEFT JOIN _fc_kept k ON k.u = l.account_id LEFT JOIN _fc_label n ON n.account_id = k.v
           GROUP BY l.account_id, l.label)
         SELECT h.account_id, least(h.label, j.label) AS label FROM hop h JOIN hop j ON j.account_id = h.label`,
      `${out}: label propagation round`,
    );
    const changed = await caseFile.value<number>(
      `SELECT count(*)::INTEGER FROM _fc_next n JOIN _fc_label l USING (account_id) WHERE n.label <> l.label`,
    );
    await caseFile.run('CREATE OR REPLACE TEMP TABLE _fc_label AS FROM _fc_next');
    converged = changed === 0;
  }
  await caseFile.run(
    `CREATE OR REPLACE TABLE ${out} AS SELECT account_id, label AS ${column} FROM _fc_label
     QUALIFY count(*) OVER (PARTITION BY label) >= ${config.farm.minAccounts} ORDER BY account_id`,
    `${out}: components`,
  );
  return converged ? rounds : 0;
}

const bothWays = (relation: string, where: string) =>
  `SELECT account_a AS u, account_b AS v FROM ${relation} WHERE ${where} UNION ALL SELECT account_b, account_a FROM ${relation} WHERE ${where}`;

/**
 * Structural similarity splits a big farm whose members also share cards in
 * small teams: each team's neighbourhoods fill with its own strong ties, so
 * its content edges to the rest look dissimilar and are cut. Two communities
 * of one behaviour cluster are merged when the edges between them (kept or
 * not) number at least `mergeEdgesPerAccount` × the smaller one's size
 * (many ties, not one bridge) and are on average at least `mergeScoreRatio`
 * × as strong as the edges inside the weaker-tied of the two (ties as strong
 * as a farm's own, not the faint content overlap of two farms fed from the
 * same template families). Merging is transitive (components over the
 * community pairs that pass).
 */
async function mergeWellConnected(caseFile: CaseFile, config: FarmConfig): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _fc_cpairs AS
     WITH sizes AS (SELECT community, count(*) AS n FROM graph_communities GROUP BY community),
     labelled AS (
       SELECT ca.community AS ca, cb.community AS cb, e.score
       FROM farm_graph_edges e JOIN graph_communities ca ON ca.account_id = e.account_a JOIN graph_communities cb ON cb.account_id = e.account_b
       WHERE e.same_cluster),
     inside AS (SELECT ca AS community, avg(score) AS s FROM labelled WHERE ca = cb GROUP BY ca),
     between_ AS (
       SELECT least(ca, cb) AS account_a, greatest(ca, cb) AS account_b, count(*) AS edges, avg(score) AS s
       FROM labelled WHERE ca <> cb GROUP BY ALL)
     SELECT b.* FROM between_ b JOIN sizes sa ON sa.community = b.account_a JOIN sizes sb ON sb.community = b.account_b
       JOIN inside ia ON ia.community = b.account_a JOIN inside ib ON ib.community = b.account_b
     WHERE b.edges >= ${config.graph.mergeEdgesPerAccount} * least(sa.n, sb.n)
       AND b.s >= ${config.graph.mergeScoreRatio} * least(ia.s, ib.s)`,
    'communities: well-connected community pairs',
  );
  await components(caseFile, config, bothWays('_fc_cpairs', 'true'), '_fc_merged', 'merged');
  await caseFile.run(
    `CREATE OR REPLACE TABLE graph_communities AS
     SELECT g.account_id, min(coalesce(m.merged, g.community)) OVER (PARTITION BY coalesce(m.merged, g.community)) AS community
     FROM graph_communities g LEFT JOIN _fc_merged m ON m.account_id = g.community
     ORDER BY account_id`,
    'communities: merged labels',
  );
  await caseFile.run('DROP TABLE IF EXISTS _fc_cpairs');
  await caseFile.run('DROP TABLE IF EXISTS _fc_merged');
}

/**
 * Weighted, corroborated, capped edges, their similarity, and the components
 * of the kept ones (`graph_communities`, community = smallest member id);
 * and the operator cores (`operator_cores`): components of the edges strong
 * on operator evidence alone, so a farm swallowed by a benign community
 * through content edges can still stand on its own.
 */
export async function buildCommunities(caseFile: CaseFile, config: FarmConfig, source: EdgeSource): Promise<{ rounds: number }> {
  try {
    await caseFile.run(weightedEdgesSql(source, config), 'communities: edges corroborated by behaviour clusters');
    await caseFile.run(neighbourhoodsSql(config), 'communities: capped neighbourhoods');
    await caseFile.run(similaritySql(config), 'communities: structural similarity of each edge');
    const rounds = await components(caseFile, config, bothWays('farm_graph_edges', 'kept'), 'graph_communities', 'community');
    await mergeWellConnected(caseFile, config);
    await components(caseFile, config, bothWays(source.relation, `operator_score >= ${config.graph.strongPairScore}`), 'operator_cores', 'core');
    return { rounds };
  } finally {
    for (const t of ['_fc_edges', '_fc_nb', '_fc_kept', '_fc_label', '_fc_next']) await caseFile.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
