// A deterministic local prompt embedding with no model and no network:
// feature hashing ("the hashing trick", Weinberger et al., "Feature Hashing
// for Large Scale Multitask Learning", ICML 2009) of word unigrams, word
// bigrams and (for short or unsegmented texts) character trigrams, TF-IDF
// weighted, signed, folded into a
// fixed number of dimensions and L2-normalised. The sign bit makes collisions
// cancel in expectation, so inner products are preserved in expectation.
// Everything is one SQL pipeline over (text, feature) rows.
//
// What it captures: shared vocabulary and phrasing (paraphrases that keep
// words, topic words, language and script via character trigrams), not
// meaning; a sentence-embedding model would do better on reworded prompts.
import type { CaseFile } from '@farmscope/casefile';
import type { PromptEmbedder } from './prompt-embedder.js';
import { checkedCachePrefix } from './cache-prefix.js';

export interface HashedEmbedderOptions {
  /** Output dimensions; 256 keeps account vectors small (1 KiB) with few harmful collisions for per-account means. */
  dimensions?: number;
  /** Characters of each prompt used (after lower-casing); prompts are cut here to bound the cost per prompt. */
  maxChars?: number;
  /**
   * Characters that character trigrams are taken from (a prefix of the
   * text). They matter most for short and unsegmented (CJK) prompts; on long
   * prompts they would outnumber the word features and set the cost, so
   * only a prefix is used.
   */
  charGramChars?: number;
  /**
   * Character trigrams are taken only from texts of fewer words than this:
   * short prompts and unsegmented scripts (CJK has no spaces, so a whole
   * sentence is one or two "words"), where words alone say little. A longer
   * text is described by its words and bigrams; its trigrams would add about
   * 40 coordinates per text and double the cost of every account mean.
   */
  charGramMaxWords?: number;
}

export class HashedEmbedder implements PromptEmbedder {
  readonly name: string;
  readonly dimensions: number;
  private readonly maxChars: number;
  private readonly charGramChars: number;
  private readonly charGramMaxWords: number;

  constructor(options: HashedEmbedderOptions = {}) {
    this.dimensions = options.dimensions ?? 256;
    this.maxChars = options.maxChars ?? 400;
    this.charGramChars = options.charGramChars ?? 40;
    this.charGramMaxWords = options.charGramMaxWords ?? 8;
    this.name = `hashed-tfidf-${this.dimensions}`;
  }

  async embed(caseFile: CaseFile, texts: string, out: string, only?: string, textCache?: string): Promise<void> {
    const d = this.dimensions;
    if (textCache !== undefined) {
      await this.embedCached(caseFile, texts, out, only, embeddingTextCacheTables(textCache));
      return;
    }
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE _ce_feat AS ${this.featureQuery(texts)}`, 'hash prompt features');
    // Smoothed IDF as in scikit-learn's TfidfVectorizer: ln((1 + N) / (1 + df)) + 1,
    // over every text; sublinear TF: 1 + ln(tf). With `only`, the weighted
    // coordinates are made for those texts alone.
    await caseFile.run(idfSql(texts), 'inverse document frequency of prompt features');
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_coords AS
       SELECT t.text_id, (t.f % ${d})::USMALLINT AS dim,
              sum(${signSql('t.f')} * (1 + ln(t.tf)) * i.idf) AS v
       FROM _ce_feat t JOIN _ce_idf i USING (f)
       ${only ? `WHERE t.text_id IN (SELECT text_id FROM ${only})` : ''}
       GROUP BY ALL`,
      'weight and fold prompt features',
    );
    await normalise(caseFile, out);
  }

  /**
   * Feature rows (text_id, f, tf) of the texts of table `texts`: f a 64-bit
   * hash tagged with the feature kind, so a word and a trigram with the
   * same letters differ. Digits are folded to 0 so numbers do not become
   * rare, heavily weighted features. A function of each text alone.
   */
  private featureQuery(texts: string): string {
    return `WITH clean AS (
         SELECT text_id, x, list_filter(string_split(x, ' '), t -> t <> '') AS w
         FROM (SELECT text_id, regexp_replace(lower(translate(left(text, ${this.maxChars}), '123456789', '000000000')), '[^\\p{L}\\p{N}\\s]+', ' ', 'g') AS x
               FROM ${texts}))
       SELECT text_id, f, count(*)::INTEGER AS tf FROM (
         SELECT text_id, unnest(list_concat(
           list_transform(w, t -> hash('w', t)),
           list_transform(range(1, len(w)), i -> hash('b', w[i], w[i + 1])),
           CASE WHEN len(w) < ${this.charGramMaxWords}
             THEN list_transform(range(1, greatest(1, least(length(x), ${this.charGramChars}) - 1)), i -> hash('c', substr(x, i, 3))) END
         )) AS f FROM clean)
       GROUP BY ALL`;
  }

  /**
   * The same vectors, with each text's feature rows kept in the cache
   * tables `t` and computed only for texts not in them: IDF, the weighted
   * coordinates and the norms depend on which texts are in `texts` and are
   * recomputed from the kept rows, with the same arithmetic as above (the
   * kept weight is the same double as `sign × (1 + ln tf)` above, and it
   * multiplies the IDF in the same order).
   */
  private async embedCached(caseFile: CaseFile, texts: string, out: string, only: string | undefined, t: EmbeddingTextCacheTables): Promise<void> {
    const d = this.dimensions;
    await this.openCache(caseFile, t);
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_new_texts AS SELECT text_id, text FROM ${texts} ANTI JOIN ${t.texts} USING (text_id)`,
      'prompts not in the embedding text cache',
    );
    await caseFile.run(
      `INSERT INTO ${t.features}
       SELECT text_id, f, (f % ${d})::USMALLINT AS dim, ${signSql('f')} * (1 + ln(tf)) AS w
       FROM (${this.featureQuery('_ce_new_texts')});
       INSERT INTO ${t.texts} SELECT text_id FROM _ce_new_texts`,
      'hash features of new prompts into the embedding text cache',
    );
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_feat AS SELECT c.text_id, c.f, c.dim, c.w FROM ${t.features} c SEMI JOIN ${texts} USING (text_id)`,
      'read the prompt features (embedding text cache)',
    );
    await caseFile.run(idfSql(texts), 'inverse document frequency of prompt features');
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_coords AS
       SELECT t.text_id, t.dim, sum(t.w * i.idf) AS v
       FROM _ce_feat t JOIN _ce_idf i USING (f)
       ${only ? `WHERE t.text_id IN (SELECT text_id FROM ${only})` : ''}
       GROUP BY ALL`,
      'weight and fold prompt features',
    );
    await normalise(caseFile, out);
    await caseFile.run('DROP TABLE IF EXISTS _ce_new_texts');
  }

  /** Creates the cache tables, or empties them when they were filled by an embedder with other parameters. */
  private async openCache(caseFile: CaseFile, t: EmbeddingTextCacheTables): Promise<void> {
    const want = JSON.stringify({ features: this.featureQuery('t'), dimensions: this.dimensions, sign: signSql('f') });
    let ready = true;
    for (const table of [t.meta, t.texts, t.features]) ready &&= await caseFile.tableExists(table);
    if (ready && (await caseFile.value(`SELECT any_value(fingerprint) FROM ${t.meta}`)) === want) return;
    await caseFile.run(
      `CREATE OR REPLACE TABLE ${t.texts} (text_id UBIGINT);
       CREATE OR REPLACE TABLE ${t.features} (text_id UBIGINT, f UBIGINT, dim USMALLINT, w DOUBLE);
       CREATE OR REPLACE TABLE ${t.meta} AS SELECT '${want.replaceAll("'", "''")}' AS fingerprint`,
      'create the embedding text cache',
    );
  }
}

/** SQL: a feature's sign (±1, INTEGER) from bit 32 of its hash `f`: collisions cancel in expectation. */
const signSql = (f: string) => `CASE WHEN (${f} >> 32) & 1 = 1 THEN 1 ELSE -1 END`;

const idfSql = (texts: string) =>
  `CREATE OR REPLACE TEMP TABLE _ce_idf AS
   SELECT f, ln((1 + (SELECT count(*) FROM ${texts})) / (1 + count(*))) + 1 AS idf FROM _ce_feat GROUP BY f`;

async function normalise(caseFile: CaseFile, out: string): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE ${out} AS
     SELECT c.text_id, c.dim, (c.v / n.norm)::FLOAT AS value
     FROM _ce_coords c JOIN (SELECT text_id, sqrt(sum(v * v)) AS norm FROM _ce_coords GROUP BY text_id) n USING (text_id)
     WHERE n.norm > 0`,
    'normalise prompt vectors',
  );
  await caseFile.run(`DROP TABLE IF EXISTS _ce_coords; DROP TABLE IF EXISTS _ce_idf; DROP TABLE IF EXISTS _ce_feat`);
}

/**
 * The hashed embedder's per-text cache (the `textCache` argument of embed,
 * a table-name prefix): one row per text ever featurised, its feature rows,
 * and what they were made with.
 */
export interface EmbeddingTextCacheTables {
  /** text_id of every text featurised (a text may have no feature row). */
  texts: string;
  /** (text_id, f, dim, w): feature hash, its dimension f mod d, signed sublinear TF weight. */
  features: string;
  /** fingerprint: the feature SQL and dimensions; on a change the cache starts empty. */
  meta: string;
}

export function embeddingTextCacheTables(prefix: string): EmbeddingTextCacheTables {
  checkedCachePrefix(prefix, 'embedding text cache');
  return { texts: `${prefix}_ids`, features: `${prefix}_features`, meta: `${prefix}_meta` };
}
