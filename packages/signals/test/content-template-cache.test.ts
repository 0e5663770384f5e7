// The templates stage with its text cache (templatesStage's `textCache`, the
// replay's setting) must write exactly the tables the stage writes without
// it, over the same data, at every run of a growing and then sliding log:
// the cache only saves work on texts seen before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { generate } from '@farmscope/generator';
import { ingest } from '@farmscope/ingest';
import { DEFAULT_TEMPLATE_PARAMS, promptSampleStage, TEMPLATE_TABLES, templatesStage } from '@farmscope/signals';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { runStage } from './content-support.js';

const DAY = 86_400_000;

let tmp: TempFolder;
let db: CaseFile;
let firstMs: number;
let lastMs: number;

beforeAll(async () => {
  tmp = createTempFolder();
  const generated = await generate({ scenario: 'mixed', seed: 7, scale: 0.02, out: tmp.path('mixed') });
  db = await CaseFile.open(tmp.path('case.duckdb'));
  await ingest(db, [{ table: 'events', inputs: [generated.files.events] }]);
  await db.run(`CREATE TABLE all_events AS SELECT * FROM events ORDER BY ts, request_id; DROP TABLE events`);
  const range = await db.one<{ first: number; last: number }>(
    `SELECT (epoch_us(min(ts)) // 1000)::BIGINT AS first, (epoch_us(max(ts)) // 1000)::BIGINT AS last FROM all_events`,
  );
  firstMs = Number(range!.first);
  lastMs = Number(range!.last);
});
afterAll(() => {
  db?.close();
  tmp?.remove();
});

const ts = (ms: number) => `make_timestamp(${Math.round(ms) * 1000}::BIGINT)`;

/** Shows the events in [sinceMs, cutoffMs) to the stages as `events`. */
async function show(sinceMs: number, cutoffMs: number): Promise<void> {
  await db.run(`CREATE OR REPLACE VIEW events AS SELECT * FROM all_events WHERE ts >= ${ts(sinceMs)} AND ts < ${ts(cutoffMs)}`);
}

/** Rows of `a` not in `b` plus rows of `b` not in `a` (with multiplicity), and the row count of `a`. */
async function difference(a: string, b: string): Promise<{ rows: number; differ: number }> {
  const row = await db.one<{ rows: number; differ: number }>(
    `SELECT (SELECT count(*) FROM ${a})::INTEGER AS rows,
            ((SELECT count(*) FROM (FROM ${a} EXCEPT ALL FROM ${b})) + (SELECT count(*) FROM (FROM ${b} EXCEPT ALL FROM ${a})))::INTEGER AS differ`,
  );
  return { rows: Number(row!.rows), differ: Number(row!.differ) };
}

const cacheRows = async () => Number(await db.value(`SELECT count(*) FROM tpl_cache_raw`));

describe('templatesStage with a text cache', () => {
  it('writes the same four tables as without it, run after run, while reusing the texts it has seen', async () => {
    const span = lastMs + 1 - firstMs;
    expect(span).toBeGreaterThan(3 * DAY);
    // A growing log (cumulative replay), then a window sliding past its start.
    const runs = [
      { since: firstMs, cutoff: firstMs + span * 0.25 },
      { since: firstMs, cutoff: firstMs + span * 0.5 },
      { since: firstMs, cutoff: firstMs + span * 0.8 },
      { since: firstMs + span * 0.4, cutoff: firstMs + span * 0.9 },
      { since: firstMs + span * 0.6, cutoff: lastMs + 1 },
    ];
    const cached = templatesStage(undefined, { textCache: 'tpl_cache' });
    const plain = templatesStage();
    const sizes: number[] = [];
    const reused: number[] = [];
    for (const run of runs) {
      await show(run.since, run.cutoff);
      await runStage(db, promptSampleStage());
      const distinct = Number(await db.value(`SELECT count(DISTINCT hash(prompt)) FROM prompt_sample WHERE prompt IS NOT NULL`));
      const before = (await db.tableExists('tpl_cache_raw')) ? await cacheRows() : 0;
      await runStage(db, cached);
      reused.push(distinct - ((await cacheRows()) - before));
      for (const t of TEMPLATE_TABLES) await db.run(`CREATE OR REPLACE TABLE cached_${t} AS FROM ${t}`);
      await runStage(db, plain);
      for (const t of TEMPLATE_TABLES) {
        const d = await difference(t, `cached_${t}`);
        expect(d.rows, `${t} has rows`).toBeGreaterThan(0);
        expect(d.differ, `${t}: rows that differ between the cached and the plain stage`).toBe(0);
      }
      sizes.push(Number(await db.value(`SELECT count(*) FROM event_templates`)));
    }
    // The runs saw different data, and every run after the first found most of its texts in the cache.
    expect(new Set(sizes).size).toBe(runs.length);
    expect(reused[0]).toBe(0);
    for (const n of reused.slice(1)) expect(n).toBeGreaterThan(0);
  });

  it('starts the cache afresh when it was filled with other sketch parameters', async () => {
    await show(firstMs, lastMs + 1);
    await runStage(db, promptSampleStage());
    await runStage(db, templatesStage(undefined, { textCache: 'tpl_other' }));
    const filled = Number(await db.value(`SELECT count(*) FROM tpl_other_norm`));
    expect(filled).toBeGreaterThan(0);
    // Another sketch: no row sketched with the old one may be kept, the cache is refilled from the texts present.
    await db.run(`INSERT INTO tpl_other_norm (norm_hash, norm) VALUES (0, 'stale')`);
    await runStage(db, templatesStage({ ...DEFAULT_TEMPLATE_PARAMS, sketch: { bands: 8, rowsPerBand: 4 } }, { textCache: 'tpl_other' }));
    expect(Number(await db.value(`SELECT count(*) FROM tpl_other_norm WHERE norm = 'stale'`))).toBe(0);
    expect(Number(await db.value(`SELECT count(*) FROM tpl_other_norm`))).toBe(filled);
  });
});
