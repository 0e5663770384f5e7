// `farmscope report` and investigate's report step end to end on generated
// logs (mixed at 2%): every output written, byte-identical reruns with
// --deterministic (and only generated_at moving without it), a BagIt package
// that verifies (and fails when a file changes), a STIX 2.1 bundle with every
// required property and resolvable references, a Timesketch timeline, a
// Markdown report that renders, report.html self-contained with escaped
// values, opened in headless Chromium with every network request blocked
// and counted (none), and the usage errors (unknown farm, no analysis) with
// exit 2.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { marked } from 'marked';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { verifyBag, writeReport } from '@farmscope/report';
import { runCli } from './support/run-cli.js';
import { createTempFolder, type TempFolder } from './support/temp-folder.js';

let tmp: TempFolder;
let inv: string;
let db: string;
let farms: { id: string; accountCount: number }[];

beforeAll(() => {
  tmp = createTempFolder('farmscope-report-');
  const data = tmp.path('data');
  const generated = runCli(['generate', '--scenario', 'mixed', '--scale', '0.02', '--seed', '1', '--out', data]);
  expect(generated.code, generated.stderr).toBe(0);
  inv = tmp.path('inv');
  const run = runCli(['investigate', '--events', join(data, 'events.parquet'), '--accounts', join(data, 'accounts.parquet'),
    '--enforcement', join(data, 'enforcement.parquet'), '--out', inv]);
  expect(run.code, run.stderr).toBe(0);
  db = join(inv, 'case.duckdb');
  farms = JSON.parse(readFileSync(join(inv, 'farms.json'), 'utf8'));
});
afterAll(() => tmp.remove());

const CHROMIUM = process.env.FARMSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const REPORT_FILES = ['report.html', 'report.md', 'stix-bundle.json', 'timeline.jsonl', 'regulator-summary.md'];

/** Every file under dir, relative, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

function report(out: string, extra: readonly string[] = []) {
  return runCli(['--db', db, 'report', '--out', out, ...extra]);
}

describe('farmscope report', () => {
  it('is written by investigate next to the contract files, with farms to show', () => {
    expect(farms.length).toBeGreaterThan(0);
    for (const name of REPORT_FILES) expect(existsSync(join(inv, name)), name).toBe(true);
    expect(tree(join(inv, 'evidence'))).toEqual(expect.arrayContaining([
      'bag-info.txt', 'bagit.txt', 'data/manifest.json', 'data/sample_prompts.jsonl', 'data/tables/farm_members.csv',
      'data/tables/farm_members.parquet', 'data/tables/farms.csv', 'data/tables/farms.parquet', 'manifest-sha256.txt', 'tagmanifest-sha256.txt',
    ]));
  });

  it('gives byte-identical files for the same case and parameters with --deterministic; without it only generated_at moves', () => {
    const a = tmp.path('det-a');
    const b = tmp.path('det-b');
    const c = tmp.path('clock');
    for (const [out, extra] of [[a, ['--deterministic']], [b, ['--deterministic']], [c, []]] as const) {
      const r = report(out, extra);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^report: ${farms.length} farm\\(s\\); wrote report\\.html, report\\.md, stix-bundle\\.json, timeline\\.jsonl, regulator-summary\\.md, evidence/ in `));
    }
    const files = tree(a);
    expect(tree(b)).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    expect(JSON.parse(readFileSync(join(a, 'evidence/data/manifest.json'), 'utf8')).generated_at).toBe('1970-01-01T00:00:00.000Z');
    const bagMeta = new Set(['evidence/data/manifest.json', 'evidence/manifest-sha256.txt', 'evidence/tagmanifest-sha256.txt', 'evidence/bag-info.txt']);
    for (const f of files.filter((x) => !bagMeta.has(x))) expect(readFileSync(join(c, f)).equals(readFileSync(join(a, f))), f).toBe(true);
    const clock = JSON.parse(readFileSync(join(c, 'evidence/data/manifest.json'), 'utf8'));
    expect(Date.now() - Date.parse(clock.generated_at)).toBeLessThan(600_000);
    const pinned = JSON.parse(readFileSync(join(a, 'evidence/data/manifest.json'), 'utf8'));
    expect(pinned.parameters.deterministic).toBe(true);
    const without = (m: Record<string, unknown>) => ({ ...m, generated_at: null, parameters: { ...(m.parameters as object), deterministic: null } });
    expect(without(clock)).toEqual(without(pinned));
    // investigate's own report.html and the other deterministic files match the report command's
    for (const f of REPORT_FILES) expect(readFileSync(join(inv, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it('writes a BagIt package that verifies, with sha256sum too, and names a changed file', async () => {
    const bag = join(inv, 'evidence');
    expect(await verifyBag(bag)).toEqual([]);
    const check = spawnSync('sha256sum', ['--check', '--strict', 'manifest-sha256.txt'], { cwd: bag, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(bag, 'data/manifest.json'), 'utf8'));
    expect(manifest.outputs.map((o: { file: string }) => o.file)).toEqual(expect.arrayContaining([...REPORT_FILES, 'evidence/data/tables/farms.parquet']));
    expect(manifest.inputs.map((i: { role: string }) => i.role)).toEqual(['events', 'accounts', 'enforcement']);
    const copy = tmp.path('tampered');
    cpSync(bag, copy, { recursive: true });
    writeFileSync(join(copy, 'data/tables/farms.csv'), 'farm_id\nfarm-0\n');
    writeFileSync(join(copy, 'data/extra.txt'), 'x');
    const problems = await verifyBag(copy);
    expect(problems.join('\n')).toMatch(/data\/tables\/farms\.csv has changed/);
    expect(problems.join('\n')).toMatch(/data\/extra\.txt: in the payload but not in manifest-sha256\.txt/);
    expect(problems.join('\n')).toMatch(/Payload-Oxum does not match/);
  });

  it('exports the farm tables as Parquet and CSV with the same rows', async () => {
    const caseFile = await CaseFile.open(':memory:');
    try {
      const tables = join(inv, 'evidence/data/tables');
      for (const name of ['farms', 'farm_members', 'farm_signals', 'farm_link_evidence', 'farm_templates', 'farm_significance']) {
        const parquet = await caseFile.value<number>(`SELECT count(*)::INTEGER FROM read_parquet('${join(tables, `${name}.parquet`)}')`);
        const csv = await caseFile.value<number>(`SELECT count(*)::INTEGER FROM read_csv('${join(tables, `${name}.csv`)}')`);
        expect(csv, name).toBe(parquet);
      }
      const members = await caseFile.value<number>(`SELECT count(*)::INTEGER FROM read_parquet('${join(tables, 'farm_members.parquet')}')`);
      expect(members).toBe(farms.reduce((s, f) => s + f.accountCount, 0));
    } finally {
      caseFile.close();
    }
  });

  it('writes a STIX 2.1 bundle with every required property, a grouping per farm and resolvable references', () => {
    const bundle = JSON.parse(readFileSync(join(inv, 'stix-bundle.json'), 'utf8'));
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    const ids = new Set<string>(bundle.objects.map((o: { id: string }) => o.id));
    expect(ids.size).toBe(bundle.objects.length);
    const required: Record<string, string[]> = {
      'marking-definition': ['created', 'definition_type', 'definition'],
      identity: ['created', 'modified', 'name'],
      grouping: ['created', 'modified', 'context', 'object_refs'],
      'threat-actor': ['created', 'modified', 'name'],
      indicator: ['created', 'modified', 'pattern', 'pattern_type', 'valid_from'],
      'observed-data': ['created', 'modified', 'first_observed', 'last_observed', 'number_observed', 'object_refs'],
      relationship: ['created', 'modified', 'relationship_type', 'source_ref', 'target_ref'],
      'ipv4-addr': ['value'],
      'ipv6-addr': ['value'],
    };
    const timestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
    for (const o of bundle.objects) {
      expect(Object.keys(required), o.type).toContain(o.type);
      expect(o.spec_version, o.id).toBe('2.1');
      expect(o.id).toMatch(new RegExp(`^${o.type}--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
      for (const p of required[o.type]!) expect(o, `${o.id} ${p}`).toHaveProperty(p);
      for (const p of ['created', 'modified', 'valid_from', 'first_observed', 'last_observed']) if (p in o) expect(o[p]).toMatch(timestamp);
      for (const ref of [...(o.object_refs ?? []), ...(o.object_marking_refs ?? []), o.created_by_ref, o.source_ref, o.target_ref].filter(Boolean)) {
        expect(ids.has(ref), `${o.id} refers to ${ref}`).toBe(true);
      }
      if (o.type === 'indicator') expect(o.pattern).toMatch(/^\[[a-z0-9-]+:.+ (=|ISSUBSET|LIKE) '.+'\]$/);
      if (!['marking-definition', 'ipv4-addr', 'ipv6-addr'].includes(o.type)) {
        expect(o.object_marking_refs).toEqual(['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82']); // TLP:AMBER by default
      }
    }
    const groupings = bundle.objects.filter((o: { type: string }) => o.type === 'grouping');
    expect(groupings.map((g: { name: string }) => g.name.replace('Distillation farm ', '')).sort()).toEqual(farms.map((f) => f.id).sort());
    expect(groupings.every((g: { context: string }) => g.context === 'suspicious-activity')).toBe(true);
    for (const type of ['threat-actor', 'indicator', 'observed-data']) expect(bundle.objects.some((o: { type: string }) => o.type === type), type).toBe(true);

    const green = tmp.path('green');
    expect(report(green, ['--tlp', 'green']).code).toBe(0);
    const marked = JSON.parse(readFileSync(join(green, 'stix-bundle.json'), 'utf8')).objects[0];
    expect(marked).toMatchObject({ type: 'marking-definition', definition: { tlp: 'green' }, id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da' });
    expect(readFileSync(join(green, 'report.html'), 'utf8')).toContain('TLP:GREEN');
    expect(report(tmp.path('bad-tlp'), ['--tlp', 'purple']).code).toBe(2);
  });

  it('writes the farms\' activity in Timesketch\'s JSONL format, in time order', () => {
    const lines = readFileSync(join(inv, 'timeline.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(farms.length);
    let previous = '';
    for (const e of lines) {
      expect(typeof e.message).toBe('string');
      expect(e.datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(typeof e.timestamp_desc).toBe('string');
      expect(Math.floor(e.timestamp / 1000)).toBe(Date.parse(e.datetime));
      expect(farms.map((f) => f.id)).toContain(e.farm_id);
      expect(e.datetime >= previous).toBe(true);
      previous = e.datetime;
    }
    const kinds = new Set(lines.map((e) => e.timestamp_desc));
    for (const k of ['Farm daily activity', 'First request', 'Last request', 'Account created', 'Enforcement action']) expect(kinds.has(k), k).toBe(true);
    const daily = lines.filter((e) => e.timestamp_desc === 'Farm daily activity');
    const requests = (id: string) => daily.filter((e) => e.farm_id === id).reduce((s, e) => s + e.requests, 0);
    for (const f of JSON.parse(readFileSync(join(inv, 'farms.json'), 'utf8'))) expect(requests(f.id)).toBe(f.requests);
  });

  it('writes Markdown that renders: headings, tables and one section per farm', () => {
    for (const name of ['report.md', 'regulator-summary.md']) {
      const text = readFileSync(join(inv, name), 'utf8');
      const html = marked.parse(text, { async: false });
      expect(html, name).toMatch(/<h1>/);
      expect((html.match(/<table>/g) ?? []).length, name).toBeGreaterThan(2);
      expect(html, name).not.toMatch(/\|\s*---/); // every table was parsed as one
    }
    const md = readFileSync(join(inv, 'report.md'), 'utf8');
    for (const f of farms) expect(md).toContain(`Farm ${f.id}`);
    // The farm parameters the analysis ran with, as recorded in the case file.
    expect(md).toContain('### Farm parameters of the analysis');
    expect(md).toMatch(/\| farm\.minHarvestEvidence \| 0\.6 \|/);
    expect(md).toMatch(/\| pools\.minJaccard \| 0\.2 \|/);
    const regulator = readFileSync(join(inv, 'regulator-summary.md'), 'utf8');
    for (const h of ['What happened', 'When', 'Scope', 'How it was detected, and with what confidence', 'What was done', 'Indicators', 'Contact']) {
      expect(regulator).toContain(`## ${h}`);
    }
    expect(regulator).toContain(`| accounts involved | ${farms.reduce((s, f) => s + f.accountCount, 0)} |`);
  });

  it('writes a self-contained report.html: farm sections, charts as inline SVG, no script or remote resource', () => {
    const html = readFileSync(join(inv, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|https?:\/\/|url\(/i);
    for (const f of farms) expect(html).toContain(`<section class="farm" id="farm-${f.id}">`);
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(2 + 3 * farms.length);
    for (const h of ['Incident summary', 'Timeline', 'Shared infrastructure', 'Signals behind the score', 'Top templates', 'Member accounts', 'Method and parameters', 'Data quality', 'Manifest']) {
      expect(html).toContain(`${h}</h`);
    }
  });

  it('reports only the farms asked for, and refuses an unknown one, a case not analysed or one analysed by an older version (exit 2)', async () => {
    const one = tmp.path('one-farm');
    const r = report(one, ['--farm', farms[0]!.id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^report: 1 farm\(s\)/);
    const html = readFileSync(join(one, 'report.html'), 'utf8');
    expect((html.match(/<section class="farm"/g) ?? []).length).toBe(1);
    const unknown = report(tmp.path('unknown'), ['--farm', 'farm-000000000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--farm farm-000000000000: no such farm in the case file/);
    const empty = tmp.path('empty.duckdb');
    const created = await CaseFile.open(empty);
    await created.run('CREATE TABLE events (x INTEGER)');
    created.close();
    const notAnalysed = runCli(['--db', empty, 'report', '--out', tmp.path('na')]);
    expect(notAnalysed.code).toBe(2);
    expect(notAnalysed.stderr).toMatch(/no farms table; run "farmscope analyze"/);
    const older = tmp.path('older.duckdb');
    copyFileSync(db, older);
    const edited = await CaseFile.open(older);
    await edited.run('ALTER TABLE account_features DROP COLUMN output_tokens_total');
    edited.close();
    const stale = runCli(['--db', older, 'report', '--out', tmp.path('stale')]);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toMatch(/account_features has no token totals \(analysed by an older farmscope\); run "farmscope analyze" again/);
  });

  it('lists a bounded number of members per farm and says where the rest are', async () => {
    const out = tmp.path('bounded');
    const caseFile = await CaseFile.open(db, { readOnly: true });
    try {
      await writeReport(caseFile, { out, redactKey: undefined, farms: [], tlp: 'amber', deterministic: true, limits: { memberRows: 2 } });
    } finally {
      caseFile.close();
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const big = farms.find((f) => f.accountCount > 2)!;
    expect(html).toContain(`The 2 busiest of ${big.accountCount} members; all of them are in evidence/data/farm_members.csv.`);
  });

  it('opens in headless Chromium with no network request, farm sections and charts drawn, and screenshots', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/ensure-chromium.mjs installs it (root, apt)`).toBe(true);
    const context = await chromium.launchPersistentContext(tmp.path('chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 1000 },
    });
    try {
      const blocked: string[] = [];
      const file = `file://${join(inv, 'report.html')}`;
      await context.route('**/*', (route) => {
        if (route.request().url() === file) return route.continue();
        blocked.push(route.request().url());
        return route.abort();
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(file, { waitUntil: 'load' });
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
      expect(await page.locator('section.farm').count()).toBe(farms.length);
      for (const f of farms) {
        const section = page.locator(`#farm-${f.id}`);
        await section.scrollIntoViewIfNeeded();
        expect(await section.locator('h3').textContent()).toContain(f.id);
        expect(await section.locator('figure.chart svg').count(), f.id).toBeGreaterThanOrEqual(3); // timeline, adjacency, signals
        const box = await section.locator('figure.chart svg').first().boundingBox();
        expect(box!.width).toBeGreaterThan(300);
        expect(box!.height).toBeGreaterThan(100);
      }
      const shot = tmp.path('report.png');
      await page.goto(file);
      await page.screenshot({ path: shot, fullPage: false });
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(shot).size).toBeGreaterThan(20_000);
    } finally {
      await context.close();
    }
  });
});
