// Replay and compare: the same scenario replayed at several values of one
// knob (e.g. camouflage 0, 0.3, 0.6), each in its own sub-folder, one row of
// metrics per value, in the order the values were given.
import { join, resolve } from 'node:path';
import type { CaseFileOptions } from '@farmscope/casefile';
import type { ScenarioKnobName } from '@farmscope/generator';
import { replayScenario, type ReplayMetrics } from './replay-scenario.js';

export interface SweepOptions {
  scenario: string;
  knob: ScenarioKnobName;
  values: readonly number[];
  seed: number;
  scale?: number;
  /** Parent folder of one replay folder per value (`<knob>-<value>`). */
  out: string;
  caseFileOptions?: CaseFileOptions;
  /** Called after each replay (for progress). */
  onReplay?: (point: SweepPoint, index: number, total: number) => void;
}

export interface SweepPoint extends ReplayMetrics {
  knob: ScenarioKnobName;
  value: number;
  scenario: string;
}

export async function sweepScenario(options: SweepOptions): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  for (const [i, value] of options.values.entries()) {
    const result = await replayScenario({
      scenario: options.scenario,
      seed: options.seed,
      scale: options.scale ?? 1,
      out: join(resolve(options.out), `${options.knob}-${value}`),
      knob: { name: options.knob, value },
      ...(options.caseFileOptions ? { caseFileOptions: options.caseFileOptions } : {}),
    });
    const point: SweepPoint = { knob: options.knob, value, scenario: result.scenario, ...result.metrics };
    points.push(point);
    options.onReplay?.(point, i, options.values.length);
  }
  return points;
}
