// source_capabilities: per file loaded through a source adapter, for every
// events column, how many loaded rows have it and how it was known
// (server_observed, caller_claimed, masked, absent for identity columns;
// provided or absent for the others), with the adapter's note on why the
// source lacks it. Analyzers read it to say which signals a source could not
// support ("no client IP: Bedrock invocation logs carry none").
import { CaseFile, createTableSql, ident, literal, type TableDefinition } from '@farmscope/casefile';
import { CONTRACT_TABLES } from '@farmscope/casefile';
import { IDENTITY_FIELDS, type SourceAdapter } from './source-adapter.js';

export const SOURCE_CAPABILITIES: TableDefinition = {
  name: 'source_capabilities',
  description: 'per file loaded with a source adapter and per events column: how many loaded rows have it, and how it was known',
  columns: [
    { name: 'source_file_id', sqlType: 'INTEGER NOT NULL', meaning: '`ingested_files.file_id`' },
    { name: 'source', sqlType: 'VARCHAR NOT NULL', meaning: 'the adapter (bedrock, litellm, otel, langfuse, azure-openai)' },
    { name: 'field', sqlType: 'VARCHAR NOT NULL', meaning: 'an events column' },
    {
      name: 'provenance', sqlType: 'VARCHAR NOT NULL',
      meaning: 'identity columns: server_observed, caller_claimed, masked or absent; other columns: provided or absent',
    },
    { name: 'rows', sqlType: 'BIGINT NOT NULL', meaning: 'loaded rows of the file with that provenance' },
    { name: 'note', sqlType: 'VARCHAR', meaning: 'why the source lacks or masks the field (absent/masked rows only)' },
  ],
};

const IDENTITY = new Set<string>(IDENTITY_FIELDS);

export async function recordSourceCapabilities(caseFile: CaseFile, adapter: SourceAdapter, fileId: number): Promise<void> {
  await caseFile.run(createTableSql(SOURCE_CAPABILITIES), 'creating table source_capabilities');
  const fields = CONTRACT_TABLES.events.columns.map((c) => c.name);
  // The identity object is read once per row (extra also holds the whole source record).
  const identityPaths = fields.filter((f) => IDENTITY.has(f)).map((f) => `'$.identity.${f}'`);
  let k = 0;
  const provenance = fields.map((f) =>
    IDENTITY.has(f) ? `_id[${++k}] AS ${ident(f)}` : `CASE WHEN ${ident(f)} IS NULL THEN 'absent' ELSE 'provided' END AS ${ident(f)}`,
  );
  const notes = Object.entries(adapter.lacks).map(([field, note]) => `(${literal(field)}, ${literal(note)})`);
  const notesRelation = notes.length > 0
    ? `(VALUES ${notes.join(', ')}) AS n(field, note)`
    : `(SELECT CAST(NULL AS VARCHAR) AS field, CAST(NULL AS VARCHAR) AS note WHERE false) AS n`;
  await caseFile.run(
    `INSERT INTO source_capabilities
     SELECT ${fileId}, ${literal(adapter.name)}, u.field, u.provenance, count(*),
            CASE WHEN u.provenance IN ('absent', 'masked') THEN any_value(n.note) END
     FROM (UNPIVOT (SELECT ${provenance.join(', ')}
                    FROM (SELECT *, json_extract_string(extra, [${identityPaths.join(', ')}]) AS _id FROM events WHERE source_file_id = ${fileId}))
           ON COLUMNS(*) INTO NAME field VALUE provenance) AS u
     LEFT JOIN ${notesRelation} USING (field)
     GROUP BY u.field, u.provenance
     ORDER BY u.field, u.provenance`,
    `recording what source ${adapter.name} provides`,
  );
}

export interface SourceGap {
  field: string;
  provenance: 'absent' | 'masked';
  note: string;
}

/** Columns that no loaded row of the file has (absent or masked in every row) and that the adapter explains. */
export async function sourceGaps(caseFile: CaseFile, fileId: number): Promise<SourceGap[]> {
  return caseFile.all<SourceGap & Record<string, unknown>>(
    `SELECT field, provenance, note FROM source_capabilities c
     WHERE source_file_id = ${fileId} AND provenance IN ('absent', 'masked') AND note IS NOT NULL
       AND rows = (SELECT sum(rows) FROM source_capabilities t WHERE t.source_file_id = c.source_file_id AND t.field = c.field)
     ORDER BY field`,
    'reading what the source lacks',
  );
}

export interface CaseSourceGap extends SourceGap {
  source: string;
  /** Loaded rows of that source lacking the field, and all loaded rows of the source. */
  rows: number;
  sourceRows: number;
}

/**
 * For the analyzers: per vendor source in the case file, the events columns
 * that are absent or masked in some of its rows, with the adapter's reason,
 * e.g. to say "no IP signals: bedrock logs carry no client IP" (empty when
 * only contract-shaped files were loaded).
 */
export async function caseSourceGaps(caseFile: CaseFile): Promise<CaseSourceGap[]> {
  if (!(await caseFile.tableExists(SOURCE_CAPABILITIES.name))) return [];
  return caseFile.all<CaseSourceGap & Record<string, unknown>>(
    `SELECT source, field, provenance, any_value(note) AS note, sum(rows)::BIGINT AS rows,
            (SELECT sum(rows) FROM source_capabilities t WHERE t.source = c.source AND t.field = c.field)::BIGINT AS "sourceRows"
     FROM source_capabilities c
     WHERE provenance IN ('absent', 'masked')
     GROUP BY source, field, provenance
     ORDER BY source, field, provenance`,
    'reading what the vendor sources lack',
  );
}
