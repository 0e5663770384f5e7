// Reads a vendor file into one row per source record, for an adapter to map:
//   source_row   record number in the file, from 1 (in file order; records
//                unwrapped from one document or line follow each other)
//   line_number  physical line for JSON Lines, else NULL
//   rec          the record as JSON (NULL when it could not be parsed)
//   _parse_error why it could not be parsed, else NULL
//   raw          the record as text, cut to RAW_CHARS
// JSON Lines, or one JSON document per file (pretty-printed CloudTrail or
// OTLP exports), are read as text and parsed by DuckDB; CSV and Parquet rows
// become JSON objects of their columns. Nothing passes through JS.
import { CaseFile, duckdbMessage, InputError, literal } from '@farmscope/casefile';
import { readCsvHeader } from '../csv-header.js';
import { gunzipToScratch, type ScratchFile } from '../gunzip.js';
import { csvScan, dropReaderRejects, readerRejectsSql } from '../read-csv.js';
import { jsonLinesScan } from '../read-jsonl.js';
import { structJson } from '../source-columns.js';
import { RAW_CHARS, type ReaderContext } from '../source-relation.js';
import { firstLineIsJson, headText } from './peek-keys.js';

export interface RecordScan {
  select: string;
  readerRejects?: string;
  recordOffset?: number;
  cleanup(): Promise<void>;
}

/**
 * @param expand SQL over `doc` yielding the JSON[] of records a document wraps
 *   (default: the document is the record)
 */
export async function scanRecords(caseFile: CaseFile, ctx: ReaderContext, expand?: string): Promise<RecordScan> {
  switch (ctx.file.format) {
    case 'jsonl':
      return firstLineIsJson(await headText(ctx.file.path, ctx.file.gzip, 1 << 20))
        ? jsonLines(caseFile, ctx, expand)
        : jsonDocument(ctx, expand);
    case 'csv':
      return csvRows(caseFile, ctx);
    case 'parquet':
      return parquetRows(caseFile, ctx);
    default:
      throw new InputError(`${ctx.file.path}: ${ctx.file.format} files cannot hold vendor logs; use JSON Lines, CSV or Parquet`);
  }
}

/** Lines (or one document) → records, with parse errors kept as rows. */
function unwrap(docs: string, expand: string | undefined): string {
  const records = expand ?? '[doc]';
  return `SELECT row_number() OVER (ORDER BY line_number, k) AS source_row, line_number, rec,
       CASE WHEN doc IS NULL THEN
         CASE WHEN json_valid(line) THEN 'not a JSON object (' || lower(json_type(line)) || ')' ELSE 'not valid JSON' END END AS _parse_error,
       left(CASE WHEN n = 1 THEN line ELSE CAST(rec AS VARCHAR) END, ${RAW_CHARS}) AS raw
FROM (
  SELECT line_number, line, doc, len(recs) AS n, unnest(recs) AS rec, unnest(range(1, len(recs) + 1)) AS k
  FROM (
    SELECT line_number, line, doc, CASE WHEN doc IS NULL THEN [CAST(NULL AS JSON)] ELSE ${records} END AS recs
    FROM (SELECT line_number, line,
                 CASE WHEN starts_with(ltrim(line), '{') AND json_valid(line) THEN json(line) END AS doc
          FROM (${docs}))
  )
)`;
}

function jsonLines(caseFile: CaseFile, ctx: ReaderContext, expand: string | undefined): RecordScan {
  const lines = jsonLinesScan(ctx);
  return {
    select: unwrap(
      `SELECT line_number, line FROM (SELECT row_number() OVER () AS line_number, line FROM ${lines})
       WHERE line IS NOT NULL AND trim(line) <> ''`,
      expand,
    ),
    readerRejects: readerRejectsSql(),
    recordOffset: 0,
    cleanup: async () => dropReaderRejects(caseFile),
  };
}

async function jsonDocument(ctx: ReaderContext, expand: string | undefined): Promise<RecordScan> {
  const local: ScratchFile | undefined = ctx.file.gzip ? await gunzipToScratch(ctx.file.path, ctx.scratchDir) : undefined;
  const select = unwrap(
    `SELECT CAST(NULL AS BIGINT) AS line_number, content AS line FROM read_text(${literal(local?.path ?? ctx.file.path)})`,
    expand,
  );
  return { select, cleanup: async () => local?.remove() };
}

async function csvRows(caseFile: CaseFile, ctx: ReaderContext): Promise<RecordScan> {
  const delimiter = ctx.file.delimiter ?? ',';
  const names = await readCsvHeader(ctx.file.path, ctx.file.gzip, delimiter);
  const scan = csvScan(ctx, names, delimiter);
  return {
    select: `SELECT source_row, CAST(NULL AS BIGINT) AS line_number, rec, CAST(NULL AS VARCHAR) AS _parse_error,
       left(CAST(rec AS VARCHAR), ${RAW_CHARS}) AS raw
FROM (SELECT row_number() OVER () AS source_row, ${structJson(names)} AS rec FROM ${scan})`,
    readerRejects: readerRejectsSql(),
    recordOffset: 1,
    cleanup: async () => dropReaderRejects(caseFile),
  };
}

async function parquetRows(caseFile: CaseFile, ctx: ReaderContext): Promise<RecordScan> {
  const local = ctx.file.gzip ? await gunzipToScratch(ctx.file.path, ctx.scratchDir) : undefined;
  const scan = `read_parquet(${literal(local?.path ?? ctx.file.path)}, hive_partitioning = false)`;
  let names: string[];
  try {
    names = (await caseFile.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${scan}`)).map((r) => r.column_name);
  } catch (error) {
    await local?.remove();
    throw new InputError(`cannot read Parquet file ${ctx.file.path}: ${duckdbMessage(error)}`, { cause: error });
  }
  return {
    select: `SELECT file_row_number + 1 AS source_row, CAST(NULL AS BIGINT) AS line_number, rec,
       CAST(NULL AS VARCHAR) AS _parse_error, left(CAST(rec AS VARCHAR), ${RAW_CHARS}) AS raw
FROM (SELECT file_row_number, ${structJson(names)} AS rec FROM ${scan})`,
    cleanup: async () => local?.remove(),
  };
}

