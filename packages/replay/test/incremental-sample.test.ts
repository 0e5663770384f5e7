// The prompt sample carried from step to step must be exactly the sample the
// signals stage writes over everything up to the same cut-off: same
// requests, same per-account counts, at every step.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { promptSampleStage, runStages } from '@farmscope/signals';
import { buildSchedule, incrementalSampleStage, showStep } from '@farmscope/replay';

const DAY = 86_400_000;
const INPUTS = { hasAccounts: false, hasEnforcement: false };

// 60 accounts from 1 to ~400 requests each over three days; every 7th request has no prompt.
const EVENTS = `
  CREATE TABLE replay_events AS
  SELECT 'r' || a || '-' || i AS request_id,
         TIMESTAMP '2026-05-01' + to_microseconds((hash(a, i) % 259200000000)::BIGINT) AS ts,
         'acct-' || lpad(a::VARCHAR, 3, '0') AS account_id,
         CASE WHEN i % 7 = 0 THEN NULL ELSE 'prompt ' || (hash(i) % 50) END AS prompt,
         NULL::VARCHAR AS system_prompt, NULL::FLOAT[] AS prompt_embedding
  FROM range(60) t(a), range(1 + (a * a) % 400) u(i)
  ORDER BY ts, request_id`;

let incremental: CaseFile;
let full: CaseFile;
beforeEach(async () => {
  incremental = await CaseFile.open(':memory:');
  full = await CaseFile.open(':memory:');
  for (const c of [incremental, full]) await c.run(EVENTS);
});
afterEach(async () => {
  for (const c of [incremental, full]) await c.close();
});

/** Every column of every sampled row (the carried table is updated in place: rows deleted, counts updated, rows appended). */
const sample = (c: CaseFile) => c.all(`SELECT * FROM prompt_sample ORDER BY request_id`);

describe('incrementalSampleStage', () => {
  it('equals the prompt_sample stage over all events up to each cut-off', async () => {
    const schedule = buildSchedule(
      { stepMs: DAY, mode: { kind: 'cumulative' } },
      { firstMs: Date.parse('2026-05-01T00:00:00Z'), lastMs: Date.parse('2026-05-03T23:59:59Z'), inRange: 1 },
    );
    expect(schedule.steps).toHaveLength(3);
    const sizes: number[] = [];
    for (const step of schedule.steps) {
      await showStep(incremental, step, INPUTS);
      await showStep(full, step, INPUTS);
      await runStages([incrementalSampleStage(step, step.step === 1)], incremental);
      await runStages([promptSampleStage()], full);
      const carried = await sample(incremental);
      expect(carried).toEqual(await sample(full));
      sizes.push(carried.length);
    }
    // The test means something only if the sample changed between steps (heavy accounts thinned, new requests in).
    expect(new Set(sizes).size).toBe(3);
  });
});
