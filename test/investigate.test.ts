// `farmscope investigate` end to end on generated logs, as a user runs it: the
// output files of contract §5 and their headers, one row per account of the
// events, byte-identical reruns, manifest hashes that match the files, and
// the refusals (non-empty --out, no matching events, no --out) with exit 2.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile, literal } from '@farmscope/casefile';
import { CLI, runCli } from './support/run-cli.js';
import { createTempFolder, type TempFolder } from './support/temp-folder.js';

const HASHED_OUTPUTS = ['account_farms.csv', 'farms.json', 'report.html', 'report.md', 'stix-bundle.json', 'timeline.jsonl', 'regulator-summary.md'];

let tmp: TempFolder;
let data: string;
let first: string;
let firstRun: ReturnType<typeof runCli>;
beforeAll(() => {
  tmp = createTempFolder('farmscope-investigate-');
  data = tmp.path('data');
  const generated = runCli(['generate', '--scenario', 'tiny', '--seed', '3', '--out', data]);
  expect(generated.code, generated.stderr).toBe(0);
  first = tmp.path('first');
  firstRun = investigate(first);
});
afterAll(() => tmp.remove());

function investigate(out: string, extra: readonly string[] = [], globals: readonly string[] = []) {
  return runCli([
    ...globals, 'investigate', '--events', join(data, 'events.parquet'), '--accounts', join(data, 'accounts.parquet'),
    '--enforcement', join(data, 'enforcement.parquet'), '--out', out, ...extra,
  ]);
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function distinctAccounts(events: string): Promise<string[]> {
  const caseFile = await CaseFile.open(':memory:');
  try {
    const rows = await caseFile.all<{ account_id: string }>(
      `SELECT DISTINCT account_id FROM read_parquet(${literal(events)}) ORDER BY account_id`,
    );
    return rows.map((r) => r.account_id);
  } finally {
    caseFile.close();
  }
}

describe('farmscope investigate', () => {
  it('writes the contract outputs and a short summary on stdout', () => {
    expect(firstRun.code, firstRun.stderr).toBe(0);
    for (const name of [...HASHED_OUTPUTS, 'manifest.json', 'run.json', 'case.duckdb']) {
      expect(existsSync(join(first, name)), name).toBe(true);
    }
    expect(firstRun.stdout).toMatch(/^farms: \d+ found; \d+ of \d+ accounts flagged$/m);
    expect(firstRun.stdout).toMatch(/^wrote: account_farms\.csv, farms\.json, report\.html, manifest\.json, run\.json in /m);
    expect(firstRun.stderr).not.toMatch(/[\r\x1b]/); // no progress drawing when stderr is not a terminal
  });

  it('lists every account of the events once, sorted, with a score in [0,1]', async () => {
    const lines = readFileSync(join(first, 'account_farms.csv'), 'utf8').split('\n');
    expect(lines[0]).toBe('account_id,farm_id,score');
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1).map((line) => line.split(','));
    expect(rows.map((r) => r[0])).toEqual(await distinctAccounts(join(data, 'events.parquet')));
    for (const [, farm, score] of rows) {
      expect(score).toMatch(/^[01]\.\d{6}$/);
      expect(Number(score)).toBeLessThanOrEqual(1);
      expect(farm).not.toMatch(/"/);
    }
  });

  it('writes farms.json as pretty-printed JSON and a self-contained report.html', () => {
    const text = readFileSync(join(first, 'farms.json'), 'utf8');
    const farms = JSON.parse(text);
    expect(Array.isArray(farms)).toBe(true);
    expect(text).toBe(`${JSON.stringify(farms, null, 2)}\n`);
    const html = readFileSync(join(first, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
  });

  it('records versions, parameters and the hashes of every input and output in manifest.json', () => {
    const manifest = JSON.parse(readFileSync(join(first, 'manifest.json'), 'utf8'));
    expect(manifest.tool).toMatchObject({ name: 'farmscope', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    expect(manifest.duckdb.library).toMatch(/^v\d+\.\d+/);
    expect(manifest.parameters.options).toMatchObject({ case_file: 'case.duckdb', events: [join(data, 'events.parquet')] });
    expect(manifest.parameters).toHaveProperty('farm_config');
    expect(manifest.inputs.map((i: { role: string }) => i.role)).toEqual(['accounts', 'enforcement', 'events']);
    for (const input of manifest.inputs) {
      expect(input.sha256).toBe(sha256(input.path));
      expect(input.size_bytes).toBe(statSync(input.path).size);
    }
    expect(manifest.outputs.map((o: { file: string }) => o.file)).toEqual(HASHED_OUTPUTS);
    for (const output of manifest.outputs) {
      expect(output.sha256).toBe(sha256(join(first, output.file)));
      expect(output.size_bytes).toBe(statSync(join(first, output.file)).size);
    }
    expect(manifest.not_hashed.map((f: { file: string }) => f.file)).toEqual(['manifest.json', 'run.json', 'case.duckdb']);
    const run = JSON.parse(readFileSync(join(first, 'run.json'), 'utf8'));
    expect(run.timings.stages.length).toBeGreaterThan(0);
  });

  it('gives byte-identical outputs on a second run, elsewhere and in place with --force', () => {
    const second = tmp.path('second');
    const again = investigate(second);
    expect(again.code, again.stderr).toBe(0);
    const forced = investigate(second, ['--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).not.toMatch(/already ingested/); // the default case file was replaced, not reused
    for (const name of [...HASHED_OUTPUTS, 'manifest.json']) {
      expect(readFileSync(join(second, name)).equals(readFileSync(join(first, name))), name).toBe(true);
    }
  });

  it('gives the same farms on one DuckDB thread (the manifest records the option)', () => {
    const single = tmp.path('single-thread');
    const result = investigate(single, [], ['--threads', '1']);
    expect(result.code, result.stderr).toBe(0);
    for (const name of HASHED_OUTPUTS) {
      expect(readFileSync(join(single, name)).equals(readFileSync(join(first, name))), name).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(single, 'manifest.json'), 'utf8')).parameters.options.threads).toBe('1');
  });

  it.runIf(existsSync('/usr/bin/script'))('draws progress per stage on stderr only when it is a terminal', () => {
    const out = tmp.path('tty');
    const command = `node "${CLI}" investigate --events "${join(data, 'events.parquet')}" --out "${out}" 2>&1 > /dev/null`;
    const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('\r\x1b[2Kingest [1/1] events events.parquet');
    expect(result.stdout).toMatch(/\r\x1b\[2Kanalyze \[1\/\d+\] \w+/);
    expect(result.stdout).toContain('\r\x1b[2Kwrite account_farms.csv');
  });

  it('refuses a non-empty --out without --force, and touches nothing', () => {
    const before = sha256(join(first, 'account_farms.csv'));
    const result = investigate(first);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--out .*first: folder is not empty .*--force/);
    expect(result.stdout).toBe('');
    expect(sha256(join(first, 'account_farms.csv'))).toBe(before);
  });

  it('puts the case file where an explicit --db says', () => {
    const out = tmp.path('own-db');
    const db = tmp.path('elsewhere/case.duckdb');
    const result = runCli(['--db', db, 'investigate', '--events', join(data, 'events.parquet'), '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(db)).toBe(true);
    expect(existsSync(join(out, 'case.duckdb'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).parameters.options.case_file).toBe(db);
    const again = runCli(['--db', db, 'investigate', '--events', join(data, 'events.parquet'), '--out', out, '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/already holds [\d,]+ events from earlier loads; the investigation covers them too/);
    expect(again.stderr).toMatch(/already ingested/);
    expect(existsSync(db)).toBe(true);
  });

  it('exits 2 naming the pattern when no events file matches, or on a bad mapping, leaving nothing behind', () => {
    const out = tmp.path('nothing');
    const result = runCli(['investigate', '--events', tmp.path('nowhere/*.parquet'), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no files match ${tmp.path('nowhere/*.parquet')}`);
    expect(existsSync(out)).toBe(false);
    const badMapping = runCli(['investigate', '--events', join(data, 'events.parquet'), '--col', 'tokens_in=x', '--out', out]);
    expect(badMapping.code).toBe(2);
    expect(badMapping.stderr).toMatch(/"tokens_in" is not a contract column/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 with a usage error without --out or --events', () => {
    const noOut = runCli(['investigate', '--events', join(data, 'events.parquet')]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/required option '--out <dir>' not specified/);
    expect(runCli(['investigate', '--out', tmp.path('x')]).code).toBe(2);
  });

  it('counts rejected rows and goes on; exits 2 when no event loads', () => {
    const line = (i: number, account: string) =>
      JSON.stringify({ request_id: `r${i}`, ts: `2026-05-01T00:${String(i % 60).padStart(2, '0')}:00Z`, account_id: account, prompt: `q ${i}` });
    const good = Array.from({ length: 40 }, (_, i) => line(i, `acct-${i % 4}`)).join('\n');
    const file = tmp.write('rejects/events.jsonl', `${good}\nnot json\n{"request_id":"x","ts":"yesterday","account_id":"a"}\n`);
    const out = tmp.path('rejects-out');
    const result = runCli(['investigate', '--events', file, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/events: 40 loaded from 1 file\(s\); 2 row\(s\) rejected \(events invalid_value 1, events parse_error 1; see rejected_rows\)/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.rejected_rows).toEqual([
      { table: 'events', reason_code: 'invalid_value', rows: 1 },
      { table: 'events', reason_code: 'parse_error', rows: 1 },
    ]);
    expect(readFileSync(join(out, 'account_farms.csv'), 'utf8').split('\n').length).toBe(1 + 4 + 1);

    const bad = tmp.write('all-bad/events.jsonl', 'nope\nnot json either\n');
    const none = runCli(['investigate', '--events', bad, '--out', tmp.path('all-bad-out')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no events were loaded/);
  });

  it('writes its outputs when one file fails to load, names it, and exits 2', async () => {
    const broken = tmp.write('broken/events-2.parquet', 'PAR1 not really');
    const out = tmp.path('broken-out');
    const result = runCli(['investigate', '--events', join(data, 'events.parquet'), broken, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(broken);
    expect(result.stderr).toMatch(/1 file\(s\) did not load; the results cover the other files/);
    expect(result.stdout).toMatch(/1 file\(s\) failed/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.failed_inputs).toEqual([{ table: 'events', path: broken, error: expect.stringContaining(broken) }]);
    const accounts = readFileSync(join(out, 'account_farms.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(accounts).toEqual(await distinctAccounts(join(data, 'events.parquet')));
  });

  it('writes an account_farms.csv that farmscope eval scores against the truth', () => {
    const result = runCli(['eval', '--truth', join(data, 'truth.parquet'), '--pred', join(first, 'account_farms.csv'), '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const evaluation = JSON.parse(result.stdout);
    const rows = readFileSync(join(first, 'account_farms.csv'), 'utf8').trim().split('\n').length - 1;
    expect(evaluation.accounts.inPredictions).toBe(rows);
    expect(evaluation.accounts.missingFromPredictions).toBe(0);
    const withCase = runCli(['--db', join(first, 'case.duckdb'), 'eval', '--truth', join(data, 'truth.parquet'), '--format', 'json']);
    expect(withCase.code, withCase.stderr).toBe(0);
    expect(JSON.parse(withCase.stdout).accountLevel).toEqual(evaluation.accountLevel);
  });

  it('reports no farm on logs with no attack at all', () => {
    const scenario = join(import.meta.dirname, '..', 'datasets', 'scenarios', 'no-attack.json');
    const logs = tmp.path('no-attack');
    expect(runCli(['-q', 'generate', '--scenario', scenario, '--seed', '2', '--scale', '0.05', '--out', logs]).code).toBe(0);
    const out = tmp.path('no-attack-out');
    // No enforcement file: with no attack the generator writes an empty one, which ingest refuses.
    const result = runCli(['investigate', '--events', join(logs, 'events.parquet'), '--accounts', join(logs, 'accounts.parquet'), '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^farms: 0 found; 0 of [\d,]+ accounts flagged$/m);
    expect(readFileSync(join(out, 'farms.json'), 'utf8')).toBe('[]\n');
    const rows = readFileSync(join(out, 'account_farms.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(500);
    expect(rows.filter((r) => r.split(',')[1] !== '')).toEqual([]);
  });

  it('records --config, --map and --col in the manifest, and refuses a bad config before writing anything', () => {
    const config = tmp.write('params/farms.json', JSON.stringify({ farm: { minScore: 0.5 } }));
    const mapping = tmp.write('params/mapping.json', JSON.stringify({ events: { account_id: 'customer' } }));
    const line = (i: number) => JSON.stringify({ id: `m${i}`, ts: `2026-05-01T01:${String(i % 60).padStart(2, '0')}:00Z`, customer: `c${i % 3}` });
    const events = tmp.write('params/gateway.jsonl', `${Array.from({ length: 30 }, (_, i) => line(i)).join('\n')}\n`);
    const out = tmp.path('params-out');
    const result = runCli(['investigate', '--events', events, '--map', mapping, '--col', 'request_id=id', '--config', config, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.parameters.farm_config.farm.minScore).toBe(0.5);
    expect(manifest.parameters.column_mapping).toMatchObject({ events: { account_id: 'customer', request_id: 'id' } });
    expect(manifest.parameters.options).toMatchObject({ config, map: mapping, col: ['request_id=id'] });
    const roles = Object.fromEntries(manifest.inputs.map((i: { role: string; sha256: string }) => [i.role, i.sha256]));
    expect(roles).toEqual({ events: sha256(events), farm_config: sha256(config), column_mapping: sha256(mapping) });

    const bad = tmp.write('params/bad.json', JSON.stringify({ farm: { minScroe: 0.5 } }));
    const refused = runCli(['investigate', '--events', events, '--map', mapping, '--config', bad, '--out', tmp.path('bad-config-out')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/unknown key farm\.minScroe/);
    expect(existsSync(tmp.path('bad-config-out'))).toBe(false);
  });

  it('has --help with examples', () => {
    const help = runCli(['investigate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(readdirSync(tmp.root)).toContain('data');
  });
});
