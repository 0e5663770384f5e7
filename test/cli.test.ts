// The farmscope CLI end to end, as a user runs it: exit codes, stdout/stderr
// discipline, help with examples, ingest summaries and query output formats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createTempFolder, type TempFolder } from './support/temp-folder.js';
import { spawnSync } from 'node:child_process';
import { CLI, runCli } from './support/run-cli.js';

let tmp: TempFolder;
let db: string;
beforeAll(() => {
  tmp = createTempFolder();
  db = tmp.path('case.duckdb');
});
afterAll(() => tmp.remove());

const events = (n: number, prefix = 'e') =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      request_id: `${prefix}${i}`,
      ts: `2026-05-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
      account_id: `acct-${i % 3}`,
      prompt: `question ${i}`,
      input_tokens: i,
      output_tokens: 10 * i,
    }),
  ).join('\n') + '\n';

describe('farmscope CLI', () => {
  it('prints its version and help with examples on every command', () => {
    const version = runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const command of [[], ['ingest'], ['query']]) {
      const help = runCli([...command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
    expect(runCli(['--help']).stdout).toMatch(/Exit codes: 0 ok, 1 internal error, 2 bad usage or bad input data/);
  });

  it('exits 2 on bad usage', () => {
    expect(runCli(['no-such-command']).code).toBe(2);
    expect(runCli(['ingest', '--no-such-option']).code).toBe(2);
    const nothing = runCli(['--db', db, 'ingest']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to load/);
    expect(runCli(['--db', db, '--memory-limit', 'lots', 'ingest', '--events', 'x.jsonl']).stderr).toMatch(/invalid --memory-limit: "lots"/);
  });

  it('ingests, prints a summary on stdout, and records everything in the case file', () => {
    const file = tmp.write('in/events.jsonl', events(30) + 'oops\n');
    const result = runCli(['--db', db, 'ingest', '--events', file, '--format', 'json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.totals).toEqual({ rowsRead: 31, rowsLoaded: 30, rowsRejected: 1, rowsDuplicate: 0, textsTruncated: 0 });
    expect(summary.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.stderr).not.toMatch(/[\r\x1b]/); // no progress drawing when stderr is not a terminal
    const again = runCli(['--db', db, 'ingest', '--events', file]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already ingested as file #1/);
    expect(again.stdout).toMatch(/skipped/);
  });

  it.runIf(existsSync('/usr/bin/script'))('draws progress on stderr only when it is a terminal', () => {
    const file = tmp.write('tty/events.jsonl', events(50, 't'));
    const own = tmp.path('tty.duckdb');
    const command = `node "${CLI}" --db "${own}" ingest --events "${file}" > /dev/null`;
    const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('\r\x1b[2K[1/1] events events.jsonl');
  });

  it('exits 2 when a file fails, naming it, while the good files load', () => {
    const good = tmp.write('mix/a.jsonl', events(5, 'g'));
    const bad = tmp.write('mix/b.parquet', 'PAR1 garbage');
    const result = runCli(['--db', db, 'ingest', '--events', good, bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(bad);
    expect(result.stdout).toMatch(/failed/);
    const count = runCli(['--db', db, 'query', `SELECT count(*) AS n FROM events WHERE request_id LIKE 'g%'`, '--format', 'csv']);
    expect(count.stdout).toBe('n\n5\n');
  });

  it('maps columns from a mapping file and --col flags', () => {
    const file = tmp.write(
      'map/gateway.jsonl',
      '{"id":"m1","time":"2026-05-02T00:00:00Z","customer":"c9","text":"hello"}\n{"id":"m2","time":1777680000000,"customer":"c9","text":"again"}\n',
    );
    const mapping = tmp.write('map/mapping.json', JSON.stringify({ events: { request_id: 'id', ts: 'time', account_id: 'customer' } }));
    const result = runCli(['--db', db, 'ingest', '--events', file, '--map', mapping, '--col', 'prompt=text']);
    expect(result.code).toBe(0);
    const rows = runCli(['--db', db, 'query', `SELECT request_id, ts, account_id, prompt FROM events WHERE account_id = 'c9' ORDER BY 1`, '--format', 'json']);
    expect(JSON.parse(rows.stdout)).toEqual([
      { request_id: 'm1', ts: '2026-05-02T00:00:00.000Z', account_id: 'c9', prompt: 'hello' },
      { request_id: 'm2', ts: '2026-05-02T00:00:00.000Z', account_id: 'c9', prompt: 'again' },
    ]);
    const unknown = runCli(['--db', db, 'ingest', '--events', file, '--col', 'tokens_in=x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/"tokens_in" is not a contract column/);
  });

  it('queries read-only, as a table, JSON, CSV or a Parquet file', () => {
    const table = runCli(['--db', db, 'query', 'SELECT account_id, count(*) AS n FROM events GROUP BY 1 ORDER BY 1']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/account_id\s+n\n/);
    expect(table.stdout).toMatch(/acct-0\s+\d+/);
    const out = tmp.path('q/out.parquet');
    const pq = runCli(['--db', db, 'query', 'FROM events', '--format', 'parquet', '--out', out]);
    expect(pq.code).toBe(0);
    expect(pq.stdout).toBe('');
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out).subarray(0, 4).toString()).toBe('PAR1');
    const write = runCli(['--db', db, 'query', 'DROP TABLE events']);
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(/read-only/i);
    const bad = runCli(['--db', db, 'query', 'SELEC nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/syntax error/i);
    const missing = runCli(['--db', tmp.path('nope.duckdb'), 'query', 'SELECT 1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/case file not found/);
  });

  it('stops quietly, exit 0, when stdout is closed early (| head)', () => {
    const own = tmp.path('pipe.duckdb');
    expect(runCli(['--db', own, 'ingest', '--events', tmp.write('pipe/e.jsonl', events(3))]).code).toBe(0);
    const script = `node "${CLI}" --db "${own}" query "SELECT * FROM range(2000000)" --limit 0 --format csv | head -n 2; echo "status=\${PIPESTATUS[0]}"`;
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(result.stdout).toBe('range\n0\nstatus=0\n');
    expect(result.stderr).toBe('');
  });
});
