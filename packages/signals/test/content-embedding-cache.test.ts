// The hashed embedder's per-text cache (embeddingsStage's `textCache`) on
// hand-made prompts: a second run over a changed set of texts featurises
// only the new ones and writes the table the stage writes without the cache;
// an embedder with other parameters starts the cache afresh. (The replay's
// use, step after step on a generated log, is tested in
// packages/replay/test/embedding-text-cache.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { embeddingsStage, HashedEmbedder, promptSampleStage } from '@farmscope/signals';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { runStage, writeEvents, type PromptEvent } from './content-support.js';

const FIRST: PromptEvent[] = [
  { account: 'coder', prompt: 'Write a Python function that merges overlapping intervals.' },
  { account: 'coder', prompt: 'Implement an LRU cache in Python with O(1) operations.' },
  { account: 'cook', prompt: 'What should I cook tonight with chicken, rice and spinach?' },
  { account: 'cook', prompt: 'ok' },
  { account: 'blank', prompt: '!!!' },
];
const SECOND: PromptEvent[] = [
  ...FIRST.slice(1),
  { account: 'coder', prompt: 'Write Python code that detects a cycle in a directed graph.' },
  { account: 'cook', prompt: 'Give me a vegetarian dinner menu for four people.' },
];

let tmp: TempFolder;
let db: CaseFile;
beforeAll(async () => {
  tmp = createTempFolder();
  db = await CaseFile.open(tmp.path('e.duckdb'));
});
afterAll(() => {
  db?.close();
  tmp?.remove();
});

const difference = (a: string, b: string) =>
  db.value<number>(`SELECT ((SELECT count(*) FROM (FROM ${a} EXCEPT ALL FROM ${b})) + (SELECT count(*) FROM (FROM ${b} EXCEPT ALL FROM ${a})))::INTEGER`);
const cachedIds = async () => Number(await db.value(`SELECT count(*) FROM emb_cache_ids`));

/** Runs the sample, then the embeddings with and without the cache; returns the rows that differ. */
async function compare(events: PromptEvent[], embedder: HashedEmbedder): Promise<number> {
  await writeEvents(db, events);
  await runStage(db, promptSampleStage());
  const cached = embeddingsStage(embedder, { textCache: 'emb_cache' });
  expect(cached.description).toMatch(/cached across runs/);
  await runStage(db, cached);
  await db.run(`CREATE OR REPLACE TABLE cached_embeddings AS FROM account_embeddings`);
  await runStage(db, embeddingsStage(embedder));
  expect(Number(await db.value(`SELECT count(*) FROM account_embeddings`))).toBeGreaterThan(0);
  return difference('cached_embeddings', 'account_embeddings');
}

describe('embeddingsStage with a text cache', () => {
  it('writes the same account_embeddings as without it while featurising only new texts', async () => {
    expect(await compare(FIRST, new HashedEmbedder())).toBe(0);
    // Every text, also one with no feature ('!!!'), is remembered as featurised.
    expect(await cachedIds()).toBe(FIRST.length);
    const featureRows = Number(await db.value(`SELECT count(*) FROM emb_cache_features`));
    expect(await compare(SECOND, new HashedEmbedder())).toBe(0);
    expect(await cachedIds()).toBe(FIRST.length + 2);
    // The first text, gone from the second run, keeps its rows; IDF is over the second run's texts only.
    expect(Number(await db.value(`SELECT count(*) FROM emb_cache_features`))).toBeGreaterThan(featureRows);
  });

  it('starts afresh for an embedder with other parameters', async () => {
    await db.run(`INSERT INTO emb_cache_ids VALUES (0)`);
    expect(await compare(SECOND, new HashedEmbedder({ dimensions: 64 }))).toBe(0);
    expect(await cachedIds()).toBe(SECOND.length);
    expect(Number(await db.value(`SELECT max(dim) FROM emb_cache_features`))).toBeLessThan(64);
  });
});
