// The community method on hand-made pair tables: structural-similarity
// filtering keeps two dense groups apart when one weak edge bridges them,
// a star (one hub linked to strangers) forms no community, and behaviour
// clusters cut edges between accounts that behave differently.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseFile, literal } from '@farmscope/casefile';
import { buildCommunities, DEFAULT_FARM_CONFIG } from '@farmscope/farms';

let db: CaseFile;

beforeEach(async () => {
  db = await CaseFile.open(':memory:');
});
afterEach(() => db.close());

/** (a, b, score, operator part of the score: shared infrastructure, co-activity, hand-offs). */
type Edge = [string, string, number, number?];

/** Writes the pair table and one behaviour cluster per account (default: all in cluster 1). */
async function load(edges: Edge[], clusters: Record<string, number> = {}): Promise<void> {
  const rows = edges.map(([a, b, w, op]) => `(${literal(a < b ? a : b)}, ${literal(a < b ? b : a)}, ${w}, ${op ?? 0})`);
  await db.run(`CREATE TABLE pairs AS SELECT * FROM (VALUES ${rows.join(', ')}) t(account_a, account_b, score, operator_score)`);
  const accounts = [...new Set(edges.flatMap(([a, b]) => [a, b]))].sort();
  await db.run(`CREATE OR REPLACE TABLE account_clusters AS SELECT * FROM (VALUES ${accounts.map((a) => `(${literal(a)}, ${clusters[a] ?? 1})`).join(', ')}) t(account_id, cluster)`);
}

const clique = (prefix: string, n: number, w: number): Edge[] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n - i - 1 }, (_, j) => [`${prefix}${i}`, `${prefix}${i + j + 1}`, w] as Edge)).flat();

async function communities(): Promise<Map<string, string[]>> {
  await buildCommunities(db, DEFAULT_FARM_CONFIG, { relation: 'pairs' });
  const rows = await db.all<{ community: string; members: string[] }>(
    'SELECT community, list(account_id ORDER BY account_id) AS members FROM graph_communities GROUP BY community ORDER BY community',
  );
  return new Map(rows.map((r) => [r.community, r.members]));
}

describe('communities over the farm graph', () => {
  it('keeps two farms apart when one weak edge bridges them', async () => {
    await load([...clique('a', 6, 0.45), ...clique('b', 6, 0.45), ['a0', 'b0', 0.3]]);
    const found = await communities();
    expect([...found.values()]).toEqual([
      ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'],
      ['b0', 'b1', 'b2', 'b3', 'b4', 'b5'],
    ]);
  });

  it('plain components would have chained them (the bridge is in the graph)', async () => {
    await load([...clique('a', 6, 0.45), ...clique('b', 6, 0.45), ['a0', 'b0', 0.3]]);
    await communities();
    const bridge = await db.one<{ similarity: number; kept: boolean }>(`SELECT similarity, kept FROM farm_graph_edges WHERE account_a = 'a0' AND account_b = 'b0'`);
    expect(bridge?.kept).toBe(false);
    expect(bridge!.similarity).toBeLessThan(DEFAULT_FARM_CONFIG.graph.scanEpsilon);
  });

  it('does not make a farm of a star: a hub linked to strangers', async () => {
    await load(Array.from({ length: 30 }, (_, i) => ['hub', `leaf${String(i).padStart(2, '0')}`, 0.3] as Edge));
    expect((await communities()).size).toBe(0);
  });

  it('keeps a pair linked by a strong edge (a shared card) whatever its neighbourhood', async () => {
    await load([...clique('a', 5, 0.45), ['x', 'y', 0.95, 0.95]]);
    const found = await communities();
    expect([...found.values()]).toContainEqual(['x', 'y']);
  });

  it('does not let content alone bridge behaviour clusters, however strong', async () => {
    await load([...clique('a', 4, 0.45), ...clique('b', 4, 0.45), ['a0', 'b0', 0.9, 0]], { b0: 2, b1: 2, b2: 2, b3: 2 });
    expect((await communities()).size).toBe(2);
  });

  it('cuts similar edges between accounts of different behaviour clusters', async () => {
    const clusters = Object.fromEntries(['a0', 'a1', 'a2', 'a3', 'a4', 'a5'].map((a, i) => [a, i < 3 ? 1 : 2]));
    await load(clique('a', 6, 0.45), clusters);
    expect([...(await communities()).values()]).toEqual([['a0', 'a1', 'a2'], ['a3', 'a4', 'a5']]);
  });

  it('gives the same communities whatever the row order', async () => {
    const edges = [...clique('a', 6, 0.45), ...clique('b', 4, 0.6), ['a3', 'b2', 0.2] as Edge];
    await load(edges);
    const first = await communities();
    await db.run('DROP TABLE pairs');
    await load([...edges].reverse());
    expect(await communities()).toEqual(first);
  });
});
