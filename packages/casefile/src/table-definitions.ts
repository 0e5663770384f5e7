// Tables described as data (name, columns, meanings): one definition gives
// both the CREATE statement and the Markdown data dictionary, so a table's
// documentation is never written twice.
import { ident } from './sql.js';

export interface ColumnDefinition {
  readonly name: string;
  /** DuckDB type, with constraints if any (`VARCHAR NOT NULL`). */
  readonly sqlType: string;
  readonly meaning: string;
}

export interface TableDefinition {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly ColumnDefinition[];
}

/** CREATE TABLE for a definition: `IF NOT EXISTS` (default) or `OR REPLACE`. */
export function createTableSql(table: TableDefinition, mode: 'if-not-exists' | 'replace' = 'if-not-exists'): string {
  const head = mode === 'replace' ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE IF NOT EXISTS';
  return `${head} ${ident(table.name)} (\n  ${table.columns.map((c) => `${ident(c.name)} ${c.sqlType}`).join(',\n  ')}\n)`;
}

/** A Markdown table of the columns (type without constraints). */
export function columnsMarkdown(columns: readonly ColumnDefinition[]): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    row(['column', 'type', 'meaning']),
    row(['---', '---', '---']),
    ...columns.map((c) => row([`\`${c.name}\``, c.sqlType.replace(/ (NOT NULL|PRIMARY KEY)/g, ''), c.meaning.replaceAll('|', '\\|')])),
  ].join('\n');
}
