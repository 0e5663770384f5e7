// Stage `prompt_templates`: every sampled prompt gets a template id, every
// account a template distribution, every template the number of accounts
// that use it.
//
// It reads the prompt_sample stage's table (about 64 prompts per account),
// so its cost follows the number of accounts, not of events. Work is done on
// distinct texts: sampled prompts → distinct raw prompts (by hash) →
// normalised text (prompt-normalize) → distinct normalised texts →
// near-duplicate components (template-groups) → template ids, joined back to
// the sampled requests in event_templates. See README.md in this folder.
import type { CaseFile } from '@farmscope/casefile';
import type { AnalyzeStage, StageContext, StageOutcome } from '../stage.js';
import { PROMPT_SAMPLE_TABLE } from './prompt-sample-stage.js';
import { digitsFoldedSql, normalizeQuery } from './prompt-normalize.js';
import { groupNearDuplicates, groupSketched, textRankSql, type TemplateGrouping } from './template-groups.js';
import { DEFAULT_TEMPLATE_PARAMS, type TemplateParams } from './template-params.js';
import { openTextCache, textCacheTables, updateTextCache, type TextCacheTables } from './template-text-cache.js';

export const TEMPLATE_TABLES = ['prompt_templates', 'event_templates', 'account_template_counts', 'account_templates'] as const;

/** Characters kept of a template's example prompt. */
const EXAMPLE_CHARS = 300;

export interface TemplatesStageOptions {
  /**
   * Keep the per-text work (digit folding, normalisation, MinHash sketch)
   * in case-file tables named with this prefix (template-text-cache.ts),
   * and do it only for texts not seen by an earlier run: for repeated runs
   * over a growing or sliding log (the replay). The tables written are the
   * same as without it.
   */
  textCache?: string;
}

export function templatesStage(params: TemplateParams = DEFAULT_TEMPLATE_PARAMS, options: TemplatesStageOptions = {}): AnalyzeStage {
  const cache = options.textCache === undefined ? undefined : textCacheTables(options.textCache);
  return {
    name: 'prompt_templates',
    description:
      'normalise prompts, group near-duplicates (MinHash LSH) into templates, per-account template distribution' +
      (cache ? '; per-text work cached across runs' : ''),
    run: (ctx) => runTemplates(ctx, params, cache),
  };
}

async function runTemplates(ctx: StageContext, params: TemplateParams, cache: TextCacheTables | undefined): Promise<StageOutcome> {
  const { caseFile } = ctx;
  if (!ctx.inputs.hasPrompts || !(await caseFile.tableExists(PROMPT_SAMPLE_TABLE))) {
    await createEmptyTables(caseFile);
    const why = ctx.inputs.events === 0 ? 'the case file has no events'
      : !ctx.inputs.hasPrompts ? 'no event has a prompt' : 'no prompt_sample table (run the prompt_sample stage first)';
    return { tables: [...TEMPLATE_TABLES], notes: [`prompt templates empty: ${why}`] };
  }
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_raw AS
     SELECT hash(prompt) AS raw_hash, any_value(prompt) AS prompt, count(*)::BIGINT AS requests
     FROM ${PROMPT_SAMPLE_TABLE} WHERE prompt IS NOT NULL GROUP BY 1`,
    'collect distinct prompts',
  );
  const { grouping, rawNorm, cacheNote } = cache ? await cachedTexts(caseFile, cache, params) : await uncachedTexts(caseFile, params);
  // Template ids: 1 = most requests; ties by the component's content hash.
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_templates AS
     SELECT row_number() OVER (ORDER BY requests DESC, label)::INTEGER AS template_id, *
     FROM (
       SELECT l.label, sum(n.requests)::BIGINT AS requests, count(*)::INTEGER AS texts,
              first(n.norm ORDER BY n.requests DESC, n.norm_hash) AS normalized
       FROM _ct_norms n JOIN _ct_norm_label l USING (norm_hash) GROUP BY l.label)`,
    'number templates',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_raw_template AS
     SELECT r.raw_hash, t.template_id
     FROM ${rawNorm} JOIN _ct_norm_label l USING (norm_hash) JOIN _ct_templates t USING (label)`,
    'map prompts to templates',
  );
  await caseFile.run(
    `CREATE OR REPLACE TABLE event_templates AS
     SELECT e.request_id, e.account_id, m.template_id
     FROM ${PROMPT_SAMPLE_TABLE} e JOIN _ct_raw_template m ON hash(e.prompt) = m.raw_hash
     WHERE e.prompt IS NOT NULL`,
    'write event_templates',
  );
  // Grouped by an integer rank of the account (its place in account_id
  // order) instead of the string: the group keys are almost as many as the
  // rows, and integer keys hash, compare and sort far faster. Same rows,
  // same order as grouping and sorting by account_id (never NULL here:
  // prompt_sample joins on it).
  await caseFile.run(
    `CREATE OR REPLACE TABLE account_template_counts AS
     WITH accounts AS (
       SELECT account_id, row_number() OVER (ORDER BY account_id)::INTEGER AS a FROM (SELECT DISTINCT account_id FROM event_templates)),
     counts AS (
       SELECT a, template_id, count(*)::INTEGER AS requests FROM event_templates JOIN accounts USING (account_id) GROUP BY a, template_id)
     SELECT account_id, template_id, requests FROM counts JOIN accounts USING (a) ORDER BY a, template_id`,
    'write account_template_counts',
  );
  await caseFile.run(
    `CREATE OR REPLACE TABLE prompt_templates AS
     WITH usage AS (
       SELECT template_id, count(*)::INTEGER AS accounts FROM account_template_counts GROUP BY template_id),
     example AS (
       SELECT m.template_id, first(left(r.prompt, ${EXAMPLE_CHARS}) ORDER BY r.requests DESC, r.raw_hash) AS example_prompt
       FROM _ct_raw r JOIN _ct_raw_template m USING (raw_hash) GROUP BY m.template_id)
     SELECT t.template_id, u.accounts, t.requests, e.example_prompt, t.normalized, t.texts
     FROM _ct_templates t JOIN usage u USING (template_id) JOIN example e USING (template_id)
     ORDER BY t.template_id`,
    'write prompt_templates',
  );
  // Entropy in bits; shares in [0, 1] of the account's requests that have a prompt.
  await caseFile.run(
    `CREATE OR REPLACE TABLE account_templates AS
     WITH c AS (
       SELECT c.account_id, c.requests, t.accounts,
              c.requests / sum(c.requests) OVER (PARTITION BY c.account_id) AS p
       FROM account_template_counts c JOIN prompt_templates t USING (template_id))
     SELECT account_id,
            count(*)::INTEGER AS templates,
            max(p) AS top_template_share,
            round(greatest(0, -sum(p * log2(p))), 9) AS template_entropy, -- rounded: parallel sums vary in the last bits
            coalesce(sum(p) FILTER (WHERE accounts <= ${params.rareMaxAccounts}), 0) AS rare_template_share,
            sum(requests)::BIGINT AS requests_with_prompt,
            coalesce(sum(p) FILTER (WHERE accounts = 1), 0) AS own_template_share
     FROM c GROUP BY account_id ORDER BY account_id`,
    'write account_templates',
  );
  const stats = await caseFile.one<{ prompts: number; distinct_prompts: number; normalized: number; templates: number }>(
    `SELECT (SELECT sum(requests) FROM _ct_raw)::BIGINT AS prompts, (SELECT count(*) FROM _ct_raw) AS distinct_prompts,
            (SELECT count(*) FROM _ct_norms) AS normalized, (SELECT count(*) FROM _ct_templates) AS templates`,
  );
  await caseFile.run(
    ['_ct_raw', '_ct_raw_fold', '_ct_fold_norm', '_ct_norms', '_ct_norm_label', '_ct_templates', '_ct_raw_template']
      .map((t) => `DROP TABLE IF EXISTS ${t};`)
      .join(' '),
  );
  const notes = [
    `${stats?.prompts} sampled prompts, ${stats?.distinct_prompts} distinct, ${stats?.normalized} distinct after normalising, ${stats?.templates} templates` +
      ` (${grouping.edges} near-duplicate links, ${grouping.rounds} propagation rounds)`,
    ...(cacheNote ? [cacheNote] : []),
  ];
  if (!grouping.converged) {
    const note = `template grouping stopped after ${grouping.rounds} rounds before converging: some templates may be split in two`;
    notes.push(note);
    ctx.notice(note);
  }
  return { tables: [...TEMPLATE_TABLES], notes };
}

interface TextWork {
  grouping: TemplateGrouping;
  /** FROM clause with columns raw_hash and norm_hash (alias r for the raw side). */
  rawNorm: string;
  cacheNote?: string;
}

/** Folds, normalises and sketches every distinct prompt of _ct_raw, then groups: _ct_norms and _ct_norm_label. */
async function uncachedTexts(caseFile: CaseFile, params: TemplateParams): Promise<TextWork> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_raw_fold AS
     SELECT raw_hash, hash(folded) AS fold_hash, folded, requests
     FROM (SELECT raw_hash, requests, ${digitsFoldedSql('prompt')} AS folded FROM _ct_raw)`,
    'fold digits of distinct prompts',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_fold_norm AS
     SELECT fold_hash, requests, hash(norm) AS norm_hash, norm
     FROM (${normalizeQuery(
       '(SELECT fold_hash, any_value(folded) AS folded, sum(requests)::BIGINT AS requests FROM _ct_raw_fold GROUP BY fold_hash)',
       'folded',
       ['fold_hash', 'requests'],
     )})`,
    'normalise prompts',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_norms AS
     SELECT norm_hash, any_value(norm) AS norm, sum(requests)::BIGINT AS requests
     FROM _ct_fold_norm GROUP BY norm_hash`,
    'collect distinct normalised prompts',
  );
  const grouping = await groupNearDuplicates(caseFile, '_ct_norms', '_ct_norm_label', params);
  return { grouping, rawNorm: '_ct_raw_fold r JOIN _ct_fold_norm f USING (fold_hash)' };
}

/** The same from the text cache: only prompts not in it are folded, normalised and sketched. */
async function cachedTexts(caseFile: CaseFile, cache: TextCacheTables, params: TemplateParams): Promise<TextWork> {
  await openTextCache(caseFile, cache, params.sketch);
  const added = await updateTextCache(caseFile, cache, '_ct_raw', params.sketch);
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_norms AS
     SELECT c.norm_hash, c.norm, w.requests
     FROM (SELECT m.norm_hash, sum(r.requests)::BIGINT AS requests FROM _ct_raw r JOIN ${cache.raw} m USING (raw_hash) GROUP BY m.norm_hash) w
     JOIN ${cache.norm} c USING (norm_hash)`,
    'collect distinct normalised prompts (text cache)',
  );
  // The signatures stay in the cache: only the new candidate pairs read them (groupSketched).
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_sig AS
     SELECT c.norm_hash, ${textRankSql('n.requests', 'c.norm_hash')} AS rk, c.bands
     FROM _ct_norms n JOIN ${cache.norm} c USING (norm_hash)`,
    'read the band keys of normalised prompts (text cache)',
  );
  const grouping = await groupSketched(caseFile, '_ct_norms', '_ct_norm_label', params, { pairs: cache.pair, sketches: cache.norm });
  return {
    grouping,
    rawNorm: `_ct_raw r JOIN ${cache.raw} m USING (raw_hash)`,
    cacheNote: `text cache: ${added.newPrompts} distinct prompts and ${added.newTexts} normalised texts new since the last run`,
  };
}

/** Without prompts the tables still exist, empty, so later stages can join them. */
async function createEmptyTables(caseFile: CaseFile): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TABLE prompt_templates (template_id INTEGER, accounts INTEGER, requests BIGINT, example_prompt VARCHAR, normalized VARCHAR, texts INTEGER);
     CREATE OR REPLACE TABLE event_templates (request_id VARCHAR, account_id VARCHAR, template_id INTEGER);
     CREATE OR REPLACE TABLE account_template_counts (account_id VARCHAR, template_id INTEGER, requests INTEGER);
     CREATE OR REPLACE TABLE account_templates (account_id VARCHAR, templates INTEGER, top_template_share DOUBLE, template_entropy DOUBLE,
       rare_template_share DOUBLE, requests_with_prompt BIGINT, own_template_share DOUBLE)`,
    'create empty template tables',
  );
}
