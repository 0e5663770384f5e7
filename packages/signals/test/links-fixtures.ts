// Hand-made case files for the links and coordination tests: rows as JS
// objects, written as JSON Lines into a temp folder and loaded by ingest, so
// the stages read exactly what a user's case file holds.
import { CaseFile } from '@farmscope/casefile';
import { ingest } from '@farmscope/ingest';
import { analyze } from '../src/analyze.js';
import type { StageReport } from '../src/stage.js';
import type { TempFolder } from '../../../test/support/temp-folder.js';

export type Row = Record<string, unknown>;

export interface CaseRows {
  events: Row[];
  accounts?: Row[];
  enforcement?: Row[];
}

export const BASE = Date.parse('2026-03-02T00:00:00Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

let requestSeq = 0;

/** One event; request ids are unique across a test file. */
export function event(account: string, atMs: number, ip: string, extra: Row = {}): Row {
  requestSeq += 1;
  return { request_id: `r${requestSeq}`, ts: new Date(atMs).toISOString(), account_id: account, ip, user_agent: 'anthropic-python/0.40.0', ...extra };
}

let accountSeq = 0;

/** A registry row with unique card, signup address and e-mail unless overridden. */
export function account(id: string, extra: Row = {}): Row {
  accountSeq += 1;
  const signupIp = `100.${(accountSeq >> 16) & 255}.${(accountSeq >> 8) & 255}.${accountSeq & 255}`;
  return {
    account_id: id, created_at: new Date(BASE - 30 * 24 * HOUR).toISOString(), email_domain: 'gmail.com',
    email_local_hash: `h-${id}`, payment_fingerprint: `pm-${id}`, country: 'US', signup_ip: signupIp, org_id: null, ...extra,
  };
}

const jsonl = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** Writes the rows, ingests them into a new case file in `tmp`, and returns it open. */
export async function caseWith(tmp: TempFolder, name: string, rows: CaseRows): Promise<CaseFile> {
  const requests = [{ table: 'events' as const, inputs: [tmp.write(`${name}/events.jsonl`, jsonl(rows.events))] }];
  if (rows.accounts) requests.push({ table: 'accounts' as never, inputs: [tmp.write(`${name}/accounts.jsonl`, jsonl(rows.accounts))] });
  if (rows.enforcement) requests.push({ table: 'enforcement' as never, inputs: [tmp.write(`${name}/enforcement.jsonl`, jsonl(rows.enforcement))] });
  const db = await CaseFile.open(tmp.path(`${name}/case.duckdb`));
  await ingest(db, requests);
  return db;
}

/** Runs only the two stages of this area. */
export function runLinkStages(db: CaseFile): Promise<StageReport[]> {
  return analyze(db, { only: ['shared_infrastructure', 'coordination'] });
}
