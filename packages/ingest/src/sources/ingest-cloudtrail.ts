// Loads one CloudTrail file into cloudtrail_events, all or nothing, with the
// same bookkeeping as any other file: ingested_files (table_name
// cloudtrail_events), rejected_rows for lines that are not JSON, events of
// other services (not_applicable), records without requestID, and request ids
// already loaded (duplicate). Bedrock invocation logs loaded before it get
// the client IP, user agent and access key it brings.
import { CaseFile, CONTRACT_TABLES, literal } from '@farmscope/casefile';
import type { FileIngestOptions, FileResult } from '../ingest-file.js';
import type { SourceFile } from '../source-files.js';
import { bedrock } from './bedrock.js';
import { CLOUDTRAIL_EXPAND, cloudTrailInsertSql, cloudTrailReasonSql, ensureCloudTrailTable } from './cloudtrail.js';
import { recordSourceCapabilities } from './source-capabilities.js';
import { scanRecords } from './source-records.js';

const ROWS = '_fs_ct_rows';

export async function ingestCloudTrailFile(
  caseFile: CaseFile,
  file: SourceFile,
  options: FileIngestOptions,
): Promise<Omit<FileResult, 'table' | 'path' | 'format' | 'sizeBytes' | 'sha256' | 'status' | 'seconds'>> {
  await ensureCloudTrailTable(caseFile);
  const scan = await scanRecords(
    caseFile,
    {
      table: CONTRACT_TABLES.events, file, mapping: {}, scratchDir: options.scratchDir, maxLineBytes: options.maxLineBytes,
      sourceNames: new Map(), explicit: new Set(),
    },
    CLOUDTRAIL_EXPAND,
  );
  try {
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE ${ROWS} AS
       SELECT source_row, line_number, rec, raw, reason,
              CASE WHEN _parse_error IS NOT NULL THEN 'parse_error'
                   WHEN reason LIKE 'eventSource%' THEN 'not_applicable'
                   WHEN reason LIKE 'duplicate%' THEN 'duplicate'
                   WHEN reason IS NOT NULL THEN 'missing_required' END AS reason_code
       FROM (
         SELECT *, coalesce(_parse_error, ${cloudTrailReasonSql()},
                  CASE WHEN (rec->>'$.requestID') IN (SELECT request_id FROM cloudtrail_events)
                       THEN 'duplicate requestID ' || fs_snippet(rec->>'$.requestID') || ': already in the case file'
                       WHEN row_number() OVER (PARTITION BY rec->>'$.requestID' ORDER BY source_row) > 1
                       THEN 'duplicate requestID ' || fs_snippet(rec->>'$.requestID') || ': seen earlier in this file' END) AS reason
         FROM (${scan.select}))`,
      `reading CloudTrail file ${file.path}`,
    );
    const fileId = (await caseFile.value<number>('SELECT coalesce(max(file_id), 0) + 1 FROM ingested_files')) ?? 1;
    await caseFile.run(cloudTrailInsertSql(fileId, ROWS), `loading CloudTrail file ${file.path}`);
    await caseFile.run(
      `INSERT INTO rejected_rows (table_name, source_file_id, path, row_number, line_number, reason_code, reason, raw)
       SELECT 'cloudtrail_events', ${fileId}, ${literal(file.path)}, source_row, line_number, reason_code, reason,
              CASE WHEN reason_code NOT IN ('duplicate', 'not_applicable') THEN raw END
       FROM ${ROWS} WHERE reason IS NOT NULL ORDER BY source_row`,
      `recording rejected rows of ${file.path}`,
    );
    const readerRejects = scan.readerRejects
      ? ((await caseFile.value<number>(`SELECT count(*) FROM (${scan.readerRejects})`)) ?? 0)
      : 0;
    if (readerRejects > 0) {
      await caseFile.run(
        `INSERT INTO rejected_rows (table_name, source_file_id, path, row_number, line_number, reason_code, reason, raw)
         SELECT 'cloudtrail_events', ${fileId}, ${literal(file.path)}, NULL, line_number, 'parse_error', reason, raw
         FROM (${scan.readerRejects}) ORDER BY line_number`,
      );
    }
    const s = (await caseFile.one<{ total: number; loaded: number; dups: number }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE reason IS NULL) AS loaded,
              count(*) FILTER (WHERE reason_code = 'duplicate') AS dups FROM ${ROWS}`,
    ))!;
    const enriched = await enrichLoadedBedrockEvents(caseFile, fileId);
    return {
      ...(enriched > 0 ? { message: `filled the client IP, user agent or access key of ${enriched} Bedrock event(s) loaded earlier` } : {}),
      fileId, rowsRead: s.total + readerRejects, rowsLoaded: s.loaded, rowsRejected: s.total - s.loaded - s.dups + readerRejects,
      rowsDuplicate: s.dups, textsTruncated: 0, source: 'cloudtrail',
    };
  } finally {
    await caseFile.connection.run(`DROP TABLE IF EXISTS ${ROWS}`).catch(() => undefined);
    await scan.cleanup();
  }
}

/** Fills ip, user_agent and api_key_id of Bedrock events loaded before this CloudTrail file; returns how many rows changed. */
async function enrichLoadedBedrockEvents(caseFile: CaseFile, fileId: number): Promise<number> {
  if (!(await caseFile.tableExists('events'))) return 0;
  const matched = `cloudtrail_events ct
     WHERE ct.source_file_id = ${fileId} AND events.request_id = ct.request_id AND (events.extra->>'$.source') = ${literal(bedrock.name)}
       AND ((events.ip IS NULL AND ct.source_ip IS NOT NULL) OR (events.user_agent IS NULL AND ct.user_agent IS NOT NULL)
            OR (events.api_key_id IS NULL AND ct.access_key_id IS NOT NULL))`;
  const files = await caseFile.all<{ id: number }>(`SELECT DISTINCT events.source_file_id AS id FROM events, ${matched} ORDER BY id`);
  if (files.length === 0) return 0;
  const n = (await caseFile.value<number>(`SELECT count(*) FROM events, ${matched}`)) ?? 0;
  const label = (field: 'ip' | 'user_agent' | 'api_key_id', value: string) =>
    `${literal(field)}, CASE WHEN ${value} IS NULL THEN 'absent' ELSE ${literal(String(bedrock.identity[field]))} END`;
  await caseFile.run(
    `UPDATE events SET
       ip = coalesce(events.ip, ct.source_ip),
       user_agent = coalesce(events.user_agent, ct.user_agent),
       api_key_id = coalesce(events.api_key_id, ct.access_key_id),
       extra = json_merge_patch(events.extra, json_object('identity', json_object(
         ${label('ip', 'coalesce(events.ip, ct.source_ip)')},
         ${label('user_agent', 'coalesce(events.user_agent, ct.user_agent)')},
         ${label('api_key_id', 'coalesce(events.api_key_id, ct.access_key_id)')})))
     FROM ${matched}`,
    'filling Bedrock events from CloudTrail',
  );
  for (const { id } of files) {
    await caseFile.run(`DELETE FROM source_capabilities WHERE source_file_id = ${id}`);
    await recordSourceCapabilities(caseFile, bedrock, id);
  }
  return n;
}
