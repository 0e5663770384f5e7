// The silhouette that chooses k in behaviour_clusters: scored from distances
// computed once per sample, it must equal, to the bit, the definition
// (Rousseeuw 1987) computed pair by pair, so the chosen clusters do not move.
import { describe, expect, it } from 'vitest';
import { meanSilhouette, pairDistances, silhouetteOfDistances } from '../src/behaviour-clusters.js';

/** The definition, pair by pair (the stage's code before the distances were shared between labellings). */
function referenceSilhouette(points: number[][], labels: number[]): number {
  const dist = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]!) ** 2, 0));
  let total = 0;
  for (let i = 0; i < points.length; i++) {
    const sums = new Map<number, { s: number; n: number }>();
    for (let j = 0; j < points.length; j++) {
      if (i === j) continue;
      const e = sums.get(labels[j]!) ?? { s: 0, n: 0 };
      e.s += dist(points[i]!, points[j]!);
      e.n += 1;
      sums.set(labels[j]!, e);
    }
    const own = sums.get(labels[i]!);
    if (!own || own.n === 0) continue;
    const a = own.s / own.n;
    let b = Infinity;
    for (const [label, e] of sums) if (label !== labels[i]) b = Math.min(b, e.s / e.n);
    if (b === Infinity) continue;
    total += (b - a) / Math.max(a, b);
  }
  return points.length < 2 ? 0 : total / points.length;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('silhouette', () => {
  it('equals the pair-by-pair definition bit for bit, for every k, with singletons and empty labels', () => {
    const rnd = random(7);
    const points = Array.from({ length: 300 }, (_, i) => Array.from({ length: 12 }, () => rnd() * 4 + (i % 3) * 2));
    const distances = pairDistances(points);
    for (let k = 2; k <= 12; k++) {
      const labels = points.map((_, i) => (i * 7 + k) % k);
      labels[5] = k + 3; // a singleton, and labels in between that no point has
      const expected = referenceSilhouette(points, labels);
      expect(silhouetteOfDistances(distances, labels)).toBe(expected);
      expect(meanSilhouette(points, labels)).toBe(expected);
    }
    expect(meanSilhouette([[1, 2]], [0])).toBe(0);
    // Clearly separated groups score near 1, one label 0.
    const separated = [[0, 0], [0, 1], [100, 0], [100, 1]];
    expect(meanSilhouette(separated, [0, 0, 1, 1])).toBeGreaterThan(0.98);
    expect(meanSilhouette(separated, [0, 0, 0, 0])).toBe(0);
  });
});
