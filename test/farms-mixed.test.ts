// The bar on the generator's `mixed` scenario at test scale (0.15:
// 3,200 accounts, 107 of them in farms), three seeds: account precision
// ≥ 0.99, recall ≥ 0.95, B-cubed F1 ≥ 0.95, and at most 1% of each
// legitimate trap population (campus NAT, cloud-range developers,
// enterprise, benchmark runners) placed in a farm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseFile } from '@farmscope/casefile';
import { analysedCase, farmMetrics, type FarmMetrics } from '../packages/farms/test/case-support.js';
import { createTempFolder, type TempFolder } from './support/temp-folder.js';

const TRAPS = ['legit.campus_nat', 'legit.power_dev', 'legit.enterprise', 'legit.benchmark'];

let tmp: TempFolder;
const metrics = new Map<number, FarmMetrics>();

beforeAll(async () => {
  tmp = createTempFolder();
  for (const seed of [1, 2, 3]) {
    let db: CaseFile | undefined;
    try {
      db = await analysedCase(tmp, `mixed-${seed}`, 'mixed', seed, 0.15);
      metrics.set(seed, await farmMetrics(db));
    } finally {
      db?.close();
    }
  }
}, 300_000);
afterAll(() => tmp?.remove());

describe.each([1, 2, 3])('farms on mixed, seed %i', (seed) => {
  it('meets the account precision and recall bar', () => {
    const m = metrics.get(seed)!;
    expect(m.precision, JSON.stringify(m)).toBeGreaterThanOrEqual(0.99);
    expect(m.recall, JSON.stringify(m)).toBeGreaterThanOrEqual(0.95);
  });

  it('meets the B-cubed F1 bar', () => {
    const m = metrics.get(seed)!;
    expect(m.bcubedF1, JSON.stringify(m)).toBeGreaterThanOrEqual(0.95);
  });

  it('flags at most 1% of each legitimate trap population', () => {
    const m = metrics.get(seed)!;
    for (const trap of TRAPS) {
      expect(m.flaggedShare[trap], `${trap}: ${JSON.stringify(m.flaggedShare)}`).toBeDefined();
      expect(m.flaggedShare[trap]!, trap).toBeLessThanOrEqual(0.01);
    }
  });
});
