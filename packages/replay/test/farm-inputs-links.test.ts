// At each step the replay writes only the links the farm stages read
// (sharedInfrastructureStage({ farmInputsOnly }): no template links, an empty
// account_pairs) and makes them whole after its last step. That is sound only
// if the farm stages never read the left-out rows: here the whole analysis
// runs both ways on a generated log (scale 0.1, so that farms form), and every
// farm-stage table must be the same; the lean account_links must be the full
// one without its template rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseFile } from '@farmscope/casefile';
import { allStages, DEFAULT_FARM_CONFIG } from '@farmscope/farms';
import { DEFAULT_LINK_PARAMS, runStages, sharedInfrastructureStage } from '@farmscope/signals';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { generatedCase, tableDifference } from './support/generated-case.js';

const FARM_TABLES = ['account_scores', 'account_signal_evidence', 'account_clusters', 'farm_pair_scores', 'graph_communities', 'operator_cores', 'farm_candidates', 'account_farms', 'farms'];

let tmp: TempFolder;
let db: CaseFile;
beforeAll(async () => {
  tmp = createTempFolder();
  db = await generatedCase(tmp, { seed: 2, scale: 0.1, threads: 2 });
}, 300_000);
afterAll(async () => {
  await db?.close();
  tmp?.remove();
});

const difference = (a: string, b: string) => tableDifference(db, a, b);

describe('links for the farm stages only', () => {
  it('leave every farm-stage table as the full links do', async () => {
    await runStages(allStages(DEFAULT_FARM_CONFIG), db);
    for (const t of [...FARM_TABLES, 'account_links']) await db.run(`CREATE OR REPLACE TABLE full_${t} AS FROM ${t}`);
    const lean = allStages(DEFAULT_FARM_CONFIG).map((s) => (s.name === 'shared_infrastructure' ? sharedInfrastructureStage(DEFAULT_LINK_PARAMS, { farmInputsOnly: true }) : s));
    await runStages(lean, db);
    expect(Number(await db.value(`SELECT count(*) FROM full_account_links WHERE kind = 'template'`))).toBeGreaterThan(0);
    expect(await difference('account_links', `(SELECT * FROM full_account_links WHERE kind <> 'template')`)).toBe(0);
    expect(Number(await db.value(`SELECT count(*) FROM account_pairs`))).toBe(0);
    expect(Number(await db.value(`SELECT count(*) FROM farms`))).toBeGreaterThan(0);
    for (const t of FARM_TABLES) expect(await difference(t, `full_${t}`), t).toBe(0);
  }, 300_000);
});
