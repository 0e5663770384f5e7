// Quoting helpers for building SQL text: identifiers and string literals are
// always quoted, never interpolated raw, so a hostile column name or path
// cannot change the statement.

/** A double-quoted SQL identifier: `say "hi"` becomes `"say ""hi"""`. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted SQL string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL list literal of strings: `['a', 'b']`. */
export function literalList(values: readonly string[]): string {
  return `[${values.map(literal).join(', ')}]`;
}
