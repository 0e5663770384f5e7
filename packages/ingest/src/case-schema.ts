// The tables ingest keeps in the case file: the contract's input tables (with
// provenance columns added), rejected rows with their reasons, and one row per
// ingested file. Created on first use; later stages only read them.
import { CaseFile, ident, type ContractTable } from '@farmscope/casefile';

/** Columns ingest adds to every contract table it loads. */
export const PROVENANCE_COLUMNS = [
  { name: 'extra', sqlType: 'JSON', meaning: 'source columns outside the contract, as a JSON object (null when none)' },
  { name: 'source_file_id', sqlType: 'INTEGER', meaning: 'ingested_files.file_id of the file the row came from' },
  { name: 'source_row', sqlType: 'BIGINT', meaning: 'row (Parquet/Arrow), line (JSONL) or record (CSV) number in that file, from 1' },
] as const;

export function createContractTableSql(table: ContractTable): string {
  const columns = [
    ...table.columns.map((c) => `${ident(c.name)} ${c.sqlType}${c.required ? ' NOT NULL' : ''}`),
    ...PROVENANCE_COLUMNS.map((c) => `${ident(c.name)} ${c.sqlType}`),
  ];
  return `CREATE TABLE IF NOT EXISTS ${ident(table.name)} (\n  ${columns.join(',\n  ')}\n)`;
}

export const CREATE_INGESTED_FILES = `CREATE TABLE IF NOT EXISTS ingested_files (
  file_id INTEGER PRIMARY KEY,
  table_name VARCHAR NOT NULL,
  path VARCHAR NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 VARCHAR NOT NULL,
  format VARCHAR NOT NULL,
  rows_read BIGINT NOT NULL,
  rows_loaded BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  rows_duplicate BIGINT NOT NULL,
  texts_truncated BIGINT NOT NULL,
  column_mapping JSON,
  ingested_at TIMESTAMP NOT NULL,
  seconds DOUBLE NOT NULL
)`;

export const CREATE_REJECTED_ROWS = `CREATE TABLE IF NOT EXISTS rejected_rows (
  table_name VARCHAR NOT NULL,
  source_file_id INTEGER NOT NULL,
  path VARCHAR NOT NULL,
  row_number BIGINT,
  line_number BIGINT,
  reason_code VARCHAR NOT NULL,
  reason VARCHAR NOT NULL,
  raw VARCHAR
)`;

export async function ensureCaseSchema(caseFile: CaseFile, table: ContractTable): Promise<void> {
  await caseFile.run(createContractTableSql(table), `creating table ${table.name}`);
  await caseFile.run(CREATE_INGESTED_FILES, 'creating table ingested_files');
  await caseFile.run(CREATE_REJECTED_ROWS, 'creating table rejected_rows');
}
