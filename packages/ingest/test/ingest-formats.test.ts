// Every supported input format, compressed or not, one file or many, loads the
// same rows with the same typed values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { ingest, parseFormatOption } from '@farmscope/ingest';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { arrowBytes, gzip, makeEvents, toCsv, toJsonl, writeParquet } from './fixtures.js';

let tmp: TempFolder;
beforeAll(() => {
  tmp = createTempFolder();
});
afterAll(() => tmp.remove());

const rows = makeEvents(60);

async function load(files: string[], options: Parameters<typeof ingest>[2] = {}) {
  const db = await CaseFile.open(tmp.path(`case-${Math.random().toString(36).slice(2)}.duckdb`));
  const summary = await ingest(db, [{ table: 'events', inputs: files }], options);
  return { db, summary };
}

async function expectSameEvents(db: CaseFile): Promise<void> {
  const got = await db.all<{ request_id: string; ts: string; input_tokens: number; status: number; ip: string; end_user: string | null }>(
    `SELECT request_id, ts, input_tokens, status, ip, end_user FROM events ORDER BY source_row`,
  );
  expect(got).toHaveLength(rows.length);
  expect(got[0]).toEqual({
    request_id: 'r-1', ts: '2026-03-01T00:00:00.000Z', input_tokens: 100, status: 429, ip: '2001:db8::0', end_user: 'user-0',
  });
  expect(got[59]!.ts).toBe('2026-03-01T00:00:59.000Z');
  expect(got.map((r) => r.request_id)).toEqual(rows.map((r) => r.request_id));
}

describe('ingest formats', () => {
  const cases: [string, () => Promise<string> | string][] = [
    ['jsonl', () => tmp.write('a/events.jsonl', toJsonl(rows))],
    ['jsonl.gz', () => tmp.write('a/events.jsonl.gz', gzip(toJsonl(rows)))],
    ['ndjson', () => tmp.write('a/events.ndjson', toJsonl(rows))],
    ['csv', () => tmp.write('a/events.csv', toCsv(rows))],
    ['csv.gz', () => tmp.write('a/events.csv.gz', gzip(toCsv(rows)))],
    ['tsv', () => tmp.write('a/events.tsv', toCsv(rows, '\t'))],
    ['arrow', () => tmp.write('a/events.arrow', Buffer.from(arrowBytes(rows)))],
    ['arrow.gz', () => tmp.write('a/events.arrow.gz', gzip(Buffer.from(arrowBytes(rows))))],
    ['parquet', async () => {
      const p = tmp.path('a/events.parquet');
      await writeParquet(rows, p, tmp.path('a/scratch-pq.jsonl'));
      return p;
    }],
    ['parquet.gz', async () => {
      const p = tmp.path('a/events2.parquet');
      await writeParquet(rows, p, tmp.path('a/scratch-pq2.jsonl'));
      const { readFileSync } = await import('node:fs');
      return tmp.write('a/events2.parquet.gz', gzip(readFileSync(p)));
    }],
  ];
  for (const [name, make] of cases) {
    it(`loads ${name}`, async () => {
      const file = await make();
      const { db, summary } = await load([file]);
      try {
        expect(summary.failures).toEqual([]);
        expect(summary.files[0]).toMatchObject({ status: 'loaded', rowsRead: 60, rowsLoaded: 60, rowsRejected: 0, format: name.replace('ndjson', 'jsonl').replace('tsv', 'csv') });
        await expectSameEvents(db);
      } finally {
        db.close();
      }
    });
  }

  it('loads several files, globs and hive-partitioned folders, recording each file', async () => {
    tmp.write('hive/day=2026-03-01/part-0.jsonl', toJsonl(rows.slice(0, 20)));
    tmp.write('hive/day=2026-03-02/part-0.jsonl', toJsonl(rows.slice(20, 40)));
    tmp.write('hive/_SUCCESS', '');
    tmp.write('glob/x-1.jsonl', toJsonl(rows.slice(40, 50)));
    tmp.write('glob/x-2.jsonl', toJsonl(rows.slice(50)));
    const { db, summary } = await load([tmp.path('hive'), tmp.path('glob/x-*.jsonl')]);
    try {
      expect(summary.failures).toEqual([]);
      expect(summary.files.map((f) => f.rowsLoaded)).toEqual([10, 10, 20, 20]);
      expect(await db.value('SELECT count(DISTINCT request_id) FROM events')).toBe(60);
      // Hive partition values in the path are kept with each row.
      expect(await db.value(`SELECT count(*) FROM events WHERE extra->>'day' = '2026-03-02'`)).toBe(20);
      const files = await db.all<{ path: string; rows_loaded: number; sha256: string }>(
        'SELECT path, rows_loaded, sha256 FROM ingested_files ORDER BY file_id',
      );
      expect(files.map((f) => f.path.slice(tmp.root.length))).toEqual([
        '/glob/x-1.jsonl', '/glob/x-2.jsonl', '/hive/day=2026-03-01/part-0.jsonl', '/hive/day=2026-03-02/part-0.jsonl',
      ]);
      expect(files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    } finally {
      db.close();
    }
  });

  it('takes the format from --format when the name does not tell it', async () => {
    const file = tmp.write('a/export.txt', toJsonl(rows));
    const { db, summary } = await load([file], { format: parseFormatOption('jsonl') });
    try {
      expect(summary.files[0]?.rowsLoaded).toBe(60);
    } finally {
      db.close();
    }
  });

  it('keeps unknown columns in extra and provenance per row', async () => {
    const file = tmp.write('a/extra.jsonl', toJsonl(rows.slice(0, 3).map((r) => ({ ...r, region: 'eu', cost: 1.5 }))));
    const { db } = await load([file]);
    try {
      const got = await db.all<{ extra: string; source_file_id: number; source_row: number }>(
        'SELECT extra, source_file_id, source_row FROM events ORDER BY source_row',
      );
      expect(JSON.parse(got[0]!.extra)).toEqual({ region: 'eu', cost: 1.5 });
      expect(got.map((r) => r.source_row)).toEqual([1, 2, 3]);
    } finally {
      db.close();
    }
  });

  it('loads accounts and enforcement tables, keeping one row per account', async () => {
    const accounts = tmp.write('a/accounts.csv', 'account_id,created_at,email_domain,payment_fingerprint,country,signup_ip\nacct-1,2026-01-01T00:00:00Z,example.com,pf-1,DE,10.1.1.1\nacct-2,2026-01-02,mail.test,pf-1,US,10.1.1.2\nacct-1,2026-01-03T00:00:00Z,example.com,pf-9,DE,10.1.1.1\n');
    const bans = tmp.write('a/bans.jsonl', '{"account_id":"acct-1","ts":"2026-02-01T00:00:00Z","action":"ban"}\n{"account_id":"acct-2","ts":"2026-02-02T00:00:00Z"}\n');
    const db = await CaseFile.open(tmp.path('case-acc.duckdb'));
    try {
      const summary = await ingest(db, [
        { table: 'accounts', inputs: [accounts] },
        { table: 'enforcement', inputs: [bans] },
      ]);
      expect(summary.files.map((f) => [f.table, f.rowsLoaded, f.rowsRejected, f.rowsDuplicate])).toEqual([
        ['accounts', 2, 0, 1],
        ['enforcement', 1, 1, 0],
      ]);
      expect(await db.value('SELECT payment_fingerprint FROM accounts WHERE account_id = \'acct-1\'')).toBe('pf-1');
      expect(await db.value("SELECT reason FROM rejected_rows WHERE table_name = 'enforcement'")).toBe('action: missing');
    } finally {
      db.close();
    }
  });
});
