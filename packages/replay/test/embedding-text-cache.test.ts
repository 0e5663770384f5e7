// The prompt_embeddings stage with its per-text cache (the replay's setting,
// `embeddingsStage({ textCache })`) must write exactly the account_embeddings
// the stage writes without it over the same truncated log, at every step of
// a cumulative and of a sliding-window replay: as the replay runs it (over
// the suspects' prompts, a set that changes from step to step) and with
// --embed-all (IDF over every account's prompts, the suspects' vectors).
// (Every account embedded, signals' own analysis, with the cache: signals'
// test/content-embedding-cache.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseFile } from '@farmscope/casefile';
import { allStages } from '@farmscope/farms';
import { promptSampleStage, runStages, type AnalyzeStage } from '@farmscope/signals';
import {
  buildSchedule,
  cachedEmbeddingsStage,
  EMBEDDINGS_STAGE,
  eventRange,
  setAsideInputs,
  showStep,
  suspectEmbeddingsStage,
  type ReplayMode,
} from '@farmscope/replay';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { generatedCase, tableDifference } from './support/generated-case.js';

const DAY = 86_400_000;
const MIN_SCORE = 0.35;

let tmp: TempFolder;
let db: CaseFile;
let inputs: { hasAccounts: boolean; hasEnforcement: boolean };
beforeAll(async () => {
  tmp = createTempFolder();
  db = await generatedCase(tmp, { seed: 1, scale: 0.02, threads: 1 });
  inputs = await setAsideInputs(db);
});
afterAll(async () => {
  await db?.close();
  tmp?.remove();
});

const difference = (a: string, b: string) => tableDifference(db, a, b);

/** Runs `stage` and keeps its account_embeddings as `table`. */
async function embedInto(stage: AnalyzeStage, table: string): Promise<number> {
  await runStages([stage], db);
  await db.run(`CREATE OR REPLACE TABLE ${table} AS FROM account_embeddings`);
  return Number(await db.value(`SELECT count(*) FROM ${table}`));
}

const modes: [string, ReplayMode][] = [
  ['cumulative', { kind: 'cumulative' }],
  ['window', { kind: 'window', windowMs: 2 * DAY }],
];

describe.each(modes)('prompt_embeddings with a text cache, %s', (name, mode) => {
  it('writes the same account_embeddings as without it at every step, computing features only for new texts', async () => {
    const prefix = `emb_cache_${name}`;
    const analysis = allStages().find((s) => s.name === EMBEDDINGS_STAGE)!;
    const cachedAnalysis = cachedEmbeddingsStage(analysis, MIN_SCORE, prefix);
    expect(cachedAnalysis.description).toMatch(/cached/);
    const variants: { label: string; plain: AnalyzeStage; cached: AnalyzeStage }[] = [
      { label: 'suspects', plain: suspectEmbeddingsStage(analysis, MIN_SCORE), cached: suspectEmbeddingsStage(cachedAnalysis, MIN_SCORE) },
      { label: 'embed-all', plain: analysis, cached: cachedAnalysis },
    ];
    const schedule = buildSchedule({ stepMs: DAY, mode }, await eventRange(db, undefined, undefined));
    expect(schedule.steps.length).toBeGreaterThanOrEqual(6);
    const seen: { step: number; suspects: number; cachedTexts: number }[] = [];
    for (const step of schedule.steps) {
      await showStep(db, step, inputs);
      await runStages([promptSampleStage()], db);
      // Scores that move from step to step, so that suspects (and their texts) come and go.
      await db.run(
        `CREATE OR REPLACE TABLE account_scores AS
         SELECT account_id, (hash(account_id, ${step.step % 3}) % 100) / 100 AS behaviour_score FROM (SELECT DISTINCT account_id FROM prompt_sample)`,
      );
      for (const v of variants) {
        const rows = await embedInto(v.cached, 'cached_embeddings');
        await embedInto(v.plain, 'plain_embeddings');
        expect(rows, `${v.label} at step ${step.step}`).toBeGreaterThan(0);
        expect(await difference('cached_embeddings', 'plain_embeddings'), `${v.label} at step ${step.step}`).toBe(0);
      }
      // A text id no prompt has, kept after step 1: still there later shows that later steps added to the
      // kept rows rather than rebuilding them.
      if (step.step === 1) await db.run(`INSERT INTO ${prefix}_ids VALUES (0)`);
      else expect(await db.value(`SELECT count(*)::INTEGER FROM ${prefix}_ids WHERE text_id = 0`)).toBe(1);
      seen.push({
        step: step.step,
        suspects: Number(await db.value(`SELECT count(*) FROM account_scores WHERE behaviour_score >= ${MIN_SCORE}`)),
        cachedTexts: Number(await db.value(`SELECT count(*) FROM ${prefix}_ids`)),
      });
    }
    expect(seen.at(-1)!.cachedTexts).toBeGreaterThan(seen[0]!.cachedTexts);
  });
});

