// Variants of a scenario with one knob turned, for replay-and-compare sweeps:
// the scenario file as written (before defaults), with the knob applied to
// the populations it concerns, checked like any scenario file. A variant is
// data, so it can be written next to its outputs and generated again.
import { readFileSync } from 'node:fs';
import { InputError } from '@farmscope/casefile';
import { kindDefaults } from './population-kinds.js';
import { checkScenario } from './scenario-schema.js';
import { loadScenario } from './scenario-files.js';
import { isAttack, PROMPT_FAMILIES, type PopulationKind, type PromptFamily } from './scenario.js';

/** A scenario file as written; checkScenario() is its full definition. */
export type RawScenario = { name: string; populations: RawPopulation[] } & Record<string, unknown>;
type RawPopulation = { kind: PopulationKind; promptMix?: Partial<Record<PromptFamily, number>> } & Record<string, unknown>;

export interface ScenarioKnob {
  /** What the value means. */
  description: string;
  /** Smallest and largest value allowed. */
  range: [number, number];
  apply(raw: RawScenario, value: number): RawScenario;
}

export const SCENARIO_KNOBS = {
  camouflage: {
    description:
      "share of every attack population's requests drawn from the everyday 'casual' prompt family (benign camouflage); " +
      'the population\'s other families keep their proportions in the rest',
    range: [0, 0.95],
    apply: (raw, value) => ({
      ...raw,
      populations: raw.populations.map((p) => (isAttack(p.kind) ? { ...p, promptMix: camouflagedMix(p, value) } : p)),
    }),
  },
} satisfies Record<string, ScenarioKnob>;

export type ScenarioKnobName = keyof typeof SCENARIO_KNOBS;

/** The scenario file as written, from a shipped name or a path. */
export function readRawScenario(nameOrPath: string): RawScenario {
  const { source } = loadScenario(nameOrPath, 1); // finds and checks it
  return JSON.parse(readFileSync(source, 'utf8')) as RawScenario;
}

/** The scenario with one knob set; its name says which (`mixed.camouflage-0.3`). */
export function scenarioVariant(raw: RawScenario, knob: ScenarioKnobName, value: number): RawScenario {
  const spec: ScenarioKnob = SCENARIO_KNOBS[knob];
  if (spec === undefined) throw new InputError(`unknown scenario knob "${knob}"; known: ${Object.keys(SCENARIO_KNOBS).join(', ')}`);
  const [low, high] = spec.range;
  if (!Number.isFinite(value) || value < low || value > high) {
    throw new InputError(`invalid ${knob} value: ${value} (expected a number from ${low} to ${high})`);
  }
  const variant: RawScenario = { ...spec.apply(raw, value), name: `${raw.name}.${knob}-${value}` };
  const checked: unknown = variant;
  checkScenario(checked, variant.name);
  return variant;
}

/** A prompt mix with `share` casual and the other families scaled into the rest. */
function camouflagedMix(population: RawPopulation, share: number): Partial<Record<PromptFamily, number>> {
  const mix = population.promptMix ?? kindDefaults(population.kind).promptMix;
  const others = PROMPT_FAMILIES.filter((f) => f !== 'casual' && (mix[f] ?? 0) > 0);
  const total = others.reduce((sum, f) => sum + mix[f]!, 0);
  const out: Partial<Record<PromptFamily, number>> = {};
  if (share > 0 || total === 0) out.casual = total === 0 ? 1 : share;
  for (const f of others) out[f] = ((1 - share) * mix[f]!) / total;
  return out;
}
