// JSON Lines reader. Each line is read as one text value (DuckDB's CSV reader
// with a delimiter and quote that cannot occur), numbered in file order, then
// parsed once with from_json into the mapped keys. A line that is not JSON, or
// not an object, becomes a row with a parse error instead of vanishing, and
// blank lines are skipped but still counted in the line numbers.
import { CaseFile, literal } from '@farmscope/casefile';
import { csvOptions, dropReaderRejects, readerRejectsSql, REJECTS_TABLE } from './read-csv.js';
import type { ReaderContext, SourceRelation } from './source-relation.js';
import { RAW_CHARS } from './source-relation.js';

// Four ASCII separator controls: never present in a well-formed JSON line
// (raw control characters must be escaped in JSON strings).
const NO_DELIMITER = '\x1c\x1d\x1e\x1f';

/** read_csv over the file's lines, one VARCHAR column `line`, malformed lines kept in the rejects table. */
export function jsonLinesScan(ctx: ReaderContext): string {
  return csvOptions(ctx, [
    `columns = {'line': 'VARCHAR'}`,
    `delim = ${literal(NO_DELIMITER)}`,
    `quote = ''`,
    `escape = ''`,
    'header = false',
    'auto_detect = false',
    'store_rejects = true',
    `rejects_table = ${literal(REJECTS_TABLE)}`,
  ]);
}

export async function readJsonl(caseFile: CaseFile, ctx: ReaderContext): Promise<SourceRelation> {
  const keys = [...new Set(ctx.sourceNames.values())];
  const schema = JSON.stringify(Object.fromEntries(keys.map((k) => [k, 'VARCHAR'])));
  const dropKeys = JSON.stringify(Object.fromEntries(keys.map((k) => [k, null])));
  const lines = jsonLinesScan(ctx);
  const items = ctx.table.columns.map(
    (c) => `struct_extract(j, ${literal(ctx.sourceNames.get(c.name)!)}) AS "${c.name}"`,
  );
  const types = new Map(ctx.table.columns.map((c) => [c.name, 'VARCHAR']));
  // One parse per line: try() turns from_json's error on text that is not a
  // JSON object into NULL; only those lines are examined again for the message.
  // (from_json reads an array as a struct of nulls, hence the look at the first character.)
  const parseError = `CASE WHEN j IS NULL OR NOT (starts_with(line, '{') OR starts_with(ltrim(line), '{')) THEN
              CASE WHEN json_valid(line) THEN 'not a JSON object (' || lower(json_type(line)) || ')' ELSE 'not valid JSON' END END`;
  return {
    select: `SELECT source_row, source_row AS line_number, _parse_error, ${items.join(', ')},
       CASE WHEN _parse_error IS NULL THEN nullif(json_merge_patch(line, ${literal(dropKeys)}), '{}') END::JSON AS extra,
       left(line, ${RAW_CHARS}) AS raw
FROM (
  SELECT *, ${parseError} AS _parse_error
  FROM (SELECT *, try(from_json(line, ${literal(schema)})) AS j
        FROM (SELECT row_number() OVER () AS source_row, line FROM ${lines})
        WHERE line IS NOT NULL AND trim(line) <> '')
)`,
    types,
    materialize: true,
    readerRejects: readerRejectsSql(),
    recordOffset: 0,
    checkPresenceInData: true,
    cleanup: async () => dropReaderRejects(caseFile),
  };
}
