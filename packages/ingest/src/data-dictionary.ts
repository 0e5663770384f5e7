// Markdown tables describing the contract's input tables and the bookkeeping
// tables ingest writes, generated from the definitions (for the README).
import { columnsMarkdown, CONTRACT_TABLES, type ContractTable } from '@farmscope/casefile';
import { INGESTED_FILES_COLUMNS, PROVENANCE_COLUMNS, REJECTED_ROWS_COLUMNS, type TableColumn } from './case-schema.js';
import { CLOUDTRAIL_EVENTS } from './sources/cloudtrail.js';
import { SOURCE_CAPABILITIES } from './sources/source-capabilities.js';

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

function contractTable(table: ContractTable): string {
  return [
    `**\`${table.name}\`**: ${table.meaning}.`,
    '',
    row(['column', 'stored as', 'required', 'meaning']),
    row(['---', '---', '---', '---']),
    ...table.columns.map((c) => row([`\`${c.name}\``, c.sqlType, c.required ? 'yes' : 'no', c.meaning])),
  ].join('\n');
}

function plainTable(title: string, columns: readonly TableColumn[]): string {
  return [title, '', columnsMarkdown(columns)].join('\n');
}

export function dataDictionaryMarkdown(): string {
  return [
    contractTable(CONTRACT_TABLES.events),
    contractTable(CONTRACT_TABLES.accounts),
    contractTable(CONTRACT_TABLES.enforcement),
    contractTable(CONTRACT_TABLES.truth),
    plainTable('Every loaded table also gets these columns:', PROVENANCE_COLUMNS),
    plainTable('**`ingested_files`**: one row per file loaded.', INGESTED_FILES_COLUMNS),
    plainTable('**`rejected_rows`**: every record not loaded, with why.', REJECTED_ROWS_COLUMNS),
    plainTable(`**\`${SOURCE_CAPABILITIES.name}\`**: ${SOURCE_CAPABILITIES.description}.`, SOURCE_CAPABILITIES.columns),
    plainTable(`**\`${CLOUDTRAIL_EVENTS.name}\`**: ${CLOUDTRAIL_EVENTS.description}.`, CLOUDTRAIL_EVENTS.columns),
  ].join('\n\n');
}
