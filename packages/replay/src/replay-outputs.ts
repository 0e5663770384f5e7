// The replay's files: replay.json (everything), replay.csv (one row per farm
// found and, with --truth, per true farm), replay-steps.csv (one row per
// step), replay.html (the report with the harvest chart) and replay-run.json
// (timings: the only file that differs between two runs of the same input).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FoundFarm, HarvestPoint, StepFigures, TrueFarm } from './replay-figures.js';
import { REPLAY_FILES } from './replay-folder.js';
import { replayHtml } from './replay-html.js';

export interface ReplayDocument {
  parameters: Record<string, unknown>;
  schedule: { start: string; end: string; step_seconds: number; mode: 'cumulative' | 'window'; window_seconds: number | null; steps: number };
  steps: StepFigures[];
  farms: FoundFarm[];
  true_farms: TrueFarm[] | null;
  harvest_curves: { of: 'farms' | 'true_farms'; points: HarvestPoint[] };
}

const FARM_COLUMNS = [
  'kind', 'farm_id', 'accounts', 'first_request', 'detected_step', 'detected_at', 'delay_hours',
  'requests_before_detection', 'requests_total', 'requests_share',
  'output_tokens_before_detection', 'output_tokens_total', 'output_tokens_share',
  'status', 'retracted_at_steps', 'matches',
] as const;

const STEP_COLUMNS = [
  'step', 'cutoff', 'analysed', 'events', 'accounts', 'farms', 'flagged_accounts', 'new_farms', 'retracted_farms', 'redetected_farms',
  'precision', 'recall', 'true_members_visible', 'false_farms',
] as const;

export async function writeReplayOutputs(out: string, doc: ReplayDocument, run: unknown): Promise<string[]> {
  writeFileSync(join(out, REPLAY_FILES.json), `${JSON.stringify(doc, null, 2)}\n`);
  writeFileSync(join(out, REPLAY_FILES.csv), toCsv(FARM_COLUMNS, farmRows(doc)));
  writeFileSync(join(out, REPLAY_FILES.stepsCsv), toCsv(STEP_COLUMNS, doc.steps.map((s) => ({ ...s }))));
  writeFileSync(join(out, REPLAY_FILES.html), await replayHtml(doc));
  writeFileSync(join(out, REPLAY_FILES.run), `${JSON.stringify(run, null, 2)}\n`);
  return [REPLAY_FILES.json, REPLAY_FILES.csv, REPLAY_FILES.stepsCsv, REPLAY_FILES.html, REPLAY_FILES.run];
}

function farmRows(doc: ReplayDocument): Record<string, unknown>[] {
  const found = doc.farms.map((f) => ({ kind: 'found', ...f, matches: f.true_farm ?? '' }));
  const truth = (doc.true_farms ?? []).map((f) => ({ kind: 'true', ...f, status: f.detected_step === null ? 'missed' : 'detected', retracted_at_steps: [], matches: f.found_as ?? '' }));
  return [...found, ...truth];
}

function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const text = Array.isArray(v) ? v.join(' ') : String(v);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
