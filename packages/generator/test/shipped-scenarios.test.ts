// Every shipped scenario is valid and generates at a small --scale with every
// population present and labelled; claude-2026 keeps the reported proportions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, loadScenario, shippedScenarioNames } from '@farmscope/generator';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { openOutputs } from './support.js';

let temp: TempFolder;

beforeAll(() => {
  temp = createTempFolder('farmscope-generator-shipped-');
});

afterAll(() => temp?.remove());

const SCALE: Record<string, number> = { tiny: 1, mixed: 0.005, 'claude-2026': 0.001, 'three-low-and-slow': 0.03 };

describe('shipped scenarios', () => {
  it('ships tiny, mixed, claude-2026 and three-low-and-slow', () => {
    expect(shippedScenarioNames()).toEqual(expect.arrayContaining(Object.keys(SCALE)));
  });

  it.each(Object.keys(SCALE))('%s generates with every population labelled', async (name) => {
    const { scenario } = loadScenario(name, SCALE[name]!);
    await generate({ scenario: name, seed: 2, scale: SCALE[name]!, out: temp.path(name) });
    const db = await openOutputs(temp.path(name));
    try {
      const labels = await db.all<{ campaign: string; farm_id: string | null; accounts: number }>(
        `SELECT campaign, farm_id, count(*)::INTEGER AS accounts FROM truth GROUP BY ALL`,
      );
      for (const pop of scenario.populations) {
        const rows = labels.filter((l) => l.campaign === pop.label);
        expect(rows.length, `${name}: ${pop.id}`).toBeGreaterThan(0);
        if (pop.kind.startsWith('attack.')) {
          const farmIds = pop.farms > 1 ? Array.from({ length: pop.farms }, (_, k) => `${pop.id}-${k + 1}`) : [pop.id];
          expect(rows.map((r) => r.farm_id)).toEqual(expect.arrayContaining(farmIds));
        }
      }
      const events = await db.value<number>(`SELECT count(*) FROM events`);
      expect(events).toBeGreaterThan(1000);
    } finally {
      db.close();
    }
  });

  it('claude-2026 has 25,000 farm accounts making about 28.8 million requests at scale 1', () => {
    const { scenario } = loadScenario('claude-2026', 1);
    const farmAccounts = scenario.populations.filter((p) => p.kind.startsWith('attack.')).reduce((n, p) => n + p.accounts, 0);
    expect(farmAccounts).toBe(25_000);
    expect(scenario.window).toEqual({ start: '2026-04-22T00:00:00.000Z', end: '2026-06-06T00:00:00.000Z' });
  });
});
