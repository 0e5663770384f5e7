// Joining farms by a shared pool of private addresses, on hand-made events:
// two groups drawing on one rotating pool are joined; a group on its own
// pool is not; two groups that meet only on an address ordinary users also
// use (a NAT) are not; groups with too few private addresses are not compared.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { DEFAULT_FARM_CONFIG, mergeSharedAddressPools } from '@farmscope/farms';

let db: CaseFile;

beforeEach(async () => {
  db = await CaseFile.open(':memory:');
  await db.run(`CREATE TABLE events (account_id VARCHAR, ip VARCHAR)`);
  await db.run(`CREATE TEMP TABLE _fa_members (account_id VARCHAR, community VARCHAR, farm_id VARCHAR)`);
});
afterEach(() => db.close());

/** `accounts` accounts of group `farm`, each sending `requests` requests from addresses `pool`.0.<k>, k drawn from 0..size-1. */
async function group(farm: string, accounts: number, pool: string, size: number, requests = 60): Promise<void> {
  await db.run(
    `INSERT INTO events SELECT '${farm}-' || a.range, '${pool}.' || (hash(a.range, r.range, '${farm}') % ${size})
     FROM range(${accounts}) a, range(${requests}) r`,
  );
  await db.run(`INSERT INTO _fa_members SELECT DISTINCT account_id, 'c:${farm}', 'farm-${farm}' FROM events WHERE account_id LIKE '${farm}-%'`);
}

async function farmsOf(): Promise<Record<string, string>> {
  const rows = await db.all<{ account_id: string; farm_id: string }>(`SELECT account_id, farm_id FROM _fa_members ORDER BY account_id`);
  return Object.fromEntries(rows.map((r) => [r.account_id, r.farm_id]));
}

describe('mergeSharedAddressPools', () => {
  it('joins two groups drawing on one rotating pool, and leaves a group on its own pool alone', async () => {
    await group('a', 8, '10.1', 300);
    await group('b', 8, '10.1', 300);
    await group('c', 8, '10.2', 300);
    const absorbed = await mergeSharedAddressPools(db, DEFAULT_FARM_CONFIG, '_fa_members');
    expect(absorbed).toBe(1);
    const farms = await farmsOf();
    expect(new Set(['a', 'b'].flatMap((g) => Array.from({ length: 8 }, (_, i) => farms[`${g}-${i}`]))).size).toBe(1);
    expect(farms['a-0']).not.toBe(farms['c-0']);
    expect(new Set(Array.from({ length: 8 }, (_, i) => farms[`c-${i}`])).size).toBe(1);
    const pools = await db.all<{ farm_a: string; farm_b: string; jaccard: number }>(`SELECT farm_a, farm_b, jaccard FROM farm_address_pools`);
    expect(pools.map((p) => [p.farm_a, p.farm_b])).toEqual([['farm-a', 'farm-b']]);
    expect(pools[0]!.jaccard).toBeGreaterThan(0.5);
  });

  it('reads a replay\'s carried (address, account) table instead of the events, with the same outcome', async () => {
    await group('a', 8, '10.1', 300);
    await group('b', 8, '10.1', 300);
    await group('c', 8, '10.2', 300);
    await db.run(`INSERT INTO events SELECT 'student-' || range, '10.2.0.' || range FROM range(50)`);
    // What the links stages keep while a replay runs (signals' link-carry.ts), then no events: only the kept table can give the answer.
    await db.run(`CREATE TEMP TABLE _lk_acct_ip AS SELECT hash(ip) AS i, hash(account_id) AS a, count(*) AS requests FROM events GROUP BY ALL`);
    await db.run(`CREATE TEMP TABLE _lk_carry_state AS SELECT 0::BIGINT AS covered_ms, 600::BIGINT AS bucket_seconds`);
    await db.run(`DELETE FROM events`);
    expect(await mergeSharedAddressPools(db, DEFAULT_FARM_CONFIG, '_fa_members')).toBe(1);
    const farms = await farmsOf();
    expect(farms['a-0']).toBe(farms['b-7']);
    expect(farms['a-0']).not.toBe(farms['c-0']);
  });

  it('does not join two groups that meet only on addresses ordinary users share', async () => {
    // Each group: its own private pool plus a campus NAT that 50 ordinary accounts use too.
    await group('d', 6, '10.3', 200);
    await group('e', 6, '10.4', 200);
    await db.run(`INSERT INTO events SELECT 'd-' || range, '192.0.2.1' FROM range(6) UNION ALL SELECT 'e-' || range, '192.0.2.1' FROM range(6)`);
    await db.run(`INSERT INTO events SELECT 'student-' || range, '192.0.2.1' FROM range(50)`);
    expect(await mergeSharedAddressPools(db, DEFAULT_FARM_CONFIG, '_fa_members')).toBe(0);
    expect((await farmsOf())['d-0']).toBe('farm-d');
  });

  it('does not compare groups with too few private addresses', async () => {
    // Two small groups on the same three cloud addresses: an overlap of 1, but no pool to speak of.
    await group('f', 3, '10.5', 3);
    await group('g', 3, '10.5', 3);
    expect(await mergeSharedAddressPools(db, DEFAULT_FARM_CONFIG, '_fa_members')).toBe(0);
    expect(await mergeSharedAddressPools(db, { ...DEFAULT_FARM_CONFIG, pools: { ...DEFAULT_FARM_CONFIG.pools, minSlots: 2 } }, '_fa_members')).toBe(1);
  });

  it('is switched off by pools.enabled = false', async () => {
    await group('a', 8, '10.1', 300);
    await group('b', 8, '10.1', 300);
    expect(await mergeSharedAddressPools(db, { ...DEFAULT_FARM_CONFIG, pools: { ...DEFAULT_FARM_CONFIG.pools, enabled: false } }, '_fa_members')).toBe(0);
    expect(await db.value(`SELECT count(*)::INTEGER FROM farm_address_pools`)).toBe(0);
  });
});
