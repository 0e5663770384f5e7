// SQL expressions shared by several features: address prefixes, client
// families, and list arithmetic on the hour-of-day histogram.
import { literal } from '@farmscope/casefile';

/** hash(expr), or null when expr is null (DuckDB's hash(NULL) is a value, which count(DISTINCT) would count). */
export function hashIfSet(expr: string): string {
  return `CASE WHEN (${expr}) IS NOT NULL THEN hash(${expr}) END`;
}

/** The /24 of an IPv4 address ("203.0.113.7" → "203.0.113"); null for IPv6. */
export function ipv4Prefix24(ip: string): string {
  return `CASE WHEN NOT contains(${ip}, ':') THEN regexp_extract(${ip}, '^(\\d+\\.\\d+\\.\\d+)\\.', 1) END`;
}

/**
 * The /48 of an IPv6 address: its first three 16-bit groups, "::" expanded and
 * leading zeros dropped ("2001:0db8::1" → "2001:db8:"); null for IPv4.
 */
export function ipv6Prefix48(ip: string): string {
  const head = `split_part(lower(${ip}), '::', 1)`;
  const tail = `CASE WHEN contains(${ip}, '::') THEN split_part(lower(${ip}), '::', 2) ELSE '' END`;
  const groups = (s: string) => `CASE WHEN ${s} = '' THEN []::VARCHAR[] ELSE string_split(${s}, ':') END`;
  const zeros = `list_transform(range(greatest(0, 8 - len(${groups(head)}) - len(${groups(tail)}))), _z -> '0')`;
  return `CASE WHEN contains(${ip}, ':') THEN array_to_string(list_transform(list_slice(list_concat(${groups(head)}, ${zeros}, ${groups(tail)}), 1, 3), _g -> ltrim(_g, '0')), ':') END`;
}

/**
 * The client family of a user agent: its first product token, lower-cased,
 * without version ("anthropic-python/0.40.0" → "anthropic-python",
 * "Mozilla/5.0 (...)" → "mozilla", "OpenAI/Python 1.3" → "openai").
 */
export function sdkFamily(userAgent: string): string {
  return `nullif(regexp_extract(lower(${userAgent}), '^[a-z][a-z0-9._-]*'), '')`;
}

/** Shannon entropy in bits of a list of counts whose sum is `total`. */
export function entropyBits(counts: string, total: string): string {
  return `list_sum(list_transform(${counts}, _c -> CASE WHEN _c > 0 THEN -(_c / ${total}) * log2(_c / ${total}) ELSE 0 END))`;
}

/**
 * Longest circular run of list elements satisfying `predicate` (a lambda body
 * over `_c`), for a 24-element hour histogram: the run may wrap past midnight.
 */
export function longestCircularRun(list: string, predicate: string, length = 24): string {
  const flags = `array_to_string(list_transform(${list}, _c -> CASE WHEN ${predicate} THEN '1' ELSE '0' END), '')`;
  return `least(${length}, list_max(list_transform(string_split_regex(${flags} || ${flags}, '0+'), _r -> length(_r))))`;
}

/** `regexp_matches` with a pattern written as a JS string. */
export function matches(text: string, pattern: string): string {
  return `regexp_matches(${text}, ${literal(pattern)})`;
}
