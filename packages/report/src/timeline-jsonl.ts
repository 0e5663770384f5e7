// timeline.jsonl: the farms' activity in Timesketch's JSONL import format
// (`message`, `datetime` ISO-8601, `timestamp_desc`, `timestamp` in
// microseconds, plus fields), written by DuckDB straight from the case file:
// each farm's daily activity, each member's signup, first and last request,
// and the enforcement actions on members (the daily rows from
// report_member_slices, made by registerMembers). Ids are the members' tokens
// (report_members), so a redacted timeline holds no raw id.
import { literal, type CaseFile } from '@farmscope/casefile';

const ISO = `'%Y-%m-%dT%H:%M:%S.%fZ'`;

export async function writeTimeline(caseFile: CaseFile, path: string): Promise<void> {
  const parts = [
    `SELECT m.farm_token AS farm_id, NULL::VARCHAR AS account_id, time_bucket(INTERVAL 1 DAY, e.slice) AS ts,
       'Farm daily activity' AS timestamp_desc,
       format('{}: {} requests from {} accounts ({} input, {} output tokens) on this UTC day', m.farm_token, sum(e.requests), count(DISTINCT e.account_id),
         coalesce(sum(e.input_tokens), 0), coalesce(sum(e.output_tokens), 0)) AS message,
       sum(e.requests)::BIGINT AS requests, count(DISTINCT e.account_id) AS accounts, coalesce(sum(e.input_tokens), 0)::BIGINT AS input_tokens,
       coalesce(sum(e.output_tokens), 0)::BIGINT AS output_tokens, NULL::VARCHAR AS action
     FROM report_member_slices e JOIN report_members m USING (account_id) GROUP BY m.farm_token, time_bucket(INTERVAL 1 DAY, e.slice)`,
    `SELECT m.farm_token, m.account_token, f.first_seen, 'First request',
       format('{} ({}): first request', m.account_token, m.farm_token), f.requests, NULL, NULL, NULL, NULL
     FROM report_members m JOIN account_features f USING (account_id)`,
    `SELECT m.farm_token, m.account_token, f.last_seen, 'Last request',
       format('{} ({}): last request, after {} requests', m.account_token, m.farm_token, f.requests), f.requests, NULL, NULL, NULL, NULL
     FROM report_members m JOIN account_features f USING (account_id)`,
  ];
  if (await caseFile.tableExists('accounts')) {
    parts.push(`SELECT DISTINCT ON (m.account_id) m.farm_token, m.account_token, a.created_at, 'Account created',
       format('{} ({}): account created', m.account_token, m.farm_token), NULL, NULL, NULL, NULL, NULL
     FROM report_members m JOIN accounts a USING (account_id) WHERE a.created_at IS NOT NULL
     ORDER BY m.account_id, a.source_file_id, a.source_row`);
  }
  if (await caseFile.tableExists('enforcement')) {
    parts.push(`SELECT m.farm_token, m.account_token, x.ts, 'Enforcement action',
       format('{} ({}): {}', m.account_token, m.farm_token, x.action), NULL, NULL, NULL, NULL, x.action
     FROM report_members m JOIN enforcement x USING (account_id)`);
  }
  await caseFile.run(
    `COPY (
       SELECT message, strftime(ts, ${ISO}) AS datetime, timestamp_desc, epoch_us(ts) AS timestamp,
         farm_id, account_id, requests, accounts, input_tokens, output_tokens, action
       FROM (${parts.map((q) => `(${q})`).join('\nUNION ALL\n')})
       WHERE ts IS NOT NULL
       ORDER BY ts, timestamp_desc, farm_id, account_id NULLS FIRST, action
     ) TO ${literal(path)} (FORMAT json)`,
    `report: write ${path}`,
  );
}
