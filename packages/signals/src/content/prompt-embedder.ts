// The interface every prompt embedder implements, so the per-account
// aggregation does not care where vectors come from. The hashed embedder
// (hashed-embedder.ts) is the built-in one; a local ONNX sentence-embedding
// model could implement the same interface later by reading the texts table
// in chunks, embedding them in JS and appending the rows.
import type { CaseFile } from '@farmscope/casefile';

export interface PromptEmbedder {
  /** Written to account_embeddings.embedder, e.g. "hashed-tfidf-256". */
  readonly name: string;
  readonly dimensions: number;
  /**
   * Reads table `texts(text_id UBIGINT, text VARCHAR)` (distinct texts) and
   * writes table `out(text_id UBIGINT, dim USMALLINT, value FLOAT)`: each
   * text's L2-normalised vector in coordinate form, dims 0..dimensions-1;
   * zero coordinates may be left out. `out` may be a TEMP table.
   * With `only` (a table or view of `text_id`s), `out` holds the vectors of
   * those texts alone, and each is the vector it would have had without
   * `only`: corpus statistics (such as IDF) are still taken over `texts`.
   * With `textCache` (a table-name prefix), the embedder may keep work that
   * depends on one text alone in case-file tables so named and reuse it in
   * a later call; `out` must be what it would be without. An embedder that
   * keeps nothing ignores it.
   */
  embed(caseFile: CaseFile, texts: string, out: string, only?: string, textCache?: string): Promise<void>;
}
