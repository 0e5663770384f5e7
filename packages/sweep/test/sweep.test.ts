// replayScenario() and sweepScenario() on the tiny scenario, for real:
// generated Parquet, a DuckDB case file on disk, the whole analysis and the
// evaluation. Checks that the metrics agree with the files they came from and
// that a variant's knob reached the generated data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, withCaseFile } from '@farmscope/casefile';
import { replayScenario, sweepScenario, type ReplayResult, type SweepPoint } from '@farmscope/sweep';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';

let tmp: TempFolder;
let plain: ReplayResult;
let sweep: SweepPoint[];

beforeAll(async () => {
  tmp = createTempFolder('farmscope-replay-');
  plain = await replayScenario({ scenario: 'tiny', seed: 3, out: tmp.path('plain') });
  sweep = await sweepScenario({ scenario: 'tiny', knob: 'camouflage', values: [0, 0.6], seed: 3, out: tmp.path('sweep') });
});
afterAll(() => tmp.remove());

describe('replayScenario', () => {
  it('scores the case against its truth with counts taken from the files', async () => {
    const m = plain.metrics;
    const truth = await withCaseFile(':memory:', {}, (c) =>
      c.one<{ accounts: number; farm_accounts: number; farms: number }>(
        `SELECT count(*)::INTEGER AS accounts, count(farm_id)::INTEGER AS farm_accounts, count(DISTINCT farm_id)::INTEGER AS farms
         FROM read_parquet('${plain.truth}')`,
      ),
    );
    expect(m.accounts).toBe(truth!.accounts);
    expect(m.trueFarmAccounts).toBe(truth!.farm_accounts);
    expect(m.trueFarms).toBe(truth!.farms);
    const found = await withCaseFile(plain.caseFile, { readOnly: true }, (c) =>
      c.one<{ farms: number; flagged: number }>(
        `SELECT (SELECT count(*) FROM farms)::INTEGER AS farms, (SELECT count(farm_id) FROM account_farms)::INTEGER AS flagged`,
      ),
    );
    expect(m.farmsFound).toBe(found!.farms);
    expect(m.flagged).toBe(found!.flagged);
    expect(m.auprc).toBeGreaterThan(0);
    expect(m.auprc).toBeLessThanOrEqual(1);
    expect(plain.scenario).toBe('tiny');
  });

  it('replays a scale so small that a table is empty (here: no enforcement action)', async () => {
    const small = await replayScenario({ scenario: 'tiny', seed: 3, scale: 0.02, out: tmp.path('small') });
    const actions = await withCaseFile(':memory:', {}, (c) =>
      c.value<number>(`SELECT count(*)::INTEGER FROM read_parquet('${join(tmp.path('small'), 'data', 'enforcement.parquet')}')`),
    );
    expect(actions).toBe(0);
    expect(small.metrics.accounts).toBeGreaterThan(0);
  });

  it('refuses a folder that is not empty', async () => {
    await expect(replayScenario({ scenario: 'tiny', seed: 3, out: tmp.path('plain') })).rejects.toBeInstanceOf(InputError);
  });
});

describe('sweepScenario', () => {
  it('gives one point per value, in order, each from its own variant', () => {
    expect(sweep.map((p) => [p.knob, p.value, p.scenario])).toEqual([
      ['camouflage', 0, 'tiny.camouflage-0'],
      ['camouflage', 0.6, 'tiny.camouflage-0.6'],
    ]);
    for (const value of [0, 0.6]) {
      const copy = JSON.parse(readFileSync(join(tmp.path('sweep'), `camouflage-${value}`, 'data', 'scenario.json'), 'utf8'));
      const hydra = copy.scenario.populations.find((p: { kind: string }) => p.kind === 'attack.hydra');
      expect(hydra.promptMix.casual ?? 0).toBe(value);
      expect(existsSync(join(tmp.path('sweep'), `camouflage-${value}`, 'case.duckdb'))).toBe(true);
    }
  });

  it('replays the same accounts at every value (the knob changes prompts, not the population)', () => {
    expect(sweep[0]!.accounts).toBe(sweep[1]!.accounts);
    expect(sweep[0]!.trueFarmAccounts).toBe(plain.metrics.trueFarmAccounts);
  });
});
