// Prompt normalisation, as one SQL expression: the text a template is
// recognised by. Slot values that change from one use of a template to the
// next (numbers, quoted spans, code, URLs, e-mail addresses, names) become
// placeholders, the rest is lower-cased and reduced to words, so that
// "Write a Rust function that merges intervals (#123)" and "write a Go
// function that merges intervals (#9)" normalise to the same text.
//
// Placeholders are single tokens in angle brackets (<n>, <q>, <code>, <url>,
// <email>, <name>) so they survive the final reduction to words. RE2 syntax
// (DuckDB's regex engine): no look-behind, so the name rule captures the
// preceding character and puts it back.

/** Prompts are cut to this many characters before normalising: templates show in their first part, and long pasted documents would dominate the cost. */
export const NORMALIZE_MAX_CHARS = 600;

/** One step: a pattern, its replacement, and a literal the text must contain for the rule to run at all (most prompts have no code, URL or e-mail, and contains() is far cheaper than a regex scan). */
interface MaskRule {
  pattern: string;
  replacement: string;
  /** Regex options for regexp_replace ('g' always added). */
  options?: string;
  /** Skip the regex unless the text contains one of these. */
  guard?: readonly string[];
}

const RULES: readonly MaskRule[] = [
  // Fenced and inline code: pasted code is the slot, the request around it the template.
  { pattern: '```.*?(```|$)', replacement: ' <code> ', options: 's', guard: ['`'] },
  { pattern: '`[^`\\n]{1,200}`', replacement: ' <code> ', guard: ['`'] },
  { pattern: '(https?://|www\\.)[^\\s<>"\']+', replacement: ' <url> ', options: 'i', guard: ['://', 'www.'] },
  { pattern: '[\\w.+-]+@[\\w-]+\\.[\\w.-]+', replacement: ' <email> ', guard: ['@'] },
  // Quoted spans up to 300 characters, straight and typographic quotes.
  { pattern: '"[^"\\n]{1,300}"|“[^”\\n]{1,300}”|«[^»\\n]{1,300}»|「[^」\\n]{1,300}」', replacement: ' <q> ', guard: ['"', '“', '«', '「'] },
  // Single quotes only around 2+ characters that start after a non-letter, so "don't" stays.
  { pattern: "(^|[^\\p{L}])'[^'\\n]{2,300}'", replacement: '\\1 <q> ', guard: ["'"] },
  // Numbers (digits were all turned into 0 before; see digitsFoldedSql),
  // with decimal, thousands, time and date separators: 3.5, 1,000, 10:30.
  { pattern: '0+([.,:/-]0+)*', replacement: ' <n> ', guard: ['0'] },
  // Capitalised words (and runs of them: "Mexico City") after a lower-case
  // word or a comma: names of people, places, vendors, languages. A
  // sentence's first word is never preceded by one, so it stays; nor does
  // the pronoun "I". ASCII capitals only: Unicode classes cost twice as much.
  { pattern: '([a-z,;(] )([A-Z][A-Za-z+#-]+|[A-HJ-Z])( [A-Z][A-Za-z+#-]*)*', replacement: '\\1<name>' },
];

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** SQL: `text` with its digits turned into 0 (a cheap character map that lets equal-but-for-numbers prompts be deduplicated before any regex runs). */
export function digitsFoldedSql(column: string): string {
  return `translate(left(${column}, ${NORMALIZE_MAX_CHARS}), '123456789', '000000000')`;
}

/**
 * The normalisation as a chain of SQL expressions over a column `x`, each
 * applied to the previous one's result (one subquery level each, so a
 * guarded rule's CASE does not copy the expression before it). The input
 * must be digit-folded (digitsFoldedSql). The result is masked, lower-cased,
 * with punctuation and symbols removed and words separated by single spaces;
 * NULL stays NULL and a prompt of only punctuation gives ''.
 */
export function normalizeSteps(): string[] {
  const steps = RULES.map((rule) => {
    const replace = `regexp_replace(x, ${quote(rule.pattern)}, ${quote(rule.replacement)}, '${rule.options ?? ''}g')`;
    return rule.guard ? `CASE WHEN ${rule.guard.map((g) => `contains(x, ${quote(g)})`).join(' OR ')} THEN ${replace} ELSE x END` : replace;
  });
  // Runs of punctuation and symbols (not the placeholders' brackets) become
  // a space; spaces themselves are not matched, which keeps matches few.
  steps.push(`regexp_replace(lower(x), '[^\\p{L}\\p{N}\\s<>]+', ' ', 'g')`);
  steps.push(`array_to_string(list_filter(string_split(translate(x, '\t\n\r', '   '), ' '), w -> w <> ''), ' ')`);
  return steps;
}

/**
 * SQL query: `source` (a table or subquery) with its digit-folded text
 * column `folded` (digitsFoldedSql) replaced by the normalised text as
 * `norm`; `keep` columns pass through.
 */
export function normalizeQuery(source: string, folded: string, keep: readonly string[]): string {
  const cols = keep.join(', ');
  let sql = `SELECT ${cols}, ${folded} AS x FROM ${source}`;
  for (const step of normalizeSteps()) sql = `SELECT ${cols}, ${step} AS x FROM (${sql})`;
  return `SELECT ${cols}, x AS norm FROM (${sql})`;
}
