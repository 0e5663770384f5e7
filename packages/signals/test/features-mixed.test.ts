// On the generator's `mixed` scenario (small scale, known truth), attack
// accounts' features separate from legitimate ones on the signals providers
// named: output/input ratio, elicitation share, round-the-clock activity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile, literal } from '@farmscope/casefile';
import { generate } from '@farmscope/generator';
import { ingest } from '@farmscope/ingest';
import { runFeatures } from './features-support.js';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';

let tmp: TempFolder;
let db: CaseFile;
type Medians = Record<string, number>;
let attack: Medians;
let legit: Medians;
const FEATURES = ['output_input_ratio', 'elicitation_share', 'hour_entropy_bits', 'temperature_modal_share', 'distinct_prompt_ratio'];

beforeAll(async () => {
  tmp = createTempFolder();
  const out = tmp.path('mixed');
  const generated = await generate({ scenario: 'mixed', seed: 11, scale: 0.03, out });
  db = await CaseFile.open(tmp.path('mixed.duckdb'));
  await ingest(db, [
    { table: 'events', inputs: [generated.files.events] },
    { table: 'accounts', inputs: [generated.files.accounts] },
    { table: 'enforcement', inputs: [generated.files.enforcement] },
  ]);
  await runFeatures(db);
  const rows = await db.all<Medians & { attack: boolean; accounts: number }>(
    `SELECT t.farm_id IS NOT NULL AS attack, count(*)::INTEGER AS accounts,
       ${FEATURES.map((f) => `median(f.${f}) AS ${f}`).join(', ')}
     FROM account_features f JOIN read_parquet(${literal(generated.files.truth)}) t USING (account_id)
     GROUP BY ALL`,
  );
  attack = rows.find((r) => r.attack)!;
  legit = rows.find((r) => !r.attack)!;
});
afterAll(() => {
  db?.close();
  tmp?.remove();
});

describe('account_features on the mixed scenario', () => {
  it('has attack and legitimate accounts to compare', () => {
    expect(attack.accounts).toBeGreaterThanOrEqual(10);
    expect(legit.accounts).toBeGreaterThanOrEqual(100);
  });

  it('attack accounts buy more output per input token', () => {
    expect(attack.output_input_ratio).toBeGreaterThan(1.5 * legit.output_input_ratio);
  });

  it('attack accounts send more elicitation prompts', () => {
    expect(attack.elicitation_share).toBeGreaterThan(legit.elicitation_share + 0.15);
    expect(attack.elicitation_share).toBeGreaterThan(2 * legit.elicitation_share);
  });

  it('attack accounts run round the clock with fixed sampling habits', () => {
    expect(attack.hour_entropy_bits).toBeGreaterThan(legit.hour_entropy_bits + 0.3);
    expect(attack.temperature_modal_share).toBeGreaterThan(legit.temperature_modal_share + 0.1);
  });
});
