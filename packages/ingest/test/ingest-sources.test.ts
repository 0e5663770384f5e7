// Vendor log formats: a small fixture per source (field names as the vendor
// documents them, see test/fixtures/sources/README.md) loads into the events
// contract with exact values, keeps the original record and the identity
// provenance, sends what it cannot map to rejected_rows, and is recognised
// by its keys without --source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaseFile, literal } from '@farmscope/casefile';
import { caseSourceGaps, ingest, type IngestOptions } from '@farmscope/ingest';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { gzip } from './fixtures.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/sources/${name}`, import.meta.url));

let tmp: TempFolder;
beforeAll(() => {
  tmp = createTempFolder();
});
afterAll(() => tmp.remove());

async function load(files: string[], options: IngestOptions = {}) {
  const db = await CaseFile.open(tmp.path(`case-${Math.random().toString(36).slice(2)}.duckdb`));
  const summary = await ingest(db, [{ table: 'events', inputs: files }], options);
  return { db, summary };
}

type Row = Record<string, unknown>;
const EVENT_COLUMNS = `request_id, ts, account_id, api_key_id, org_id, model, ip, user_agent, prompt, system_prompt,
  input_tokens, output_tokens, max_tokens, temperature, status, end_user, session_id`;

async function events(db: CaseFile): Promise<Row[]> {
  return db.all(`SELECT ${EVENT_COLUMNS}, extra->>'$.source' AS source, CAST(extra->'$.identity' AS VARCHAR) AS identity
                 FROM events ORDER BY source_file_id, source_row`);
}

async function rejected(db: CaseFile): Promise<Row[]> {
  return db.all(`SELECT table_name, row_number, reason_code, reason FROM rejected_rows ORDER BY source_file_id, row_number`);
}

const identity = (o: Record<string, string>) => JSON.stringify({
  account_id: 'absent', api_key_id: 'absent', org_id: 'absent', ip: 'absent', user_agent: 'absent', end_user: 'absent', session_id: 'absent', ...o,
});

describe('AWS Bedrock model-invocation logs', () => {
  it('maps each model family and rejects what it cannot map', async () => {
    const { db, summary } = await load([fixture('bedrock/model-invocations.jsonl')]);
    expect(summary.failures).toEqual([]);
    expect(summary.files[0]).toMatchObject({ source: 'bedrock', rowsRead: 7, rowsLoaded: 3, rowsRejected: 4 });
    const rows = await events(db);
    expect(rows[0]).toEqual({
      request_id: 'b1a8c6f0-0001-4c2e-9a11-000000000001', ts: '2026-03-02T10:15:30.000Z',
      account_id: 'arn:aws:sts::111122223333:assumed-role/app-role/session-a', api_key_id: null, org_id: '111122223333',
      model: 'anthropic.claude-3-haiku-20240307-v1:0', ip: null, user_agent: null,
      prompt: 'Show a proof by induction, step by step.', system_prompt: 'You are a careful tutor.',
      input_tokens: 42, output_tokens: 512, max_tokens: 1024, temperature: 0.5, status: 200, end_user: null, session_id: null,
      source: 'bedrock',
      identity: identity({ account_id: 'server_observed', org_id: 'server_observed' }),
    });
    // Converse: +02:00 offset converted to UTC, system blocks, inferenceConfig.
    expect(rows[1]).toMatchObject({
      ts: '2026-03-02T08:16:00.250Z', prompt: 'List ten prime numbers.', system_prompt: 'Answer tersely.',
      input_tokens: 17, output_tokens: 40, max_tokens: 256, temperature: 0, status: 200,
    });
    // Titan inputText; an errorCode becomes its HTTP status.
    expect(rows[2]).toMatchObject({
      account_id: 'arn:aws:iam::111122223333:user/batch-runner', prompt: 'Summarise the attached report.',
      max_tokens: 300, temperature: 0.2, status: 429, output_tokens: null,
    });
    expect(await rejected(db)).toEqual([
      { table_name: 'events', row_number: 4, reason_code: 'missing_required', reason: 'ts: missing' },
      { table_name: 'events', row_number: 5, reason_code: 'unmapped_record', reason: 'schemaType "SomethingElse" is not ModelInvocationLog' },
      { table_name: 'events', row_number: 6, reason_code: 'unmapped_record', reason: 'input.inputBodyJson: not a JSON object "{not json"' },
      { table_name: 'events', row_number: 7, reason_code: 'parse_error', reason: 'not valid JSON' },
    ]);
    // The original record is kept whole.
    const record = await db.value<string>(`SELECT CAST(extra->'$.record' AS VARCHAR) FROM events WHERE source_row = 1`);
    expect(JSON.parse(record)).toEqual(JSON.parse(readFileSync(fixture('bedrock/model-invocations.jsonl'), 'utf8').split('\n')[0]!));
    expect(summary.files[0]!.unavailable!.map((g) => g.field)).toEqual(['api_key_id', 'end_user', 'ip', 'session_id', 'user_agent']);
    const ipCapability = await db.all(`SELECT provenance, rows, note FROM source_capabilities WHERE field = 'ip'`);
    expect(ipCapability).toEqual([{ provenance: 'absent', rows: 3, note: expect.stringContaining('no client IP') }]);
    db.close();
  });

  it('joins CloudTrail bedrock-runtime events for the client IP, user agent and access key', async () => {
    const ct = tmp.write('ct/111122223333_CloudTrail_us-east-1_20260302T1015Z_x.json.gz', gzip(readFileSync(fixture('bedrock/cloudtrail-bedrock-runtime.json'))));
    const { db, summary } = await load([fixture('bedrock/model-invocations.jsonl'), ct]);
    expect(summary.failures).toEqual([]);
    expect(summary.files.map((f) => [f.table, f.source, f.rowsLoaded, f.rowsRejected])).toEqual([
      ['cloudtrail_events', 'cloudtrail', 2, 1], ['events', 'bedrock', 3, 4],
    ]);
    const rows = await events(db);
    expect(rows[0]).toMatchObject({
      ip: '203.0.113.7', user_agent: 'Boto3/1.34.0 md/Botocore#1.34.0 Python/3.12', api_key_id: 'ASIAEXAMPLEKEY00001',
      identity: identity({
        account_id: 'server_observed', api_key_id: 'server_observed', org_id: 'server_observed', ip: 'server_observed', user_agent: 'caller_claimed',
      }),
    });
    // An AWS service name in sourceIPAddress is not an address.
    expect(rows[1]).toMatchObject({ ip: null, user_agent: 'aws-sdk-js/3.600.0', api_key_id: 'ASIAEXAMPLEKEY00002' });
    expect(await db.all(`SELECT reason_code, reason, raw FROM rejected_rows WHERE table_name = 'cloudtrail_events'`)).toEqual([
      { reason_code: 'not_applicable', reason: 'eventSource "s3.amazonaws.com" is not bedrock.amazonaws.com', raw: null },
    ]);
    db.close();
  });
  it('fills Bedrock events loaded earlier when their CloudTrail events come later', async () => {
    const db = await CaseFile.open(tmp.path('later.duckdb'));
    await ingest(db, [{ table: 'events', inputs: [fixture('bedrock/model-invocations.jsonl')] }]);
    const ct = tmp.write('later/cloudtrail.json', readFileSync(fixture('bedrock/cloudtrail-bedrock-runtime.json')));
    const summary = await ingest(db, [{ table: 'events', inputs: [ct] }]);
    expect(summary.files[0]!.message).toBe('filled the client IP, user agent or access key of 2 Bedrock event(s) loaded earlier');
    const rows = await events(db);
    expect(rows[0]).toMatchObject({ ip: '203.0.113.7', api_key_id: 'ASIAEXAMPLEKEY00001' });
    expect(JSON.parse(rows[0]!.identity as string)).toMatchObject({ ip: 'server_observed', user_agent: 'caller_claimed', api_key_id: 'server_observed' });
    expect(await db.all(`SELECT provenance, rows FROM source_capabilities WHERE field = 'ip' ORDER BY provenance`)).toEqual([
      { provenance: 'absent', rows: 2 }, { provenance: 'server_observed', rows: 1 },
    ]);
    db.close();
  });
});

describe('LiteLLM spend logs', () => {
  const first = {
    request_id: 'chatcmpl-7f3a01', ts: '2026-03-03T09:00:01.250Z', account_id: 'user-alice',
    api_key_id: '88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b', org_id: 'org-acme', model: 'gpt-4o-mini',
    ip: '198.51.100.23', user_agent: null, prompt: 'Prove that sqrt(2) is irrational, showing every step.', system_prompt: 'You are a math tutor.',
    input_tokens: 30, output_tokens: 500, max_tokens: 800, temperature: 0.7, status: 200, end_user: 'customer-991', session_id: 'sess-1',
    source: 'litellm',
    identity: identity({
      account_id: 'server_observed', api_key_id: 'server_observed', org_id: 'server_observed', ip: 'server_observed',
      end_user: 'caller_claimed', session_id: 'caller_claimed',
    }),
  };

  it('loads a SpendLogs CSV dump', async () => {
    const { db, summary } = await load([fixture('litellm/LiteLLM_SpendLogs.csv')]);
    expect(summary.files[0]).toMatchObject({ source: 'litellm', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1 });
    const rows = await events(db);
    expect(rows[0]).toEqual(first);
    // No user: the key's team is the account; a failure without an error code has no status.
    expect(rows[1]).toMatchObject({ account_id: 'team-ops', org_id: null, ip: null, prompt: 'Hello', status: null, end_user: null });
    expect(await rejected(db)).toEqual([
      { table_name: 'events', row_number: 3, reason_code: 'unmapped_record', reason: expect.stringMatching(/^messages: not valid JSON/) },
    ]);
    db.close();
  });

  it('loads the same table as Parquet', async () => {
    const pq = tmp.path('litellm/spend.parquet');
    mkdirSync(dirname(pq), { recursive: true });
    const db0 = await CaseFile.open(':memory:');
    await db0.run(`COPY (FROM read_csv(${literal(fixture('litellm/LiteLLM_SpendLogs.csv'))}, all_varchar = true)) TO ${literal(pq)} (FORMAT parquet)`);
    db0.close();
    const { db } = await load([pq], { source: 'litellm' });
    expect((await events(db))[0]).toEqual(first);
    db.close();
  });

  it('loads StandardLoggingPayload JSON (epoch-second floats, key identity in metadata)', async () => {
    const { db } = await load([fixture('litellm/standard-logging-payload.jsonl')]);
    const rows = await events(db);
    expect(rows[0]).toMatchObject({
      request_id: 'chatcmpl-9b2e11', ts: '2026-03-03T09:00:00.500Z', account_id: 'user-bob', api_key_id: '5d41402abc4b2a76b9719d911017c592',
      org_id: 'org-acme', ip: '2001:db8::42', prompt: 'Write a chain-of-thought solution to problem 17.', input_tokens: 250,
      output_tokens: 1000, max_tokens: 4096, temperature: 1, status: 200, end_user: 'bob-end-user', session_id: 'trace-77',
    });
    expect(rows[1]).toMatchObject({ request_id: 'chatcmpl-9b2e12', status: 429, ts: '2026-03-03T09:01:00.000Z' });
    db.close();
  });
});

describe('OpenTelemetry GenAI spans', () => {
  it('maps current and deprecated attribute names and rejects non-GenAI spans', async () => {
    const { db, summary } = await load([fixture('otel/genai-spans.jsonl')]);
    expect(summary.files[0]).toMatchObject({ source: 'otel', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1 });
    const rows = await events(db);
    expect(rows[0]).toEqual({
      request_id: '5b8efff798038103d269b633813fc60c/eee19b7ec3c1b174', ts: '2026-03-03T10:00:00.123Z', account_id: 'tenant-17',
      api_key_id: null, org_id: null, model: 'gpt-4o', ip: '192.0.2.10', user_agent: 'OpenAI/Python 1.54.0',
      prompt: 'Derive the quadratic formula.', system_prompt: 'Think step by step.', input_tokens: 120, output_tokens: 880,
      max_tokens: 2048, temperature: 0.3, status: 200, end_user: null, session_id: 'conv-9', source: 'otel',
      identity: identity({ account_id: 'caller_claimed', ip: 'server_observed', user_agent: 'caller_claimed', session_id: 'caller_claimed' }),
    });
    expect(rows[1]).toMatchObject({ account_id: 'tutor-app', model: 'gpt-4o-mini', input_tokens: 15, output_tokens: 60, status: 429 });
    expect(await rejected(db)).toEqual([
      { table_name: 'events', row_number: 3, reason_code: 'not_applicable', reason: 'span "GET /health" has no gen_ai.* attribute (not a GenAI call)' },
    ]);
    db.close();
  });

  it('reads an OTLP line longer than the look-ahead as JSON Lines', async () => {
    const doc = JSON.parse(readFileSync(fixture('otel/genai-spans.jsonl'), 'utf8'));
    const spans = doc.resourceSpans[0].scopeSpans[0].spans;
    spans[0].attributes.push({ key: 'padding', value: { stringValue: 'x'.repeat(1_200_000) } });
    const file = tmp.write('otel/long-line.jsonl', `${JSON.stringify(doc)}\n${JSON.stringify(doc).replaceAll('eee19b7e', 'fff19b7e')}\n`);
    const { db, summary } = await load([file]);
    expect(summary.files[0]).toMatchObject({ source: 'otel', rowsRead: 6, rowsLoaded: 4, rowsRejected: 2 });
    db.close();
  });

  it('reads a pretty-printed OTLP document; a span whose attributes repeat a key is rejected alone', async () => {
    const doc = JSON.parse(readFileSync(fixture('otel/genai-spans.jsonl'), 'utf8'));
    const spans = doc.resourceSpans[0].scopeSpans[0].spans;
    const model = { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } };
    spans.push({ ...spans[0], spanId: 'eee19b7ec3c1b177', attributes: [model, model] });
    const file = tmp.write('otel/export.json', JSON.stringify(doc, null, 2));
    const { db, summary } = await load([file]);
    expect(summary.files[0]).toMatchObject({ source: 'otel', rowsLoaded: 2, rowsRejected: 2 });
    expect((await rejected(db))[1]).toMatchObject({ row_number: 4, reason_code: 'unmapped_record', reason: 'span "chat gpt-4o": its attributes repeat a key' });
    db.close();
  });
});

describe('Langfuse observations', () => {
  it('loads GENERATION observations and keeps the others as not_applicable', async () => {
    const { db, summary } = await load([fixture('langfuse/observations_v2.jsonl')]);
    expect(summary.files[0]).toMatchObject({ source: 'langfuse', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1 });
    const rows = await events(db);
    expect(rows[0]).toMatchObject({
      request_id: 'obs-0001', ts: '2026-03-04T12:00:00.123Z', account_id: 'end-user-5', org_id: 'proj-abc', model: 'gpt-4o-mini',
      prompt: "Translate 'cat' to French.", system_prompt: 'Be concise.', input_tokens: 21, output_tokens: 3, max_tokens: 64,
      temperature: 0.1, status: 200, end_user: 'end-user-5', session_id: 's-5',
    });
    expect(JSON.parse(rows[0]!.identity as string)).toMatchObject({ account_id: 'caller_claimed' });
    // No user_id: the project stands in, known from the API keys (server-observed).
    expect(rows[1]).toMatchObject({ account_id: 'proj-abc', prompt: 'Hi', status: null });
    expect(JSON.parse(rows[1]!.identity as string)).toMatchObject({ account_id: 'server_observed' });
    expect((await rejected(db))[0]).toMatchObject({ row_number: 2, reason_code: 'not_applicable' });
    expect(await db.value(`SELECT raw FROM rejected_rows`)).toBeNull();
    db.close();
  });
});

describe('Azure OpenAI RequestResponse logs', () => {
  it('flags the masked caller address instead of loading it as an IP', async () => {
    const { db, summary } = await load([fixture('azure-openai/requestresponse.jsonl')]);
    expect(summary.files[0]).toMatchObject({ source: 'azure-openai', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1 });
    const rows = await events(db);
    expect(rows[0]).toMatchObject({
      request_id: '9d3a6e98-fc11-48d0-82cf-4de065c1a1f8', ts: '2026-03-05T07:30:00.435Z', model: 'gpt-4o', ip: null, status: 200,
      account_id: '/SUBSCRIPTIONS/12CABCB4-86E8-404F-A3D2-1DC9982F45CA/RESOURCEGROUPS/FORENSICS-RG/PROVIDERS/MICROSOFT.COGNITIVESERVICES/ACCOUNTS/AOAI-PROD-01',
      prompt: null, input_tokens: null,
    });
    expect(JSON.parse(rows[0]!.identity as string)).toMatchObject({ ip: 'masked', ip_masked: '81.2.69.***', ip_prefix: '81.2.69.0/24' });
    // properties as a JSON-encoded string; Entra object id as the account.
    expect(rows[1]).toMatchObject({ account_id: '5f1c2d3e-0000-4a4a-9b9b-123456789abc', status: 429 });
    expect(await db.all(`SELECT provenance, rows FROM source_capabilities WHERE field = 'ip'`)).toEqual([{ provenance: 'masked', rows: 2 }]);
    expect((await caseSourceGaps(db)).find((g) => g.field === 'ip')).toEqual({
      source: 'azure-openai', field: 'ip', provenance: 'masked', rows: 2, sourceRows: 2, note: expect.stringContaining('masks the last octet'),
    });
    db.close();
  });
});

describe('source detection', () => {
  it('fails a file of neither the contract nor a known source alone, naming it and the keys seen (exit 2)', async () => {
    const file = tmp.write('unknown/log.jsonl', '{"when": "2026-03-01", "who": "x", "what": 1}\n');
    const contract = tmp.write('unknown/contract.jsonl', '{"request_id": "r1", "ts": "2026-03-01T00:00:00Z", "account_id": "a"}\n');
    const { db, summary } = await load([file, contract]);
    expect(summary.failures).toEqual([{
      table: 'events', path: file, exitCode: 2,
      error: expect.stringContaining(`cannot tell the source of ${file}: keys seen: when, who, what`),
    }]);
    expect(summary.files.map((f) => [f.path, f.rowsLoaded])).toEqual([[contract, 1]]); // the other file still loads
    db.close();
  });

  it('--source overrides detection; a contract file still loads as the contract', async () => {
    const copy = tmp.write('detect/azure.jsonl', readFileSync(fixture('azure-openai/requestresponse.jsonl')));
    const forced = await load([copy], { source: 'bedrock', mapping: { events: { ts: 'time' } } });
    expect(forced.summary.files[0]).toMatchObject({
      source: 'bedrock', rowsLoaded: 0, rowsRejected: 3,
      message: 'read as bedrock logs: --map/--col apply to contract-shaped files only and were not used',
    });
    forced.db.close();
    const contract = tmp.write('detect/contract.jsonl', '{"request_id": "r1", "ts": "2026-03-01T00:00:00Z", "account_id": "a"}\n');
    const plain = await load([contract]);
    expect(plain.summary.files[0]).toMatchObject({ rowsLoaded: 1 });
    expect(plain.summary.files[0]!.source).toBeUndefined();
    expect(await plain.db.value(`SELECT source FROM ingested_files`)).toBe('contract');
    plain.db.close();
  });

  it('never fails a file over odd values: every record is loaded or rejected', async () => {
    const odd = [
      { schemaType: 'ModelInvocationLog', timestamp: 1e300, requestId: [1], identity: 'x', input: { inputBodyJson: { messages: 'hi', system: 7 } } },
      { schemaType: 'ModelInvocationLog', timestamp: '-99999999999999999999', requestId: 'a', accountId: 5, input: { inputBodyJson: [1, 2] } },
      { request_id: 'b', startTime: -1e300, api_key: {}, messages: [{ role: 'user', content: [1, null, { text: 2 }] }], metadata: 'not json' },
      { request_id: 'c', startTime: '1e400', api_key: 'k', user: 'u', messages: { role: 'user' } },
      { resourceSpans: [{ scopeSpans: [{ spans: [{ startTimeUnixNano: '99999999999999999999999', attributes: 'x' }] }] }] },
      { resourceSpans: 'x' },
      { id: 'd', trace_id: 't', start_time: 12, type: 'GENERATION', usage_details: 'x', input: 5 },
      { category: 'RequestResponse', callerIpAddress: 7, operationName: 'x', time: 'x', properties: '{"objectId": ' },
    ];
    const file = tmp.write('odd/odd.jsonl', odd.map((r) => JSON.stringify(r)).join('\n') + '\n');
    for (const source of ['bedrock', 'litellm', 'otel', 'langfuse', 'azure-openai']) {
      const { db, summary } = await load([file], { source });
      expect(summary.failures, source).toEqual([]);
      const f = summary.files[0]!;
      expect(f.rowsLoaded + f.rowsRejected + f.rowsDuplicate, source).toBe(f.rowsRead);
      expect(f.rowsRead, source).toBeGreaterThanOrEqual(odd.length - 1); // each line at least one record (one OTLP line holds none)
      db.close();
    }
  });
});
