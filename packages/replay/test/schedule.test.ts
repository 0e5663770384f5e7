// Durations and the step schedule: what parses, what is refused (exit 2 with
// the option and value named), where steps start and end.
import { describe, expect, it } from 'vitest';
import { InputError } from '@farmscope/casefile';
import { buildSchedule, formatDuration, parseDuration } from '@farmscope/replay';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('parseDuration', () => {
  it('reads units and sums of them', () => {
    expect(parseDuration('1d', '--step')).toBe(DAY);
    expect(parseDuration('6h', '--step')).toBe(6 * HOUR);
    expect(parseDuration('1d12h', '--step')).toBe(36 * HOUR);
    expect(parseDuration('1.5d', '--step')).toBe(36 * HOUR);
    expect(parseDuration('2w', '--window')).toBe(14 * DAY);
    expect(parseDuration('90m', '--step')).toBe(90 * 60_000);
  });

  it.each(['', 'daily', '1', '1x', 'd1', '-1d', '1d junk', '0d'])('refuses %j with the option named', (text) => {
    expect(() => parseDuration(text, '--step')).toThrow(InputError);
    expect(() => parseDuration(text, '--step')).toThrow(/--step/);
  });

  it('formats in the largest exact unit', () => {
    expect(formatDuration(DAY)).toBe('1d');
    expect(formatDuration(36 * HOUR)).toBe('36h');
    expect(formatDuration(90 * 60_000)).toBe('90m');
  });
});

describe('buildSchedule', () => {
  const first = Date.parse('2026-05-01T07:30:00Z');
  const last = Date.parse('2026-05-03T20:00:00Z');
  const events = { firstMs: first, lastMs: last, inRange: 10 };

  it('starts at midnight UTC for daily steps and covers the last event with whole steps', () => {
    const s = buildSchedule({ stepMs: DAY, mode: { kind: 'cumulative' } }, events);
    expect(new Date(s.startMs).toISOString()).toBe('2026-05-01T00:00:00.000Z');
    expect(s.steps.map((x) => new Date(x.cutoffMs).toISOString())).toEqual([
      '2026-05-02T00:00:00.000Z', '2026-05-03T00:00:00.000Z', '2026-05-04T00:00:00.000Z',
    ]);
    expect(s.steps.every((x) => x.sinceMs === s.startMs)).toBe(true);
    expect(s.steps.map((x) => x.previousMs)).toEqual([s.startMs, s.startMs + DAY, s.startMs + 2 * DAY]);
  });

  it('slides a window, never before the start', () => {
    const s = buildSchedule({ stepMs: 12 * HOUR, mode: { kind: 'window', windowMs: DAY } }, events);
    expect(s.steps[0]!.sinceMs).toBe(s.startMs);
    expect(s.steps[3]!.sinceMs).toBe(s.steps[3]!.cutoffMs - DAY);
  });

  it('ends at --to', () => {
    const to = Date.parse('2026-05-02T12:00:00Z');
    const s = buildSchedule({ stepMs: DAY, mode: { kind: 'cumulative' }, toMs: to }, events);
    expect(s.steps.at(-1)!.cutoffMs).toBe(to);
    expect(s.steps).toHaveLength(2);
  });

  it('refuses a window shorter than the step', () => {
    expect(() => buildSchedule({ stepMs: DAY, mode: { kind: 'window', windowMs: 6 * HOUR } }, events)).toThrow(/--window 6h is shorter than --step 1d/);
  });

  it('refuses a range with no events', () => {
    const from = Date.parse('2027-01-01T00:00:00Z');
    expect(() => buildSchedule({ stepMs: DAY, mode: { kind: 'cumulative' }, fromMs: from }, { firstMs: null, lastMs: null, inRange: 0 }))
      .toThrow(/no events to replay in the range \[2027-01-01T00:00:00.000Z/);
  });
});
