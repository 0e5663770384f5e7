// Requests per account, for the share of attack requests attributed (and
// request weighting): from an events file when one is given, else from the
// case file's events table, else unavailable, with the reason.
import type { CaseFile } from '@farmscope/casefile';
import { openCaseTable, openTableFile, runOnSource } from './record-sources.js';
import { SCRATCH } from './scratch-tables.js';

export type RequestCounts = { available: true; source: string } | { available: false; reason: string };

export async function loadRequestCounts(caseFile: CaseFile, eventsPath: string | undefined): Promise<RequestCounts> {
  const fromCaseFile = !eventsPath && (await caseFile.tableExists('events'));
  if (!eventsPath && !fromCaseFile) {
    return { available: false, reason: 'no events to count requests in: pass --db with an events table, or --events <file>' };
  }
  const source = eventsPath
    ? await openTableFile(caseFile, 'events file', eventsPath, ['account_id'])
    : await openCaseTable(caseFile, 'events', ['account_id'], 'ingest the events first');
  await runOnSource(
    caseFile,
    source,
    `CREATE TEMP TABLE ${SCRATCH.requests} AS
SELECT account_id::VARCHAR AS account_id, count(*)::BIGINT AS requests
FROM ${source.scan} WHERE account_id IS NOT NULL GROUP BY ALL`,
  );
  return { available: true, source: source.description };
}
