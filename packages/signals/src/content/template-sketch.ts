// MinHash sketches of normalised prompts and the LSH band keys that make
// near-duplicate candidates, as SQL over a table of distinct normalised texts.
//
// A text's shingles are its word unigrams and bigrams (hashed with DuckDB's
// 64-bit hash()). MinHash (Broder, "On the resemblance and containment of
// documents", 1997): for a random order of all shingles, two texts have the
// same minimum with probability equal to the Jaccard similarity of their
// shingle sets. We use one-permutation hashing (Li, Owen & Zhang, "One
// Permutation Hashing", NIPS 2012): one hash per shingle, split into K bins
// by its low bits, the minimum of each bin kept, so sketching costs one
// GROUP BY over (text, shingle) rows instead of K hash functions per
// shingle. Banding (Indyk & Motwani 1998; Leskovec, Rajaraman & Ullman,
// "Mining of Massive Datasets", ch. 3.4) cuts the K bins into B bands of R:
// texts with an equal band become candidates, with probability about
// 1 - (1 - J^R)^B (≈ 0.98 at J = 0.5, 0.60 at J = 0.25 for B = 16, R = 2).
// Candidates are then checked with the exact Jaccard of their shingle sets,
// so the sketch only decides which pairs are looked at. A band whose bins
// are all empty (short texts) is left out rather than letting every short
// text collide on "empty".

export interface SketchParams {
  /** Bands (B) and bins per band (R); K = B × R bins. */
  bands: number;
  rowsPerBand: number;
}

export const DEFAULT_SKETCH: SketchParams = { bands: 16, rowsPerBand: 2 };

/** SQL: the shingle hashes (UBIGINT[], repeats possible) of a word list `w`. */
function shingleListSql(w: string): string {
  return `list_concat(list_transform(${w}, t -> hash(t)), list_transform(range(1, len(${w})), i -> hash(${w}[i], ${w}[i + 1])))`;
}

/**
 * SQL query: (norm_hash, sig) for every text of `norms(norm_hash, norm)`,
 * sig the K one-permutation MinHash bins (UBIGINT[K], NULL for an empty
 * bin). Shingles are word unigrams and bigrams; an empty text has the single
 * shingle hash(''), so empty prompts form one group. Repeated shingles do
 * not change a minimum, so no DISTINCT is needed.
 */
export function signatureQuery(norms: string, params: SketchParams = DEFAULT_SKETCH): string {
  const k = params.bands * params.rowsPerBand;
  // Bins by GROUP BY, then a map per text read at every bin: much cheaper
  // than K filtered aggregates or an ordered list() per text.
  const sig = Array.from({ length: k }, (_, b) => `m[${b}::USMALLINT]`).join(', ');
  return `SELECT norm_hash, [${sig}] AS sig FROM (
      SELECT norm_hash, map_from_entries(list(struct_pack(k := bin, v := v))) AS m
      FROM (
        SELECT norm_hash, (h % ${k})::USMALLINT AS bin, min(h // ${k}) AS v
        FROM (SELECT norm_hash, unnest(${shingleListSql('w')}) AS h
              FROM (SELECT norm_hash, string_split(norm, ' ') AS w FROM ${norms}))
        GROUP BY ALL)
      GROUP BY norm_hash)`;
}

/**
 * SQL: the B band keys of a signature (UBIGINT[B]); a band whose bins are
 * all empty gets NULL (left out of candidate buckets).
 */
export function bandKeysSql(sig: string, params: SketchParams = DEFAULT_SKETCH): string {
  const keys = Array.from({ length: params.bands }, (_, b) => {
    const bins = Array.from({ length: params.rowsPerBand }, (_, r) => `${sig}[${b * params.rowsPerBand + r + 1}]`);
    return `CASE WHEN ${bins.map((x) => `${x} IS NULL`).join(' AND ')} THEN NULL ELSE hash(${b}, ${bins.join(', ')}) END`;
  });
  return `[${keys.join(', ')}]`;
}

/**
 * SQL: estimated Jaccard similarity of two signatures, the one-permutation
 * estimator (Li, Owen & Zhang 2012): bins that agree (both non-empty) over
 * bins not empty in both. Unrolled, so no lambda runs per pair.
 */
export function estimatedJaccardSql(a: string, b: string, params: SketchParams = DEFAULT_SKETCH): string {
  const k = params.bands * params.rowsPerBand;
  const idx = Array.from({ length: k }, (_, i) => i + 1);
  const matches = idx.map((i) => `coalesce((${a}[${i}] = ${b}[${i}])::INTEGER, 0)`).join(' + ');
  const emptyBoth = idx.map((i) => `(${a}[${i}] IS NULL AND ${b}[${i}] IS NULL)::INTEGER`).join(' + ');
  return `((${matches}) / greatest(1, ${k} - (${emptyBoth}))::DOUBLE)`;
}
