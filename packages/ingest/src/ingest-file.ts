// Loads one file into one contract table, all or nothing: inside a single
// transaction it reads and checks every record, loads the valid ones (one row
// per key), keeps the rejected and duplicate ones in rejected_rows with their
// reasons, and records the file in ingested_files. A file already ingested
// (same table, same SHA-256) is skipped.
import { CaseFile, ident, InputError, literal, type ContractTable } from '@farmscope/casefile';
import { checkedRowsSql } from './checked-rows.js';
import { explicitlyMapped, sourceNames, type ColumnMapping } from './column-mapping.js';
import { sha256File } from './file-digest.js';
import { PROVENANCE_COLUMNS } from './case-schema.js';
import { readArrow } from './read-arrow.js';
import { readCsv, REJECTS_TABLE } from './read-csv.js';
import { readJsonl } from './read-jsonl.js';
import { readParquet } from './read-parquet.js';
import type { SourceFile } from './source-files.js';
import { RAW_CHARS, type ReaderContext, type SourceRelation } from './source-relation.js';
import { ingestCloudTrailFile } from './sources/ingest-cloudtrail.js';
import { readSource } from './sources/read-source.js';
import { recordSourceCapabilities, sourceGaps, type SourceGap } from './sources/source-capabilities.js';
import { sourceAdapter } from './sources/source-registry.js';

export interface FileIngestOptions {
  mapping: ColumnMapping;
  maxTextChars: number;
  maxLineBytes: number;
  scratchDir: string;
}

export interface FileResult {
  table: string;
  path: string;
  format: string;
  sizeBytes: number;
  sha256: string;
  status: 'loaded' | 'skipped';
  fileId: number | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsDuplicate: number;
  textsTruncated: number;
  /** The source adapter the file was read with (absent for files in the contract's shape). */
  source?: string;
  /** Events columns no loaded row of a vendor file has (absent or masked), and why the source lacks them. */
  unavailable?: SourceGap[];
  seconds: number;
  /** Why it was skipped, or notices about the load. */
  message?: string;
}

const SRC = '_fs_src';
const CHECKED = '_fs_checked';
const ROWS = '_fs_rows';
const DUPS = '_fs_dups';

const READERS = { parquet: readParquet, csv: readCsv, jsonl: readJsonl, arrow: readArrow } as const;

export async function ingestFile(
  caseFile: CaseFile,
  table: ContractTable,
  file: SourceFile,
  options: FileIngestOptions,
): Promise<FileResult> {
  const started = performance.now();
  const sha256 = await sha256File(file.path);
  const format = `${file.format}${file.gzip ? '.gz' : ''}`;
  const tableName = file.source === 'cloudtrail' ? 'cloudtrail_events' : table.name;
  const base = { table: tableName, path: file.path, format, sizeBytes: file.sizeBytes, sha256 };
  const seen = await caseFile.one<{ file_id: number; path: string }>(
    `SELECT file_id, path FROM ingested_files WHERE table_name = ${literal(tableName)} AND sha256 = ${literal(sha256)}`,
  );
  if (seen) {
    return {
      ...base, status: 'skipped', fileId: seen.file_id, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsDuplicate: 0,
      textsTruncated: 0, seconds: (performance.now() - started) / 1000,
      message: `already ingested as file #${seen.file_id} (${seen.path}); skipped`,
    };
  }
  const ctx: ReaderContext = {
    table, file, mapping: options.mapping, scratchDir: options.scratchDir, maxLineBytes: options.maxLineBytes,
    sourceNames: sourceNames(table, options.mapping), explicit: explicitlyMapped(table, options.mapping),
  };
  const adapter = file.source ? sourceAdapter(file.source) : undefined;
  return caseFile.transaction(async () => {
    if (file.source === 'cloudtrail') {
      const counts = await ingestCloudTrailFile(caseFile, file, options);
      const result: FileResult = { ...base, status: 'loaded', ...counts, seconds: (performance.now() - started) / 1000 };
      await recordFile(caseFile, result, {});
      return result;
    }
    const relation = adapter ? await readSource(caseFile, ctx, adapter) : await READERS[file.format](caseFile, ctx);
    let failed = false;
    try {
      const counts = await loadRelation(caseFile, table, file, relation, options);
      const result: FileResult = {
        ...base, status: 'loaded', ...counts, ...(adapter ? { source: adapter.name } : {}),
        ...(adapter && Object.keys(options.mapping[table.name] ?? {}).length > 0
          ? { message: `read as ${adapter.name} logs: --map/--col apply to contract-shaped files only and were not used` }
          : {}),
        seconds: (performance.now() - started) / 1000,
      };
      await recordFile(caseFile, result, adapter ? {} : (options.mapping[table.name] ?? {}));
      if (adapter && counts.rowsLoaded > 0) {
        await recordSourceCapabilities(caseFile, adapter, counts.fileId!);
        result.unavailable = await sourceGaps(caseFile, counts.fileId!);
      }
      return result;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      await dropTemporaries(caseFile);
      // After a failed statement the transaction refuses everything: keep the first error, not the cleanup's.
      await relation.cleanup().catch((error: unknown) => {
        if (!failed) throw error;
      });
    }
  });
}

type Counts = Pick<FileResult, 'fileId' | 'rowsRead' | 'rowsLoaded' | 'rowsRejected' | 'rowsDuplicate' | 'textsTruncated'>;

async function loadRelation(
  caseFile: CaseFile,
  table: ContractTable,
  file: SourceFile,
  relation: SourceRelation,
  options: FileIngestOptions,
): Promise<Counts> {
  const where = `${table.name} file ${file.path}`;
  const partitions = hivePartitions(file.path);
  const select = partitions
    ? `SELECT * REPLACE (CAST(json_merge_patch(coalesce(extra, '{}'), ${literal(partitions)}) AS JSON) AS extra) FROM (${relation.select})`
    : relation.select;
  await caseFile.run(`CREATE OR REPLACE TEMP VIEW ${SRC} AS ${select}`, `reading ${where}`);
  // Embedding length: the one already in the table, else the most common in
  // this file. Materialised sources check it on the stored rows afterwards,
  // so text sources are not parsed twice to find it.
  const hasEmbedding = relation.types.has('prompt_embedding');
  const embeddingLength = hasEmbedding && !relation.materialize ? await embeddingLengthFor(caseFile, table, SRC) : undefined;
  const checked = checkedRowsSql({
    table, types: relation.types, from: SRC, maxTextChars: options.maxTextChars, rejectCodes: relation.rejectCodes ?? false,
    ...(embeddingLength !== undefined ? { embeddingLength } : {}),
  });
  await caseFile.run(`CREATE OR REPLACE TEMP VIEW ${CHECKED} AS ${checked}`, `checking ${where}`);
  let rows = CHECKED;
  if (relation.materialize) {
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE ${ROWS} AS FROM ${CHECKED}`, `reading ${where}`);
    rows = ROWS;
    if (hasEmbedding) await rejectOtherEmbeddingLengths(caseFile, table);
  }
  // Records the reader refused (malformed CSV, invalid UTF-8): their lines
  // shift the numbering of the records after them, which is undone here.
  const readerRejects = relation.readerRejects ? await countReaderRejects(caseFile) : 0;
  if (readerRejects > 0 && relation.materialize) await renumberAfterRejects(caseFile, relation.recordOffset ?? 0);

  const key = table.uniqueKey;
  const stats = await caseFile.one<{ total: number; valid: number; distinct_keys: number; truncated: number; parsed: number }>(
    `SELECT count(*) AS total,
            count(*) FILTER (WHERE reason IS NULL) AS valid,
            ${key ? `count(DISTINCT ${ident(key)}) FILTER (WHERE reason IS NULL)` : '0'} AS distinct_keys,
            count(*) FILTER (WHERE reason IS NULL AND text_truncated) AS truncated,
            count(*) FILTER (WHERE reason_code IS DISTINCT FROM 'parse_error') AS parsed
     FROM ${rows}`,
    `checking ${where}`,
  );
  const s = stats!;
  if (s.total + readerRejects === 0) throw new InputError(`${where}: the file holds no rows`);
  if (relation.checkPresenceInData && s.parsed > 0) await requireColumnsInData(caseFile, table, rows, s.parsed, where);

  const fileId = (await caseFile.value<number>('SELECT coalesce(max(file_id), 0) + 1 FROM ingested_files')) ?? 1;
  const hasRows = key ? ((await caseFile.value<number>(`SELECT count(*) FROM (FROM ${ident(table.name)} LIMIT 1)`)) ?? 0) > 0 : false;
  const overlap = key && hasRows
    ? await caseFile.value<number>(
        `SELECT count(*) FROM ${rows} r WHERE reason IS NULL AND ${ident(key)} IN (SELECT ${ident(key)} FROM ${ident(table.name)})`,
      )
    : 0;
  const duplicates = key !== undefined && (s.valid > s.distinct_keys || overlap > 0);
  if (duplicates) await markDuplicates(caseFile, table, key!, rows, hasRows);

  const columns = [...table.columns.map((c) => ident(c.name)), 'extra'];
  await caseFile.run(
    `INSERT INTO ${ident(table.name)} (${[...columns, ...PROVENANCE_COLUMNS.slice(1).map((c) => c.name)].join(', ')})
     SELECT ${columns.join(', ')}, ${fileId}, source_row FROM ${rows}
     WHERE reason IS NULL${duplicates ? ` AND source_row NOT IN (SELECT source_row FROM ${DUPS})` : ''}`,
    `loading ${where}`,
  );
  const rejectedRow = (cols: string) =>
    `INSERT INTO rejected_rows (table_name, source_file_id, path, row_number, line_number, reason_code, reason, raw) ${cols}`;
  // Skipped for a clean file: over an unmaterialised source it would run
  // every check on every row once more to find nothing.
  if (s.valid < s.total) {
    await caseFile.run(
      rejectedRow(`SELECT ${literal(table.name)}, ${fileId}, ${literal(file.path)}, source_row, line_number, reason_code, reason, raw
       FROM ${rows} WHERE reason IS NOT NULL ORDER BY source_row`),
      `recording rejected rows of ${where}`,
    );
  }
  if (readerRejects > 0) {
    await caseFile.run(
      rejectedRow(`SELECT ${literal(table.name)}, ${fileId}, ${literal(file.path)},
         line_number - ${relation.recordOffset ?? 0}, line_number, 'parse_error', reason, raw
       FROM (${relation.readerRejects}) ORDER BY line_number`),
      `recording rejected rows of ${where}`,
    );
  }
  let rowsDuplicate = 0;
  if (duplicates) {
    rowsDuplicate = (await caseFile.value<number>(`SELECT count(*) FROM ${DUPS}`)) ?? 0;
    await caseFile.run(
      rejectedRow(`SELECT ${literal(table.name)}, ${fileId}, ${literal(file.path)}, d.source_row, r.line_number, 'duplicate', d.reason, NULL
       FROM ${DUPS} d JOIN ${rows} r USING (source_row) ORDER BY d.source_row`),
      `recording duplicate rows of ${where}`,
    );
  }
  const rowsRejected = s.total - s.valid + readerRejects;
  const rowsLoaded = s.valid - rowsDuplicate;
  return {
    fileId, rowsRead: s.total + readerRejects, rowsLoaded, rowsRejected, rowsDuplicate, textsTruncated: s.truncated,
  };
}

/** `key=value` folders in a path (hive partitioning), as a JSON object text, or undefined. */
export function hivePartitions(path: string): string | undefined {
  const pairs = path.split('/').slice(0, -1).flatMap((segment) => {
    const eq = segment.indexOf('=');
    return eq > 0 ? [[decodeURIComponent(segment.slice(0, eq)), decodeURIComponent(segment.slice(eq + 1))] as const] : [];
  });
  return pairs.length > 0 ? JSON.stringify(Object.fromEntries(pairs)) : undefined;
}

async function recordFile(caseFile: CaseFile, r: FileResult, mapping: Record<string, string>): Promise<void> {
  await caseFile.run(
    `INSERT INTO ingested_files VALUES (${r.fileId}, ${literal(r.table)}, ${literal(r.path)}, ${r.sizeBytes},
       ${literal(r.sha256)}, ${literal(r.format)}, ${r.rowsRead}, ${r.rowsLoaded}, ${r.rowsRejected}, ${r.rowsDuplicate},
       ${r.textsTruncated}, ${literal(JSON.stringify(mapping))}, now()::TIMESTAMP, ${r.seconds.toFixed(3)},
       ${literal(r.source ?? 'contract')})`,
    `recording ${r.path} in ingested_files`,
  );
}

/** The embedding length already in the table, else the most common one in `from`. */
async function embeddingLengthFor(caseFile: CaseFile, table: ContractTable, from: string): Promise<number | undefined> {
  const existing = await caseFile.value<number | null>(
    `SELECT len(prompt_embedding) FROM ${ident(table.name)} WHERE prompt_embedding IS NOT NULL LIMIT 1`,
  );
  if (existing) return existing;
  const mode = await caseFile.value<number | null>(
    `SELECT len(TRY_CAST(CAST(prompt_embedding AS VARCHAR) AS FLOAT[])) AS n FROM ${from}
     WHERE prompt_embedding IS NOT NULL GROUP BY n HAVING n IS NOT NULL ORDER BY count(*) DESC, n LIMIT 1`,
  );
  return mode ?? undefined;
}

async function rejectOtherEmbeddingLengths(caseFile: CaseFile, table: ContractTable): Promise<void> {
  const expected = await embeddingLengthFor(caseFile, table, `(SELECT prompt_embedding FROM ${ROWS} WHERE reason IS NULL)`);
  if (expected === undefined) return;
  await caseFile.run(
    `UPDATE ${ROWS} SET
       reason = 'prompt_embedding: length ' || len(prompt_embedding) || ', expected ${expected} like the other rows',
       reason_code = 'invalid_value',
       raw = left(CAST(to_json({'request_id': request_id, 'account_id': account_id, 'prompt_embedding': prompt_embedding}) AS VARCHAR), ${RAW_CHARS})
     WHERE reason IS NULL AND len(prompt_embedding) <> ${expected}`,
    'checking embedding lengths',
  );
}

/** Keys seen twice keep their first row (by file order) unless the key is already in the table. */
async function markDuplicates(caseFile: CaseFile, table: ContractTable, key: string, rows: string, hasRows: boolean): Promise<void> {
  const k = ident(key);
  const inCase = hasRows ? `${k} IN (SELECT ${k} FROM ${ident(table.name)})` : 'false';
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE ${DUPS} AS
     SELECT source_row,
       CASE WHEN in_case THEN 'duplicate ${key} ' || fs_snippet(${k}) || ': already in the case file'
            ELSE 'duplicate ${key} ' || fs_snippet(${k}) || ': first seen at row ' || first_row || ' of this file' END AS reason
     FROM (
       SELECT source_row, ${k}, ${inCase} AS in_case,
              min(source_row) OVER (PARTITION BY ${k}) AS first_row
       FROM ${rows} WHERE reason IS NULL
     )
     WHERE in_case OR source_row > first_row`,
    `finding duplicate ${key}s`,
  );
}

/** Lines the reader refused; DuckDB keeps them in a temporary table named by the reader. */
async function countReaderRejects(caseFile: CaseFile): Promise<number> {
  const exists = await caseFile.value<number>(
    `SELECT count(*) FROM duckdb_tables() WHERE table_name = ${literal(REJECTS_TABLE)}`,
  );
  if (!exists) return 0;
  return (await caseFile.value<number>(`SELECT count(DISTINCT line) FROM ${REJECTS_TABLE}`)) ?? 0;
}

/**
 * Record k of the parsed ones is record k + #{i : r_i - i < k} of the file,
 * where r_1 < r_2 < ... are the record numbers the reader refused.
 */
async function renumberAfterRejects(caseFile: CaseFile, recordOffset: number): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _fs_shift AS
     SELECT (line - ${recordOffset}) - row_number() OVER (ORDER BY line) AS gap
     FROM (SELECT DISTINCT line FROM ${REJECTS_TABLE})`,
  );
  await caseFile.run(
    `UPDATE ${ROWS} SET source_row = source_row + (SELECT count(*) FROM _fs_shift WHERE gap < ${ROWS}.source_row),
                         line_number = CASE WHEN line_number IS NULL THEN NULL
                                            ELSE line_number + (SELECT count(*) FROM _fs_shift WHERE gap < ${ROWS}.line_number) END`,
    'renumbering rows after rejected lines',
  );
}

/** JSONL keys vary by line: a required key that no parsed line has is a missing column. */
async function requireColumnsInData(caseFile: CaseFile, table: ContractTable, rows: string, parsed: number, where: string): Promise<void> {
  for (const column of table.columns.filter((c) => c.required)) {
    const lacking = await caseFile.value<number>(
      `SELECT count(*) FROM ${rows} WHERE list_contains(string_split(missing_required, ','), ${literal(column.name)})`,
    );
    if (lacking === parsed) {
      throw new InputError(`${where}: required column "${column.name}" is missing (no line has it)`);
    }
  }
}

async function dropTemporaries(caseFile: CaseFile): Promise<void> {
  for (const sql of [
    `DROP VIEW IF EXISTS ${CHECKED}`, `DROP VIEW IF EXISTS ${SRC}`,
    `DROP TABLE IF EXISTS ${ROWS}`, `DROP TABLE IF EXISTS ${DUPS}`, 'DROP TABLE IF EXISTS _fs_shift',
  ]) {
    await caseFile.connection.run(sql).catch(() => undefined);
  }
}
