// Deterministic pseudo-randomness in SQL. Every random draw is a hash of the
// seed and of who draws it (account, request, salt) mapped to [0, 1): the same
// inputs give the same value on any thread count, unlike random(). The macros
// are created once per generation run, with the seed baked in.
/** 2^53: the top 53 bits of a 64-bit hash make an exactly representable double in [0, 1). */
const TWO_53 = '9007199254740992.0';

/**
 * Replaces the readable string salts of u()/h() draws (`u(acct, i, 0, 'ip')`)
 * by a fixed integer derived from the name: hashing a string on every row
 * costs about twice as much as hashing an integer. Salts are lowercase words.
 */
export function bindSalts(sql: string): string {
  return sql.replace(/, '([a-z][a-z0-9_]*)'\)/g, (_, name: string) => `, ${saltId(name)})`);
}

/** FNV-1a (32-bit) of a salt name: stable across runs and versions. */
export function saltId(name: string): number {
  let x = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    x ^= name.charCodeAt(i);
    x = Math.imul(x, 0x01000193) >>> 0;
  }
  return x;
}

export function randomMacros(seed: number): string[] {
  const s = String(Math.trunc(seed));
  return [
    // h(a, b, c, salt): a 64-bit hash of the draw named by (a, b, c, salt).
    // DuckDB combines the hashes of several arguments with a final XOR, so
    // draws differing only in the last argument would be XOR-related; the outer
    // hash() of the 64-bit value (a murmur-style finaliser) decorrelates them.
    `CREATE OR REPLACE MACRO h(a, b, c, salt) AS hash(hash(${s}::BIGINT, a, b, c, salt))`,
    // u(a, b, c, salt): uniform in [0, 1) for the draw named by (a, b, c, salt).
    `CREATE OR REPLACE MACRO u(a, b, c, salt) AS (h(a, b, c, salt) >> 11)::DOUBLE / ${TWO_53}`,
    // pick(list, x): the element of a list at uniform position x in [0, 1).
    `CREATE OR REPLACE MACRO pick(list, x) AS list[1 + floor(x * len(list))::BIGINT]`,
    // Standard normal from two uniforms (Box-Muller).
    `CREATE OR REPLACE MACRO std_normal(x1, x2) AS sqrt(-2.0 * ln(1.0 - x1)) * cos(2.0 * pi() * x2)`,
    // Lognormal with the given mean (not median) and log-space sigma.
    `CREATE OR REPLACE MACRO lognormal(mean, sigma, x1, x2) AS mean * exp(sigma * std_normal(x1, x2) - sigma * sigma / 2.0)`,
    // 16 lowercase hex digits of a hash.
    `CREATE OR REPLACE MACRO hex16(x) AS lpad(lower(to_hex(x)), 16, '0')`,
    // Microseconds as an interval.
    `CREATE OR REPLACE MACRO us(x) AS to_microseconds(CAST(x AS BIGINT))`,
  ];
}

/** A SQL list literal of numbers (nulls allowed), typed DOUBLE[]. */
export function numberList(values: ReadonlyArray<number | null>): string {
  return `([${values.map((v) => (v === null ? 'NULL' : String(v))).join(', ')}]::DOUBLE[])`;
}

/** Cumulative shares of `weights` over `keys` (in key order), normalised to end at 1. */
export function cumulativeShares(keys: readonly string[], weights: Partial<Record<string, number>>): number[] {
  const raw = keys.map((k) => Math.max(0, weights[k] ?? 0));
  const total = raw.reduce((a, b) => a + b, 0);
  let running = 0;
  return raw.map((w, i) => {
    running += w;
    return i === raw.length - 1 ? 1 : Math.round((running / total) * 1e9) / 1e9;
  });
}

/**
 * A CASE expression returning the index (0-based) of the bucket of `x` in a
 * cumulative list column: `CASE WHEN x < cum[1] THEN 0 WHEN x < cum[2] THEN 1 ... END`.
 */
export function bucketOf(x: string, cumColumn: string, n: number): string {
  const whens = Array.from({ length: n - 1 }, (_, i) => `WHEN ${x} < ${cumColumn}[${i + 1}] THEN ${i}`);
  return `CASE ${whens.join(' ')} ELSE ${n - 1} END`;
}

/** A CASE expression picking one of `names` (SQL literals) by `weights` with draw `x`. */
export function weightedPickSql(names: readonly string[], weights: readonly number[], x: string): string {
  if (names.length === 1) return names[0]!;
  const keys = names.map((_, i) => String(i));
  const cum = cumulativeShares(keys, Object.fromEntries(keys.map((k, i) => [k, weights[i]!])));
  const whens = names.slice(0, -1).map((name, i) => `WHEN ${x} < ${cum[i]} THEN ${name}`);
  return `CASE ${whens.join(' ')} ELSE ${names[names.length - 1]} END`;
}
