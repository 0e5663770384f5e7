// Scenario variants: the camouflage knob moves every attack population's
// prompt mix towards the casual family and leaves legitimate populations
// alone; a variant is a valid scenario file that resolves and generates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@farmscope/casefile';
import { generate, kindDefaults, readRawScenario, resolveScenario, scenarioVariant, checkScenario } from '@farmscope/generator';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { openOutputs } from './support.js';

let temp: TempFolder;
beforeAll(() => {
  temp = createTempFolder('farmscope-generator-variants-');
});
afterAll(() => temp?.remove());

function resolved(raw: object) {
  const checked: unknown = structuredClone(raw);
  checkScenario(checked, 'variant');
  return resolveScenario(checked, 1);
}

describe('scenarioVariant: camouflage', () => {
  const tiny = readRawScenario('tiny');

  it('gives each attack population the casual share asked and keeps the proportions of its other families', () => {
    const variant = resolved(scenarioVariant(tiny, 'camouflage', 0.3));
    const hydra = variant.populations.find((p) => p.kind === 'attack.hydra')!;
    const defaults = kindDefaults('attack.hydra').promptMix;
    expect(hydra.promptMix.casual).toBe(0.3);
    expect(hydra.promptMix.cot).toBeCloseTo(0.7 * defaults.cot!, 12);
    expect(hydra.promptMix.analysis).toBeCloseTo(0.7 * defaults.analysis!, 12);
    const sum = Object.values(hydra.promptMix).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
  });

  it('leaves legitimate populations and the original scenario as they were', () => {
    const before = structuredClone(tiny);
    const variant = resolved(scenarioVariant(tiny, 'camouflage', 0.5));
    const original = resolved(tiny);
    expect(tiny).toEqual(before);
    for (const [i, p] of variant.populations.entries()) {
      if (p.kind.startsWith('legit.')) expect(p).toEqual(original.populations[i]);
      else expect(p.promptMix.casual).toBe(0.5);
    }
  });

  it('names the variant after its knob and at 0 keeps no casual family in attack mixes', () => {
    const raw = scenarioVariant(tiny, 'camouflage', 0);
    expect(raw.name).toBe('tiny.camouflage-0');
    const small = resolved(raw).populations.find((p) => p.kind === 'attack.small_farm')!;
    expect(small.promptMix.casual ?? 0).toBe(0);
  });

  it('refuses values out of range and unknown knobs', () => {
    expect(() => scenarioVariant(tiny, 'camouflage', 1.2)).toThrow(InputError);
    expect(() => scenarioVariant(tiny, 'camouflage', Number.NaN)).toThrow(/invalid camouflage value/);
    expect(() => scenarioVariant(tiny, 'nope' as 'camouflage', 0.1)).toThrow(/unknown scenario knob "nope"/);
  });

  it('writes a scenario file that generates', async () => {
    const path = temp.write('tiny-camouflage.json', JSON.stringify(scenarioVariant(tiny, 'camouflage', 0.4)));
    const result = await generate({ scenario: path, seed: 1, out: temp.path('out') });
    expect(result.scenario.name).toBe('tiny.camouflage-0.4');
    const db = await openOutputs(temp.path('out'));
    try {
      const farms = await db.all<{ farm_id: string }>(`SELECT DISTINCT farm_id FROM truth WHERE farm_id IS NOT NULL ORDER BY 1`);
      expect(farms.length).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});
