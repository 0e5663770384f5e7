// The prompt text of a request, as one SQL expression: a prompt family and a
// language are drawn from the account's mixes, then a template of the family is
// slot-filled from the vocabularies. Farms repeat a narrow band of paraphrases
// (`tpl_span` templates starting at the farm's `tpl_off`) and walk the coding
// curriculum over time; legitimate users draw from every template. The wording
// itself is the same for both.
import { literal, literalList } from '@farmscope/casefile';
import { LANGUAGES, PROMPT_FAMILIES } from './scenario.js';
import { bucketOf } from './random-sql.js';
import * as V from './vocabulary.js';

/** Draw number k of request (acct, i) for the prompt. */
const draw = (k: number) => `u(acct, i, ${k}, 'p')`;

/** Position (0-based) of a template of a list of n, restricted to the account's band of paraphrases. */
function templateIndex(n: number, x: string): string {
  return `((tpl_off + floor(${x} * (CASE WHEN tpl_span = 0 THEN ${n} ELSE least(tpl_span, ${n}) END))::BIGINT) % ${n})`;
}

const pick = (list: readonly string[], x: string) => `pick(${literalList(list)}, ${x})`;

/**
 * One of `templates` (at position `index`) with its `{slot}`s filled: a CASE
 * over the templates, each a concat() of its literal parts and slot values
 * (concat is several times faster than chained replace() in DuckDB).
 */
function fill(templates: readonly string[], index: string, slots: Record<string, string>): string {
  const branches = templates.map((template, i) => {
    const parts = template.split(/\{(\w+)\}/).map((part, k) => {
      if (k % 2 === 0) return part === '' ? undefined : literal(part);
      const value = slots[part];
      if (value === undefined) throw new Error(`internal: template slot {${part}} has no value`);
      return value;
    });
    return `WHEN ${i} THEN concat(${parts.filter((p) => p !== undefined).join(', ')})`;
  });
  return `CASE ${index} ${branches.join(' ')} END`;
}

/** A family's text: a template of the family (within the band), slot-filled. */
const family = (templates: readonly string[], slots: Record<string, string>) =>
  fill(templates, templateIndex(templates.length, draw(1)), slots);

/** The code domain: farms walk the curriculum, one domain every two days; others pick at random. */
const codeDomain = `CASE WHEN curriculum
  THEN ${literalList(V.CODE_DOMAINS)}[1 + ((tpl_off + floor(epoch(ts) / 172800))::BIGINT % ${V.CODE_DOMAINS.length})]
  ELSE ${pick(V.CODE_DOMAINS, draw(4))} END`;

const FAMILY_TEXT: Record<(typeof PROMPT_FAMILIES)[number], string> = {
  casual: fill(V.CASUAL_REQUESTS, `floor(${draw(1)} * ${V.CASUAL_REQUESTS.length})::BIGINT`, {
    topic: pick(V.TOPICS, draw(2)),
    topic2: pick(V.TOPICS, draw(3)),
    city: pick(V.CITIES, draw(4)),
    ingredient: pick(V.INGREDIENTS, draw(5)),
  }),
  code: family(V.CODE_TEMPLATES, {
    lang: pick(V.PROGRAMMING_LANGUAGES, draw(2)),
    task: pick(V.CODE_TASKS, draw(3)),
    domain: codeDomain,
  }),
  cot: `concat(${literalList(V.COT_OPENERS)}[1 + ${templateIndex(V.COT_OPENERS.length, draw(6))}], ${family(V.COT_TEMPLATES, {
    problem: pick(V.PROBLEMS, draw(2)),
    topic: pick(V.TOPICS, draw(3)),
  })})`,
  rubric: family(V.RUBRIC_TEMPLATES, {
    topic: pick(V.TOPICS, draw(2)),
    criterion: pick(V.RUBRIC_CRITERIA, draw(3)),
    criterion2: pick(V.RUBRIC_CRITERIA, draw(4)),
    problem: pick(V.PROBLEMS, draw(5)),
  }),
  agentic: family(V.AGENT_TEMPLATES, {
    tool: pick(V.TOOLS, draw(2)),
    tool2: pick(V.TOOLS, draw(3)),
    tool3: pick(V.TOOLS, draw(4)),
    agent_task: pick(V.AGENT_TASKS, draw(5)),
  }),
  mcq: family(V.MCQ_TEMPLATES, {
    subject: pick(V.MCQ_SUBJECTS, draw(2)),
    n: `(1 + floor(${draw(3)} * 14000))::BIGINT::VARCHAR`,
    topic: pick(V.TOPICS, draw(4)),
    problem: pick(V.PROBLEMS, draw(5)),
  }),
  extraction: family(V.EXTRACTION_TEMPLATES, {
    n: `(100000 + floor(${draw(2)} * 900000))::BIGINT::VARCHAR`,
    vendor: pick(V.VENDORS, draw(3)),
    amount: `round(10 + ${draw(4)} * 9990, 2)::VARCHAR`,
  }),
  analysis: family(V.ANALYSIS_TEMPLATES, {
    dataset: pick(V.ANALYSIS_DATASETS, draw(2)),
    topic: pick(V.TOPICS, draw(3)),
  }),
};

/** Index of the request's prompt family in PROMPT_FAMILIES. */
export const familyIndexSql = bucketOf(draw(0), 'mix_cum', PROMPT_FAMILIES.length);
/** Index of the request's language in LANGUAGES. */
export const languageIndexSql = bucketOf(draw(8), 'lang_cum', LANGUAGES.length);

/**
 * The prompt, given columns `family` and `lang` (indexes) and the account's
 * template band. Non-English casual prompts are native text; other families
 * carry an instruction to answer in the language.
 */
export function promptSql(): string {
  const english = `CASE family ${PROMPT_FAMILIES.map((f, i) => `WHEN ${i} THEN ${FAMILY_TEXT[f]}`).join('\n    ')} END`;
  const native = LANGUAGES.filter((l) => l !== 'en')
    .map((l) => `WHEN ${LANGUAGES.indexOf(l)} THEN ${pick(V.NATIVE_PROMPTS[l] ?? [], draw(1))}`)
    .join(' ');
  const suffix = LANGUAGES.filter((l) => l !== 'en')
    .map((l) => `WHEN ${LANGUAGES.indexOf(l)} THEN ${pick(V.LANGUAGE_SUFFIXES[l] ?? [], draw(7))}`)
    .join(' ');
  return `CASE
    WHEN lang = 0 THEN ${english}
    WHEN family = 0 THEN CASE lang ${native} END
    ELSE concat(${english}, CASE lang ${suffix} END)
  END`;
}

/** The system prompt: none, the farm's fixed one, or a varied one (often absent). */
export const systemPromptSql = `CASE sys_mode
  WHEN 'none' THEN NULL
  WHEN 'fixed' THEN sys_fixed
  ELSE CASE WHEN u(acct, i, 9, 'p') < 0.45 THEN NULL ELSE ${pick(V.SYSTEM_PROMPTS, `u(acct, i, 10, 'p')`)} END
END`;
