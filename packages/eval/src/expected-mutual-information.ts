// Expected mutual information of two partitions under the permutation
// (hypergeometric) model, the chance term of AMI: Vinh, Epps & Bailey,
// "Information theoretic measures for clusterings comparison", JMLR 11
// (2010), section 4. It depends on the cluster sizes only, so it is summed over
// *distinct* sizes times how many clusters have them: with ~110k accounts
// that are mostly singletons this is a handful of size pairs, not 110k².
import { logFactorial } from './log-gamma.js';

/** How many clusters of a partition have each size. */
export interface SizeCount {
  size: number;
  count: number;
}

/** Hypergeometric terms smaller than this share of the mode's contribute nothing visible at 1e-12. */
const NEGLIGIBLE = 1e-18;

/**
 * E[MI] in nats for `n` items split into clusters of the given sizes on each
 * side. Natural logarithms, like scikit-learn's expected_mutual_information.
 */
export function expectedMutualInformation(n: number, rows: readonly SizeCount[], columns: readonly SizeCount[]): number {
  let total = 0;
  for (const row of rows) {
    for (const column of columns) {
      total += row.count * column.count * pairTerm(n, row.size, column.size);
    }
  }
  return total;
}

/**
 * Σ over the overlap k of one row cluster (size a) and one column cluster
 * (size b): P(k) · (k / n) · ln(n k / (a b)), where k is hypergeometric.
 * The sum starts at the mode and walks outwards with the ratio of successive
 * probabilities, stopping when terms become negligible: the distribution is
 * unimodal, and starting at its peak avoids underflow at the far ends.
 */
function pairTerm(n: number, a: number, b: number): number {
  const low = Math.max(1, a + b - n);
  const high = Math.min(a, b);
  if (low > high) return 0;
  const mode = Math.min(high, Math.max(low, Math.floor(((a + 1) * (b + 1)) / (n + 2))));
  const logPeak =
    logFactorial(a) + logFactorial(b) + logFactorial(n - a) + logFactorial(n - b) -
    logFactorial(n) - logFactorial(mode) - logFactorial(a - mode) - logFactorial(b - mode) - logFactorial(n - a - b + mode);
  const peak = Math.exp(logPeak);
  const term = (k: number, p: number) => p * (k / n) * Math.log((n * k) / (a * b));
  let sum = term(mode, peak);
  // Upwards: P(k + 1) / P(k) = (a − k)(b − k) / ((k + 1)(n − a − b + k + 1)).
  for (let k = mode, p = peak; k < high; k++) {
    p *= ((a - k) * (b - k)) / ((k + 1) * (n - a - b + k + 1));
    if (p < peak * NEGLIGIBLE) break;
    sum += term(k + 1, p);
  }
  // Downwards: P(k − 1) / P(k) = k (n − a − b + k) / ((a − k + 1)(b − k + 1)).
  for (let k = mode, p = peak; k > low; k--) {
    p *= (k * (n - a - b + k)) / ((a - k + 1) * (b - k + 1));
    if (p < peak * NEGLIGIBLE) break;
    sum += term(k - 1, p);
  }
  return sum;
}
