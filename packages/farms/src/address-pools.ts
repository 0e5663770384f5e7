// Farms that draw on one pool of client addresses are one operator's. A
// proxy network ("hydra") spreads thousands of accounts over a rotating
// residential pool, and its accounts fall into smaller groups held together
// by a shared card or signup burst: between two such groups, each address is
// shared by hundreds of accounts, which the rarity weighting of pair links
// rightly calls weak. Between the groups' whole address SETS, the overlap is
// overwhelming: two samples of one pool share a large part of it, two
// unrelated farms share nothing. So farms are compared by the Jaccard
// similarity of their address sets, estimated by one-permutation MinHash
// (Li, Owen & Zhang, NIPS 2012: each address hashed once, the set's minimum
// kept in each of `slots` buckets), over the addresses that no account
// outside the farms uses: a NAT, a carrier pool or a cloud egress that
// ordinary users share proves nothing about an operator. Farms whose
// estimate reaches `minJaccard`, each with at least `minSlots` non-empty
// buckets (about that many private addresses), are joined.
import type { CaseFile } from '@farmscope/casefile';
import { farmIdSql } from './farm-ids.js';
import type { FarmConfig } from './farm-config.js';
import { EVENT_CARRY_STATE as CARRIED_ADDRESS_STATE } from '@farmscope/signals';

export interface PoolMerge {
  farm_a: string;
  farm_b: string;
  jaccard: number;
}

/**
 * Joins the farms of `members(account_id, farm_id, ...)` (a temp table,
 * updated in place) that share an address pool; writes `farm_address_pools`
 * (each joined pair under the final farm id) and returns the number of
 * farms absorbed.
 */
export async function mergeSharedAddressPools(caseFile: CaseFile, config: FarmConfig, members: string): Promise<number> {
  const p = config.pools;
  await caseFile.run(
    `CREATE OR REPLACE TABLE farm_address_pools (farm_id VARCHAR, farm_a VARCHAR, farm_b VARCHAR, jaccard DOUBLE)`,
    'address pools: table',
  );
  if (!p.enabled || !(await caseFile.columnNames('events')).has('ip')) return 0;
  try {
    // One scan: each address with the farms that use it, and whether anyone in no farm does. A replay's
    // steps keep the links stages' (address, account) table up to date (signals' link-carry.ts): read it
    // instead of the events, which hold a row per request.
    const carried = (await caseFile.tableExists(CARRIED_ADDRESS_STATE)) && (await caseFile.tableExists('_lk_acct_ip'));
    await caseFile.run(
      carried
        ? `CREATE OR REPLACE TEMP TABLE _fp_use AS
           SELECT x.i AS h, m.farm_id
           FROM _lk_acct_ip x LEFT JOIN (SELECT hash(account_id) AS a, farm_id FROM ${members}) m USING (a)
           GROUP BY ALL`
        : `CREATE OR REPLACE TEMP TABLE _fp_use AS
           SELECT hash(e.ip) AS h, m.farm_id
           FROM events e LEFT JOIN ${members} m USING (account_id)
           WHERE e.ip IS NOT NULL
           GROUP BY ALL`,
      'address pools: addresses per farm',
    );
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _fp_sketch AS
       SELECT farm_id, h % ${p.slots} AS slot, min(h // ${p.slots}) AS v
       FROM _fp_use
       WHERE farm_id IS NOT NULL AND h NOT IN (SELECT h FROM _fp_use WHERE farm_id IS NULL)
       GROUP BY ALL`,
      'address pools: MinHash of each farm\'s private addresses',
    );
    const pairs = await caseFile.all<PoolMerge & Record<string, unknown>>(
      `WITH k AS (SELECT farm_id, count(*) AS slots FROM _fp_sketch GROUP BY farm_id),
       matched AS (
         SELECT x.farm_id AS farm_a, y.farm_id AS farm_b, count(*) AS matches
         FROM _fp_sketch x JOIN _fp_sketch y ON x.slot = y.slot AND x.v = y.v AND x.farm_id < y.farm_id
         GROUP BY ALL)
       SELECT farm_a, farm_b, round(matches / (ka.slots + kb.slots - matches), 4) AS jaccard
       FROM matched JOIN k ka ON ka.farm_id = farm_a JOIN k kb ON kb.farm_id = farm_b
       WHERE least(ka.slots, kb.slots) >= ${p.minSlots} AND matches / (ka.slots + kb.slots - matches) >= ${p.minJaccard}
       ORDER BY farm_a, farm_b`,
      'address pools: farm pairs sharing a pool',
    );
    if (pairs.length === 0) return 0;
    const root = components(pairs);
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE _fp_map (farm_id VARCHAR, pool VARCHAR)`);
    const values = [...root].map(([farm, pool]) => `('${farm}', '${pool}')`);
    await caseFile.run(`INSERT INTO _fp_map VALUES ${values.join(', ')}`);
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _fp_new AS
       SELECT m.account_id, ${farmIdSql('min(m.account_id) OVER (PARTITION BY coalesce(p.pool, m.farm_id))')} AS farm_id
       FROM ${members} m LEFT JOIN _fp_map p USING (farm_id)`,
      'address pools: new farm ids',
    );
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE _fp_pairs (farm_a VARCHAR, farm_b VARCHAR, jaccard DOUBLE)`);
    await caseFile.run(`INSERT INTO _fp_pairs VALUES ${pairs.map((r) => `('${r.farm_a}', '${r.farm_b}', ${Number(r.jaccard)})`).join(', ')}`);
    await caseFile.run(
      `INSERT INTO farm_address_pools
       SELECT DISTINCT n.farm_id, x.farm_a, x.farm_b, x.jaccard
       FROM _fp_pairs x JOIN ${members} m ON m.farm_id = x.farm_a JOIN _fp_new n USING (account_id)
       ORDER BY ALL`,
      'address pools: joined pairs',
    );
    await caseFile.run(
      `UPDATE ${members} SET farm_id = n.farm_id FROM _fp_new n WHERE ${members}.account_id = n.account_id`,
      'address pools: members of the joined farms',
    );
    return root.size - new Set(root.values()).size;
  } finally {
    for (const t of ['_fp_use', '_fp_sketch', '_fp_map', '_fp_new', '_fp_pairs']) await caseFile.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** Each farm in a joined pair → the smallest farm id of its connected component. */
function components(pairs: readonly PoolMerge[]): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const { farm_a, farm_b } of pairs) {
    for (const f of [farm_a, farm_b]) if (!parent.has(f)) parent.set(f, f);
    const [a, b] = [find(farm_a), find(farm_b)];
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  return new Map([...parent.keys()].sort().map((f) => [f, find(f)]));
}
