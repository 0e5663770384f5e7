// CSV reader: DuckDB's CSV reader with every column as text (validation does
// the typing), the header naming the columns, and malformed records (wrong
// field count, bad quoting, invalid UTF-8, over-long lines) kept in a rejects
// table with their line numbers instead of failing the file.
import { CaseFile, literal } from '@farmscope/casefile';
import { readCsvHeader } from './csv-header.js';
import { projectKnownColumns } from './source-columns.js';
import type { ReaderContext, SourceRelation } from './source-relation.js';
import { RAW_CHARS } from './source-relation.js';

export const REJECTS_TABLE = '_fs_reader_rejects';
const REJECTS_SCAN = '_fs_reader_scans';

export function csvOptions(ctx: ReaderContext, extra: string[] = []): string {
  const options = [
    literal(ctx.file.path),
    `compression = ${literal(ctx.file.gzip ? 'gzip' : 'none')}`,
    `max_line_size = ${ctx.maxLineBytes}`,
    `buffer_size = ${ctx.maxLineBytes * 2}`,
    ...extra,
  ];
  return `read_csv(${options.join(', ')})`;
}

/** read_csv over a CSV file with the named header columns, all VARCHAR, malformed records kept in the rejects table. */
export function csvScan(ctx: ReaderContext, names: readonly string[], delimiter: string): string {
  return csvOptions(ctx, [
    'header = true',
    'auto_detect = false',
    `columns = {${names.map((n) => `${literal(n)}: 'VARCHAR'`).join(', ')}}`,
    `delim = ${literal(delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    'store_rejects = true',
    `rejects_table = ${literal(REJECTS_TABLE)}`,
    `rejects_scan = ${literal(REJECTS_SCAN)}`,
  ]);
}

export async function readCsv(caseFile: CaseFile, ctx: ReaderContext): Promise<SourceRelation> {
  const delimiter = ctx.file.delimiter ?? ',';
  const names = await readCsvHeader(ctx.file.path, ctx.file.gzip, delimiter);
  const columns = names.map((name) => ({ name, type: 'VARCHAR' }));
  const { items, types } = projectKnownColumns(ctx, columns);
  const scan = csvScan(ctx, names, delimiter);
  // row_number() OVER () runs as a streaming window over the reader's output,
  // which DuckDB keeps in file order: it numbers the records as they stand.
  return {
    select: `SELECT source_row, CAST(NULL AS BIGINT) AS line_number, CAST(NULL AS VARCHAR) AS _parse_error, ${items.join(', ')}
FROM (SELECT row_number() OVER () AS source_row, * FROM ${scan})`,
    types,
    materialize: true,
    readerRejects: readerRejectsSql(),
    recordOffset: 1,
    checkPresenceInData: false,
    cleanup: async () => dropReaderRejects(caseFile),
  };
}

/** (line_number, reason, raw) of the records the reader refused, one row per line. */
export function readerRejectsSql(): string {
  return `SELECT line AS line_number,
       string_agg(DISTINCT error_type || ': ' || error_message, '; ') AS reason,
       left(any_value(csv_line), ${RAW_CHARS}) AS raw
FROM ${REJECTS_TABLE} GROUP BY line`;
}

export async function dropReaderRejects(caseFile: CaseFile): Promise<void> {
  await caseFile.run(`DROP TABLE IF EXISTS ${REJECTS_TABLE}`);
  await caseFile.run(`DROP TABLE IF EXISTS ${REJECTS_SCAN}`);
}
