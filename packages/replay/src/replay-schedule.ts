// The replay's steps: cut-off times start + k × step (k = 1..K) until the
// last event is covered. Each step analyses the events before its cut-off,
// all of them (cumulative) or those of the last `window` (sliding window).
// The start is --from, else the first event's time floored to a whole step
// (whole UTC days for a daily step), so steps fall on calendar boundaries.
import { InputError } from '@farmscope/casefile';
import { formatDuration } from './durations.js';

export type ReplayMode = { kind: 'cumulative' } | { kind: 'window'; windowMs: number };

export interface ScheduleRequest {
  stepMs: number;
  mode: ReplayMode;
  /** Replay range [from, to), epoch ms; undefined = the log's own range. */
  fromMs?: number;
  toMs?: number;
}

export interface ReplayStep {
  /** 1..K */
  step: number;
  /** Events before this time are analysed (epoch ms, exclusive). */
  cutoffMs: number;
  /** Events at or after this time are analysed (the replay start, or cutoff − window). */
  sinceMs: number;
  /** The previous step's cut-off (the start for step 1): events in [previousMs, cutoffMs) are new at this step. */
  previousMs: number;
}

export interface ReplaySchedule {
  startMs: number;
  endMs: number;
  stepMs: number;
  mode: ReplayMode;
  steps: ReplayStep[];
}

/** At most this many steps: each one is an analysis. */
export const MAX_STEPS = 2_000;

/** Checks the options against each other (before anything is read). */
export function checkModeAgainstStep(stepMs: number, mode: ReplayMode): void {
  if (mode.kind === 'window' && mode.windowMs < stepMs) {
    throw new InputError(
      `--window ${formatDuration(mode.windowMs)} is shorter than --step ${formatDuration(stepMs)}: ` +
        'some events would never be analysed (give a window at least as long as the step)',
    );
  }
}

/**
 * Steps over the events' range [firstMs, lastMs] (inclusive), clipped to the request's [from, to).
 * Throws InputError when no event falls in range.
 */
export function buildSchedule(request: ScheduleRequest, events: { firstMs: number | null; lastMs: number | null; inRange: number }): ReplaySchedule {
  checkModeAgainstStep(request.stepMs, request.mode);
  if (events.inRange === 0 || events.firstMs === null || events.lastMs === null) {
    const range = request.fromMs !== undefined || request.toMs !== undefined
      ? ` in the range [${iso(request.fromMs)}, ${iso(request.toMs)})`
      : '';
    throw new InputError(`no events to replay${range}: nothing to analyse (check --from/--to against the log's time range)`);
  }
  const stepMs = request.stepMs;
  const startMs = request.fromMs ?? Math.floor(events.firstMs / alignment(stepMs)) * alignment(stepMs);
  const count = Math.ceil(((request.toMs ?? events.lastMs + 1) - startMs) / stepMs);
  // Without --to the last step is a whole one; with it, the last cut-off is --to.
  const endMs = request.toMs ?? startMs + count * stepMs;
  if (count > MAX_STEPS) {
    throw new InputError(`--step ${formatDuration(stepMs)} makes ${count} steps over the log (at most ${MAX_STEPS}): choose a longer step`);
  }
  const steps: ReplayStep[] = [];
  for (let k = 1; k <= count; k++) {
    const cutoffMs = Math.min(startMs + k * stepMs, endMs);
    const sinceMs = request.mode.kind === 'window' ? Math.max(startMs, cutoffMs - request.mode.windowMs) : startMs;
    steps.push({ step: k, cutoffMs, sinceMs, previousMs: startMs + (k - 1) * stepMs });
  }
  return { startMs, endMs, stepMs, mode: request.mode, steps };
}

/** Steps of whole days start at midnight UTC, of whole hours on the hour; others at the first event's second. */
function alignment(stepMs: number): number {
  if (stepMs % 86_400_000 === 0) return 86_400_000;
  if (stepMs % 3_600_000 === 0) return 3_600_000;
  return 1_000;
}

const iso = (ms: number | undefined) => (ms === undefined ? '…' : new Date(ms).toISOString());

/** SQL timestamp (UTC) from epoch ms, exact to the microsecond. */
export const tsSql = (ms: number): string => `make_timestamp(${ms * 1000}::BIGINT)`;
