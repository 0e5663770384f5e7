// The tables ingest keeps in the case file: the contract's input tables (with
// provenance columns added), rejected rows with their reasons, and one row per
// ingested file. Defined once as data: the CREATE statements and the README's
// data dictionary are both generated from these lists.
import { CaseFile, createTableSql, ident, type ColumnDefinition, type ContractTable, type TableDefinition } from '@farmscope/casefile';

export type TableColumn = ColumnDefinition;

/** Columns ingest adds to every contract table it loads. */
export const PROVENANCE_COLUMNS: readonly TableColumn[] = [
  {
    name: 'extra', sqlType: 'JSON',
    meaning: 'source columns outside the contract (and hive partition values), as one JSON object; null when none. ' +
      'For vendor logs (--source): `{"source", "identity", "record"}`: the adapter, the provenance of each identity column ' +
      '(server_observed, caller_claimed, masked, absent; masked addresses in ip_masked / ip_prefix) and the original record',
  },
  { name: 'source_file_id', sqlType: 'INTEGER', meaning: '`ingested_files.file_id` of the file the row came from' },
  { name: 'source_row', sqlType: 'BIGINT', meaning: 'row (Parquet, Arrow), line (JSONL) or data record (CSV) number in that file, from 1' },
];

export const INGESTED_FILES_COLUMNS: readonly TableColumn[] = [
  { name: 'file_id', sqlType: 'INTEGER PRIMARY KEY', meaning: 'sequence number of the load' },
  { name: 'table_name', sqlType: 'VARCHAR NOT NULL', meaning: 'events, accounts, enforcement (or cloudtrail_events)' },
  { name: 'path', sqlType: 'VARCHAR NOT NULL', meaning: 'absolute path of the file as loaded' },
  { name: 'size_bytes', sqlType: 'BIGINT NOT NULL', meaning: 'file size in bytes' },
  { name: 'sha256', sqlType: 'VARCHAR NOT NULL', meaning: 'SHA-256 of the file bytes; the same content is never loaded twice into a table' },
  { name: 'format', sqlType: 'VARCHAR NOT NULL', meaning: 'parquet, arrow, jsonl or csv, with .gz when compressed' },
  { name: 'rows_read', sqlType: 'BIGINT NOT NULL', meaning: 'records in the file (blank lines excluded) = loaded + rejected + duplicate' },
  { name: 'rows_loaded', sqlType: 'BIGINT NOT NULL', meaning: 'records loaded into the table' },
  { name: 'rows_rejected', sqlType: 'BIGINT NOT NULL', meaning: 'records refused, each kept in rejected_rows with its reason' },
  { name: 'rows_duplicate', sqlType: 'BIGINT NOT NULL', meaning: 'records whose key (request_id; account_id for accounts) was already loaded; kept in rejected_rows' },
  { name: 'texts_truncated', sqlType: 'BIGINT NOT NULL', meaning: 'loaded records whose prompt or system prompt was cut to --max-text-chars' },
  { name: 'column_mapping', sqlType: 'JSON', meaning: 'the contract-to-source column mapping used' },
  { name: 'ingested_at', sqlType: 'TIMESTAMP NOT NULL', meaning: 'when the load finished (UTC)' },
  { name: 'seconds', sqlType: 'DOUBLE NOT NULL', meaning: 'how long the load took' },
  {
    name: 'source', sqlType: 'VARCHAR',
    meaning: 'the log format read: contract, or a source adapter (bedrock, litellm, otel, langfuse, azure-openai, cloudtrail); see Supported sources',
  },
];

export const REJECTED_ROWS_COLUMNS: readonly TableColumn[] = [
  { name: 'table_name', sqlType: 'VARCHAR NOT NULL', meaning: 'table the record was meant for' },
  { name: 'source_file_id', sqlType: 'INTEGER NOT NULL', meaning: '`ingested_files.file_id`' },
  { name: 'path', sqlType: 'VARCHAR NOT NULL', meaning: 'file the record came from' },
  { name: 'row_number', sqlType: 'BIGINT', meaning: 'as `source_row`: row, line (JSONL) or data record (CSV) number, from 1' },
  { name: 'line_number', sqlType: 'BIGINT', meaning: 'physical line, for JSONL and for CSV records the parser refused' },
  {
    name: 'reason_code', sqlType: 'VARCHAR NOT NULL',
    meaning: 'parse_error, missing_required, invalid_value or duplicate; for vendor logs also unmapped_record (a record the adapter cannot map) and not_applicable (a well-formed record that is not an API request)',
  },
  { name: 'reason', sqlType: 'VARCHAR NOT NULL', meaning: 'every problem found, naming the column and quoting the value' },
  { name: 'raw', sqlType: 'VARCHAR', meaning: 'the record as text, cut to 4,096 characters (null for duplicates)' },
];

export function createContractTableSql(table: ContractTable): string {
  const columns = [
    ...table.columns.map((c) => `${ident(c.name)} ${c.sqlType}${c.required ? ' NOT NULL' : ''}`),
    ...PROVENANCE_COLUMNS.map((c) => `${ident(c.name)} ${c.sqlType}`),
  ];
  return `CREATE TABLE IF NOT EXISTS ${ident(table.name)} (\n  ${columns.join(',\n  ')}\n)`;
}

export const INGESTED_FILES: TableDefinition = {
  name: 'ingested_files', description: 'one row per file loaded', columns: INGESTED_FILES_COLUMNS,
};
export const REJECTED_ROWS: TableDefinition = {
  name: 'rejected_rows', description: 'every record not loaded, with why', columns: REJECTED_ROWS_COLUMNS,
};

export async function ensureCaseSchema(caseFile: CaseFile, table: ContractTable): Promise<void> {
  await caseFile.run(createContractTableSql(table), `creating table ${table.name}`);
  await caseFile.run(createTableSql(INGESTED_FILES), 'creating table ingested_files');
  // Case files made before the column existed.
  await caseFile.run('ALTER TABLE ingested_files ADD COLUMN IF NOT EXISTS source VARCHAR', 'adding ingested_files.source');
  await caseFile.run(createTableSql(REJECTED_ROWS), 'creating table rejected_rows');
}
