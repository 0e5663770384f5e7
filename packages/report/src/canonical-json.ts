// Byte-stable JSON for hashed outputs (farms.json, manifest.json, the report's
// manifest.json): floats cut to 12 significant digits, so last-bit noise from
// parallel sums does not show; undefined dropped; pretty-printed with two
// spaces and a final newline. Object keys are sorted at every level (the
// manifest), or kept in the order the producer defines (farms.json: its
// documents are built field by field in a fixed order, id first).

const SIGNIFICANT_DIGITS = 12;

export function canonicalJson(value: unknown, options: { sortKeys?: boolean } = {}): string {
  return `${JSON.stringify(normalise(value, options.sortKeys ?? true), null, 2)}\n`;
}

function normalise(value: unknown, sortKeys: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return Number.isInteger(value) ? value : Number(value.toPrecision(SIGNIFICANT_DIGITS));
  }
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => normalise(v, sortKeys));
  if (value instanceof Map) return normalise(Object.fromEntries(value), sortKeys);
  if (value instanceof Set) return [...value].map((v) => normalise(v, sortKeys));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    for (const key of sortKeys ? keys.sort() : keys) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined && typeof v !== 'function') out[key] = normalise(v, sortKeys);
    }
    return out;
  }
  return value;
}
