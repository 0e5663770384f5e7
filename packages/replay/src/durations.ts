// Durations on the command line (`--step 1d`, `--window 7d`, `6h`, `90m`,
// `1w`, `1d12h`) as whole milliseconds, refused with the value quoted when
// they do not parse or are not positive.
import { InputError } from '@farmscope/casefile';

const UNIT_MS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

/** Parses `1d`, `6h`, `1d12h`, `1.5d`; throws InputError naming `option` and the value. */
export function parseDuration(text: string, option: string): number {
  const value = text.trim().toLowerCase();
  const part = /(\d+(?:\.\d+)?)\s*([wdhms])/gy;
  let ms = 0;
  let matched = 0;
  for (let m = part.exec(value); m; m = part.exec(value)) {
    ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    matched = part.lastIndex;
  }
  if (value === '' || matched !== value.length) {
    throw new InputError(`invalid value for ${option}: "${text}" (expected a duration such as 1d, 6h, 30m, 1w or 1d12h)`);
  }
  if (ms < 1_000 || !Number.isSafeInteger(Math.round(ms))) {
    throw new InputError(`invalid value for ${option}: "${text}" (expected a duration of at least 1s)`);
  }
  return Math.round(ms);
}

/** A duration in the largest exact unit: 86400000 → "1d", 21600000 → "6h". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of Object.entries(UNIT_MS)) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms / 1000}s`;
}
