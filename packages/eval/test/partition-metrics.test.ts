// The partition metrics against known values: scikit-learn's documented
// examples and its own test values (adjusted_rand_score,
// adjusted_mutual_info_score, expected_mutual_information), and hand-computed
// B-cubed on a five-item example.
import { describe, expect, it } from 'vitest';
import {
  bcubed,
  expectedMutualInformation,
  logFactorial,
  logGamma,
  partitionAgreement,
} from '@farmscope/eval';
import { profileOf } from './contingency-support.js';

const agreement = (a: readonly unknown[], b: readonly unknown[]) => partitionAgreement(profileOf(a, b))!;

// scikit-learn sklearn/metrics/cluster/tests/test_supervised.py, test_adjusted_mutual_info_score.
const SK_A = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3];
const SK_B = [1, 1, 1, 1, 2, 1, 2, 2, 2, 2, 3, 1, 3, 3, 3, 2, 2];

describe('log-gamma', () => {
  it('matches known values', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(3.5)).toBeCloseTo(Math.log(3.323350970447843), 13);
    // ln(100!) = 363.73937555556347
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 10);
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe('adjusted Rand index', () => {
  it('reproduces scikit-learn documented examples', () => {
    expect(agreement([0, 0, 1, 1], [0, 0, 1, 2]).ari).toBeCloseTo(0.5714285714, 9);
    expect(agreement([0, 0, 1, 2], [0, 0, 1, 1]).ari).toBeCloseTo(0.5714285714, 9);
    expect(agreement([0, 0, 1, 1], [0, 0, 1, 1]).ari).toBe(1);
    expect(agreement([0, 0, 1, 1], [1, 1, 0, 0]).ari).toBe(1);
    expect(agreement([0, 0, 1, 1], [0, 1, 0, 1]).ari).toBeCloseTo(-0.5, 12);
    expect(agreement([0, 0, 0, 0], [0, 1, 2, 3]).ari).toBe(0);
  });

  it('scores identical all-singleton partitions 1', () => {
    expect(agreement([0, 1, 2, 3], [3, 2, 1, 0]).ari).toBe(1);
  });
});

describe('adjusted mutual information', () => {
  it('reproduces scikit-learn test values: MI 0.41022, EMI 0.15042, AMI 0.27821', () => {
    const result = agreement(SK_A, SK_B);
    expect(result.mutualInformation).toBeCloseTo(0.41022, 5);
    expect(result.expectedMutualInformation).toBeCloseTo(0.15042, 5);
    expect(result.ami).toBeCloseTo(0.27821, 5);
  });

  it('reproduces scikit-learn documented examples', () => {
    expect(agreement([0, 0, 1, 1], [0, 0, 1, 1]).ami).toBe(1);
    expect(agreement([0, 0, 1, 1], [1, 1, 0, 0]).ami).toBeCloseTo(1, 12);
    expect(agreement([1, 1, 2, 2], [2, 2, 3, 3]).ami).toBeCloseTo(1, 12);
    expect(agreement([0, 0, 0, 0], [0, 1, 2, 3]).ami).toBe(0);
  });

  it('stays accurate on a large table (scikit-learn: 0.38 for the example repeated 110 times)', () => {
    const a = Array.from({ length: 110 }, () => SK_A).flat();
    const b = Array.from({ length: 110 }, () => SK_B).flat();
    expect(agreement(a, b).ami).toBeCloseTo(0.38, 2);
  });

  it('gives no expected information for one cluster of 70,000 (scikit-learn overflow regression)', () => {
    expect(expectedMutualInformation(70000, [{ size: 70000, count: 1 }], [{ size: 70000, count: 1 }])).toBeCloseTo(0, 12);
  });

  it('matches a brute-force expected mutual information over all permutations', () => {
    // Rows {3, 2}, columns {2, 2, 1}: enumerate the 5! assignments.
    const rowsOf = [0, 0, 0, 1, 1];
    const columnsOf = [0, 0, 1, 1, 2];
    const permutations = (xs: number[]): number[][] =>
      xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
    const all = permutations([0, 1, 2, 3, 4]);
    const mean = all.reduce((s, p) => s + agreement(rowsOf, p.map((i) => columnsOf[i])).mutualInformation, 0) / all.length;
    const emi = expectedMutualInformation(5, [{ size: 3, count: 1 }, { size: 2, count: 1 }], [{ size: 2, count: 2 }, { size: 1, count: 1 }]);
    expect(emi).toBeCloseTo(mean, 12);
  });

  it('sums from the mode with truncation to the same value as every term from log-factorials', () => {
    // scikit-learn's way: each hypergeometric term from log-factorials, the whole support.
    const full = (n: number, a: number, b: number) => {
      let total = 0;
      for (let k = Math.max(1, a + b - n); k <= Math.min(a, b); k++) {
        const logP = logFactorial(a) + logFactorial(b) + logFactorial(n - a) + logFactorial(n - b) - logFactorial(n) -
          logFactorial(k) - logFactorial(a - k) - logFactorial(b - k) - logFactorial(n - a - b + k);
        total += Math.exp(logP) * (k / n) * Math.log((n * k) / (a * b));
      }
      return total;
    };
    for (const [n, a, b] of [[5000, 300, 200], [110_000, 25_000, 24_000], [1000, 999, 998], [110_000, 1, 5000], [50, 30, 40]] as const) {
      const truncated = expectedMutualInformation(n, [{ size: a, count: 1 }], [{ size: b, count: 1 }]);
      expect(truncated).toBeCloseTo(full(n, a, b), 12);
    }
  });

  it('handles 110k accounts, mostly singletons, quickly', () => {
    const n = 110_000;
    const truth = Array.from({ length: n }, (_, i) => (i < 25_000 ? `farm${i % 40}` : `legit${i}`));
    const relabelled = truth.map((t, i) => (i < 25_000 ? `p${(i + 1) % 40}` : `solo${i}`));
    const started = performance.now();
    const result = agreement(truth, relabelled);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.ami).toBeCloseTo(1, 9);
    expect(result.ari).toBe(1);
    expect(result.trueClusters).toBe(40 + 85_000);
  });

  it('is about 0 for labels that are pure chance', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const truth = Array.from({ length: 20_000 }, (_, i) => i % 40);
    const chance = truth.map(() => Math.floor(random() * 41));
    const result = agreement(truth, chance);
    expect(Math.abs(result.ami)).toBeLessThan(0.002);
    expect(Math.abs(result.ari)).toBeLessThan(0.002);
    expect(result.mutualInformation).toBeGreaterThan(0.03); // raw MI is not 0: that is what the adjustment removes
  });
});

describe('B-cubed', () => {
  it('matches a hand computation', () => {
    // truth A A A B B, predicted 1 1 2 2 2: precision = recall = (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = 11/15.
    const result = agreement(['A', 'A', 'A', 'B', 'B'], [1, 1, 2, 2, 2]).bcubed;
    expect(result.precision).toBeCloseTo(11 / 15, 12);
    expect(result.recall).toBeCloseTo(11 / 15, 12);
    expect(result.f1).toBeCloseTo(11 / 15, 12);
  });

  it('separates over-merging (precision) from over-splitting (recall)', () => {
    const merged = bcubed(4, profileOf(['A', 'A', 'B', 'B'], [1, 1, 1, 1]));
    expect(merged).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3 });
    const split = bcubed(4, profileOf(['A', 'A', 'A', 'A'], [1, 1, 2, 2]));
    expect(split).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3 });
  });
});
