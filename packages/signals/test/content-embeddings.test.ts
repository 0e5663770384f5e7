// Account embeddings on hand-made prompts: identical prompt sets give cosine
// 1, related accounts are closer than unrelated ones, the sample is capped,
// provider embeddings are used when the logs have them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { EMBEDDING_SAMPLE_CAP, embeddingsStage, PROMPT_SAMPLE_CAP } from '@farmscope/signals';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { cosine, runEmbeddings, runStage, writeEvents, type PromptEvent } from './content-support.js';

const CODE = [
  'Write a Python function that merges overlapping intervals.',
  'Implement an LRU cache in Python with O(1) operations.',
  'Write Python code that detects a cycle in a directed graph.',
];
const CODE_2 = [
  'Write a Python function that merges overlapping time intervals and sorts them.',
  'Implement a Python LRU cache with constant time operations.',
  'Python code to detect a cycle in a directed graph, please.',
];
const COOKING = [
  'What should I cook tonight with chicken, rice and spinach?',
  'Give me a vegetarian dinner menu for four people.',
  'How long do I bake a sourdough loaf at 230 degrees?',
];

function events(): PromptEvent[] {
  const out: PromptEvent[] = [];
  const add = (account: string, prompts: readonly string[]) => prompts.forEach((prompt) => out.push({ account, prompt }));
  add('coder', CODE);
  add('twin', [...CODE].reverse());
  add('coder2', CODE_2);
  add('cook', COOKING);
  for (let i = 0; i < 10 * PROMPT_SAMPLE_CAP; i++) out.push({ account: 'heavy', prompt: `Summarise support ticket ${i} for the weekly report.` });
  return out;
}

let tmp: TempFolder;
let db: CaseFile;
let vectors: Record<string, { prompts_used: number; embedding: number[]; source: string }>;

async function readVectors(caseFile: CaseFile) {
  const rows = await caseFile.all<{ account_id: string; prompts_used: number; embedding: number[]; source: string }>(
    `SELECT account_id, prompts_used, embedding::DOUBLE[] AS embedding, source FROM account_embeddings`,
  );
  return Object.fromEntries(rows.map((r) => [r.account_id, r]));
}

beforeAll(async () => {
  tmp = createTempFolder();
  db = await CaseFile.open(tmp.path('e.duckdb'));
  await writeEvents(db, events());
  await runEmbeddings(db);
  vectors = await readVectors(db);
});
afterAll(() => {
  db?.close();
  tmp?.remove();
});

describe('account embeddings (hashed)', () => {
  it('has one unit vector of 256 dimensions per account with prompts', () => {
    expect(Object.keys(vectors).sort()).toEqual(['coder', 'coder2', 'cook', 'heavy', 'twin']);
    for (const v of Object.values(vectors)) {
      expect(v.embedding).toHaveLength(256);
      expect(v.source).toBe('hashed');
      expect(Math.hypot(...v.embedding)).toBeCloseTo(1, 5);
    }
  });

  it('gives cosine 1 to accounts with the same prompts', () => {
    expect(cosine(vectors.coder!.embedding, vectors.twin!.embedding)).toBeCloseTo(1, 6);
  });

  it('puts related accounts closer than unrelated ones', () => {
    const related = cosine(vectors.coder!.embedding, vectors.coder2!.embedding);
    const unrelated = cosine(vectors.coder!.embedding, vectors.cook!.embedding);
    expect(related).toBeGreaterThan(unrelated + 0.2);
  });

  it('caps the embedded prompts of a heavy account near the cap (a hash threshold: binomial, σ ≈ 7.6 here)', () => {
    expect(vectors.heavy!.prompts_used).toBeGreaterThan(EMBEDDING_SAMPLE_CAP - 25);
    expect(vectors.heavy!.prompts_used).toBeLessThan(EMBEDDING_SAMPLE_CAP + 25);
    expect(vectors.coder!.prompts_used).toBe(3);
  });

  it('is the same on a second run', async () => {
    await runEmbeddings(db);
    expect(await readVectors(db)).toEqual(vectors);
  });
});

describe('account embeddings for chosen accounts', () => {
  const chosen = embeddingsStage(undefined, {
    accounts: { sql: 'SELECT account_id FROM chosen', requires: 'chosen', label: 'the chosen accounts' },
  });

  it('embeds only them, each vector the bytes of an every-account run (IDF over every prompt)', async () => {
    await db.run(`CREATE OR REPLACE TABLE chosen AS SELECT * FROM (VALUES ('coder'), ('cook')) t(account_id)`);
    try {
      const outcome = await runStage(db, chosen);
      expect(outcome.notes.join(' ')).toContain('2 accounts embedded: the chosen accounts');
      const limited = await readVectors(db);
      expect(Object.keys(limited).sort()).toEqual(['coder', 'cook']);
      expect(limited.coder).toEqual(vectors.coder);
      expect(limited.cook).toEqual(vectors.cook);
    } finally {
      await db.run('DROP TABLE chosen');
      await runEmbeddings(db);
    }
  });

  it('embeds every account, and says so, when the table to choose from is missing', async () => {
    const outcome = await runStage(db, chosen);
    expect(outcome.notes.join(' ')).toContain('every account embedded: no chosen table');
    expect(await readVectors(db)).toEqual(vectors);
  });
});

describe('account embeddings (provider)', () => {
  it('averages prompt_embedding when the logs have it', async () => {
    const p = await CaseFile.open(tmp.path('p.duckdb'));
    try {
      await writeEvents(p, [
        { account: 'a', prompt: 'x', embedding: [1, 0, 0] },
        { account: 'a', prompt: 'y', embedding: [0, 2, 0] },
        { account: 'b', prompt: 'only text' },
      ]);
      const outcome = await runEmbeddings(p);
      expect(outcome.notes.join(' ')).toMatch(/provider/);
      const v = await readVectors(p);
      expect(v.a!.source).toBe('provider');
      expect(v.a!.embedding.map((x) => Number(x.toFixed(6)))).toEqual([0.707107, 0.707107, 0]);
      expect(v.b!.source).toBe('hashed');
    } finally {
      p.close();
    }
  });

  it('leaves the table empty without prompts, and says why', async () => {
    const e = await CaseFile.open(tmp.path('none.duckdb'));
    try {
      await writeEvents(e, [{ account: 'a', prompt: null }]);
      const outcome = await runEmbeddings(e);
      expect(outcome.notes.join(' ')).toMatch(/no event has a prompt/);
      expect(await e.value(`SELECT count(*)::INTEGER FROM account_embeddings`)).toBe(0);
    } finally {
      e.close();
    }
  });
});
