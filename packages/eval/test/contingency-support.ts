// Test helper: the contingency profile of two label lists, built the naive
// way in JS, to check the SQL-built profile and the metrics against.
import type { ContingencyCell } from '@farmscope/eval';

export function profileOf(truth: readonly unknown[], predicted: readonly unknown[]): ContingencyCell[] {
  const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const rows = count(truth.map(String));
  const columns = count(predicted.map(String));
  const cells = count(truth.map((t, i) => JSON.stringify([String(t), String(predicted[i])])));
  const triples = new Map<string, ContingencyCell>();
  for (const [key, overlap] of cells) {
    const [t, p] = JSON.parse(key) as [string, string];
    const cell = { overlap, rowSize: rows.get(t)!, columnSize: columns.get(p)! };
    const id = JSON.stringify(cell);
    const seen = triples.get(id);
    if (seen) seen.count += 1;
    else triples.set(id, { ...cell, count: 1 });
  }
  return [...triples.values()];
}
