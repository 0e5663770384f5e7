// Agreement of two partitions of the same items (truth = rows, prediction =
// columns), computed from the contingency table only: B-cubed, ARI and AMI.
// The table comes as a *profile*, the distinct (overlap, row size, column
// size) triples and how many cells have each, so that 110k singleton
// accounts are one line, and sums run in a fixed order (identical output on
// every run, unlike a parallel floating-point SUM).
import { expectedMutualInformation, type SizeCount } from './expected-mutual-information.js';

/** `count` cells of the contingency table hold `overlap` items, in a row (true cluster) of `rowSize` and a column (predicted cluster) of `columnSize`. */
export interface ContingencyCell {
  overlap: number;
  rowSize: number;
  columnSize: number;
  count: number;
}

export interface BCubed {
  precision: number;
  recall: number;
  f1: number;
}

export interface PartitionAgreement {
  /** Items compared. */
  items: number;
  trueClusters: number;
  predictedClusters: number;
  bcubed: BCubed;
  ari: number;
  /** Adjusted mutual information, arithmetic-mean normalisation (scikit-learn's default). */
  ami: number;
  /** Mutual information and its expectation under chance, in nats, for reference. */
  mutualInformation: number;
  expectedMutualInformation: number;
}

/** Partition agreement from a contingency profile (cells with overlap ≥ 1 only). Null when there are no items. */
export function partitionAgreement(profile: readonly ContingencyCell[]): PartitionAgreement | null {
  const cells = [...profile].sort(byTriple);
  const n = sum(cells, (c) => c.count * c.overlap);
  if (n === 0) return null;
  const rows = marginalSizes(cells, 'rowSize');
  const columns = marginalSizes(cells, 'columnSize');
  const mi = mutualInformation(n, cells);
  const emi = expectedMutualInformation(n, rows, columns);
  const pairs = pairCounts(cells, rows, columns);
  return {
    items: n,
    trueClusters: sum(rows, (r) => r.count),
    predictedClusters: sum(columns, (c) => c.count),
    bcubed: bcubed(n, cells),
    ari: adjustedRandIndex(n, pairs),
    ami: adjustedMutualInformation(mi, emi, entropy(n, rows), entropy(n, columns), identical(pairs)),
    mutualInformation: mi,
    expectedMutualInformation: emi,
  };
}

/**
 * B-cubed (Bagga & Baldwin 1998): per item, precision is the share of its
 * predicted cluster that shares its true cluster, recall the share of its
 * true cluster that shares its predicted cluster; both averaged over items.
 * An item in a cell of overlap k contributes k / column size and k / row size.
 * F1 is the harmonic mean of the two averages.
 */
export function bcubed(n: number, cells: readonly ContingencyCell[]): BCubed {
  const precision = sum(cells, (c) => (c.count * c.overlap * c.overlap) / c.columnSize) / n;
  const recall = sum(cells, (c) => (c.count * c.overlap * c.overlap) / c.rowSize) / n;
  return { precision, recall, f1: harmonicMean(precision, recall) };
}

/** Item pairs placed together: in the same cell, the same row (truth), the same column (prediction). */
export interface PairCounts {
  together: number;
  rowPairs: number;
  columnPairs: number;
}

export function pairCounts(cells: readonly ContingencyCell[], rows: readonly SizeCount[], columns: readonly SizeCount[]): PairCounts {
  return {
    together: sum(cells, (c) => c.count * pairsOf(c.overlap)),
    rowPairs: sum(rows, (r) => r.count * pairsOf(r.size)),
    columnPairs: sum(columns, (c) => c.count * pairsOf(c.size)),
  };
}

/** The partitions are the same when no pair is together on one side only. */
function identical(p: PairCounts): boolean {
  return p.together === p.rowPairs && p.together === p.columnPairs;
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985) from pair counts:
 * (Σ C(nij,2) − E) / (½(Σ C(ai,2) + Σ C(bj,2)) − E), E = Σ C(ai,2) Σ C(bj,2) / C(n,2).
 * Identical partitions score 1, also when the denominator is 0 (as scikit-learn).
 * Pair counts stay below 2^53 for n < 10^8, so they are exact.
 */
export function adjustedRandIndex(n: number, p: PairCounts): number {
  if (identical(p)) return 1;
  const expected = (p.rowPairs * p.columnPairs) / pairsOf(n);
  return (p.together - expected) / ((p.rowPairs + p.columnPairs) / 2 - expected);
}

/**
 * AMI = (MI − E[MI]) / (mean(H(U), H(V)) − E[MI]) with the arithmetic mean
 * (Vinh, Epps & Bailey 2010; scikit-learn's default average_method). When the
 * denominator vanishes (both partitions trivial: one cluster each, or
 * singletons each), identical partitions score 1 and others 0.
 */
export function adjustedMutualInformation(mi: number, emi: number, hRows: number, hColumns: number, identical: boolean): number {
  const denominator = (hRows + hColumns) / 2 - emi;
  if (Math.abs(denominator) < 1e-12) return identical ? 1 : 0;
  return (mi - emi) / denominator;
}

/** Mutual information in nats: Σ nij/n · ln(n nij / (ai bj)). */
export function mutualInformation(n: number, cells: readonly ContingencyCell[]): number {
  return sum(cells, (c) => ((c.count * c.overlap) / n) * Math.log((n * c.overlap) / (c.rowSize * c.columnSize)));
}

/** Entropy in nats of a partition given by its cluster sizes. */
export function entropy(n: number, sizes: readonly SizeCount[]): number {
  return -sum(sizes, (s) => ((s.count * s.size) / n) * Math.log(s.size / n));
}

/** Cluster sizes of one side: the items of all cells whose cluster has size s, divided by s, is how many such clusters there are. */
function marginalSizes(cells: readonly ContingencyCell[], side: 'rowSize' | 'columnSize'): SizeCount[] {
  const items = new Map<number, number>();
  for (const c of cells) items.set(c[side], (items.get(c[side]) ?? 0) + c.count * c.overlap);
  return [...items].sort(([a], [b]) => a - b).map(([size, total]) => ({ size, count: total / size }));
}

export function harmonicMean(a: number, b: number): number {
  return a + b === 0 ? 0 : (2 * a * b) / (a + b);
}

function pairsOf(k: number): number {
  return (k * (k - 1)) / 2;
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += f(item);
  return total;
}

function byTriple(x: ContingencyCell, y: ContingencyCell): number {
  return x.overlap - y.overlap || x.rowSize - y.rowSize || x.columnSize - y.columnSize;
}
