// `farmscope report --redact` end to end: no raw account id, IP address or
// prompt of the input anywhere in a redacted report (every file, the Parquet
// tables read back as text), the same key giving the same tokens across
// reports and another key other tokens, addresses cut to /24, and a missing
// or short key refused with exit 2.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile, literal } from '@farmscope/casefile';
import { truncateIp } from '@farmscope/report';
import { runCli } from './support/run-cli.js';
import { createTempFolder, type TempFolder } from './support/temp-folder.js';

let tmp: TempFolder;
let data: string;
let db: string;
let keyFile: string;
let raw: { accounts: string[]; ips: string[]; prompts: string[]; keys: string[] };

/** Prompts shorter than this are words that any text may hold ("hi", "test"); every longer one is searched for. */
const MIN_PROMPT_CHARS = 16;

beforeAll(async () => {
  tmp = createTempFolder('farmscope-redact-');
  data = tmp.path('data');
  expect(runCli(['generate', '--scenario', 'mixed', '--scale', '0.02', '--seed', '1', '--out', data]).code).toBe(0);
  const out = tmp.path('inv');
  const run = runCli(['investigate', '--events', join(data, 'events.parquet'), '--accounts', join(data, 'accounts.parquet'),
    '--enforcement', join(data, 'enforcement.parquet'), '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  db = join(out, 'case.duckdb');
  keyFile = tmp.write('keys/analyst.key', 'k'.repeat(8) + '0123456789abcdef');
  const caseFile = await CaseFile.open(':memory:');
  try {
    const list = async (sql: string) => (await caseFile.all<{ v: string }>(sql)).map((r) => r.v);
    const events = `read_parquet(${literal(join(data, 'events.parquet'))})`;
    const accounts = `read_parquet(${literal(join(data, 'accounts.parquet'))})`;
    raw = {
      accounts: await list(`SELECT DISTINCT account_id AS v FROM ${events} UNION SELECT account_id FROM ${accounts}`),
      ips: await list(`SELECT DISTINCT ip AS v FROM ${events} WHERE ip IS NOT NULL UNION SELECT signup_ip FROM ${accounts} WHERE signup_ip IS NOT NULL`),
      prompts: await list(`SELECT DISTINCT prompt AS v FROM ${events} WHERE length(prompt) >= ${MIN_PROMPT_CHARS}`),
      keys: await list(`SELECT DISTINCT api_key_id AS v FROM ${events} WHERE api_key_id IS NOT NULL`),
    };
  } finally {
    caseFile.close();
  }
});
afterAll(() => tmp.remove());

function report(out: string, extra: readonly string[], env: Record<string, string> = {}) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return runCli(['--db', db, 'report', '--out', out, '--deterministic', ...extra]);
  } finally {
    process.env = saved;
  }
}

/** Every file of a report as text; Parquet files read back by DuckDB as CSV text. */
async function reportText(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const caseFile = await CaseFile.open(':memory:');
  try {
    const walk = async (d: string) => {
      for (const name of readdirSync(d)) {
        const full = join(d, name);
        if (statSync(full).isDirectory()) await walk(full);
        else if (name.endsWith('.parquet')) {
          const rows = await caseFile.all(`SELECT * FROM read_parquet(${literal(full)})`);
          out.set(relative(dir, full), JSON.stringify(rows));
        } else out.set(relative(dir, full), readFileSync(full, 'utf8'));
      }
    };
    await walk(dir);
  } finally {
    caseFile.close();
  }
  return out;
}

/** The text as stored and as a reader sees it: HTML entities, JSON and Markdown escapes undone, so an escaped prompt is still found. */
const readable = (text: string) => {
  const html = text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
  const json = text.replaceAll('\\"', '"').replaceAll('\\n', '\n').replaceAll('\\\\', '\\');
  return [text, html, json, html.replaceAll('\\|', '|')].join('\n');
};

/** Prompts are looked up by their first PREFIX characters among the text's substrings of that length (one pass, not one search per prompt). */
const PREFIX = 24;
const promptStarts = (text: string) => {
  const out = new Set<string>();
  for (let i = 0; i + PREFIX <= text.length; i++) out.add(text.slice(i, i + PREFIX));
  return out;
};

describe('farmscope report --redact', () => {
  it('leaves no raw account id, key id, IP address or prompt in any file', async () => {
    const out = tmp.path('redacted');
    const r = report(out, ['--redact', '--redact-key-file', keyFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/, redacted; wrote/);
    expect(raw.accounts.length).toBeGreaterThan(100);
    expect(raw.ips.length).toBeGreaterThan(100);
    expect(raw.prompts.length).toBeGreaterThan(100);
    const files = await reportText(out);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['report.html', 'report.md', 'stix-bundle.json', 'timeline.jsonl', 'regulator-summary.md']));
    expect([...files.keys()]).not.toContain('evidence/data/sample_prompts.jsonl');
    const ips = new Set(raw.ips);
    const accounts = new Set([...raw.accounts, ...raw.keys]);
    const leaks: string[] = [];
    for (const [name, stored] of files) {
      const text = readable(stored);
      // every address-shaped and id-shaped token of the file, looked up among the raw ones
      for (const token of text.match(/[0-9A-Fa-f:.]*[.:][0-9A-Fa-f:.]+/g) ?? []) {
        if (ips.has(token.replace(/^[.:]+|[.:]+$/g, ''))) leaks.push(`${name}: address ${token}`);
      }
      for (const token of text.match(/[A-Za-z0-9_-]+/g) ?? []) if (accounts.has(token)) leaks.push(`${name}: id ${token}`);
      for (const id of accounts) if (!/^[A-Za-z0-9_-]+$/.test(id) && text.includes(id)) leaks.push(`${name}: id ${id}`);
      const starts = promptStarts(text);
      for (const p of raw.prompts) {
        if (p.length >= PREFIX ? starts.has(p.slice(0, PREFIX)) && text.includes(p) : text.includes(p)) leaks.push(`${name}: prompt ${p.slice(0, 60)}`);
      }
    }
    expect(leaks).toEqual([]);
    const html = files.get('report.html')!;
    expect(html).toContain('REDACTED');
    expect(html).toMatch(/racct-[0-9a-f]{16}/);
    expect(html).toMatch(/\d+\.\d+\.\d+\.0\/24/);
    expect(html).toContain('prompt text redacted');
    // the unredacted report of the same case does show them (the test above can fail)
    const plainHtml = readFileSync(join(tmp.path('inv'), 'report.html'), 'utf8');
    const plainPrompts = readFileSync(join(tmp.path('inv'), 'evidence/data/sample_prompts.jsonl'), 'utf8');
    expect(raw.accounts.some((id) => plainHtml.includes(id))).toBe(true);
    expect(raw.ips.some((ip) => plainHtml.includes(`<td>${ip}</td>`))).toBe(true);
    expect(raw.prompts.some((p) => plainPrompts.includes(p))).toBe(true);
  });

  it('maps an account to the same token across reports with the same key, to another with another key', () => {
    const tokens = (dir: string) => new Set(readFileSync(join(dir, 'evidence/data/tables/farm_members.csv'), 'utf8').match(/racct-[0-9a-f]{16}/g));
    const a = tmp.path('key-a');
    const b = tmp.path('key-b');
    const c = tmp.path('key-c');
    expect(report(a, ['--redact', '--redact-key-file', keyFile]).code).toBe(0);
    const firstFarm = /^(rfarm-[0-9a-f]{16}),/m.exec(readFileSync(join(a, 'evidence/data/tables/farms.csv'), 'utf8'))![1]!;
    expect(firstFarm).toBeDefined();
    expect(report(b, ['--redact'], { FARMSCOPE_REDACT_KEY: 'k'.repeat(8) + '0123456789abcdef' }).code).toBe(0);
    expect(report(c, ['--redact'], { FARMSCOPE_REDACT_KEY: 'another key, also long enough' }).code).toBe(0);
    expect([...tokens(b)].sort()).toEqual([...tokens(a)].sort());
    expect([...tokens(c)].filter((t) => tokens(a).has(t))).toEqual([]);
    const keyId = (dir: string) => JSON.parse(readFileSync(join(dir, 'evidence/data/manifest.json'), 'utf8')).parameters.redaction.key_id;
    expect(keyId(a)).toBe(keyId(b));
    expect(keyId(a)).not.toBe(keyId(c));
  });

  it('refuses --redact without a key, or with a short one (exit 2)', () => {
    const none = report(tmp.path('no-key'), ['--redact'], { FARMSCOPE_REDACT_KEY: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--redact needs a key: --redact-key-file <path> or the FARMSCOPE_REDACT_KEY variable/);
    const short = report(tmp.path('short-key'), ['--redact', '--redact-key-file', tmp.write('keys/short.key', 'abc')]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/redaction key: 3 bytes, expected at least 16/);
    const missing = report(tmp.path('missing-key'), ['--redact', '--redact-key-file', tmp.path('keys/none.key')]);
    expect(missing.code).toBe(2);
  });

  it('cuts IPv4 addresses to /24 and IPv6 to /48', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0/24');
    expect(truncateIp('2001:db8:1234:5678::1')).toBe('2001:db8:1234::/48');
    expect(truncateIp('2001:0db8:0000:0001:0:0:0:1')).toBe('2001:db8:0::/48');
    expect(truncateIp('::1')).toBe('0:0:0::/48');
    expect(truncateIp('not an address')).toBe('(address)');
  });
});
