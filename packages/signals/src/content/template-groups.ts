// Near-duplicate grouping of distinct normalised texts into templates.
//
// Plain connected components over "similar" links chain: A ~ B ~ C ~ ...
// joins different requests that share long slot values (two code templates
// asking for the same task). So grouping is by hill-climbing instead, in the
// manner of Quick Shift (Vedaldi & Soatto, ECCV 2008): every text points to
// the heaviest near-duplicate it knows (heavier = more requests, ties broken
// by content hash), if that one is heavier than itself; following pointers
// ends at a text with no heavier near-duplicate, the template's root. A
// chain can only climb, so it stops at the first local maximum, and
// farm-repeated texts (heavy) become roots that their paraphrases join.
//
// Which heavier texts a text "knows": in every LSH band bucket
// (template-sketch), the heaviest member is the bucket's leader; each other
// member is a candidate child of it, kept when their estimated Jaccard
// similarity reaches the threshold. So a text has at most B candidate
// parents and the work is linear in the number of texts. Every choice is a
// maximum over a total order, so the result is the same on every run and
// thread schedule.
import type { CaseFile } from '@farmscope/casefile';
import { bandKeysSql, estimatedJaccardSql, signatureQuery } from './template-sketch.js';
import type { TemplateParams } from './template-params.js';

/** SQL: a text's weight as one HUGEINT, unique per text: requests first, then the smaller content hash. */
export const textRankSql = (requests: string, hash: string) =>
  `(${requests}::HUGEINT * 18446744073709551616 + (18446744073709551615 - ${hash}::HUGEINT))`;

/**
 * Input: table `norms(norm_hash UBIGINT, norm VARCHAR, requests BIGINT)`,
 * distinct texts. Output: temp table `outTable(norm_hash, label)`, label the
 * norm_hash of the text's root. Returns the number of links and of
 * pointer-jumping rounds.
 */
export async function groupNearDuplicates(
  caseFile: CaseFile,
  norms: string,
  outTable: string,
  params: TemplateParams,
): Promise<TemplateGrouping> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_sig AS
     SELECT s.norm_hash, ${textRankSql('n.requests', 's.norm_hash')} AS rk, s.sig, s.filled, ${bandKeysSql('s.sig', params.sketch)} AS bands
     FROM (${signatureQuery(norms, params.sketch)}) s JOIN ${norms} n USING (norm_hash)`,
    'sketch normalised prompts (MinHash)',
  );
  return groupSketched(caseFile, norms, outTable, params);
}

export interface TemplateGrouping {
  rounds: number;
  converged: boolean;
  edges: number;
}

/** SQL: the candidate links (v, leader, leader_rk) of the texts in _ct_sig: every text to the leader of each of its band buckets, if heavier. */
const CANDIDATES_SQL = `WITH banded AS (
       SELECT norm_hash AS v, rk, band_key FROM (SELECT norm_hash, rk, unnest(bands) AS band_key FROM _ct_sig) WHERE band_key IS NOT NULL),
     leaders AS (
       SELECT band_key, arg_max(v, rk) AS leader, max(rk) AS leader_rk FROM banded GROUP BY band_key HAVING count(*) > 1)
     SELECT DISTINCT b.v, l.leader, l.leader_rk FROM banded b JOIN leaders l USING (band_key) WHERE l.leader_rk > b.rk`;

/**
 * The grouping proper, once the texts are sketched: input temp table
 * `_ct_sig(norm_hash, rk, sig, filled, bands)` (rk = textRankSql of the
 * text's requests, the others as template-sketch computes them) for the texts
 * of `norms(norm_hash, ...)`; output as groupNearDuplicates. Drops _ct_sig.
 * With `pairCache`, the similarity of each pair is looked up in
 * `pairCache.pairs` (v, leader, jaccard), the pairs estimated before, and
 * only new candidate pairs are estimated (and added to it), from the
 * signatures in `pairCache.sketches` (norm_hash, sig, filled); `_ct_sig`
 * then needs only norm_hash, rk and bands. See linkWithPairCache.
 */
export async function groupSketched(
  caseFile: CaseFile,
  norms: string,
  outTable: string,
  params: TemplateParams,
  pairCache?: PairCache,
): Promise<TemplateGrouping> {
  if (pairCache) await linkWithPairCache(caseFile, pairCache, params);
  else await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_par AS
     WITH candidates AS (${CANDIDATES_SQL}),
     verified AS (
       SELECT c.v, c.leader, c.leader_rk FROM candidates c
       JOIN _ct_sig x ON x.norm_hash = c.v JOIN _ct_sig y ON y.norm_hash = c.leader
       WHERE ${estimatedJaccardSql('x', 'y', params.sketch)} >= ${params.minJaccard})
     SELECT v, arg_max(leader, leader_rk) AS p FROM verified GROUP BY v`,
    'link near-duplicate prompts to heavier ones',
  );
  const edges = Number(await caseFile.value(`SELECT count(*) FROM _ct_par`));
  return followPointers(caseFile, norms, outTable, params, edges);
}

export interface PairCache {
  /** (v UBIGINT, leader UBIGINT, jaccard DOUBLE): one row per pair ever estimated. */
  pairs: string;
  /** (norm_hash, sig, filled) of at least every text in _ct_sig. */
  sketches: string;
}

/**
 * The link step of groupSketched, `_ct_par` as there, with the estimated
 * similarity of each candidate pair kept in `pairs` (a pure function of
 * the two texts): the estimate is computed only for pairs not in it. The
 * candidates themselves depend on the current weights and are recomputed.
 * The cache is read by one join (it outgrows the candidates: on the
 * full-scale mixed replay 2.7M pairs against 0.9M candidates at the last
 * step), and the new pairs' signatures are read for those pairs alone.
 */
async function linkWithPairCache(caseFile: CaseFile, cache: PairCache, params: TemplateParams): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_cand AS
     SELECT c.v, c.leader, c.leader_rk, k.v IS NOT NULL AS cached, k.jaccard
     FROM (${CANDIDATES_SQL}) c LEFT JOIN ${cache.pairs} k USING (v, leader)`,
    'find candidate near-duplicate links, with their similarity from the pair cache',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_new_pairs AS
     SELECT c.v, c.leader, ${estimatedJaccardSql('x', 'y', params.sketch)} AS jaccard
     FROM (SELECT v, leader FROM _ct_cand WHERE NOT cached) c
     JOIN ${cache.sketches} x ON x.norm_hash = c.v JOIN ${cache.sketches} y ON y.norm_hash = c.leader;
     INSERT INTO ${cache.pairs} SELECT v, leader, jaccard FROM _ct_new_pairs`,
    'estimate the similarity of candidate links not in the pair cache',
  );
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ct_par AS
     SELECT v, arg_max(leader, leader_rk) AS p
     FROM (SELECT v, leader, leader_rk, jaccard FROM _ct_cand WHERE cached
           UNION ALL
           SELECT c.v, c.leader, c.leader_rk, n.jaccard FROM _ct_cand c JOIN _ct_new_pairs n USING (v, leader) WHERE NOT c.cached)
     WHERE jaccard >= ${params.minJaccard} GROUP BY v`,
    'link near-duplicate prompts to heavier ones (pair cache)',
  );
  await caseFile.run(`DROP TABLE _ct_cand; DROP TABLE _ct_new_pairs`);
}

async function followPointers(caseFile: CaseFile, norms: string, outTable: string, params: TemplateParams, edges: number): Promise<TemplateGrouping> {
  // Pointer jumping: p(v) ← p(p(v)) halves every path per round.
  let rounds = 0;
  let converged = edges === 0;
  while (!converged && rounds < params.maxRounds) {
    rounds += 1;
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ct_par_next AS
       SELECT a.v, coalesce(b.p, a.p) AS p FROM _ct_par a LEFT JOIN _ct_par b ON b.v = a.p`,
      'follow template pointers',
    );
    const changed = Number(
      await caseFile.value(`SELECT count(*) FROM _ct_par_next n JOIN _ct_par o USING (v) WHERE n.p <> o.p`, 'count moved pointers'),
    );
    await caseFile.run(`DROP TABLE _ct_par; ALTER TABLE _ct_par_next RENAME TO _ct_par`);
    converged = changed === 0;
  }
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE ${outTable} AS
     SELECT s.norm_hash, coalesce(p.p, s.norm_hash) AS label
     FROM ${norms} s LEFT JOIN _ct_par p ON p.v = s.norm_hash`,
    'assign template roots',
  );
  await caseFile.run(`DROP TABLE IF EXISTS _ct_sig; DROP TABLE IF EXISTS _ct_par`);
  return { rounds, converged, edges };
}
