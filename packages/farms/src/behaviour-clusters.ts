// Stage `behaviour_clusters`: k-means (ml-kmeans, k-means++ with a fixed seed)
// over the suspect accounts, each described by three blocks: its signal
// features as robust z against the case (clipped to ±5), the phase of its
// day (where its requests fall on the 24-hour clock, so farms in different
// time zones separate), and a fixed random projection of its mean prompt
// embedding (Johnson–Lindenstrauss: distances between embeddings are kept
// to within a small factor in far fewer dimensions). k is chosen by the
// silhouette at two levels (twoLevelClusters). The clusters
// corroborate the graph: an edge between accounts of different clusters
// needs to be strong on its own.
import { type CaseFile, ident, literal } from '@farmscope/casefile';
import { kmeans } from 'ml-kmeans';
import type { FarmConfig } from './farm-config.js';
import { SIGNAL_FEATURES } from './signal-features.js';
import { fnv1a } from './stable-hash.js';

/** Dimensions of the projected embedding block. */
const PROJECTED_DIMS = 32;

interface SuspectRow extends Record<string, unknown> {
  account_id: string;
  z: (number | null)[];
  phase_x: number | null;
  phase_y: number | null;
  embedding: number[] | null;
}

function suspectsSql(config: FarmConfig): string {
  const zCols = SIGNAL_FEATURES.map((f) => `max(e.z) FILTER (e.feature = ${literal(f.feature)})`);
  return `WITH z AS (
      SELECT e.account_id, [${zCols.join(', ')}] AS z FROM account_signal_evidence e
      WHERE e.account_id IN (SELECT account_id FROM account_scores WHERE behaviour_score >= ${config.graph.suspectMinScore})
      GROUP BY e.account_id)
    SELECT s.account_id, z.z,
      list_sum(list_transform(range(24), h -> f.hour_histogram[h + 1] * cos(2 * pi() * h / 24))) / nullif(list_sum(f.hour_histogram), 0) AS phase_x,
      list_sum(list_transform(range(24), h -> f.hour_histogram[h + 1] * sin(2 * pi() * h / 24))) / nullif(list_sum(f.hour_histogram), 0) AS phase_y,
      em.projected AS embedding
    FROM account_scores s JOIN account_features f USING (account_id) LEFT JOIN z USING (account_id)
      LEFT JOIN ${ident('_fk_embeddings')} em USING (account_id)
    WHERE s.behaviour_score >= ${config.graph.suspectMinScore}
    ORDER BY s.account_id`;
}

/**
 * `_fk_embeddings`: each suspect's embedding projected to PROJECTED_DIMS by a
 * fixed ±1/√d matrix whose signs are hashes of (input dim, output dim, seed),
 * in SQL, so only the small projections reach JS. The signs are made once
 * (one list per output dim, as long as the longest embedding; kept in a
 * temp table for later runs on the same connection, a replay's steps, and
 * made again only when a longer embedding comes) and each coordinate is a
 * list_dot_product (on claude-2026: the same bytes as hashing the signs per
 * account and coordinate, 7× faster).
 */
async function projectEmbeddings(caseFile: CaseFile, config: FarmConfig): Promise<void> {
  const seed = config.clusters.seed;
  const signsTable = `_fk_signs_${String(seed).replace(/\W/g, '_')}`;
  const needed = Number(await caseFile.value(`SELECT coalesce(max(len(embedding)), 0) FROM account_embeddings`, 'behaviour clusters: embedding length'));
  const kept = (await caseFile.tableExists(signsTable)) ? Number(await caseFile.value(`SELECT n FROM ${signsTable}`)) : -1;
  if (kept < needed) {
    const signs = Array.from({ length: PROJECTED_DIMS }, (_, j) =>
      `list(CASE WHEN hash(i, ${j}, ${seed}) % 2 = 0 THEN 1.0 ELSE -1.0 END::DOUBLE ORDER BY i) AS s${j}`);
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE ${signsTable} AS SELECT ${needed}::BIGINT AS n, ${signs.join(', ')} FROM range(${needed}) AS t(i)`,
      'behaviour clusters: projection signs',
    );
  }
  const dims = Array.from({ length: PROJECTED_DIMS }, (_, j) => `list_dot_product(e, s${j}[1:len(e)]) / ${Math.sqrt(PROJECTED_DIMS)}`);
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _fk_embeddings AS
    SELECT account_id, [${dims.join(', ')}] AS projected
    FROM (SELECT account_id, embedding::DOUBLE[] AS e FROM account_embeddings
          WHERE embedding IS NOT NULL
            AND account_id IN (SELECT account_id FROM account_scores WHERE behaviour_score >= ${config.graph.suspectMinScore}))
    CROSS JOIN (SELECT * EXCLUDE (n) FROM ${signsTable})`,
    'behaviour clusters: projected embeddings of the suspects',
  );
}

/** Indexes of the features present for enough suspects to describe behaviour. */
function usableFeatures(rows: SuspectRow[], config: FarmConfig): number[] {
  return SIGNAL_FEATURES.map((_, i) => i).filter((i) => {
    const nulls = rows.filter((r) => r.z?.[i] === null || r.z?.[i] === undefined).length;
    return nulls <= config.clusters.maxNullShare * rows.length;
  });
}

function vectorOf(row: SuspectRow, features: number[], config: FarmConfig): number[] {
  const c = config.clusters;
  const zs = features.map((i) => Math.max(-5, Math.min(5, row.z?.[i] ?? 0)) / Math.sqrt(features.length));
  const phase = [(row.phase_x ?? 0) * c.phaseWeight, (row.phase_y ?? 0) * c.phaseWeight];
  const emb = (row.embedding ?? new Array<number>(PROJECTED_DIMS).fill(0)).map((v) => v * c.embeddingWeight);
  return [...zs, ...phase, ...emb];
}

const dist = (a: number[], b: number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
};

/** The distances between every two points, row by row (n × n), computed once for all the labellings scored on them. */
export function pairDistances(points: number[][]): Float64Array {
  const n = points.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = dist(points[i]!, points[j]!);
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return d;
}

/** Mean silhouette of a labelling (Rousseeuw 1987); points in singleton clusters count 0. */
export function meanSilhouette(points: number[][], labels: number[]): number {
  return silhouetteOfDistances(pairDistances(points), labels);
}

/** Mean silhouette of a labelling (labels ≥ 0) of the n points whose pairDistances are `d`. */
export function silhouetteOfDistances(d: Float64Array, labels: number[]): number {
  const n = labels.length;
  if (n < 2) return 0;
  const k = Math.max(...labels) + 1;
  const sums = new Float64Array(k);
  const counts = new Int32Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    counts.fill(0);
    const row = i * n;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const l = labels[j]!;
      sums[l]! += d[row + j]!;
      counts[l]! += 1;
    }
    const own = labels[i]!;
    if (counts[own] === 0) continue;
    const a = sums[own]! / counts[own]!;
    let b = Infinity;
    for (let l = 0; l < k; l++) if (l !== own && counts[l]! > 0) b = Math.min(b, sums[l]! / counts[l]!);
    if (b === Infinity) continue;
    total += (b - a) / Math.max(a, b);
  }
  return total / n;
}

/** One k-means run considered: at which level, on how many accounts, with which k and silhouette, and whether it was used. */
export interface ClusterSplit {
  level: number;
  /** Accounts in the cluster being split (level 1: all suspects). */
  size: number;
  k: number;
  silhouette: number;
  accepted: boolean;
}

/** An evenly spread deterministic subsample of at most n indexes (the points are already in hash order). */
const subsample = (indexes: number[], n: number) =>
  indexes.length <= n ? indexes : Array.from({ length: n }, (_, i) => indexes[Math.floor((i * indexes.length) / n)]!);

/** k-means on `members` for each k in 2..kMax; the labels (0..k−1) of every member for the k with the best silhouette. */
function bestSplit(points: number[][], members: number[], config: FarmConfig): { k: number; silhouette: number; labels: number[] } | undefined {
  const c = config.clusters;
  const fit = subsample(members, c.sampleSize).map((i) => points[i]!);
  const sil = subsample(members, c.silhouetteSample).map((i) => points[i]!);
  const distances = pairDistances(sil);
  let best: { k: number; silhouette: number; labels: number[] } | undefined;
  for (let k = 2; k <= Math.min(c.kMax, fit.length - 1); k++) {
    const model = kmeans(fit, k, { seed: c.seed, initialization: 'kmeans++', maxIterations: c.maxIterations });
    const silhouette = silhouetteOfDistances(distances, model.nearest(sil));
    if (!best || silhouette > best.silhouette + 1e-9) best = { k, silhouette, labels: model.nearest(members.map((i) => points[i]!)) };
  }
  return best;
}

/**
 * Two levels of k-means, k chosen by the mean silhouette (Rousseeuw 1987) on
 * a deterministic sample, each over 2..kMax. Level 1 clusters all suspects.
 * A silhouette over all points lets one giant farm decide k for everyone
 * (on claude-2026-like data it chose k = 2: the hydra against the rest), so
 * at level 2 each cluster of at least minSplitSize accounts is clustered
 * again, and split only when its own best silhouette is at least
 * splitMinSilhouette: small groups separate, a homogeneous giant stays whole.
 */
export function twoLevelClusters(points: number[][], config: FarmConfig): { labels: number[]; splits: ClusterSplit[] } {
  const c = config.clusters;
  const all = points.map((_, i) => i);
  const splits: ClusterSplit[] = [];
  const top = all.length >= c.minSplitSize ? bestSplit(points, all, config) : undefined;
  if (!top) return { labels: points.map(() => 0), splits };
  splits.push({ level: 1, size: all.length, k: top.k, silhouette: Math.round(top.silhouette * 1e4) / 1e4, accepted: true });
  const labels = new Array<number>(points.length);
  let next = 0;
  for (let label = 0; label < top.k; label++) {
    const members = all.filter((i) => top.labels[i] === label);
    if (members.length === 0) continue;
    const sub = members.length >= c.minSplitSize ? bestSplit(points, members, config) : undefined;
    const accepted = sub !== undefined && sub.silhouette >= c.splitMinSilhouette;
    if (sub) splits.push({ level: 2, size: members.length, k: sub.k, silhouette: Math.round(sub.silhouette * 1e4) / 1e4, accepted });
    members.forEach((i, j) => { labels[i] = next + (accepted ? sub!.labels[j]! : 0); });
    next += accepted ? sub!.k : 1;
  }
  return { labels, splits };
}

/** Cluster numbers 1..k ordered by each cluster's smallest account id (points are in account order), so they do not depend on k-means' internal numbering. */
function renumber(labels: number[]): number[] {
  const order = new Map<number, number>();
  for (const l of labels) if (!order.has(l)) order.set(l, order.size + 1);
  return labels.map((l) => order.get(l)!);
}

/** Inserts small JS-made rows (SQL value tuples) in chunks. */
async function writeRows(caseFile: CaseFile, table: string, rows: string[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await caseFile.run(`INSERT INTO ${table} VALUES ${rows.slice(i, i + 1000).join(', ')}`, `behaviour clusters: writing ${table}`);
  }
}

export async function buildBehaviourClusters(caseFile: CaseFile, config: FarmConfig): Promise<string[]> {
  const hasEmbeddings = await caseFile.tableExists('account_embeddings') && config.clusters.embeddingWeight > 0;
  if (hasEmbeddings) await projectEmbeddings(caseFile, config);
  else await caseFile.run(`CREATE OR REPLACE TEMP TABLE _fk_embeddings (account_id VARCHAR, projected DOUBLE[])`, 'behaviour clusters: no embeddings');
  let rows: SuspectRow[];
  try {
    rows = await caseFile.all<SuspectRow>(suspectsSql(config), 'behaviour clusters: suspect vectors');
  } finally {
    await caseFile.run('DROP TABLE IF EXISTS _fk_embeddings');
  }
  await caseFile.run('CREATE OR REPLACE TABLE account_clusters (account_id VARCHAR, cluster INTEGER)');
  await caseFile.run(
    'CREATE OR REPLACE TABLE behaviour_cluster_choice (level INTEGER, size INTEGER, k INTEGER, silhouette DOUBLE, accepted BOOLEAN)',
  );
  if (rows.length === 0) return ['no suspect accounts to cluster'];
  // Points in a deterministic hash order, so samples are spread evenly (rows are in account order for the labels).
  const features = usableFeatures(rows, config);
  const points = rows.map((r) => vectorOf(r, features, config));
  const order = rows.map((r, i) => ({ i, h: fnv1a(`${config.clusters.seed}:${r.account_id}`) })).sort((a, b) => a.h - b.h || a.i - b.i);
  const { labels: shuffledLabels, splits } = twoLevelClusters(order.map((o) => points[o.i]!), config);
  const labels = new Array<number>(rows.length);
  order.forEach((o, j) => { labels[o.i] = shuffledLabels[j]!; });
  const numbered = renumber(labels);
  await writeRows(caseFile, 'account_clusters', rows.map((r, i) => `(${literal(r.account_id)}, ${numbered[i]})`));
  await writeRows(caseFile, 'behaviour_cluster_choice', splits.map((x) => `(${x.level}, ${x.size}, ${x.k}, ${x.silhouette}, ${x.accepted})`));
  const k = new Set(numbered).size;
  const left = SIGNAL_FEATURES.filter((_, i) => !features.includes(i)).map((f) => f.feature);
  return [
    ...(await caseFile.tableExists('account_embeddings') ? [] : ['no account_embeddings: behaviour clusters use the features only']),
    `${rows.length} suspects in ${k} behaviour clusters (two levels of k-means, k by silhouette from 2 to ${config.clusters.kMax}; a level-1 cluster split again when its silhouette ≥ ${config.clusters.splitMinSilhouette})`,
    ...(left.length ? [`left out of the clustering (null for over ${config.clusters.maxNullShare * 100}% of suspects): ${left.join(', ')}`] : []),
  ];
}
