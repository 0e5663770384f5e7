// Where the evaluation reads records from: a Parquet, CSV or JSON Lines file
// (optionally gzipped; the format from its name) or a table of the case file.
// Opening one checks that it exists and has the columns asked for, and gives
// a SQL relation over it with each record's number (from 1, a header not
// counted) so errors can name the row. DuckDB reads files itself; no row
// passes through JS.
import { existsSync } from 'node:fs';
import { CaseFile, duckdbMessage, ident, InputError, literal } from '@farmscope/casefile';

export type TableFileFormat = 'parquet' | 'csv' | 'jsonl';

export interface RecordSource {
  /** What and where it is, for messages: `truth file data/truth.csv`, `table account_farms of case file case.duckdb`. */
  description: string;
  /** Column names as the source has them. */
  columns: string[];
  /** SQL relation: every column of the source, plus `source_row` (record number from 1). */
  relation: string;
  /** SQL relation: the source as it is, without row numbers (cheaper for big scans). */
  scan: string;
}

const FORMATS: Record<string, { format: TableFileFormat; delimiter?: string }> = {
  parquet: { format: 'parquet' },
  pq: { format: 'parquet' },
  csv: { format: 'csv', delimiter: ',' },
  tsv: { format: 'csv', delimiter: '\t' },
  jsonl: { format: 'jsonl' },
  ndjson: { format: 'jsonl' },
  json: { format: 'jsonl' },
};

/** Opens a file for reading and checks that it has the `required` columns. */
export async function openTableFile(caseFile: CaseFile, role: string, path: string, required: readonly string[]): Promise<RecordSource> {
  const isGlob = /[*?[]/.test(path);
  if (!isGlob && !existsSync(path)) throw new InputError(`${role} not found: ${path}`);
  const name = path.toLowerCase().replace(/\.gz$/, '');
  const known = FORMATS[name.slice(name.lastIndexOf('.') + 1)];
  if (!known) {
    throw new InputError(`cannot tell the format of ${role} ${path}: name it .parquet, .csv, .tsv or .jsonl (optionally .gz)`);
  }
  const reader = readerSql(path, known.format, known.delimiter);
  let columns: string[];
  try {
    const described = await caseFile.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader}`);
    columns = described.map((c) => c.column_name);
  } catch (error) {
    throw new InputError(`cannot read ${role} ${path}: ${duckdbMessage(error)}`, { cause: error });
  }
  return checkedSource(`${role} ${path}`, columns, reader, required);
}

/** A table of the case file (e.g. account_farms) as a record source. */
export async function openCaseTable(caseFile: CaseFile, table: string, required: readonly string[], hint: string): Promise<RecordSource> {
  const description = `table ${table} of case file ${caseFile.path}`;
  if (!(await caseFile.tableExists(table))) throw new InputError(`case file ${caseFile.path} has no table ${table} (${hint})`);
  const described = await caseFile.all<{ column_name: string }>(`DESCRIBE ${ident(table)}`, `describe ${table}`);
  return checkedSource(description, described.map((c) => c.column_name), ident(table), required);
}

function checkedSource(description: string, columns: string[], from: string, required: readonly string[]): RecordSource {
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new InputError(
      `${description} has no column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} (its columns: ${columns.join(', ') || 'none'})`,
    );
  }
  // row_number() OVER () streams over the reader's output, which DuckDB keeps in file (or insertion) order.
  return { description, columns, relation: `(SELECT row_number() OVER () AS source_row, * FROM ${from})`, scan: from };
}

function readerSql(path: string, format: TableFileFormat, delimiter = ','): string {
  switch (format) {
    case 'parquet':
      return `read_parquet(${literal(path)})`;
    case 'jsonl':
      return `read_json(${literal(path)}, format = 'newline_delimited')`;
    case 'csv':
      // Every column as text: the checks give better messages than the sniffer's guesses.
      return `read_csv(${literal(path)}, header = true, all_varchar = true, delim = ${literal(delimiter)}, quote = '"', escape = '"')`;
  }
}

/** Runs `sql` over a source; a DuckDB failure (a corrupt file, a bad record) becomes an input error naming the source. */
export async function runOnSource(caseFile: CaseFile, source: RecordSource, sql: string): Promise<void> {
  try {
    await caseFile.run(sql);
  } catch (error) {
    const duckdbError = error instanceof Error && error.cause ? error.cause : error;
    throw new InputError(`cannot read ${source.description}: ${duckdbMessage(duckdbError)}`, { cause: duckdbError });
  }
}
