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
//
// A signature is a STRUCT of K fields b1..bK (NULL for an empty bin) with a
// bit mask of its non-empty bins: a struct's fields are plain columns, so
// comparing two signatures field by field costs a third of comparing two
// lists element by element, and the mask counts the bins empty in both with
// one bit_count.

export interface SketchParams {
  /** Bands (B) and bins per band (R); K = B × R bins. */
  bands: number;
  rowsPerBand: number;
}

export const DEFAULT_SKETCH: SketchParams = { bands: 16, rowsPerBand: 2 };

/** Bins in a signature (K = B × R); at most 64, the bits of its mask. */
function binCount(params: SketchParams): number {
  const k = params.bands * params.rowsPerBand;
  if (!Number.isInteger(k) || k < 1 || k > 64) throw new Error(`template sketch: ${params.bands} bands × ${params.rowsPerBand} rows makes ${k} bins; 1 to 64 allowed`);
  return k;
}

const bins = (k: number) => Array.from({ length: k }, (_, i) => i + 1);

/** SQL type of a signature (signatureQuery's sig column). */
export function signatureTypeSql(params: SketchParams = DEFAULT_SKETCH): string {
  return `STRUCT(${bins(binCount(params)).map((i) => `b${i} UBIGINT`).join(', ')})`;
}

/** SQL: the shingle hashes (UBIGINT[], repeats possible) of a word list `w`. */
function shingleListSql(w: string): string {
  return `list_concat(list_transform(${w}, t -> hash(t)), list_transform(range(1, len(${w})), i -> hash(${w}[i], ${w}[i + 1])))`;
}

/**
 * SQL query: (norm_hash, sig, filled) for every text of
 * `norms(norm_hash, norm)`, sig the K one-permutation MinHash bins
 * (signatureTypeSql: fields b1..bK, NULL for an empty bin), filled the mask
 * of its non-empty bins (bit i - 1 for bi). Shingles are word unigrams and
 * bigrams; an empty text has the single shingle hash(''), so empty prompts
 * form one group. Repeated shingles do not change a minimum, so no DISTINCT
 * is needed.
 */
export function signatureQuery(norms: string, params: SketchParams = DEFAULT_SKETCH): string {
  const k = binCount(params);
  // Bins by GROUP BY, then a map per text read at every bin: much cheaper
  // than K filtered aggregates or an ordered list() per text.
  const sig = bins(k).map((i) => `b${i} := m[${i - 1}::USMALLINT]`).join(', ');
  return `SELECT norm_hash, struct_pack(${sig}) AS sig, filled FROM (
      SELECT norm_hash, map_from_entries(list(struct_pack(k := bin, v := v))) AS m, bit_or(1::UBIGINT << bin) AS filled
      FROM (
        SELECT norm_hash, (h % ${k})::USMALLINT AS bin, min(h // ${k}) AS v
        FROM (SELECT norm_hash, unnest(${shingleListSql('w')}) AS h
              FROM (SELECT norm_hash, string_split(norm, ' ') AS w FROM ${norms}))
        GROUP BY ALL)
      GROUP BY norm_hash)`;
}

/**
 * SQL: the B band keys of a signature `sig` (UBIGINT[B]); a band whose bins
 * are all empty gets NULL (left out of candidate buckets).
 */
export function bandKeysSql(sig: string, params: SketchParams = DEFAULT_SKETCH): string {
  binCount(params);
  const keys = Array.from({ length: params.bands }, (_, b) => {
    const fields = Array.from({ length: params.rowsPerBand }, (_, r) => `${sig}.b${b * params.rowsPerBand + r + 1}`);
    return `CASE WHEN ${fields.map((x) => `${x} IS NULL`).join(' AND ')} THEN NULL ELSE hash(${b}, ${fields.join(', ')}) END`;
  });
  return `[${keys.join(', ')}]`;
}

/**
 * SQL: estimated Jaccard similarity of the signatures of rows `a` and `b`
 * (each with the columns sig and filled of signatureQuery), the
 * one-permutation estimator (Li, Owen & Zhang 2012): bins that agree (both
 * non-empty) over bins not empty in both. Unrolled, so no lambda runs per
 * pair.
 */
export function estimatedJaccardSql(a: string, b: string, params: SketchParams = DEFAULT_SKETCH): string {
  const matches = bins(binCount(params)).map((i) => `coalesce((${a}.sig.b${i} = ${b}.sig.b${i})::INTEGER, 0)`).join(' + ');
  return `((${matches}) / greatest(1, bit_count(${a}.filled | ${b}.filled))::DOUBLE)`;
}
