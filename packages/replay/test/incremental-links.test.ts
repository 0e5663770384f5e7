// The shared_infrastructure and coordination stages with their event tables
// carried from step to step must write exactly the tables the full stages
// write over everything up to the same cut-off (account_links,
// account_pairs, coordination_pairs, account_handoffs, and account_features,
// whose full stage reads the links' address tables): at cut-offs on and off
// the 10-minute buckets, one inside a bucket an account and address use on
// both sides of it, one just after a request that rounds into the next bucket,
// and after a cut-off the carried stages did not run at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { generate } from '@farmscope/generator';
import { ingest } from '@farmscope/ingest';
import {
  ACCOUNT_FEATURES_STAGE, coordinationStage, promptSampleStage, runStages, sharedInfrastructureStage, templatesStage, type AnalyzeStage,
} from '@farmscope/signals';
import { carryAccountFeatures, eventRange, setAsideInputs, showStep, type ReplayStep } from '@farmscope/replay';
import { carryLinks } from '../src/incremental-links.js';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';

const DAY = 86_400_000;
const BUCKET = 600_000;
const COMPARED = ['account_links', 'account_pairs', 'coordination_pairs', 'account_handoffs', 'account_features'];

let tmp: TempFolder;
/** The carried stages run here; the full ones in `full`, whose tables are read back through parquet. */
let carried: CaseFile;
let full: CaseFile;
let inputs: { hasAccounts: boolean; hasEnforcement: boolean };

async function open(name: string, files: { events: string; accounts: string; enforcement: string }): Promise<CaseFile> {
  const db = await CaseFile.open(tmp.path(name), { threads: 1 });
  await ingest(db, [
    { table: 'events', inputs: [files.events] },
    { table: 'accounts', inputs: [files.accounts] },
    { table: 'enforcement', inputs: [files.enforcement] },
  ]);
  inputs = await setAsideInputs(db);
  return db;
}

beforeAll(async () => {
  tmp = createTempFolder();
  const { files } = await generate({ scenario: 'mixed', seed: 1, scale: 0.02, out: tmp.path('data'), threads: 1 });
  carried = await open('carried.duckdb', files);
  full = await open('full.duckdb', files);
});
afterAll(async () => {
  await carried?.close();
  await full?.close();
  tmp?.remove();
});

/** A cut-off inside day `day` that splits some account's requests on one address in one bucket (not on a bucket boundary). */
async function cutInsideBucket(startMs: number, day: number): Promise<number> {
  const ms = await carried.value<number>(
    `SELECT ((epoch_ms(min(ts)) + epoch_ms(max(ts))) // 2)::DOUBLE FROM replay_events
     WHERE ts >= make_timestamp(${(startMs + day * DAY) * 1000}::BIGINT) AND ts < make_timestamp(${(startMs + (day + 1) * DAY) * 1000}::BIGINT) AND ip IS NOT NULL
     GROUP BY account_id, ip, epoch(ts)::BIGINT // 600
     HAVING epoch_ms(max(ts)) - epoch_ms(min(ts)) >= 2
     ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  return Number(ms);
}

/** A bucket boundary in or after day `day` just after a request in its last half second (which counts in the bucket the boundary starts), preferring one whose account and address are active again in that bucket. */
async function cutAfterRoundedRequest(startMs: number, day: number): Promise<number> {
  const ms = await carried.value<number>(
    `WITH late AS (
       SELECT account_id, ip, (epoch_ms(ts) // ${BUCKET} + 1) * ${BUCKET} AS boundary FROM replay_events
       WHERE ts >= make_timestamp(${(startMs + day * DAY) * 1000}::BIGINT) AND ip IS NOT NULL AND epoch_ms(ts) % ${BUCKET} >= ${BUCKET - 500}
     )
     SELECT boundary::DOUBLE FROM late l
     ORDER BY EXISTS (SELECT 1 FROM replay_events e WHERE e.account_id = l.account_id AND e.ip = l.ip
                      AND epoch_ms(e.ts) >= l.boundary AND epoch_ms(e.ts) < l.boundary + ${BUCKET}) DESC, boundary
     LIMIT 1`,
  );
  return Number(ms);
}

const pipeline = (step: ReplayStep | undefined): AnalyzeStage[] => {
  const stages = [promptSampleStage(), templatesStage(), ACCOUNT_FEATURES_STAGE, sharedInfrastructureStage(), coordinationStage()];
  if (step) {
    carryAccountFeatures(stages, step, step.step === 1);
    carryLinks(stages, step, step.step === 1);
  }
  return stages;
};

describe('carried shared_infrastructure and coordination', () => {
  it('write the full stages\' tables over all events up to each cut-off', async () => {
    const range = await eventRange(carried, undefined, undefined);
    const startMs = Math.floor(range.firstMs! / DAY) * DAY;
    const cutoffs = [
      startMs + DAY,
      await cutInsideBucket(startMs, 1),
      startMs + 2 * DAY,
      startMs + 3 * DAY + 7 * 60_000 + 123, // not run carried: the next step catches up from the one before
      startMs + 4 * DAY + 5 * 60_000,
      await cutAfterRoundedRequest(startMs, 5),
      await cutInsideBucket(startMs, 7),
      startMs + 9 * DAY,
      range.lastMs! + 1,
    ];
    expect([...cutoffs].sort((a, b) => a - b)).toEqual(cutoffs);
    expect(cutoffs.filter((c) => c % BUCKET !== 0).length).toBeGreaterThanOrEqual(4);
    const skipped = 4;
    const compared: { step: number; links: number; co: number; handoffs: number }[] = [];
    for (const [k, cutoffMs] of cutoffs.entries()) {
      const step: ReplayStep = { step: k + 1, cutoffMs, sinceMs: startMs, previousMs: k === 0 ? startMs : cutoffs[k - 1]! };
      await showStep(full, step, inputs);
      await runStages(pipeline(undefined), full);
      for (const t of COMPARED) await full.run(`COPY ${t} TO '${tmp.path(`full-${t}-${step.step}.parquet`)}' (FORMAT parquet)`);

      await showStep(carried, step, inputs);
      if (step.step === skipped) continue;
      const stages = pipeline(step);
      expect(stages.filter((s) => /carried/.test(s.description)).map((s) => s.name)).toEqual(['account_features', 'shared_infrastructure', 'coordination']);
      await runStages(stages, carried);
      expect(Number(await carried.value('SELECT covered_ms FROM _lk_carry_state'))).toBe(cutoffMs);
      expect(Number(await carried.value('SELECT covered_ms FROM _lk_carry_units_state'))).toBe(cutoffMs);
      // Rows of no address and no account left in the kept tables after step 1 (they pair nobody):
      // still there later shows that the later steps updated the kept tables rather than rebuilding them.
      if (step.step === 1) {
        await carried.run(`INSERT INTO _lk_ips VALUES (0, 'sentinel', 'sentinel', 0)`);
        await carried.run(`INSERT INTO _lk_unit_members VALUES (0, 0, 0, 1)`);
      } else {
        expect(await carried.value(`SELECT count(*)::INTEGER FROM _lk_ips WHERE ip = 'sentinel'`)).toBe(1);
        expect(await carried.value(`SELECT count(*)::INTEGER FROM _lk_unit_members WHERE i = 0 AND a = 0`)).toBe(1);
      }
      for (const t of COMPARED) {
        const file = `read_parquet('${tmp.path(`full-${t}-${step.step}.parquet`)}')`;
        const differing = await carried.value<number>(
          `SELECT ((SELECT count(*) FROM (FROM ${t} EXCEPT ALL FROM ${file})) + (SELECT count(*) FROM (FROM ${file} EXCEPT ALL FROM ${t})))::INTEGER`,
        );
        expect({ step: step.step, table: t, differing }).toEqual({ step: step.step, table: t, differing: 0 });
      }
      const row = await carried.one<{ links: number; co: number; handoffs: number }>(
        `SELECT (SELECT count(*) FROM account_links)::INTEGER AS links, (SELECT count(*) FROM coordination_pairs)::INTEGER AS co,
                (SELECT count(*) FROM account_handoffs)::INTEGER AS handoffs`,
      );
      compared.push({ step: step.step, ...row! });
    }
    // Meaningful only if the tables grow and are not empty.
    expect(compared.length).toBe(cutoffs.length - 1);
    expect(compared.at(-1)!.links).toBeGreaterThan(compared[0]!.links);
    expect(compared.at(-1)!.co).toBeGreaterThan(0);
    expect(Math.max(...compared.map((c) => c.handoffs))).toBeGreaterThan(0);
  }, 600_000);
});
