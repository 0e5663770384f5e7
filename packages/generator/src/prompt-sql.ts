// The prompt text of a request. A prompt family and a language are drawn from
// the account's mixes; a template of the family is chosen, within the
// account's band of paraphrases (`tpl_span` templates from the farm's
// `tpl_off`: farms repeat a narrow band, legitimate users use all); its slots
// are filled from the vocabularies. Farms walk the coding curriculum over time.
// The wording is the same for farms and legitimate users.
//
// For speed the templates are not a CASE per family (DuckDB pays per branch
// and per chunk for nested CASEs): every template is flattened into constant
// lists (literal parts, slot ids), every vocabulary into one list of words, and
// a prompt is one concat() of list lookups.
import { literalList } from '@farmscope/casefile';
import { LANGUAGES, PROMPT_FAMILIES, type PromptFamily } from './scenario.js';
import { bucketOf } from './random-sql.js';
import * as V from './vocabulary.js';

/** Draw number k of request (acct, i) for the prompt. */
const draw = (k: number) => `u(acct, i, ${k}, 'p')`;

/** Slot name → vocabulary name (slots that are alternatives share a vocabulary). */
const SLOT_VOCABULARY: Record<string, string> = {
  topic: 'topic', topic2: 'topic', city: 'city', ingredient: 'ingredient', lang: 'lang', task: 'task', domain: 'domain',
  problem: 'problem', criterion: 'criterion', criterion2: 'criterion', tool: 'tool', tool2: 'tool', tool3: 'tool',
  agent_task: 'agent_task', subject: 'subject', n: 'item', doc: 'doc', vendor: 'vendor', amount: 'amount', dataset: 'dataset',
};

const numbers = (count: number, f: (k: number) => string) => Array.from({ length: count }, (_, k) => f(k));
const VOCABULARIES: Record<string, readonly string[]> = {
  none: [''],
  topic: V.TOPICS,
  city: V.CITIES,
  ingredient: V.INGREDIENTS,
  lang: V.PROGRAMMING_LANGUAGES,
  task: V.CODE_TASKS,
  domain: V.CODE_DOMAINS,
  problem: V.PROBLEMS,
  criterion: V.RUBRIC_CRITERIA,
  tool: V.TOOLS,
  agent_task: V.AGENT_TASKS,
  subject: V.MCQ_SUBJECTS,
  // Numbers are drawn from fixed lists of scattered values (prime strides).
  item: numbers(700, (k) => String(1 + ((k * 7919) % 14000))),
  doc: numbers(700, (k) => String(100000 + ((k * 104729) % 900000))),
  vendor: V.VENDORS,
  amount: numbers(400, (k) => (10 + ((k * 7727) % 999000) / 100).toFixed(2)),
  dataset: V.ANALYSIS_DATASETS,
};

const TEMPLATES: Record<PromptFamily, readonly string[]> = {
  casual: V.CASUAL_REQUESTS,
  code: V.CODE_TEMPLATES,
  cot: V.COT_TEMPLATES,
  rubric: V.RUBRIC_TEMPLATES,
  agentic: V.AGENT_TEMPLATES,
  mcq: V.MCQ_TEMPLATES,
  extraction: V.EXTRACTION_TEMPLATES,
  analysis: V.ANALYSIS_TEMPLATES,
};

interface FlatTemplates {
  /** Literal parts of every template (English families, then native prompts), padded to MAX_SLOTS + 1. */
  parts: string[][];
  /** Slot ids of every template, padded with 0 (the empty vocabulary). */
  slots: number[][];
  familyOffset: number[];
  familySize: number[];
  nativeOffset: number[];
  nativeSize: number[];
}

const SLOT_NAMES = ['none', ...Object.keys(SLOT_VOCABULARY)];
const VOCABULARY_NAMES = Object.keys(VOCABULARIES);
const MAX_SLOTS = Math.max(
  ...Object.values(TEMPLATES).flatMap((list) => list.map((t) => t.split(/\{\w+\}/).length - 1)),
);

function flatten(): FlatTemplates {
  const out: FlatTemplates = { parts: [], slots: [], familyOffset: [], familySize: [], nativeOffset: [], nativeSize: [] };
  const add = (template: string) => {
    const pieces = template.split(/\{(\w+)\}/);
    const parts = pieces.filter((_, k) => k % 2 === 0);
    const slots = pieces.filter((_, k) => k % 2 === 1).map((name) => {
      const id = SLOT_NAMES.indexOf(name);
      if (id < 1) throw new Error(`internal: template slot {${name}} has no vocabulary`);
      return id;
    });
    while (parts.length < MAX_SLOTS + 1) parts.push('');
    while (slots.length < MAX_SLOTS) slots.push(0);
    out.parts.push(parts);
    out.slots.push(slots);
  };
  for (const family of PROMPT_FAMILIES) {
    out.familyOffset.push(out.parts.length);
    out.familySize.push(TEMPLATES[family].length);
    TEMPLATES[family].forEach(add);
  }
  for (const language of LANGUAGES) {
    const native = V.NATIVE_PROMPTS[language] ?? [];
    out.nativeOffset.push(out.parts.length);
    out.nativeSize.push(native.length);
    native.forEach(add);
  }
  return out;
}

const FLAT = flatten();
const intList = (values: readonly number[]) => `[${values.join(', ')}]`;

/** All vocabularies in one list; a slot's word k is at offset[vocabulary] + k. */
const WORDS = VOCABULARY_NAMES.flatMap((name) => VOCABULARIES[name]!);
const vocabularyOffset = (name: string) =>
  VOCABULARY_NAMES.slice(0, VOCABULARY_NAMES.indexOf(name)).reduce((sum, n) => sum + VOCABULARIES[n]!.length, 0);
/** Per slot id: offset and size of its vocabulary in WORDS. */
const SLOT_OFFSET = SLOT_NAMES.map((s) => vocabularyOffset(s === 'none' ? 'none' : SLOT_VOCABULARY[s]!));
const SLOT_SIZE = SLOT_NAMES.map((s) => VOCABULARIES[s === 'none' ? 'none' : SLOT_VOCABULARY[s]!]!.length);
const DOMAIN_SLOT = SLOT_NAMES.indexOf('domain');

/** Index of the request's prompt family in PROMPT_FAMILIES. */
export const familyIndexSql = bucketOf(draw(0), 'mix_cum', PROMPT_FAMILIES.length);
/** Index of the request's language in LANGUAGES. */
export const languageIndexSql = bucketOf(draw(8), 'lang_cum', LANGUAGES.length);

/** Position of a template within a list of n, restricted to the account's band of paraphrases. */
function bandIndex(n: string, x: string): string {
  return `((tpl_off + floor(${x} * (CASE WHEN tpl_span = 0 THEN ${n} ELSE least(tpl_span, ${n}) END))::BIGINT) % ${n})`;
}

const CASUAL = PROMPT_FAMILIES.indexOf('casual');
const COT = PROMPT_FAMILIES.indexOf('cot');

/**
 * The prompt and the columns it is built from, over `source` (which has acct,
 * i, ts, family, lang and the account's tpl_off, tpl_span, curriculum).
 * Non-English casual prompts are native text; other families in another
 * language carry an instruction to answer in it.
 */
export function withPromptSql(source: string): string {
  const familySize = `${intList(FLAT.familySize)}[family + 1]`;
  const template = `CASE WHEN family = ${CASUAL} AND lang <> 0
      THEN ${intList(FLAT.nativeOffset)}[lang + 1] + floor(${draw(1)} * ${intList(FLAT.nativeSize)}[lang + 1])::BIGINT
      ELSE ${intList(FLAT.familyOffset)}[family + 1] + ${bandIndex(familySize, draw(1))} END`;
  const slotColumns = Array.from({ length: MAX_SLOTS }, (_, k) => `${intList(FLAT.slots.map((s) => s[k]!))}[template + 1] AS slot_${k + 1}`);
  // The word for slot position k: the curriculum's domain (farms: one domain
  // every two days), else a draw keyed by the slot id, so a slot used twice in
  // one template gets the same word twice.
  const word = (k: number) => `${literalList(WORDS)}[1 + ${intList(SLOT_OFFSET)}[slot_${k} + 1] + CASE
      WHEN slot_${k} = ${DOMAIN_SLOT} AND curriculum THEN (tpl_off + floor(epoch(ts) / 172800))::BIGINT % ${V.CODE_DOMAINS.length}
      ELSE floor(u(acct, i, slot_${k}, 'slot') * ${intList(SLOT_SIZE)}[slot_${k} + 1])::BIGINT END]`;
  const parts = Array.from({ length: MAX_SLOTS + 1 }, (_, k) => `${literalList(FLAT.parts.map((p) => p[k]!))}[template + 1]`);
  const pieces = parts.flatMap((part, k) => (k < MAX_SLOTS ? [part, word(k + 1)] : [part]));
  const opener = `CASE WHEN family = ${COT} THEN ${literalList(V.COT_OPENERS)}[1 + ${bandIndex(String(V.COT_OPENERS.length), draw(6))}] ELSE '' END`;
  const suffixes = LANGUAGES.map((l) => V.LANGUAGE_SUFFIXES[l] ?? []);
  const suffixOffset = suffixes.map((_, k) => suffixes.slice(0, k).reduce((sum, s) => sum + s.length, 0));
  const suffix = `CASE WHEN lang = 0 OR family = ${CASUAL} THEN ''
      ELSE ${literalList(suffixes.flat())}[1 + ${intList(suffixOffset)}[lang + 1] + floor(${draw(7)} * ${intList(suffixes.map((s) => s.length))}[lang + 1])::BIGINT] END`;
  return `
SELECT *, concat(${opener}, ${pieces.join(', ')}, ${suffix}) AS prompt
FROM (
  SELECT *, ${slotColumns.join(', ')}
  FROM (SELECT *, ${template} AS template FROM ${source})
)`;
}

/** The system prompt: none, the farm's fixed one, or a varied one (often absent). */
export const systemPromptSql = `CASE sys_mode
  WHEN 'none' THEN NULL
  WHEN 'fixed' THEN sys_fixed
  ELSE CASE WHEN u(acct, i, 9, 'p') < 0.45 THEN NULL ELSE pick(${literalList(V.SYSTEM_PROMPTS)}, u(acct, i, 10, 'p')) END
END`;
