// `pnpm notebooks` end to end: the build script generates the tiny scenario,
// investigates it, sweeps camouflage on tiny (to stay fast), and builds every
// notebook in notebooks/ into a static site; each page then loads in headless
// Chromium from a loopback server with no request leaving it, no error, and
// the content its cells compute. A bad SQL cell or a missing case file fails
// the build with exit 2, naming the notebook and cell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTempFolder, type TempFolder } from './support/temp-folder.js';
import { openOfflineBrowser, type OfflineBrowser } from './support/offline-browser.js';

const ROOT = resolve(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'scripts/build-notebooks.mjs');
const PAGES = readdirSync(join(ROOT, 'notebooks')).filter((f) => f.endsWith('.html') && f !== 'template.html').sort();

function buildNotebooks(args: readonly string[]) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env: { ...process.env, TZ: 'UTC' } });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

let tmp: TempFolder;
let built: ReturnType<typeof buildNotebooks>;
let site: string;

beforeAll(() => {
  tmp = createTempFolder('farmscope-notebooks-');
  built = buildNotebooks(['--out', tmp.path('build'), '--sweep-scenario', 'tiny', '--sweep-scale', '1', '--sweep-values', '0,0.6']);
  site = tmp.path('build/site');
}, 300_000);
afterAll(() => tmp.remove());

describe('pnpm notebooks', () => {
  it('builds every notebook against the tiny scenario', () => {
    expect(built.stderr).not.toMatch(/Error/);
    expect(built.code).toBe(0);
    expect(PAGES).toEqual(['index.html', 'investigate-incident.html', 'replay-and-compare.html', 'tune-thresholds.html']);
    expect(built.stdout).toContain(`built ${PAGES.length} notebooks`);
    for (const page of PAGES) expect(existsSync(join(site, page))).toBe(true);
  });

  it('writes the data the packages computed: the score curve and the sweep', () => {
    const data = tmp.path('build/source/data');
    const curve = JSON.parse(readFileSync(join(data, 'score-curve.json'), 'utf8'));
    expect(curve.accounts).toBeGreaterThan(100);
    expect(curve.positives).toBeGreaterThan(0);
    expect(curve.points.length).toBeGreaterThan(1);
    expect(curve.points.at(-1).recall).toBe(1);
    const sweep = JSON.parse(readFileSync(join(data, 'sweep.json'), 'utf8'));
    expect(sweep.points.map((p: { value: number }) => p.value)).toEqual([0, 0.6]);
    expect(sweep.points[0].accounts).toBe(curve.accounts);
  });

  it('snapshots every SQL cell without the time it ran, so a rebuild gives the same site', () => {
    expect(built.stderr).toMatch(/build 4 notebooks \((\d+) query results\)/);
    const count = Number(/\((\d+) query results\)/.exec(built.stderr)![1]);
    const cache = tmp.path('build/source/.observable/cache');
    const snapshots = readdirSync(cache).map((f) => JSON.parse(readFileSync(join(cache, f), 'utf8')));
    expect(snapshots.length).toBe(count);
    expect(count).toBeGreaterThanOrEqual(10);
    for (const s of snapshots) expect(Object.keys(s).sort()).toEqual(['rows', 'schema']);
    expect(built.stdout).not.toContain('.observable/cache'); // the kit found every result: it ran no query of its own
  });

  it('bundles the notebook libraries instead of pointing at a CDN', () => {
    expect(built.stdout).toMatch(/bundled from node_modules: .*@observablehq\/inputs.*@observablehq\/plot/);
    for (const page of PAGES) expect(readFileSync(join(site, page), 'utf8')).not.toMatch(/https?:\/\/(?!observablehq\.com\/notebook-kit)/);
  });
});

describe('the built pages in headless Chromium', () => {
  let server: { resolvedUrls: { local: string[] } | null; close(): Promise<void> };
  let base: string;
  let browser: OfflineBrowser;

  beforeAll(async () => {
    const { serveNotebookSite } = await import('../scripts/lib/notebook-site.mjs');
    server = await serveNotebookSite({ outDir: site });
    base = server.resolvedUrls!.local[0]!;
    browser = await openOfflineBrowser(base);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function load(page: string) {
    const tab = await browser.context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    tab.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await tab.goto(`${base}${page}`, { waitUntil: 'networkidle' });
    await tab.waitForFunction(() => document.querySelectorAll('.observablehq--running').length === 0);
    return { tab, errors };
  }

  it.each(PAGES)('%s loads with no request outside the local server and no error', async (page) => {
    const { tab, errors } = await load(page);
    expect(browser.blocked).toEqual([]);
    expect(errors).toEqual([]);
    expect(await tab.locator('.observablehq--error').count()).toBe(0);
    await tab.close();
  });

  it('shows the case, its farms and the chosen farm\'s sections in "Investigate an incident"', async () => {
    const { tab } = await load('investigate-incident.html');
    const text = await tab.locator('main').innerText();
    for (const heading of ['The case', 'The farms', 'Members', 'Timeline', 'Shared infrastructure', 'Prompts', 'The export']) expect(text).toContain(heading);
    expect(text).toMatch(/Built from: the tiny scenario \(seed 1, scale 1\)/);
    expect(await tab.locator('select').count()).toBe(1);
    expect(await tab.locator('table').count()).toBeGreaterThanOrEqual(5);
    for (const file of ['farms.json', 'account_farms.csv', 'manifest.json', 'report.html']) {
      const link = tab.locator(`a[download="${file}"]`);
      expect(await link.count()).toBe(1);
      // Small files are inlined as data: URLs, larger ones are files of the site: both must load in the page.
      const href = (await link.getAttribute('href'))!;
      expect(await tab.evaluate(async (url) => (await fetch(url)).ok, href)).toBe(true);
    }
    expect(await tab.locator('a[download="top-suspects-accounts.csv"]').count()).toBe(1);
    await tab.close();
  });

  it('draws the precision-recall curves and moves the threshold readout with the slider', async () => {
    const { tab } = await load('tune-thresholds.html');
    expect(await tab.locator('svg path').count()).toBeGreaterThan(2);
    const readout = tab.locator('p', { hasText: /^At 0\.5: / });
    await expect.poll(() => readout.count()).toBe(1);
    await tab.locator('input[type=number]').first().fill('0.05');
    await tab.locator('input[type=number]').first().press('Enter');
    await expect.poll(() => tab.locator('p', { hasText: /^At 0\.05: / }).count()).toBe(1);
    await tab.close();
  });

  it('plots the camouflage sweep in "Replay and compare"', async () => {
    const { tab } = await load('replay-and-compare.html');
    const text = await tab.locator('main').innerText();
    expect(text).toMatch(/Scenario tiny at scale 1, seed 1: 2 replays/);
    expect(await tab.locator('svg [aria-label="line"] path').count()).toBeGreaterThan(0);
    await tab.close();
  });
});

describe('bad input', () => {
  it('names the notebook and cell of a SQL cell that does not run, before building', () => {
    const sources = tmp.path('bad-notebooks');
    cpSync(join(ROOT, 'notebooks', 'template.html'), join(sources, 'template.html'));
    writeFileSync(
      join(sources, 'broken.html'),
      '<!doctype html>\n<notebook>\n  <title>Broken</title>\n  <script id="7" type="application/sql" database="case">\n    SELECT no_such_column FROM farms\n  </script>\n</notebook>\n',
    );
    const caseFile = tmp.path('build/work/findings/case.duckdb'); // the tiny case built above
    const result = buildNotebooks(['--out', tmp.path('bad-build'), '--notebooks', sources, '--case', caseFile, '--no-sweep']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.html, cell 7: .*no_such_column/);
  });

  it('refuses a case file that does not exist', () => {
    const result = buildNotebooks(['--out', tmp.path('no-case'), '--case', tmp.path('missing.duckdb')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing.duckdb: no such file');
  });
});
