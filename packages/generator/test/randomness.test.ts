// The hash-based draws behave like independent uniforms: right mean and spread,
// no correlation between draws that differ only in one argument or the salt,
// and a lognormal with the requested mean. Checked on a real DuckDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { bindSalts, randomMacros } from '../src/random-sql.js';

let db: CaseFile;

beforeAll(async () => {
  db = await CaseFile.open(':memory:');
  for (const sql of randomMacros(42)) await db.run(bindSalts(sql));
});

afterAll(() => db?.close());

describe('hash draws', () => {
  it('are uniform and independent across the last argument and the salt', async () => {
    const r = await db.one<Record<string, number>>(bindSalts(`SELECT
      avg(a) AS mean, var_pop(a) AS variance,
      corr(a, b) AS last_argument, corr(a, c) AS salt, corr(a, d) AS first_argument
      FROM (SELECT u(r, 0, 0, 'x') AS a, u(r, 0, 1, 'x') AS b, u(r, 0, 0, 'y') AS c, u(r + 1, 0, 0, 'x') AS d
            FROM range(200000) t(r))`));
    expect(r!.mean).toBeCloseTo(0.5, 2);
    expect(r!.variance).toBeCloseTo(1 / 12, 2);
    for (const key of ['last_argument', 'salt', 'first_argument']) expect(Math.abs(r![key]!)).toBeLessThan(0.01);
  });

  it('give lognormal volumes with the requested mean and spread', async () => {
    const r = await db.one<Record<string, number>>(bindSalts(`SELECT avg(x) AS mean, stddev_pop(x) AS sd
      FROM (SELECT lognormal(5.0, 1.0, u(r, 0, 0, 'v1'), u(r, 0, 0, 'v2')) AS x FROM range(200000) t(r))`));
    expect(r!.mean).toBeGreaterThan(4.9);
    expect(r!.mean).toBeLessThan(5.1);
    // sd of a lognormal with sigma 1 is mean * sqrt(e - 1) ≈ 1.31 * mean.
    expect(r!.sd / r!.mean).toBeGreaterThan(1.2);
    expect(r!.sd / r!.mean).toBeLessThan(1.42);
  });

  it('are the same for the same seed and differ for another', async () => {
    const first = await db.value<number>(bindSalts(`SELECT sum(u(r, 1, 2, 'z')) FROM range(1000) t(r)`));
    const again = await db.value<number>(bindSalts(`SELECT sum(u(r, 1, 2, 'z')) FROM range(1000) t(r)`));
    expect(again).toBe(first);
    for (const sql of randomMacros(43)) await db.run(bindSalts(sql));
    const other = await db.value<number>(bindSalts(`SELECT sum(u(r, 1, 2, 'z')) FROM range(1000) t(r)`));
    expect(other).not.toBe(first);
    for (const sql of randomMacros(42)) await db.run(bindSalts(sql));
  });
});
