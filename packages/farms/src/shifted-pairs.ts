// The day-shift null model's arithmetic for one group: each member's active
// buckets are moved by a whole number of days (a deterministic pseudo-random
// offset per member and replicate, around the circle of the window's days),
// and Σ over buckets of C(n, 2) counts the member pairs active together.
// Replicate 0 is the observed, unshifted activity.
import { fnv1a, mix3 } from './stable-hash.js';

export interface ShiftOptions {
  /** Whole days in the window (the circle the shifts turn on). */
  days: number;
  /** Buckets per day. */
  perDay: number;
  /** Shifted replicates (the result holds replicates + 1 counts). */
  replicates: number;
  seed: number;
}

/** Co-active member pairs for replicate 0 (observed) and each shifted replicate. */
export function shiftedPairCounts(
  members: ReadonlyArray<{ account_id: string; buckets: readonly number[] }>,
  options: ShiftOptions,
): number[] {
  const { days, perDay, replicates, seed } = options;
  const circle = days * perDay;
  const counts = new Int32Array(circle);
  const keys = members.map((m) => fnv1a(m.account_id));
  const out: number[] = [];
  for (let r = 0; r <= replicates; r++) {
    counts.fill(0);
    members.forEach((m, i) => {
      const shift = r === 0 ? 0 : (mix3(keys[i]!, r, seed) % days) * perDay;
      for (const b of m.buckets) counts[(b + shift) % circle]!++;
    });
    let pairs = 0;
    for (let b = 0; b < circle; b++) pairs += (counts[b]! * (counts[b]! - 1)) / 2;
    out.push(pairs);
  }
  return out;
}
