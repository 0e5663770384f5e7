// A small declarative schema checker for scenario files: each field has a
// type and bounds; errors name the field path and the bad value
// (`populations[3].accounts: must be ≥ 1, got -5`), and unknown keys get a
// did-you-mean suggestion. Hand-written because the scenario format is small and
// the messages matter more than generality.

export type Schema =
  | { type: 'string'; pattern?: RegExp; hint?: string }
  | { type: 'number'; min?: number; max?: number; exclusiveMin?: boolean }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'timestamp' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'nullable'; of: Schema }
  | { type: 'list'; of: Schema; minItems?: number; length?: number }
  | { type: 'object'; fields: Record<string, Schema>; required?: readonly string[] }
  /** An object whose keys come from a fixed set, each holding the same kind of value. */
  | { type: 'record'; keys: readonly string[]; of: Schema; minEntries?: number };

export interface SchemaProblem {
  path: string;
  message: string;
}

export function checkSchema(value: unknown, schema: Schema, path: string): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  visit(value, schema, path, problems);
  return problems;
}

function visit(value: unknown, schema: Schema, path: string, out: SchemaProblem[]): void {
  const fail = (message: string): void => {
    out.push({ path, message });
  };
  switch (schema.type) {
    case 'nullable':
      if (value !== null) visit(value, schema.of, path, out);
      return;
    case 'string':
      if (typeof value !== 'string') return fail(`must be a string, got ${show(value)}`);
      if (schema.pattern && !schema.pattern.test(value)) {
        return fail(`must be ${schema.hint ?? `like ${schema.pattern}`}, got ${show(value)}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(`must be true or false, got ${show(value)}`);
      return;
    case 'timestamp':
      if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) {
        fail(`must be an ISO-8601 UTC time like "2026-04-22T00:00:00Z", got ${show(value)}`);
      }
      return;
    case 'enum':
      if (typeof value !== 'string' || !schema.values.includes(value)) {
        const near = typeof value === 'string' ? nearest(value, schema.values) : undefined;
        fail(
          `must be one of ${schema.values.map((v) => `"${v}"`).join(', ')}, got ${show(value)}` +
            (near ? ` (did you mean "${near}"?)` : ''),
        );
      }
      return;
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`must be a number, got ${show(value)}`);
      if (schema.type === 'integer' && !Number.isInteger(value)) return fail(`must be a whole number, got ${value}`);
      if (schema.min !== undefined) {
        const exclusive = schema.type === 'number' && schema.exclusiveMin;
        if (exclusive ? value <= schema.min : value < schema.min) {
          return fail(`must be ${exclusive ? '>' : '≥'} ${schema.min}, got ${value}`);
        }
      }
      if (schema.max !== undefined && value > schema.max) return fail(`must be ≤ ${schema.max}, got ${value}`);
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) return fail(`must be a list, got ${show(value)}`);
      if (schema.length !== undefined && value.length !== schema.length) {
        return fail(`must have exactly ${schema.length} items, got ${value.length}`);
      }
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        return fail(`must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}, got ${value.length}`);
      }
      value.forEach((item, i) => visit(item, schema.of, `${path}[${i}]`, out));
      return;
    }
    case 'object': {
      if (!isPlainObject(value)) return fail(`must be an object, got ${show(value)}`);
      for (const key of Object.keys(value)) {
        if (!(key in schema.fields)) out.push(unknownKey(path, key, Object.keys(schema.fields)));
      }
      for (const key of schema.required ?? []) {
        if (!(key in value)) out.push({ path: join(path, key), message: 'is required' });
      }
      for (const [key, fieldSchema] of Object.entries(schema.fields)) {
        if (key in value) visit(value[key], fieldSchema, join(path, key), out);
      }
      return;
    }
    case 'record': {
      if (!isPlainObject(value)) return fail(`must be an object, got ${show(value)}`);
      const keys = Object.keys(value);
      for (const key of keys) {
        if (!schema.keys.includes(key)) out.push(unknownKey(path, key, schema.keys));
        else visit(value[key], schema.of, join(path, key), out);
      }
      if (schema.minEntries !== undefined && keys.length < schema.minEntries) {
        fail(`must have at least ${schema.minEntries} entr${schema.minEntries === 1 ? 'y' : 'ies'}`);
      }
      return;
    }
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function unknownKey(path: string, key: string, known: readonly string[]): SchemaProblem {
  const near = nearest(key, known);
  return {
    path: join(path, key),
    message: `unknown field${near ? ` (did you mean "${near}"?)` : ` (known: ${known.join(', ')})`}`,
  };
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The closest known name within an edit distance of about a third of its length. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
