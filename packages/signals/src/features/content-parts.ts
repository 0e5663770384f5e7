// Content passes: elicitation families, scripts and languages on a capped,
// deterministic sample of each account's prompts; system-prompt reuse within
// and across accounts; template reuse from the prompt_templates stage.
import { ELICITATION_FAMILIES } from './elicitation-families.js';
import { type FeatureDefinition, type FeaturePart } from './feature-definition.js';
import { firstNonLatinCodePoint, languageOf, latinMarkers, scriptOf } from './prompt-languages.js';
import { matches } from './sql-expressions.js';

const familyFeatures: FeatureDefinition[] = ELICITATION_FAMILIES.map((f) => ({
  name: `${f.name}_share`,
  group: 'content',
  type: 'DOUBLE',
  unit: 'share 0–1',
  meaning: `share of sampled prompts that are ${f.label}. Source: ${f.source}`,
  how: `regular expression family \`${f.name}\` (packages/signals/src/features/elicitation-families.ts) on the lower-cased prompt`,
  sql: `sum(n_${f.name}) / sampled_prompts`,
}));

const FAMILIES = ELICITATION_FAMILIES.map((f) => f.name);

export const PROMPT_SAMPLE_PART: FeaturePart = {
  name: 'prompt_sample',
  purpose: 'elicitation families, scripts and languages on a capped hash sample of each account\'s prompts',
  needs: ['prompt', 'prompt_sample'],
  // The prompt_sample stage's table: about 64 prompts per account, by a hash
  // of request_id (bounded cost for heavy accounts, the same sample on every
  // run, every prompt of a light account). The regexes run once per distinct
  // text (farms and scripts repeat prompts: 5.6M sampled prompts are 0.56M
  // texts at the claude-2026 scale), pure-ASCII texts (byte length =
  // character length) skip the non-Latin script search, and the labels are
  // joined back by hash. Rows are then counted per account and language, so
  // the aggregate below needs no DISTINCT or per-account map.
  // The labels are a function of the text alone: a replay keeps them from
  // step to step and labels only the texts it has not seen (feature-carry.ts).
  memo: {
    name: 'labels',
    key: 'h',
    keyed: () => 'SELECT hash(prompt) AS h, prompt FROM prompt_sample WHERE prompt IS NOT NULL',
    inputs: (keyed) => `SELECT h, lower(any_value(prompt)) AS p, strlen(any_value(prompt)) = length(any_value(prompt)) AS ascii
      FROM ${keyed} GROUP BY h`,
    rows: (texts) => `SELECT h, ${FAMILIES.join(', ')}, ${languageOf('script', 'markers')} AS language, script
      FROM (
        SELECT *, ${scriptOf('code_point', 'p')} AS script,
          CASE WHEN code_point < 0 THEN ${latinMarkers('p')} END AS markers
        FROM (
          SELECT h, p,
            ${FAMILIES.map((f, i) => `${matches('p', ELICITATION_FAMILIES[i]!.pattern)} AS ${f}`).join(',\n            ')},
            CASE WHEN ascii THEN -1 ELSE ${firstNonLatinCodePoint('p')} END AS code_point
          FROM ${texts}))`,
    from: (labelled) => `SELECT s.account_id, l.script, l.language, count(*) AS n,
      ${FAMILIES.map((f) => `count_if(l.${f}) AS n_${f}`).join(', ')},
      count_if(${FAMILIES.map((f) => `l.${f}`).join(' OR ')}) AS n_any
    FROM prompt_sample s JOIN ${labelled} l ON hash(s.prompt) = l.h
    WHERE s.prompt IS NOT NULL
    GROUP BY ALL`,
  },
  features: [
    {
      name: 'sampled_prompts', group: 'content', type: 'INTEGER', unit: 'prompts',
      meaning: 'prompts examined for the content shares below (all of them up to the cap, then a deterministic sample of about the cap)',
      how: 'rows of prompt_sample (kept when hash(request_id) mod 10⁶ < 10⁶ × cap / prompts)', sql: 'sum(n)', fill: '0',
    },
    ...familyFeatures,
    {
      name: 'elicitation_share', group: 'content', type: 'DOUBLE', unit: 'share 0–1',
      meaning: 'share of sampled prompts in any elicitation family above', how: 'any family matches', sql: 'sum(n_any) / sampled_prompts',
    },
    {
      name: 'distinct_scripts', group: 'content', type: 'INTEGER', unit: 'scripts',
      meaning: 'writing systems of the sampled prompts (Latin, Han, kana, Hangul, Cyrillic, Arabic, ...)', how: 'count(DISTINCT first non-Latin Unicode script, else Latin)',
      sql: 'count(DISTINCT script)',
    },
    {
      name: 'distinct_languages', group: 'content', type: 'INTEGER', unit: 'languages',
      meaning: 'languages of the sampled prompts (a relay forwards end users in many languages); a rough guess, see prompt-languages.ts',
      how: 'count(DISTINCT language guessed from script and marker words)', sql: 'count(DISTINCT language)',
    },
    {
      // Each language has one script, so the (script, language) rows are one per language.
      name: 'top_language_share', group: 'content', type: 'DOUBLE', unit: 'share 0–1',
      meaning: 'share of sampled prompts in the account\'s most common language', how: 'largest language count / sampled_prompts',
      sql: 'max(n) / sampled_prompts',
    },
  ],
};

export const PROMPTS_PART: FeaturePart = {
  name: 'prompts',
  purpose: 'prompt repetition per account (its sampled prompts grouped by prompt hash)',
  needs: ['prompt', 'prompt_sample'],
  // On the prompt_sample stage's sample (every prompt of a light account,
  // about 64 of a heavy one): an account that repeats a few prompts repeats
  // them in any sample of its traffic, and the count stays per account
  // instead of a hash table of every (account, prompt) pair in the log.
  // One 64-bit hash of (account, prompt) as the key: cheaper than two columns.
  from: () => 'SELECT hash(account_id, prompt) AS pair, any_value(account_id) AS account_id, count(*) AS n FROM prompt_sample WHERE prompt IS NOT NULL GROUP BY pair',
  features: [
    {
      name: 'distinct_prompt_ratio', group: 'content', type: 'DOUBLE', unit: 'share 0–1',
      meaning: 'distinct prompts per prompt sent (low = the same prompts again and again), over its sampled prompts', how: 'distinct hash(prompt) / sampled prompts', sql: 'count(*) / sum(n)',
    },
    {
      name: 'top_prompt_share', group: 'content', type: 'DOUBLE', unit: 'share 0–1',
      meaning: 'share of its sampled prompts that are its most repeated prompt', how: 'largest count of one prompt / sampled prompts', sql: 'max(n) / sum(n)',
    },
  ],
};

/**
 * Requests per account and value of `key` in `source`, with the number of
 * accounts sending each value: the relation of the reuse parts below.
 */
function reuseRelation(source: string, key: string, where = 'true'): string {
  return `SELECT account_id, n, count(*) OVER (PARTITION BY k) AS sharing
    FROM (SELECT account_id, ${key} AS k, count(*) AS n FROM ${source} WHERE ${where} GROUP BY ALL)`;
}

/** Distinct values, top-value share and widest sharing, over a `reuseRelation`. */
function reuseFeatures(names: [distinct: string, topShare: string, maxAccounts: string], thing: string, why: string): FeatureDefinition[] {
  return [
    { name: names[0], group: 'content', type: 'INTEGER', unit: `${thing}s`, meaning: `distinct ${thing}s it used`, how: `distinct ${thing}s`, sql: 'count(*)', fill: '0' },
    {
      name: names[1], group: 'content', type: 'DOUBLE', unit: 'share 0–1', meaning: `share of its requests with a ${thing} that use its most common one (${why})`,
      how: `largest count of one ${thing} / its requests with a ${thing}`, sql: 'max(n) / sum(n)',
    },
    {
      name: names[2], group: 'content', type: 'INTEGER', unit: 'accounts',
      meaning: `the most accounts using any one of its ${thing}s (itself included); generic ones are shared widely, so read with ${names[1]}`,
      how: `max over its ${thing}s of the accounts using it`, sql: 'max(sharing)',
    },
  ];
}

export const SYSTEM_PROMPTS_PART: FeaturePart = {
  name: 'system_prompts',
  purpose: 'system-prompt reuse within the account and across accounts (its sampled requests grouped by system-prompt hash)',
  needs: ['system_prompt', 'prompt_sample'],
  // On the prompt_sample stage's sample, like prompt repetition: a system
  // prompt on more than a few percent of an account's requests is in its
  // sample, and the sharing count says how many accounts' samples have it.
  from: () => reuseRelation('prompt_sample', 'hash(system_prompt)', 'system_prompt IS NOT NULL'),
  features: reuseFeatures(['distinct_system_prompts', 'top_system_prompt_share', 'system_prompt_max_accounts'], 'system prompt',
    '"a fixed prompt injected into every request", Anthropic Sep 2026'),
};

/** Columns of the prompt_templates stage's account_templates table read here. */
export const ACCOUNT_TEMPLATES_COLUMNS = ['account_id', 'templates', 'top_template_share', 'template_entropy'] as const;

export const TEMPLATES_PART: FeaturePart = {
  name: 'templates',
  purpose: 'prompt-template reuse, read from the prompt_templates stage\'s account_templates table',
  needs: ['account_templates'],
  from: () => `SELECT ${ACCOUNT_TEMPLATES_COLUMNS.join(', ')} FROM account_templates`,
  features: [
    {
      name: 'template_count', group: 'content', type: 'INTEGER', unit: 'templates',
      meaning: 'distinct prompt templates the account used (near-duplicate prompts grouped by the prompt_templates stage)',
      how: 'account_templates.templates', sql: 'any_value(templates)',
    },
    {
      name: 'top_template_share', group: 'content', type: 'DOUBLE', unit: 'share 0–1',
      meaning: 'share of its prompts that use its most common template ("highly repetitive structures", Anthropic Feb 2026)',
      how: 'account_templates.top_template_share', sql: 'any_value(top_template_share)',
    },
    {
      name: 'template_entropy_bits', group: 'content', type: 'DOUBLE', unit: 'bits',
      meaning: 'spread of its prompts over templates: low = a narrow, repetitive task', how: 'account_templates.template_entropy',
      sql: 'any_value(template_entropy)',
    },
  ],
};
