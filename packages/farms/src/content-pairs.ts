// Content similarity between suspect accounts of one behaviour cluster: the
// cosine of their prompt-template profiles. Candidate pairs share a template
// inside the cluster; a template held there by more than `contentPairCap`
// suspects links each holder only to its next `contentRing` holders in one
// global hash order of the accounts, so the same neighbours recur from
// template to template (a big farm becomes a ring lattice whose edges have
// overlapping neighbourhoods, which the structural-similarity step needs)
// and the cost stays R × holders, never holders².
import type { CaseFile } from '@farmscope/casefile';
import type { FarmConfig } from './farm-config.js';

/**
 * `_fp_unit`: each clustered suspect's template profile, each template weighted
 * by √requests × ln(N / accounts using it) (TF-IDF with a sublinear term
 * frequency: sharing what everybody uses says little), cut to its
 * `contentTopTemplates` heaviest templates and scaled to unit length.
 */
function profilesSql(config: FarmConfig): string {
  return `CREATE OR REPLACE TEMP TABLE _fp_unit AS
    WITH n AS (SELECT greatest(count(*), 1) AS n FROM account_features),
    v AS (
      SELECT c.account_id, k.cluster, c.template_id, sqrt(c.requests) * ln((SELECT n FROM n) / greatest(t.accounts, 1)) AS w
      FROM account_template_counts c JOIN account_clusters k USING (account_id) JOIN prompt_templates t USING (template_id)
      QUALIFY row_number() OVER (PARTITION BY c.account_id ORDER BY w DESC, c.template_id) <= ${config.graph.contentTopTemplates})
    SELECT account_id, cluster, template_id, w / nullif(sqrt(sum(w * w) OVER (PARTITION BY account_id)), 0) AS w FROM v`;
}

/** `_fp_candidates`: pairs of one cluster sharing a template; all pairs of small groups, ring neighbours in big ones. */
function candidatesSql(config: FarmConfig): string {
  const g = config.graph;
  return `CREATE OR REPLACE TEMP TABLE _fp_candidates AS
    WITH holders AS (
      SELECT account_id, cluster, template_id,
        count(*) OVER (PARTITION BY cluster, template_id) AS d,
        row_number() OVER (PARTITION BY cluster, template_id ORDER BY hash(account_id), account_id) AS rk
      FROM _fp_unit),
    small AS (
      SELECT a.account_id AS account_a, b.account_id AS account_b
      FROM holders a JOIN holders b ON a.cluster = b.cluster AND a.template_id = b.template_id AND a.account_id < b.account_id
      WHERE a.d <= ${g.contentPairCap}),
    ring AS (
      -- the neighbour's rank is a column, so the join is on three equal keys (an expression in the
      -- join condition left DuckDB joining every holder of the template with every other)
      SELECT least(a.account_id, b.account_id) AS account_a, greatest(a.account_id, b.account_id) AS account_b
      FROM (SELECT h.*, (h.rk - 1 + k.step) % h.d + 1 AS target
            FROM holders h, range(1, ${g.contentRing + 1}) k(step) WHERE h.d > ${g.contentPairCap}) a
        JOIN holders b ON b.cluster = a.cluster AND b.template_id = a.template_id AND b.rk = a.target
      WHERE b.account_id <> a.account_id)
    SELECT DISTINCT account_a, account_b FROM (FROM small UNION ALL FROM ring)`;
}

/** `_fp_cosine(account_a, account_b, cosine, shared_templates)` over the candidates. */
function cosineSql(): string {
  return `CREATE OR REPLACE TEMP TABLE _fp_cosine AS
    SELECT p.account_a, p.account_b, sum(x.w * y.w) AS cosine, count(*)::INTEGER AS shared_templates
    FROM _fp_candidates p JOIN _fp_unit x ON x.account_id = p.account_a
      JOIN _fp_unit y ON y.account_id = p.account_b AND y.template_id = x.template_id
    GROUP BY ALL`;
}

/** Builds `_fp_cosine`; the caller drops it (`dropContentPairs`). */
export async function buildContentPairs(caseFile: CaseFile, config: FarmConfig): Promise<void> {
  if (!(await caseFile.tableExists('account_template_counts')) || !(await caseFile.tableExists('prompt_templates'))) {
    await caseFile.run('CREATE OR REPLACE TEMP TABLE _fp_cosine (account_a VARCHAR, account_b VARCHAR, cosine DOUBLE, shared_templates INTEGER)');
    return;
  }
  await caseFile.run(profilesSql(config), 'farm graph: template profiles of clustered suspects');
  await caseFile.run(candidatesSql(config), 'farm graph: candidate pairs sharing a template within a behaviour cluster');
  await caseFile.run(cosineSql(), 'farm graph: template-profile cosine of candidate pairs');
}

export async function dropContentPairs(caseFile: CaseFile): Promise<void> {
  for (const t of ['_fp_unit', '_fp_candidates', '_fp_cosine']) await caseFile.run(`DROP TABLE IF EXISTS ${t}`);
}
