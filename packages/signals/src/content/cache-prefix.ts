// The table-name prefix a stage's cross-run cache is kept under (the
// templates' and the embeddings' text caches): a plain SQL identifier, since
// it is spliced into statements.
const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `prefix` itself, or an error naming the cache when it is not a plain table-name prefix. */
export function checkedCachePrefix(prefix: string, cache: string): string {
  if (!PLAIN.test(prefix)) throw new Error(`${cache}: '${prefix}' is not a plain table name prefix`);
  return prefix;
}
