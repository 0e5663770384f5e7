// A cheap guess of a prompt's script and language, in SQL: the script of the
// first letter outside the Latin script (one regular expression, then code
// point ranges), and for Latin script the first marker word or letter of a
// few languages (one more). Good enough to count how many languages an
// account's prompts span (a relay forwards end users "in at least a dozen
// languages", Anthropic Sep 2026); not a language identifier.
import { literal } from '@farmscope/casefile';

const NON_LATIN = '[\\p{Han}\\p{Hiragana}\\p{Katakana}\\p{Hangul}\\p{Cyrillic}\\p{Arabic}\\p{Devanagari}\\p{Thai}\\p{Greek}\\p{Hebrew}]';

/** Code point ranges (inclusive) of the scripts NON_LATIN finds, and each script's usual language. */
const SCRIPT_RANGES: readonly [script: string, language: string, ranges: readonly [number, number][]][] = [
  ['kana', 'ja', [[0x3040, 0x30ff], [0x31f0, 0x31ff], [0xff66, 0xff9f]]],
  ['han', 'zh', [[0x2e80, 0x2fdf], [0x3000, 0x303f], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff], [0x20000, 0x3134f]]],
  ['hangul', 'ko', [[0x1100, 0x11ff], [0x3130, 0x318f], [0xa960, 0xa97f], [0xac00, 0xd7ff]]],
  ['cyrillic', 'ru', [[0x0400, 0x052f], [0x1c80, 0x1c8f], [0x2de0, 0x2dff], [0xa640, 0xa69f]]],
  ['arabic', 'ar', [[0x0600, 0x06ff], [0x0750, 0x077f], [0x08a0, 0x08ff], [0xfb50, 0xfdff], [0xfe70, 0xfeff]]],
  ['devanagari', 'hi', [[0x0900, 0x097f], [0xa8e0, 0xa8ff]]],
  ['thai', 'th', [[0x0e00, 0x0e7f]]],
  ['greek', 'el', [[0x0370, 0x03ff], [0x1f00, 0x1fff]]],
  ['hebrew', 'he', [[0x0590, 0x05ff], [0xfb1d, 0xfb4f]]],
];

/** Latin-script languages by marker words or letters, most distinctive first (a leftmost match wins). */
const LATIN_MARKERS: readonly [language: string, pattern: string][] = [
  ['pt', 'ção|ções|\\b(?:não|você|está|também|obrigado)\\b'],
  ['es', '[¿¡ñ]|\\b(?:qué|cómo|los|las|por favor|también|gracias)\\b'],
  ['de', 'ß|\\b(?:und|ist|nicht|ich|bitte|der|das|mit|eine)\\b'],
  ['fr', '\\b(?:les|est|vous|avec|pour|dans|une|je|merci)\\b'],
  ['id', '\\b(?:yang|dan|dengan|untuk|bagaimana|saya|apa)\\b'],
  ['en', '\\b(?:the|and|is|are|you|what|how|of|to|with)\\b'],
];

/** Code point of the first letter of a non-Latin script in `text` (-1 when none). */
export function firstNonLatinCodePoint(text: string): string {
  return `unicode(regexp_extract(${text}, ${literal(NON_LATIN)}))`;
}

/** The first marker of each Latin-script language found, as a struct of strings ('' = none). */
export function latinMarkers(text: string): string {
  const pattern = LATIN_MARKERS.map(([, p]) => `(${p})`).join('|');
  return `regexp_extract(${text}, ${literal(pattern)}, [${LATIN_MARKERS.map(([l]) => literal(l)).join(', ')}])`;
}

/**
 * Script of a lower-cased prompt from `firstNonLatinCodePoint`: a Han text
 * with any kana is Japanese; 'latin' when it has Latin letters only, else 'other'.
 */
export function scriptOf(codePoint: string, text: string): string {
  const branches = SCRIPT_RANGES.map(([script, , ranges]) => {
    const test = ranges.map(([a, b]) => `${codePoint} BETWEEN ${a} AND ${b}`).join(' OR ');
    const value = script === 'han'
      ? `CASE WHEN regexp_matches(${text}, '[\\p{Hiragana}\\p{Katakana}]') THEN 'kana' ELSE 'han' END`
      : literal(script);
    return `WHEN ${test} THEN ${value}`;
  }).join('\n      ');
  return `CASE WHEN ${codePoint} < 0 THEN CASE WHEN regexp_matches(${text}, '\\p{Latin}') THEN 'latin' ELSE 'other' END
      ${branches}
      ELSE 'other' END`;
}

/** Language from the script, or for Latin script from the first marker found (`latinMarkers`). */
export function languageOf(script: string, markers: string): string {
  const latin = LATIN_MARKERS.map(([l]) => `WHEN ${markers}.${l} <> '' THEN ${literal(l)}`).join(' ');
  const scripts = SCRIPT_RANGES.map(([s, l]) => `WHEN ${literal(s)} THEN ${literal(l)}`).join(' ');
  return `CASE ${script} ${scripts} WHEN 'latin' THEN CASE ${latin} ELSE 'latin-other' END ELSE 'other' END`;
}
