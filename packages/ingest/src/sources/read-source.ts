// Runs a source adapter over a file: the file's records (source-records.ts),
// the adapter's helper values, then its SQL per contract column, and per
// record an `extra` object holding the source's name, the identity
// provenance of each identity column and the original record. The result is
// an ordinary reader relation, so validation, rejected_rows, duplicates and
// ingested_files work as for contract files. Records the adapter cannot map,
// or that are not API requests, become parse-level rejects with their own
// reason codes (unmapped_record, not_applicable).
import { CaseFile, ident, literal } from '@farmscope/casefile';
import type { ReaderContext, SourceRelation } from '../source-relation.js';
import { ensureCloudTrailTable } from './cloudtrail.js';
import { IDENTITY_FIELDS, type SourceAdapter } from './source-adapter.js';
import { scanRecords } from './source-records.js';

export async function readSource(caseFile: CaseFile, ctx: ReaderContext, adapter: SourceAdapter): Promise<SourceRelation> {
  const scan = await scanRecords(caseFile, ctx, adapter.expand);
  let from = `(${scan.select}) AS _fs_records`;
  if (adapter.cloudTrailJoin) {
    await ensureCloudTrailTable(caseFile);
    from += ` LEFT JOIN (SELECT request_id AS ct_request_id, source_ip AS ct_source_ip, user_agent AS ct_user_agent,
                               access_key_id AS ct_access_key_id FROM cloudtrail_events) AS _fs_ct
              ON _fs_ct.ct_request_id = (${adapter.cloudTrailJoin})`;
  }
  // One SELECT level per level of helper values, innermost first.
  const withLets = (adapter.lets ?? []).reduce(
    (inner, level) => `(SELECT *${Object.entries(level).map(([name, sql]) => `, ${sql} AS ${ident(name)}`).join('')} FROM ${inner})`,
    from,
  );
  const columns = Object.entries(adapter.columns).map(([name, sql]) => `${sql} AS ${ident(name)}`);
  const contract = Object.keys(adapter.columns).map((name) => ident(name));
  // Records that are not API requests (most of a trail or a trace export) are listed without their text.
  const select = `SELECT source_row, line_number,
  coalesce(_parse_error, _unmapped, _not_applicable) AS _parse_error,
  CASE WHEN _parse_error IS NOT NULL THEN 'parse_error' WHEN _unmapped IS NOT NULL THEN 'unmapped_record'
       WHEN _not_applicable IS NOT NULL THEN 'not_applicable' END AS _reject_code,
  ${contract.join(', ')},
  CASE WHEN rec IS NOT NULL THEN json_object('source', ${literal(adapter.name)}, 'identity', ${identitySql(adapter)}, 'record', rec) END AS extra,
  CASE WHEN _parse_error IS NOT NULL OR _unmapped IS NOT NULL OR _not_applicable IS NULL THEN raw END AS raw
FROM (
  SELECT *, ${columns.join(',\n    ')},
    ${adapter.unmapped ?? 'CAST(NULL AS VARCHAR)'} AS _unmapped,
    ${adapter.notApplicable ?? 'CAST(NULL AS VARCHAR)'} AS _not_applicable
  FROM ${withLets}
)`;
  return {
    select,
    types: new Map(Object.keys(adapter.columns).map((name) => [name, 'VARCHAR'])),
    materialize: true,
    ...(scan.readerRejects ? { readerRejects: scan.readerRejects, recordOffset: scan.recordOffset ?? 0 } : {}),
    checkPresenceInData: false,
    rejectCodes: true,
    cleanup: scan.cleanup,
  };
}

/** json_object of each identity column's provenance: server_observed, caller_claimed, masked or absent. */
function identitySql(adapter: SourceAdapter): string {
  const items = IDENTITY_FIELDS.flatMap((field) => {
    const filled = adapter.columns[field];
    const provenance = adapter.identity[field];
    if (filled === undefined || provenance === undefined) return [`'${field}', 'absent'`];
    const present = typeof provenance === 'string' ? literal(provenance) : provenance.sql;
    const masked = field === 'ip' && adapter.ipMasked ? `WHEN ${adapter.ipMasked.when} THEN 'masked' ` : '';
    return [`'${field}', CASE ${masked}WHEN nullif(${ident(field)}, '') IS NULL THEN 'absent' ELSE ${present} END`];
  });
  if (adapter.ipMasked) {
    const { when, value, prefix } = adapter.ipMasked;
    items.push(`'ip_masked', CASE WHEN ${when} THEN ${value} END`, `'ip_prefix', CASE WHEN ${when} THEN ${prefix} END`);
  }
  return `json_object(${items.join(', ')})`;
}
