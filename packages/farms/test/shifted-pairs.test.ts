// The day-shift null model's counting: exact observed pairs, shifts that
// move whole days only, and lock-step members standing out from the shifts.
import { describe, expect, it } from 'vitest';
import { shiftedPairCounts } from '../src/shifted-pairs.js';

describe('shiftedPairCounts', () => {
  it('counts the observed co-active pairs exactly in replicate 0', () => {
    const members = [
      { account_id: 'a', buckets: [0, 1, 5] },
      { account_id: 'b', buckets: [1, 5] },
      { account_id: 'c', buckets: [5, 7] },
    ];
    const [observed] = shiftedPairCounts(members, { days: 2, perDay: 4, replicates: 3, seed: 7 });
    // bucket 1: a,b → 1 pair; bucket 5: a,b,c → 3 pairs.
    expect(observed).toBe(4);
  });

  it('is deterministic and keeps a lone member at zero pairs', () => {
    const members = [{ account_id: 'solo', buckets: [0, 3, 9] }];
    const once = shiftedPairCounts(members, { days: 5, perDay: 24, replicates: 19, seed: 1 });
    expect(once).toEqual(new Array(20).fill(0));
    const group = [
      { account_id: 'x', buckets: [2, 30] },
      { account_id: 'y', buckets: [2, 31] },
    ];
    const options = { days: 7, perDay: 24, replicates: 49, seed: 3 };
    expect(shiftedPairCounts(group, options)).toEqual(shiftedPairCounts(group, options));
  });

  it('finds lock-step members far above their day-shifted selves', () => {
    const perDay = 24;
    const days = 28;
    // Ten accounts active in the same two hours of different days, on a cycle no day shift preserves.
    const buckets = Array.from({ length: days }, (_, d) => d * perDay + ((d * 7) % perDay));
    const members = Array.from({ length: 10 }, (_, i) => ({ account_id: `farm-${i}`, buckets }));
    const [observed, ...shifted] = shiftedPairCounts(members, { days, perDay, replicates: 49, seed: 7 });
    expect(observed).toBe(45 * days);
    const mean = shifted.reduce((s, v) => s + v, 0) / shifted.length;
    expect(mean).toBeLessThan(observed! / 5);
    expect(shifted.filter((v) => v >= observed!).length).toBe(0);
  });
});
