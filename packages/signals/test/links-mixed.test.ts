// The links and coordination stages on the generator's `mixed` scenario at a
// test-sized scale, scored against truth.parquet: the innocent look-alikes
// (campus NAT, enterprise integration, cloud-range developers) get low pair
// weights and no surprising co-activity; farms get strong links, the
// scheduled farm surprising co-activity, and hand-offs stay inside farms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile, literal } from '@farmscope/casefile';
import { generate } from '@farmscope/generator';
import { ingest } from '@farmscope/ingest';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { runLinkStages } from './links-fixtures.js';

let tmp: TempFolder;
let db: CaseFile;

beforeAll(async () => {
  tmp = createTempFolder();
  const out = tmp.path('mixed');
  const { files } = await generate({ scenario: 'mixed', seed: 2, scale: 0.15, out });
  db = await CaseFile.open(tmp.path('case.duckdb'));
  await ingest(db, [
    { table: 'events', inputs: [files.events] },
    { table: 'accounts', inputs: [files.accounts] },
    { table: 'enforcement', inputs: [files.enforcement] },
  ]);
  await db.run(`CREATE TABLE truth AS FROM read_parquet(${literal(files.truth)})`);
  await runLinkStages(db);
});
afterAll(() => {
  db?.close();
  tmp?.remove();
});

/** Pairs of one table labelled: `farm:<campaign>` inside one farm, `same:<campaign>` inside one legit population. */
const labelled = (table: string, a = 'account_a', b = 'account_b') => `
  SELECT p.*, CASE WHEN ta.farm_id IS NOT NULL AND ta.farm_id = tb.farm_id THEN 'farm:' || ta.campaign
                   WHEN ta.campaign = tb.campaign AND ta.farm_id IS NULL THEN 'same:' || ta.campaign
                   ELSE 'other' END AS grp
  FROM ${table} p JOIN truth ta ON ta.account_id = p.${a} JOIN truth tb ON tb.account_id = p.${b}`;

async function quantiles(table: string, column: string): Promise<Map<string, { n: number; p50: number; p90: number; p99: number; max: number }>> {
  const rows = await db.all<{ grp: string; n: number; p50: number; p90: number; p99: number; max: number }>(
    `SELECT grp, count(*)::INTEGER AS n, quantile_cont(${column}, 0.5) AS p50, quantile_cont(${column}, 0.9) AS p90,
            quantile_cont(${column}, 0.99) AS p99, max(${column}) AS max
     FROM (${labelled(table)}) GROUP BY grp`,
  );
  return new Map(rows.map((r) => [r.grp, r]));
}

describe('links on the mixed scenario', () => {
  it('gives NAT, enterprise and cloud-developer pairs low weights and farm pairs high ones', async () => {
    const q = await quantiles('account_pairs', 'weight');
    const trap = ['same:legit.campus_nat', 'same:legit.enterprise', 'same:legit.power_dev'];
    for (const g of trap) {
      expect(q.get(g), g).toBeDefined();
      expect(q.get(g)!.p99, g).toBeLessThan(0.5);
    }
    // Small farms are left out: at this test scale each keeps two or three
    // accounts that share little but cloud addresses (a known gap, see the
    // lead's note); the farm stage has to find them by behaviour and content.
    for (const g of ['farm:attack.hydra', 'farm:attack.scheduled']) {
      expect(q.get(g), g).toBeDefined();
      expect(q.get(g)!.max, g).toBeGreaterThan(0.6);
    }
    // The hydra's pooled cards: its top decile links at least twice as strongly as the NAT's.
    expect(q.get('farm:attack.hydra')!.p90).toBeGreaterThan(2 * q.get('same:legit.campus_nat')!.p90);
  });

  it('finds the scheduled farm surprising and the NAT and enterprise co-activity chance-like', async () => {
    const q = await quantiles('coordination_pairs', 'surprise');
    expect(q.get('farm:attack.scheduled')!.p50).toBeGreaterThan(5);
    expect(q.get('same:legit.campus_nat')!.p90).toBeLessThan(3);
    expect(q.get('same:legit.enterprise')?.p90 ?? 0).toBeLessThan(3);
  });

  it('keeps hand-offs inside farms', async () => {
    const rows = await db.all<{ grp: string; n: number }>(
      `SELECT grp, count(*)::INTEGER AS n FROM (${labelled('account_handoffs', 'from_account', 'to_account')}) GROUP BY grp`,
    );
    const total = rows.reduce((s, r) => s + r.n, 0);
    const inFarm = rows.filter((r) => r.grp.startsWith('farm:')).reduce((s, r) => s + r.n, 0);
    expect(total).toBeGreaterThan(0);
    expect(inFarm / total).toBeGreaterThanOrEqual(0.95);
  });
});
