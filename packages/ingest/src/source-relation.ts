// What every reader hands to validation: a relation (SQL) with one row per
// source record and these columns:
//   source_row   row / line / record number in the file, from 1
//   line_number  physical line, when the format has lines (JSONL), else NULL
//   _parse_error why the record could not be parsed at all, else NULL
//   raw          the record as text, for rejected rows (cut to RAW_CHARS)
//   extra        source columns outside the contract as a JSON object, or NULL
//   <contract column>  one per contract column present, under its contract name
import type { ContractTable } from '@farmscope/casefile';
import type { ColumnMapping } from './column-mapping.js';
import type { SourceFile } from './source-files.js';

/** Longest raw record kept in rejected_rows. */
export const RAW_CHARS = 4096;

export interface SourceRelation {
  /** SELECT producing the columns above. */
  select: string;
  /** DuckDB type of each contract column the source has (absent → not in the file). */
  types: Map<string, string>;
  /** Scanning `select` is costly (text parsing): materialise the checked rows once. */
  materialize: boolean;
  /** SQL yielding (line_number BIGINT, reason VARCHAR, raw VARCHAR) for records the reader itself refused. */
  readerRejects?: string;
  /** For re-numbering after reader rejects: how a rejected line maps to a record number (JSONL: same; CSV: minus the header). */
  recordOffset?: number;
  /** Contract columns for which a file-level "missing column" check must be done on the data (JSONL keys vary by line). */
  checkPresenceInData: boolean;
  /** The relation has a `_reject_code` column: the reason code of a record with a `_parse_error` (default parse_error). */
  rejectCodes?: boolean;
  /** Drops temporary objects and files. */
  cleanup(): Promise<void>;
}

export interface ReaderContext {
  table: ContractTable;
  file: SourceFile;
  /** Source column name per contract column. */
  sourceNames: Map<string, string>;
  /** Contract columns the user mapped explicitly. */
  explicit: Set<string>;
  mapping: ColumnMapping;
  /** Folder for decompressed copies of gzipped binary files. */
  scratchDir: string;
  /** Longest line text readers accept, in bytes. */
  maxLineBytes: number;
}
