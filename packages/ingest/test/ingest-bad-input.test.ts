// Bad input: every case gets a specific message or a rejected row with its
// reason, exact counts, and nothing half-loaded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { CaseFile, InputError } from '@farmscope/casefile';
import { ingest, type IngestOptions } from '@farmscope/ingest';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { makeEvents, toCsv, toJsonl, writeParquet } from './fixtures.js';

let tmp: TempFolder;
beforeAll(() => {
  tmp = createTempFolder();
});
afterAll(() => tmp.remove());

async function withCase<T>(fn: (db: CaseFile) => Promise<T>): Promise<T> {
  const db = await CaseFile.open(tmp.path(`case-${Math.random().toString(36).slice(2)}.duckdb`));
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

const loadEvents = (db: CaseFile, files: string[], options: IngestOptions = {}) =>
  ingest(db, [{ table: 'events', inputs: files }], options);

describe('ingest bad input', () => {
  it('refuses a missing file before loading anything', async () => {
    const good = tmp.write('m/good.jsonl', toJsonl(makeEvents(5)));
    await withCase(async (db) => {
      await expect(loadEvents(db, [good, tmp.path('m/nope.parquet')])).rejects.toThrow(/file not found: .*nope\.parquet/);
      await expect(loadEvents(db, [tmp.path('m/none-*.jsonl')])).rejects.toThrow(/no files match/);
      expect(await db.tableExists('events')).toBe(false);
    });
  });

  it('fails a corrupt or truncated Parquet file with its name, keeping other files', async () => {
    const good = tmp.write('c/a-good.jsonl', toJsonl(makeEvents(5)));
    const junk = tmp.write('c/b-junk.parquet', 'this is not parquet at all');
    const full = tmp.path('c/full.parquet');
    await writeParquet(makeEvents(50), full, tmp.path('c/scratch.jsonl'));
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(full);
    const truncated = tmp.write('c/c-truncated.parquet', bytes.subarray(0, Math.floor(bytes.length / 2)));
    await withCase(async (db) => {
      const summary = await loadEvents(db, [good, junk, truncated]);
      expect(summary.files.map((f) => f.rowsLoaded)).toEqual([5]);
      expect(summary.failures).toHaveLength(2);
      expect(summary.failures[0]).toMatchObject({ path: junk, exitCode: 2 });
      expect(summary.failures[0]!.error).toMatch(/b-junk\.parquet/);
      expect(summary.failures[1]).toMatchObject({ path: truncated, exitCode: 2 });
      expect(await db.value('SELECT count(*) FROM events')).toBe(5);
      expect(await db.value('SELECT count(*) FROM ingested_files')).toBe(1);
    });
  });

  it('fails a file that lacks a required column, naming column and file, loading nothing from it', async () => {
    const noAccount = makeEvents(10).map(({ account_id: _, ...rest }) => rest);
    const pq = tmp.path('r/no-account.parquet');
    await writeParquet(noAccount, pq, tmp.path('r/scratch.jsonl'));
    const jsonl = tmp.write('r/no-account.jsonl', toJsonl(noAccount));
    const csv = tmp.write('r/no-account.csv', toCsv(noAccount));
    await withCase(async (db) => {
      const summary = await loadEvents(db, [pq, jsonl, csv]);
      expect(summary.files).toEqual([]);
      expect(summary.failures.map((f) => f.exitCode)).toEqual([2, 2, 2]);
      for (const failure of summary.failures) {
        expect(failure.error).toMatch(/required column "account_id" is missing/);
        expect(failure.error).toContain(failure.path);
      }
      expect(await db.value('SELECT count(*) FROM events')).toBe(0);
      expect(await db.value('SELECT count(*) FROM rejected_rows')).toBe(0);
    });
  });

  it('rejects JSON lines that are not JSON objects, with exact line numbers', async () => {
    const good = makeEvents(4).map((r) => JSON.stringify(r));
    const text = [good[0], 'not json', good[1], '', '{"request_id": "x", "ts": ', good[2], '[1, 2, 3]', good[3]].join('\n');
    const file = tmp.write('j/mixed.jsonl', text);
    await withCase(async (db) => {
      const summary = await loadEvents(db, [file]);
      expect(summary.files[0]).toMatchObject({ rowsRead: 7, rowsLoaded: 4, rowsRejected: 3 });
      const rejected = await db.all('SELECT row_number, line_number, reason_code, reason, raw FROM rejected_rows ORDER BY row_number');
      expect(rejected).toEqual([
        { row_number: 2, line_number: 2, reason_code: 'parse_error', reason: 'not valid JSON', raw: 'not json' },
        { row_number: 5, line_number: 5, reason_code: 'parse_error', reason: 'not valid JSON', raw: '{"request_id": "x", "ts": ' },
        { row_number: 7, line_number: 7, reason_code: 'parse_error', reason: 'not a JSON object (array)', raw: '[1, 2, 3]' },
      ]);
      expect(await db.all('SELECT source_row FROM events ORDER BY source_row')).toEqual(
        [1, 3, 6, 8].map((n) => ({ source_row: n })),
      );
    });
  });

  it('rejects wrong types and unparseable timestamps, naming each column and value', async () => {
    const rows = makeEvents(8);
    Object.assign(rows[0]!, { input_tokens: 'lots' });
    Object.assign(rows[1]!, { output_tokens: -3 });
    Object.assign(rows[2]!, { status: 700 });
    Object.assign(rows[3]!, { temperature: 'hot', max_tokens: 1.5 });
    Object.assign(rows[4]!, { ts: 'yesterday' });
    Object.assign(rows[5]!, { ts: 1767323045 }); // epoch seconds, not ms
    Object.assign(rows[6]!, { ip: '999.1.2.3' });
    Object.assign(rows[7]!, { ts: 1767323045000, ip: '2001:DB8::7' }); // both fine
    const file = tmp.write('t/types.jsonl', toJsonl(rows));
    await withCase(async (db) => {
      const summary = await loadEvents(db, [file]);
      expect(summary.files[0]).toMatchObject({ rowsRead: 8, rowsLoaded: 1, rowsRejected: 7 });
      const reasons = (await db.all<{ reason: string }>('SELECT reason FROM rejected_rows ORDER BY row_number')).map((r) => r.reason);
      expect(reasons).toEqual([
        'input_tokens: not a number "lots"',
        'output_tokens: "-3" is negative',
        'status: "700" is not in 100..599',
        'max_tokens: not a whole number "1.5"; temperature: not a number "hot"',
        'ts: unparseable timestamp "yesterday" (expected ISO-8601 or epoch milliseconds)',
        'ts: 1970-01-21T10:55:23Z is outside 2000-01-01..2100-01-01 (epoch seconds given where milliseconds are expected?)',
        'ip: not an IPv4 or IPv6 address "999.1.2.3"',
      ]);
      expect(await db.one('SELECT ts, ip FROM events')).toEqual({ ts: '2026-01-02T03:04:05.000Z', ip: '2001:db8::7' });
    });
  });

  it('fails empty files: zero bytes, a header only, an empty Parquet file', async () => {
    const empty = tmp.write('e/empty.jsonl', '');
    const blank = tmp.write('e/blank.jsonl', '\n\n');
    const header = tmp.write('e/header.csv', 'request_id,ts,account_id\n');
    const pq = tmp.path('e/empty.parquet');
    await writeParquet(makeEvents(1), pq, tmp.path('e/s.jsonl'));
    const db0 = await CaseFile.open(':memory:');
    await db0.run(`COPY (FROM read_parquet('${pq}') LIMIT 0) TO '${tmp.path('e/zero.parquet')}' (FORMAT parquet)`);
    db0.close();
    await withCase(async (db) => {
      const summary = await loadEvents(db, [empty, blank, header, tmp.path('e/zero.parquet')]);
      expect(summary.files).toEqual([]);
      expect(summary.failures).toHaveLength(4);
      for (const f of summary.failures) expect(f.error).toMatch(/holds no rows|is empty/);
    });
  });

  it('loads exactly 90% of a file with 10% bad rows and keeps the 10% with reasons', async () => {
    const rows = makeEvents(1000);
    rows.forEach((r, i) => {
      if (i % 10 !== 3) return;
      const kind = (i / 10) % 4 | 0;
      if (kind === 0) r.ts = 'not a time';
      else if (kind === 1) delete r.account_id;
      else if (kind === 2) r.status = 'OK';
      else r.input_tokens = -1;
    });
    for (const [name, content] of [['ten.jsonl', toJsonl(rows)], ['ten.csv', toCsv(rows)]] as const) {
      const file = tmp.write(`p/${name}`, content);
      await withCase(async (db) => {
        const summary = await loadEvents(db, [file]);
        expect(summary.files[0]).toMatchObject({ rowsRead: 1000, rowsLoaded: 900, rowsRejected: 100, rowsDuplicate: 0 });
        expect(await db.value('SELECT count(*) FROM events')).toBe(900);
        expect(await db.value('SELECT count(*) FROM rejected_rows')).toBe(100);
        expect(await db.one('SELECT rows_read, rows_loaded, rows_rejected FROM ingested_files')).toEqual({
          rows_read: 1000, rows_loaded: 900, rows_rejected: 100,
        });
        const rowNumbers = await db.all<{ row_number: number }>('SELECT row_number FROM rejected_rows ORDER BY 1');
        expect(rowNumbers.map((r) => r.row_number)).toEqual(Array.from({ length: 100 }, (_, k) => k * 10 + 4));
        expect(await db.value("SELECT count(*) FROM rejected_rows WHERE reason_code = 'missing_required'")).toBe(25);
      });
    }
  });

  it('rejects lines with bytes that are not UTF-8 and keeps the numbering of the rest', async () => {
    const good = makeEvents(3).map((r) => Buffer.from(JSON.stringify(r) + '\n'));
    const bad = Buffer.concat([Buffer.from('{"request_id":"bad","ts":"2026-03-01T00:00:00Z","account_id":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    const file = tmp.write('u/latin.jsonl', Buffer.concat([good[0]!, bad, good[1]!, good[2]!]));
    const csvBad = Buffer.concat([Buffer.from('request_id,ts,account_id\nc1,2026-03-01T00:00:00Z,a\nc2,2026-03-01T00:00:00Z,b'), Buffer.from([0xe9]), Buffer.from('\nc3,2026-03-01T00:00:00Z,c\n')]);
    const csv = tmp.write('u/latin.csv', csvBad);
    await withCase(async (db) => {
      const summary = await loadEvents(db, [file, csv]);
      expect(summary.files.map((f) => [f.rowsRead, f.rowsLoaded, f.rowsRejected])).toEqual([[3, 2, 1], [4, 3, 1]]);
      const rejected = await db.all<{ path: string; row_number: number; reason: string }>('SELECT path, row_number, reason FROM rejected_rows ORDER BY path');
      expect(rejected.map((r) => [r.path.slice(-9), r.row_number])).toEqual([['latin.csv', 2], ['tin.jsonl', 2]]);
      for (const r of rejected) expect(r.reason).toMatch(/unicode|UTF-8|encoding/i);
      const jsonlRows = await db.all<{ source_row: number }>(
        `SELECT source_row FROM events e JOIN ingested_files f ON e.source_file_id = f.file_id WHERE f.format = 'jsonl' ORDER BY 1`,
      );
      expect(jsonlRows.map((r) => r.source_row)).toEqual([1, 3, 4]);
    });
  });

  it('loads a 10 MB prompt, cutting it to the limit and counting it', async () => {
    const rows = makeEvents(3);
    rows[1]!.prompt = 'x'.repeat(10 * 1024 * 1024);
    const file = tmp.write('big/prompt.jsonl', toJsonl(rows));
    await withCase(async (db) => {
      const summary = await loadEvents(db, [file]);
      expect(summary.files[0]).toMatchObject({ rowsLoaded: 3, textsTruncated: 1 });
      expect(await db.value("SELECT length(prompt) FROM events WHERE request_id = 'r-2'")).toBe(1_000_000);
    });
    await withCase(async (db) => {
      await loadEvents(db, [file], { maxTextChars: 0 });
      expect(await db.value("SELECT length(prompt) FROM events WHERE request_id = 'r-2'")).toBe(10 * 1024 * 1024);
    });
  });

  it('treats a hostile column name in a mapping as a name, not SQL', async () => {
    const file = tmp.write('s/events.jsonl', toJsonl(makeEvents(5)));
    const csv = tmp.write('s/events.csv', toCsv(makeEvents(5, 'z')));
    await withCase(async (db) => {
      await loadEvents(db, [file]);
      const hostile = 'request_id"); DROP TABLE events; --';
      const summary = await loadEvents(db, [csv], { mapping: { events: { request_id: hostile } } });
      expect(summary.failures).toHaveLength(1);
      expect(summary.failures[0]!.error).toContain(`column "${hostile}" (mapped to request_id) is missing`);
      expect(await db.value('SELECT count(*) FROM events')).toBe(5);
      const jsonl2 = tmp.write('s/events2.jsonl', toJsonl(makeEvents(5, 'y')));
      const s2 = await loadEvents(db, [jsonl2], { mapping: { events: { account_id: "x'); DROP TABLE events; --" } } });
      expect(s2.failures[0]!.error).toMatch(/required column "account_id" is missing/);
      expect(await db.value('SELECT count(*) FROM events')).toBe(5);
    });
  });

  it('re-ingesting the same file is a no-op; duplicate request ids keep one row and are counted', async () => {
    const first = tmp.write('d/first.jsonl', toJsonl(makeEvents(10)));
    const rows = makeEvents(10);
    const second = tmp.write('d/second.jsonl', toJsonl([...rows.slice(5), ...makeEvents(3, 'n'), ...makeEvents(3, 'n')]));
    await withCase(async (db) => {
      await loadEvents(db, [first]);
      const again = await loadEvents(db, [first]);
      expect(again.files[0]).toMatchObject({ status: 'skipped', rowsLoaded: 0 });
      expect(again.files[0]!.message).toMatch(/already ingested as file #1/);
      const copy = tmp.write('d/renamed-copy.jsonl', toJsonl(makeEvents(10)));
      expect((await loadEvents(db, [copy])).files[0]!.status).toBe('skipped');
      const s = await loadEvents(db, [second]);
      expect(s.files[0]).toMatchObject({ rowsRead: 11, rowsLoaded: 3, rowsDuplicate: 8, rowsRejected: 0 });
      expect(await db.value('SELECT count(*) FROM events')).toBe(13);
      expect(await db.value("SELECT count(*) FROM rejected_rows WHERE reason LIKE '%already in the case file'")).toBe(5);
      expect(await db.value("SELECT reason FROM rejected_rows WHERE row_number = 9")).toBe('duplicate request_id "n-1": first seen at row 6 of this file');
    });
  });

  it('rejects embeddings of another length than the others', async () => {
    const rows = makeEvents(6).map((r, i) => ({ ...r, prompt_embedding: i === 4 ? [1, 2] : [0.1, 0.2, 0.3] }));
    const file = tmp.write('v/emb.jsonl', toJsonl(rows));
    await withCase(async (db) => {
      const s = await loadEvents(db, [file]);
      expect(s.files[0]).toMatchObject({ rowsLoaded: 5, rowsRejected: 1 });
      expect(await db.value('SELECT reason FROM rejected_rows')).toBe('prompt_embedding: length 2, expected 3 like the other rows');
    });
  });

  it('gives a clear error for an unreadable mapping', async () => {
    const { readMappingFile } = await import('@farmscope/ingest');
    expect(() => readMappingFile(tmp.path('no-map.json'))).toThrow(InputError);
    writeFileSync(tmp.path('bad-map.json'), '{"ts": 5}');
    expect(() => readMappingFile(tmp.path('bad-map.json'))).toThrow(/"ts" must map to a non-empty column name/);
  });
});
