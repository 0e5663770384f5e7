// AWS CloudTrail data events for bedrock-runtime (InvokeModel, Converse, ...):
// the only place Bedrock records who called from where (sourceIPAddress,
// userAgent, userIdentity). They are loaded into their own table,
// cloudtrail_events, one row per request id, which the Bedrock adapter joins
// on requestId; give them in the same command as the invocation logs (they
// load first) or in an earlier one. With --source bedrock they are still
// recognised as CloudTrail. Files are CloudTrail's `{"Records": [...]}` documents (as delivered
// to S3, gzipped) or JSON Lines of single events. Events of other services
// are counted and kept in rejected_rows as not_applicable.
// Docs: https://docs.aws.amazon.com/bedrock/latest/userguide/logging-using-cloudtrail.html
//       https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
import { CaseFile, createTableSql, type TableDefinition } from '@farmscope/casefile';
import type { KeysSeen } from './source-adapter.js';

export const CLOUDTRAIL_EVENTS: TableDefinition = {
  name: 'cloudtrail_events',
  description: 'CloudTrail bedrock-runtime events, one per request id, joined to Bedrock invocation logs on requestId',
  columns: [
    { name: 'request_id', sqlType: 'VARCHAR NOT NULL', meaning: 'CloudTrail `requestID` (= the invocation log\'s `requestId`)' },
    { name: 'event_time', sqlType: 'TIMESTAMP', meaning: '`eventTime`, UTC' },
    { name: 'event_name', sqlType: 'VARCHAR', meaning: '`eventName` (InvokeModel, Converse, ...)' },
    { name: 'source_ip', sqlType: 'VARCHAR', meaning: '`sourceIPAddress` when it is an IP address (AWS services appear by name; those stay in `record`)' },
    { name: 'user_agent', sqlType: 'VARCHAR', meaning: '`userAgent` (caller-claimed)' },
    { name: 'access_key_id', sqlType: 'VARCHAR', meaning: '`userIdentity.accessKeyId`' },
    { name: 'principal_arn', sqlType: 'VARCHAR', meaning: '`userIdentity.arn`' },
    { name: 'source_file_id', sqlType: 'INTEGER', meaning: '`ingested_files.file_id`' },
    { name: 'source_row', sqlType: 'BIGINT', meaning: 'record number in that file' },
    { name: 'record', sqlType: 'JSON', meaning: 'the CloudTrail record as delivered' },
  ],
};

export const CLOUDTRAIL_EXPAND = `CASE WHEN json_type(doc->'$.Records') = 'ARRAY' THEN json_extract(doc, '$.Records[*]') ELSE [doc] END`;

export function isCloudTrail({ keys }: KeysSeen): boolean {
  return keys.has('eventSource') && keys.has('eventName') && (keys.has('eventTime') || keys.has('Records'));
}

export async function ensureCloudTrailTable(caseFile: CaseFile): Promise<void> {
  await caseFile.run(createTableSql(CLOUDTRAIL_EVENTS), 'creating table cloudtrail_events');
}

/**
 * SQL over the checked records (`rows`: source_row, rec, reason) marking each
 * record's reason when it is not a loadable bedrock event.
 */
export function cloudTrailReasonSql(): string {
  return `CASE WHEN (rec->>'$.eventSource') IS DISTINCT FROM 'bedrock.amazonaws.com'
               THEN 'eventSource ' || fs_snippet(rec->>'$.eventSource') || ' is not bedrock.amazonaws.com'
               WHEN nullif(rec->>'$.requestID', '') IS NULL THEN 'requestID: missing' END`;
}

export function cloudTrailInsertSql(fileId: number, rows: string): string {
  return `INSERT INTO cloudtrail_events
SELECT rec->>'$.requestID', CAST(TRY_CAST(rec->>'$.eventTime' AS TIMESTAMPTZ) AS TIMESTAMP), rec->>'$.eventName',
       CASE WHEN fs_is_ip(rec->>'$.sourceIPAddress') THEN rec->>'$.sourceIPAddress' END,
       rec->>'$.userAgent', rec->>'$.userIdentity.accessKeyId', rec->>'$.userIdentity.arn',
       ${fileId}, source_row, rec
FROM ${rows} WHERE reason IS NULL ORDER BY source_row`;
}
