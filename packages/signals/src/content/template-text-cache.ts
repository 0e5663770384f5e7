// The templates stage's per-text work, kept across runs in case-file tables
// (templatesStage's `textCache` option, used by the replay at every step).
//
// Folding, normalising and sketching a text are pure functions of the text,
// and the estimated similarity of two texts a function of the pair, so
// their results are kept by hash and computed only for texts (pairs) not
// seen before:
//   <prefix>_raw   raw_hash → fold_hash, norm_hash (one row per raw prompt)
//   <prefix>_norm  norm_hash → norm, sig, filled, bands (one row per normalised text)
//   <prefix>_pair  (v, leader) → jaccard          (one row per candidate link ever looked at)
//   <prefix>_meta  what the rows were computed with (normalisation rules,
//                  sketch size); the cache is emptied when it changes.
// Which pairs are candidates, and the grouping, depend on the request
// weights of the texts present now: they are recomputed at every run, on
// the cached rows (template-groups).
import type { CaseFile } from '@farmscope/casefile';
import { digitsFoldedSql, normalizeQuery, normalizeSteps } from './prompt-normalize.js';
import { bandKeysSql, signatureQuery, signatureTypeSql, type SketchParams } from './template-sketch.js';
import { checkedCachePrefix } from './cache-prefix.js';

export interface TextCacheTables {
  raw: string;
  norm: string;
  pair: string;
  meta: string;
}

export function textCacheTables(prefix: string): TextCacheTables {
  checkedCachePrefix(prefix, 'template text cache');
  return { raw: `${prefix}_raw`, norm: `${prefix}_norm`, pair: `${prefix}_pair`, meta: `${prefix}_meta` };
}

/** What the cached rows depend on besides the text: the SQL of the folding, the normalisation and the sketch. */
function fingerprint(sketch: SketchParams): string {
  return JSON.stringify({ fold: digitsFoldedSql('x'), normalize: normalizeSteps(), sketch: signatureQuery('t', sketch), bands: bandKeysSql('s', sketch) });
}

/** Creates the cache tables, or empties them when they were filled with other rules or sketch parameters. */
export async function openTextCache(caseFile: CaseFile, t: TextCacheTables, sketch: SketchParams): Promise<void> {
  const want = fingerprint(sketch);
  let ready = true;
  for (const table of [t.meta, t.raw, t.norm, t.pair]) ready &&= await caseFile.tableExists(table);
  if (ready && (await caseFile.value(`SELECT any_value(fingerprint) FROM ${t.meta}`)) === want) return;
  await caseFile.run(
    `CREATE OR REPLACE TABLE ${t.raw} (raw_hash UBIGINT, fold_hash UBIGINT, norm_hash UBIGINT);
     CREATE OR REPLACE TABLE ${t.norm} (norm_hash UBIGINT, norm VARCHAR, sig ${signatureTypeSql(sketch)}, filled UBIGINT, bands UBIGINT[]);
     CREATE OR REPLACE TABLE ${t.pair} (v UBIGINT, leader UBIGINT, jaccard DOUBLE);
     CREATE OR REPLACE TABLE ${t.meta} AS SELECT '${want.replaceAll("'", "''")}' AS fingerprint`,
    'create the template text cache',
  );
}

/**
 * Adds to the cache the raw prompts of `raw(raw_hash, prompt)` it does not
 * hold yet: digits folded, then only the folded texts it does not hold
 * normalised, then only the normalised texts it does not hold sketched.
 * Returns how many raw prompts and normalised texts were new.
 */
export async function updateTextCache(
  caseFile: CaseFile,
  t: TextCacheTables,
  raw: string,
  sketch: SketchParams,
): Promise<{ newPrompts: number; newTexts: number }> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_new_fold AS
     SELECT raw_hash, hash(folded) AS fold_hash, folded
     FROM (SELECT r.raw_hash, ${digitsFoldedSql('r.prompt')} AS folded FROM ${raw} r ANTI JOIN ${t.raw} c USING (raw_hash))`,
    'fold digits of prompts not in the text cache',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_new_norm AS
     SELECT fold_hash, hash(norm) AS norm_hash, norm
     FROM (${normalizeQuery(
       `(SELECT fold_hash, any_value(folded) AS folded FROM _ct_new_fold f
         WHERE NOT EXISTS (SELECT 1 FROM ${t.raw} c WHERE c.fold_hash = f.fold_hash) GROUP BY fold_hash)`,
       'folded',
       ['fold_hash'],
     )})`,
    'normalise folded prompts not in the text cache',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_new_texts AS
     SELECT norm_hash, any_value(norm) AS norm FROM _ct_new_norm n
     WHERE NOT EXISTS (SELECT 1 FROM ${t.norm} c WHERE c.norm_hash = n.norm_hash) GROUP BY norm_hash`,
    'collect normalised prompts not in the text cache',
  );
  await caseFile.run(
    `INSERT INTO ${t.norm}
     SELECT s.norm_hash, n.norm, s.sig, s.filled, ${bandKeysSql('s.sig', sketch)} AS bands
     FROM (${signatureQuery('_ct_new_texts', sketch)}) s JOIN _ct_new_texts n USING (norm_hash)`,
    'sketch new normalised prompts (MinHash) into the text cache',
  );
  await caseFile.run(
    `INSERT INTO ${t.raw}
     WITH known AS (
       SELECT fold_hash, any_value(norm_hash) AS norm_hash FROM ${t.raw}
       WHERE fold_hash IN (SELECT fold_hash FROM _ct_new_fold) GROUP BY fold_hash)
     SELECT f.raw_hash, f.fold_hash, coalesce(n.norm_hash, k.norm_hash)
     FROM _ct_new_fold f LEFT JOIN _ct_new_norm n USING (fold_hash) LEFT JOIN known k USING (fold_hash)`,
    'add new prompts to the text cache',
  );
  const counts = await caseFile.one<{ prompts: number; texts: number }>(
    `SELECT (SELECT count(*) FROM _ct_new_fold)::INTEGER AS prompts, (SELECT count(*) FROM _ct_new_texts)::INTEGER AS texts`,
  );
  await caseFile.run(['_ct_new_fold', '_ct_new_norm', '_ct_new_texts'].map((x) => `DROP TABLE IF EXISTS ${x};`).join(' '));
  return { newPrompts: Number(counts?.prompts ?? 0), newTexts: Number(counts?.texts ?? 0) };
}
