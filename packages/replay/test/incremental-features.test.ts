// The account_features stage with its partials (and prompt labels) carried
// from step to step must write exactly the table the full stage writes over
// everything up to the same cut-off: every column of every account, at every
// step, also after a step it did not run at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseFile } from '@farmscope/casefile';
import { ACCOUNT_FEATURES_STAGE, promptSampleStage, runStages } from '@farmscope/signals';
import { buildSchedule, carryAccountFeatures, eventRange, setAsideInputs, showStep } from '@farmscope/replay';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { generatedCase, tableDifference } from './support/generated-case.js';

const DAY = 86_400_000;

let tmp: TempFolder;
let db: CaseFile;
let inputs: { hasAccounts: boolean; hasEnforcement: boolean };
beforeAll(async () => {
  tmp = createTempFolder();
  db = await generatedCase(tmp, { seed: 3, scale: 0.02, threads: 1 });
  inputs = await setAsideInputs(db);
});
afterAll(async () => {
  await db?.close();
  tmp?.remove();
});

const difference = (a: string, b: string) => tableDifference(db, a, b);
const columns = (table: string) => db.all(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${table}' ORDER BY ordinal_position`);

describe('carried account_features', () => {
  it('equals the full stage over all events up to each cut-off', async () => {
    const schedule = buildSchedule({ stepMs: DAY, mode: { kind: 'cumulative' } }, await eventRange(db, undefined, undefined));
    expect(schedule.steps.length).toBeGreaterThanOrEqual(6);
    const compared: { step: number; accounts: number; newModelUsers: number; addresses: number }[] = [];
    for (const step of schedule.steps) {
      await showStep(db, step, inputs);
      await runStages([promptSampleStage()], db);
      // Step 3 is not run carried (as a replay skips a step at which nothing arrives; here events do arrive):
      // step 4 must catch up from the cut-off the kept partials cover.
      if (step.step === 3) continue;
      const pipeline = [ACCOUNT_FEATURES_STAGE];
      carryAccountFeatures(pipeline, step, step.step === 1);
      expect(pipeline[0]!.description).toMatch(/carried/);
      await runStages(pipeline, db);
      expect(Number(await db.value('SELECT covered_ms FROM _af_carry_state'))).toBe(step.cutoffMs);
      // A row of no account, left in a kept distinct set after step 1: still there later shows that the
      // later steps merged the new events into the kept rows rather than rebuilding them.
      // Likewise a label of no text in the kept prompt labels: later steps labelled only the texts they had not seen.
      if (step.step === 1) {
        await db.run(`INSERT INTO _af_carry_end_users_end_users VALUES ('no-such-account', 'sentinel')`);
        await db.run(`INSERT INTO _af_carry_prompt_sample_labels (h) VALUES (0)`);
      } else {
        expect(await db.value(`SELECT count(*)::INTEGER FROM _af_carry_end_users_end_users WHERE account_id = 'no-such-account'`)).toBe(1);
        expect(await db.value(`SELECT count(*)::INTEGER FROM _af_carry_prompt_sample_labels WHERE h = 0`)).toBe(1);
      }
      await db.run('CREATE OR REPLACE TABLE carried_features AS FROM account_features');
      await runStages([ACCOUNT_FEATURES_STAGE], db);
      expect(await columns('carried_features')).toEqual(await columns('account_features'));
      expect(await difference('carried_features', 'account_features')).toBe(0);
      const row = await db.one<{ accounts: number; users: number; addresses: number }>(
        `SELECT count(*)::INTEGER AS accounts, count(new_model_delay_hours)::INTEGER AS users, sum(distinct_ips)::INTEGER AS addresses FROM account_features`,
      );
      compared.push({ step: step.step, accounts: row!.accounts, newModelUsers: row!.users, addresses: row!.addresses });
    }
    // Meaningful only if the steps differ: accounts and addresses grow, and a model released during the logs is picked up.
    expect(compared.map((c) => c.step)).toEqual(schedule.steps.map((s) => s.step).filter((s) => s !== 3));
    expect(compared.at(-1)!.accounts).toBeGreaterThan(compared[0]!.accounts);
    expect(compared.at(-1)!.addresses).toBeGreaterThan(compared[0]!.addresses);
    expect(compared[0]!.newModelUsers).toBe(0);
    expect(compared.at(-1)!.newModelUsers).toBeGreaterThan(0);
  });
});
