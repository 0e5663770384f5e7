// Byte-stable JSON for the investigation's hashed outputs (farms.json,
// manifest.json): object keys sorted at every level, so the bytes never depend
// on the order in which code or DuckDB happened to build an object; floats cut
// to 12 significant digits, so last-bit noise from parallel sums does not show;
// pretty-printed with two spaces and a final newline.

const SIGNIFICANT_DIGITS = 12;

export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(normalise(value), null, 2)}\n`;
}

function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return Number.isInteger(value) ? value : Number(value.toPrecision(SIGNIFICANT_DIGITS));
  }
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (value instanceof Map) return normalise(Object.fromEntries(value));
  if (value instanceof Set) return [...value].map(normalise);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'function') out[key] = normalise(v);
    }
    return out;
  }
  return value;
}
