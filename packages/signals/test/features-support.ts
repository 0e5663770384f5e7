// Helpers for the account_features tests: hand-made accounts as event
// records, a case file loaded through the real ingest, and the stage run on it.
import { CaseFile } from '@farmscope/casefile';
import { ingest, type IngestRequest } from '@farmscope/ingest';
import { computeAccountFeatures, inspectInputs, promptSampleStage, type StageOutcome } from '@farmscope/signals';
import type { TempFolder } from '../../../test/support/temp-folder.js';

export type Row = Record<string, unknown>;

export const toJsonl = (rows: readonly Row[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

const at = (iso: string, plusSeconds = 0) => new Date(Date.parse(iso) + plusSeconds * 1000).toISOString();

/** A clockwork bot: one request every 60 s for 24 h from Monday 2026-03-02 00:00 UTC, a rotating /24, fixed habits. */
export function clockworkBot(): Row[] {
  return Array.from({ length: 1440 }, (_, i) => ({
    request_id: `bot-${i}`, ts: at('2026-03-02T00:00:00Z', 60 * i), account_id: 'bot',
    ip: `203.0.113.${i % 200}`, user_agent: 'python-httpx/0.27.0', model: 'model-a',
    prompt: `Think step by step and write out your full reasoning for problem ${i}.`,
    system_prompt: 'You are a data generator.',
    input_tokens: 100, output_tokens: 900, max_tokens: 4096, temperature: 0.7, status: 200,
  }));
}

/** Day plan of a person: awake 08:00–23:00 UTC, requests at these times (hh:mm:ss). */
export const HUMAN_TIMES = ['08:05:00', '08:31:00', '09:47:00', '12:02:00', '12:03:00', '15:40:00', '18:22:00', '21:10:00', '22:55:00'];
const HUMAN_PROMPTS = [
  'What is a good recipe for dinner tonight?', 'Summarize this email to my landlord for me.',
  '¿Cómo puedo mejorar mi currículum?', '请推荐几本好书', 'Help me plan a weekend trip to Lisbon.',
  'Rewrite this sentence so that it sounds friendlier to you.', 'What is the capital of Australia?',
  'Explain how compound interest works.', 'Draft a birthday message to my sister.',
];

/** A human with a night's sleep: 9 requests a day on Mon–Wed 2–4 March 2026, varied habits, one home address. */
export function human(): Row[] {
  return ['2026-03-02', '2026-03-03', '2026-03-04'].flatMap((day, d) =>
    HUMAN_TIMES.map((time, i) => ({
      request_id: `human-${d}-${i}`, ts: `${day}T${time}Z`, account_id: 'human',
      ip: '192.0.2.10', user_agent: 'Mozilla/5.0 (Macintosh)', model: 'model-a',
      prompt: `${HUMAN_PROMPTS[i]} (${d})`, input_tokens: 500, output_tokens: 250,
      max_tokens: i % 3 === 0 ? 1024 : 2048, temperature: i % 2 === 0 ? null : 1, status: 200,
    })),
  );
}

/**
 * A NAT group: four accounts behind 198.51.100.7, one request an hour on
 * 2026-03-05; nat-1 is banned at 06:30, nat-2 keeps going, nat-4 starts
 * 2 h after the ban; nat-3 also uses two IPv6 addresses in one /48.
 */
export function natGroup(): Row[] {
  const rows: Row[] = [];
  const add = (account: string, hour: number, ip = '198.51.100.7') =>
    rows.push({
      request_id: `${account}-${hour}-${ip}`, ts: at('2026-03-05T00:00:00Z', hour * 3600 + 600), account_id: account,
      ip, user_agent: 'curl/8.5.0', model: hour >= 10 ? 'model-b' : 'model-a', prompt: `Question ${hour}`,
      input_tokens: 50, output_tokens: 50, max_tokens: 256, temperature: 0, status: hour === 3 ? 429 : 200,
    });
  for (let h = 0; h < 6; h++) add('nat-1', h);
  for (let h = 0; h < 12; h++) add('nat-2', h);
  add('nat-3', 1);
  add('nat-3', 2, '2001:db8:abcd:12::1');
  add('nat-3', 3, '2001:0DB8:abcd:ff::2');
  for (let h = 8; h < 12; h++) add('nat-4', h);
  return rows;
}

export const NAT_ACCOUNTS: Row[] = ['nat-1', 'nat-2', 'nat-3', 'nat-4'].map((id) => ({
  account_id: id, created_at: '2026-03-01T00:00:00Z', signup_ip: '198.51.100.7', payment_fingerprint: `card-${id}`,
}));
export const NAT_ENFORCEMENT: Row[] = [{ account_id: 'nat-1', ts: '2026-03-05T06:30:00Z', action: 'ban' }];

/** Writes the tables as JSONL, ingests them into a new case file, runs the stage. */
export async function caseWith(
  tmp: TempFolder,
  name: string,
  tables: { events?: Row[]; accounts?: Row[]; enforcement?: Row[] },
): Promise<{ db: CaseFile; outcome: StageOutcome }> {
  const db = await CaseFile.open(tmp.path(`${name}.duckdb`));
  const requests: IngestRequest[] = [];
  for (const [table, rows] of Object.entries(tables) as [IngestRequest['table'], Row[]][]) {
    if (rows) requests.push({ table, inputs: [tmp.write(`${name}/${table}.jsonl`, toJsonl(rows))] });
  }
  if (requests.length) await ingest(db, requests);
  const outcome = await runFeatures(db);
  return { db, outcome };
}

/** The account_features stage after the prompt_sample stage its content features read. */
export async function runFeatures(db: CaseFile): Promise<StageOutcome> {
  const ctx = { caseFile: db, inputs: await inspectInputs(db), notice: () => undefined };
  await promptSampleStage().run(ctx);
  return computeAccountFeatures(ctx);
}

export async function featuresOf(db: CaseFile, account: string): Promise<Row> {
  const row = await db.one(`SELECT * FROM account_features WHERE account_id = '${account}'`);
  if (!row) throw new Error(`no features for ${account}`);
  return row;
}
