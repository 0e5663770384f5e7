// Vendor log formats end to end, as a user runs them: the tiny scenario's
// events rewritten as AWS Bedrock invocation logs with their CloudTrail
// bedrock-runtime events, and as a LiteLLM SpendLogs CSV dump, are ingested
// (recognised by their keys, or with --source), analysed, and investigated;
// a file of no known shape stops with exit 2 naming the keys seen.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile, literal, withCaseFile } from '@farmscope/casefile';
import { runCli } from './support/run-cli.js';
import { createTempFolder, type TempFolder } from './support/temp-folder.js';

let tmp: TempFolder;
let events: string;
beforeAll(async () => {
  tmp = createTempFolder('farmscope-sources-');
  const generated = runCli(['generate', '--scenario', 'tiny', '--seed', '3', '--out', tmp.path('data'), '--quiet']);
  expect(generated.code, generated.stderr).toBe(0);
  events = literal(tmp.path('data/events.parquet'));
  await withCaseFile(':memory:', {}, async (db) => {
    // Field names as AWS documents them (model-invocation-logging, CloudTrail record contents).
    await db.run(`COPY (
      SELECT 'ModelInvocationLog' AS schemaType, '1.0' AS schemaVersion, strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS timestamp,
             '111122223333' AS accountId, {'arn': 'arn:aws:sts::111122223333:assumed-role/api-caller/' || account_id} AS identity,
             'us-east-1' AS region, request_id AS requestId, 'InvokeModel' AS operation, model AS modelId,
             {'inputContentType': 'application/json',
              'inputBodyJson': {'anthropic_version': 'bedrock-2023-05-31', 'max_tokens': max_tokens, 'temperature': temperature,
                                'system': system_prompt, 'messages': [{'role': 'user', 'content': [{'type': 'text', 'text': prompt}]}]},
              'inputTokenCount': input_tokens} AS input,
             {'outputContentType': 'application/json', 'outputTokenCount': output_tokens} AS output
      FROM read_parquet(${events}) ORDER BY ts, request_id) TO ${literal(tmp.path('bedrock.jsonl'))} (FORMAT json)`);
    await db.run(`COPY (
      SELECT '1.09' AS eventVersion, {'type': 'AssumedRole', 'arn': 'arn:aws:sts::111122223333:assumed-role/api-caller/' || account_id,
                                      'accessKeyId': api_key_id} AS userIdentity,
             strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS eventTime, 'bedrock.amazonaws.com' AS eventSource, 'InvokeModel' AS eventName,
             'us-east-1' AS awsRegion, ip AS sourceIPAddress, user_agent AS userAgent, request_id AS requestID
      FROM read_parquet(${events}) ORDER BY ts, request_id) TO ${literal(tmp.path('cloudtrail.jsonl'))} (FORMAT json)`);
    // LiteLLM_SpendLogs columns (schema.prisma; DateTime(3), so milliseconds), JSON columns as JSON text, as a COPY of the table writes them.
    await db.run(`COPY (
      SELECT request_id, 'acompletion' AS call_type, api_key_id AS api_key, input_tokens + output_tokens AS total_tokens,
             input_tokens AS prompt_tokens, output_tokens AS completion_tokens, strftime(ts, '%Y-%m-%d %H:%M:%S.%g') AS "startTime",
             model, model AS model_group, account_id AS "user", '{}' AS metadata, org_id AS team_id, end_user,
             ip AS requester_ip_address, to_json([{'role': 'user', 'content': prompt}]) AS messages, 'success' AS status
      FROM read_parquet(${events}) ORDER BY ts, request_id) TO ${literal(tmp.path('LiteLLM_SpendLogs.csv'))} (HEADER)`);
  });
});
afterAll(() => tmp.remove());

async function query<T extends Record<string, unknown>>(db: string, sql: string): Promise<T[]> {
  const caseFile = await CaseFile.open(db, { readOnly: true });
  try {
    return await caseFile.all<T>(sql);
  } finally {
    caseFile.close();
  }
}

describe('vendor logs through the CLI', () => {
  it('ingests Bedrock logs with CloudTrail (recognised by their keys) and analyzes them', async () => {
    const db = tmp.path('bedrock.duckdb');
    const ingested = runCli(['--db', db, 'ingest', '--events', tmp.path('bedrock.jsonl'), tmp.path('cloudtrail.jsonl')]);
    expect(ingested.code, ingested.stderr).toBe(0);
    expect(ingested.stdout).toMatch(/cloudtrail_events .* jsonl \(cloudtrail\) +loaded +5825 +5825 +0/);
    expect(ingested.stdout).toMatch(/events .* jsonl \(bedrock\) +loaded +5825 +5825 +0/);
    const analyzed = runCli(['--db', db, 'analyze']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const [counts] = await query<{ n: number; ips: number; accounts: number; scored: number }>(db,
      `SELECT count(*) AS n, count(ip) AS ips, count(DISTINCT account_id) AS accounts,
              (SELECT count(*) FROM account_scores) AS scored FROM events`);
    expect(counts).toEqual({ n: 5825, ips: 5825, accounts: 223, scored: 223 });
    expect(await query(db, `SELECT provenance, rows FROM source_capabilities WHERE field IN ('ip', 'user_agent') ORDER BY field`)).toEqual([
      { provenance: 'server_observed', rows: 5825 }, { provenance: 'caller_claimed', rows: 5825 },
    ]);
  });

  it('says which signals Bedrock logs without CloudTrail cannot support', () => {
    const db = tmp.path('bedrock-alone.duckdb');
    const ingested = runCli(['--db', db, 'ingest', '--events', tmp.path('bedrock.jsonl')]);
    expect(ingested.code, ingested.stderr).toBe(0);
    const analyzed = runCli(['--db', db, 'analyze', '--stage', 'account_features', 'shared_infrastructure', '--format', 'json']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const notes = Object.fromEntries((JSON.parse(analyzed.stdout) as { name: string; notes: string[] }[]).map((r) => [r.name, r.notes]));
    const ipGap = /^bedrock logs: ip absent in all 5825 rows \(.+\); unavailable for those accounts: (.+)$/;
    const features = notes.account_features!.map((n) => ipGap.exec(n)?.[1]).find(Boolean);
    expect(features?.split(', ')).toEqual(expect.arrayContaining(['distinct_ips', 'distinct_ipv4_24', 'ip_churn_per_day']));
    expect(notes.shared_infrastructure!.map((n) => ipGap.exec(n)?.[1]).find(Boolean)).toBe('ip links, ip_net links');
  });

  it('ingests a LiteLLM SpendLogs dump with --source and analyzes it', async () => {
    const db = tmp.path('litellm.duckdb');
    const ingested = runCli(['--db', db, 'ingest', '--events', tmp.path('LiteLLM_SpendLogs.csv'), '--source', 'litellm']);
    expect(ingested.code, ingested.stderr).toBe(0);
    const analyzed = runCli(['--db', db, 'analyze']);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const contract = await query<{ n: number }>(db, `SELECT count(*) AS n FROM events e
      JOIN read_parquet(${events}) g USING (request_id)
      WHERE e.account_id = g.account_id AND e.ts = date_trunc('millisecond', g.ts) AND e.prompt = g.prompt AND e.ip = g.ip
        AND e.input_tokens = g.input_tokens AND e.output_tokens = g.output_tokens`);
    expect(contract[0]!.n).toBe(5825);
  });

  it('passes --source through investigate, and records it in the manifest', () => {
    const out = tmp.path('findings');
    const run = runCli(['investigate', '--events', tmp.path('bedrock.jsonl'), tmp.path('cloudtrail.jsonl'), '--source', 'bedrock', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^events: 5,825 loaded from 1 file\(s\)/m);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toContain('"source": "bedrock"');
  });

  it('stops with exit 2 on a file of no known shape, naming it and the keys seen', () => {
    const file = tmp.write('mystery.jsonl', '{"when": "2026-03-01", "who": "x"}\n');
    const run = runCli(['--db', tmp.path('mystery.duckdb'), 'ingest', '--events', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`cannot tell the source of ${file}: keys seen: when, who`);
    const bad = runCli(['--db', tmp.path('mystery.duckdb'), 'ingest', '--events', file, '--source', 'splunk']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid --source "splunk"');
  });
});
