// Farm reconstruction end to end on the other scenarios: three low-and-slow
// farms in three time zones come out as three farms, a log with no attack
// gives no farm; two runs (and another thread count) give byte-identical
// account_farms; the tables match their documented definitions; farms.json
// documents; `farmscope farms` and `farmscope explain` on the case file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { CaseFile } from '@farmscope/casefile';
import { analyzeCase, FARM_TABLES, farmDocuments, farmStages } from '@farmscope/farms';
import { analysedCase, farmMetrics, type FarmMetrics } from '../packages/farms/test/case-support.js';
import { runCli } from './support/run-cli.js';
import { createTempFolder, type TempFolder } from './support/temp-folder.js';

let tmp: TempFolder;
let slow: CaseFile | undefined;
let slowMetrics: FarmMetrics;
let noAttack: FarmMetrics;
let noAttackBenign: number;

const accountFarmsDigest = (db: CaseFile) =>
  db.value<string>(`SELECT md5(string_agg(account_id || ',' || coalesce(farm_id, '') || ',' || score, '\n' ORDER BY account_id)) FROM account_farms`);

beforeAll(async () => {
  tmp = createTempFolder();
  slow = await analysedCase(tmp, 'slow', 'three-low-and-slow', 1, 0.5);
  slowMetrics = await farmMetrics(slow);
  const none = await analysedCase(tmp, 'none', resolve(import.meta.dirname, '../datasets/scenarios/no-attack.json'), 1, 0.15);
  try {
    noAttack = await farmMetrics(none);
    noAttackBenign = await none.value<number>('SELECT count(*)::INTEGER FROM benign_clusters');
  } finally {
    none.close();
  }
}, 240_000);
afterAll(() => {
  slow?.close();
  tmp?.remove();
});

describe('three low-and-slow farms in three time zones', () => {
  it('come out as three farms, not one', () => {
    expect(slowMetrics.farms, JSON.stringify(slowMetrics)).toBe(3);
    expect(slowMetrics.bcubedF1, JSON.stringify(slowMetrics)).toBeGreaterThanOrEqual(0.95);
    expect(slowMetrics.precision).toBeGreaterThanOrEqual(0.99);
    expect(slowMetrics.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('gives byte-identical account_farms on a second run and with one thread', async () => {
    const first = await accountFarmsDigest(slow!);
    await analyzeCase(slow!, { only: farmStages().map((s) => s.name) });
    expect(await accountFarmsDigest(slow!)).toBe(first);
    await slow!.run('SET threads = 1');
    await analyzeCase(slow!, { only: farmStages().map((s) => s.name) });
    await slow!.run('RESET threads');
    expect(await accountFarmsDigest(slow!)).toBe(first);
  });

  it('writes one account_farms row per account in events, scores in [0,1]', async () => {
    const r = await slow!.one<{ accounts: number; rows: number; distinct_ids: number; bad: number }>(
      `SELECT (SELECT count(DISTINCT account_id) FROM events)::INTEGER AS accounts, count(*)::INTEGER AS rows,
         count(DISTINCT account_id)::INTEGER AS distinct_ids, count(*) FILTER (score IS NULL OR score < 0 OR score > 1)::INTEGER AS bad
       FROM account_farms`,
    );
    expect(r).toEqual({ accounts: r!.accounts, rows: r!.accounts, distinct_ids: r!.accounts, bad: 0 });
  });

  it('writes every table as its definition says', async () => {
    for (const table of FARM_TABLES) {
      const columns = await slow!.all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${table.name})`);
      expect(columns.map((c) => c.column_name), table.name).toEqual(table.columns.map((c) => c.name));
    }
  });

  it('documents each farm for farms.json, sorted by id', async () => {
    const docs = await farmDocuments(slow!);
    expect(docs.map((d) => d.id)).toEqual([...docs.map((d) => d.id)].sort());
    for (const d of docs) {
      expect(d.id).toMatch(/^farm-[0-9a-f]{12}$/);
      expect(d.accounts.length).toBe(d.accountCount);
      expect(d.requests).toBeGreaterThan(0);
      expect(d.score).toBeGreaterThan(0);
      expect(d.score).toBeLessThanOrEqual(1);
      expect(d.significance.pValue).not.toBeNull();
      expect(d.evidence.templates.length).toBeGreaterThan(0);
      expect(d.evidence.templates[0]!.samplePrompts.length).toBeGreaterThan(0);
      expect(d.evidence.signals.map((s) => s.group).sort()).toEqual(['automation', 'churn', 'content', 'coordination', 'economics', 'infrastructure']);
    }
  });

  it('lists farms and explains a farm and an account on the command line', async () => {
    const docs = await farmDocuments(slow!);
    slow!.close();
    slow = undefined;
    const db = tmp.path('slow.duckdb');
    const list = runCli(['--db', db, 'farms', '--format', 'json']);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { farm_id: string }[]).map((f) => f.farm_id)).toEqual(docs.map((d) => d.id));
    const farm = runCli(['--db', db, 'explain', docs[0]!.id]);
    expect(farm.code, farm.stderr).toBe(0);
    expect(farm.stdout).toContain(`farm ${docs[0]!.id}`);
    expect(farm.stdout).toContain('what links the accounts');
    const account = runCli(['--db', db, 'explain', docs[0]!.accounts[0]!]);
    expect(account.code, account.stderr).toBe(0);
    expect(account.stdout).toContain(`member of ${docs[0]!.id}`);
    const unknown = runCli(['--db', db, 'explain', 'no-such-id']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown id: no-such-id');
    expect(runCli(['farms', '--help']).stdout).toContain('Examples:');
    expect(runCli(['explain', '--help']).stdout).toContain('Examples:');
  });
});

describe('a log with no attack', () => {
  it('reports no farm, and its coordinated groups as benign clusters', () => {
    expect(noAttack.farms).toBe(0);
    expect(noAttack.falsePositives).toBe(0);
    expect(noAttackBenign).toBeGreaterThan(0);
  });
});
