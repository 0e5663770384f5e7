// The generated data matches each population's parameters (test/fixtures/stats.json)
// within tolerance: volume, active hours in the population's time zone, address
// sharing, token means, 429 share, bans and hand-offs, model adoption; and the
// files keep the contract (columns, types, truth coverage, order, unique ids).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, CaseFile, ENFORCEMENT, EVENTS, TRUTH } from '@farmscope/casefile';
import { generate } from '@farmscope/generator';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { byKey, openOutputs, STATS_SCENARIO } from './support.js';

const DAYS = 7;
let temp: TempFolder;
let db: CaseFile;

beforeAll(async () => {
  temp = createTempFolder('farmscope-generator-stats-');
  await generate({ scenario: STATS_SCENARIO, seed: 11, out: temp.path('out') });
  db = await openOutputs(temp.path('out'));
  await db.run(`CREATE TABLE ev AS SELECT e.*, t.campaign, t.farm_id FROM events e JOIN truth t USING (account_id)`);
});

afterAll(() => {
  db?.close();
  temp?.remove();
});

describe('contract', () => {
  it('writes exactly the contract columns and types', async () => {
    for (const table of [EVENTS, ACCOUNTS, ENFORCEMENT, TRUTH]) {
      const columns = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${table.name}`);
      expect(columns.map((c) => [c.column_name, c.column_type])).toEqual(table.columns.map((c) => [c.name, c.sqlType]));
    }
  });

  it('labels every account exactly once, farm_id null exactly for legitimate ones', async () => {
    const r = await db.one<Record<string, number>>(`SELECT
      (SELECT count(*) FROM truth) AS truth_rows,
      (SELECT count(DISTINCT account_id) FROM truth) AS truth_accounts,
      (SELECT count(*) FROM accounts) AS accounts,
      (SELECT count(DISTINCT account_id) FROM events) AS event_accounts,
      (SELECT count(*) FROM events e ANTI JOIN truth t USING (account_id)) AS unlabelled_events,
      (SELECT count(*) FROM truth WHERE (farm_id IS NULL) <> campaign LIKE 'legit.%') AS wrong_farm_ids`);
    expect(r).toMatchObject({ truth_rows: 2401, truth_accounts: 2401, accounts: 2401, event_accounts: 2401, unlabelled_events: 0, wrong_farm_ids: 0 });
  });

  it('orders events by time with unique request ids', async () => {
    const r = await db.one<Record<string, number>>(`SELECT count(*) AS n, count(DISTINCT request_id) AS ids,
      count(*) FILTER (WHERE ts < previous) AS out_of_order
      FROM (SELECT request_id, ts, lag(ts) OVER () AS previous FROM events)`);
    expect(r!.ids).toBe(r!.n);
    expect(r!.out_of_order).toBe(0);
  });

  it('keeps every request inside the window', async () => {
    const r = await db.one<{ first: string; last: string }>(`SELECT min(ts)::VARCHAR AS first, max(ts)::VARCHAR AS last FROM events`);
    expect(r!.first >= '2026-05-04').toBe(true);
    expect(r!.last < '2026-05-11').toBe(true);
  });
});

describe('volume', () => {
  it('gives each always-active population its requests per account-day', async () => {
    const counts = await byKey<{ campaign: string; n: number; accounts: number }>(
      db,
      `SELECT coalesce(farm_id, campaign) AS who, count(*)::INTEGER AS n, count(DISTINCT account_id)::INTEGER AS accounts FROM ev GROUP BY 1`,
    );
    const perAccountDay = (who: string) => counts[who]!.n / (counts[who]!.accounts * DAYS);
    expect(perAccountDay('legit.casual')).toBeGreaterThan(5 * 0.88);
    expect(perAccountDay('legit.casual')).toBeLessThan(5 * 1.12);
    expect(perAccountDay('legit.campus_nat')).toBeGreaterThan(8 * 0.88);
    expect(perAccountDay('legit.campus_nat')).toBeLessThan(8 * 1.12);
    expect(perAccountDay('legit.enterprise')).toBeGreaterThan(300 * 0.85);
    expect(perAccountDay('legit.enterprise')).toBeLessThan(300 * 1.15);
    expect(perAccountDay('slow')).toBeGreaterThan(45 * 0.85);
    expect(perAccountDay('slow')).toBeLessThan(45 * 1.15);
    expect(perAccountDay('relay')).toBeGreaterThan(1500 * 0.75);
    expect(perAccountDay('relay')).toBeLessThan(1500 * 1.25);
    // A hydra slot is served by one account at a time: 120 accounts in 4 generations = 30 slots.
    const hydraPerSlotDay = counts['hydra']!.n / (30 * DAYS);
    expect(hydraPerSlotDay).toBeGreaterThan(40 * 0.9);
    expect(hydraPerSlotDay).toBeLessThan(40 * 1.1);
  });

  it('spreads casual volume with a heavy tail', async () => {
    const r = await db.one<{ top_share: number }>(`SELECT sum(n) FILTER (WHERE rank <= 200) / sum(n) AS top_share
      FROM (SELECT count(*) AS n, row_number() OVER (ORDER BY count(*) DESC, account_id) AS rank
            FROM ev WHERE campaign = 'legit.casual' GROUP BY account_id)`);
    // The busiest 10% of casual users make well over 10% of the requests.
    expect(r!.top_share).toBeGreaterThan(0.3);
  });
});

describe('hours', () => {
  const localHourShare = (where: string, offset: number, from: number, to: number) =>
    db.value<number>(`SELECT avg((hour(ts + to_hours(${offset})) >= ${from} AND hour(ts + to_hours(${offset})) < ${to})::INTEGER) FROM ev WHERE ${where}`);

  it('keeps human populations in their active hours, in their own time zone', async () => {
    expect(await localHourShare(`campaign = 'legit.casual'`, -5, 8, 24)).toBeGreaterThan(0.9);
    expect(await localHourShare(`campaign = 'legit.campus_nat'`, 8, 8, 23)).toBeGreaterThan(0.9);
    expect(await localHourShare(`farm_id = 'slow'`, 8, 9, 19)).toBeGreaterThan(0.95);
    // The same low-and-slow traffic seen in UTC is far from office hours.
    expect(await localHourShare(`farm_id = 'slow'`, 0, 9, 19)).toBeLessThan(0.3);
  });

  it('keeps low-and-slow farms off weekends', async () => {
    const weekend = await db.value<number>(`SELECT avg((isodow(ts + INTERVAL 8 HOUR) >= 6)::INTEGER) FROM ev WHERE farm_id = 'slow'`);
    expect(weekend).toBeLessThan(0.1);
  });

  it('runs hydra farms around the clock', async () => {
    const busiest = await db.value<number>(`SELECT max(n) / sum(n) FROM (SELECT hour(ts), count(*) AS n FROM ev WHERE farm_id = 'hydra' GROUP BY 1)`);
    expect(busiest).toBeLessThan((1 / 24) * 1.4);
  });

  it('synchronises scheduled farms into a few short daily slots', async () => {
    // 3 slots of 20 minutes touch at most 9 ten-minute buckets of the day (out of 144).
    const inTop = await db.value<number>(`SELECT sum(n) FILTER (WHERE rank <= 9) / sum(n) FROM (
      SELECT count(*) AS n, row_number() OVER (ORDER BY count(*) DESC) AS rank
      FROM ev WHERE farm_id = 'sched' GROUP BY (hour(ts) * 60 + minute(ts)) // 10)`);
    expect(inTop).toBeGreaterThan(0.95);
  });
});

describe('infrastructure', () => {
  it('puts a campus behind its NAT pool and low-and-slow accounts on dedicated addresses', async () => {
    const campus = await db.value<number>(`SELECT count(DISTINCT ip) FROM ev WHERE campaign = 'legit.campus_nat'`);
    expect(campus).toBe(4);
    const sharedSlow = await db.value<number>(`SELECT count(*) FROM (SELECT ip FROM ev WHERE farm_id = 'slow' GROUP BY ip HAVING count(DISTINCT account_id) > 1)`);
    expect(sharedSlow).toBe(0);
  });

  it('rotates hydra accounts over one shared proxy pool and pooled payment', async () => {
    const r = await db.one<Record<string, number>>(`SELECT count(*) AS ips, avg((accounts >= 2)::INTEGER) AS shared
      FROM (SELECT ip, count(DISTINCT account_id) AS accounts FROM ev WHERE farm_id = 'hydra' GROUP BY ip)`);
    expect(r!.ips).toBeLessThanOrEqual(500);
    expect(r!.shared).toBeGreaterThan(0.8);
    const cards = await db.value<number>(`SELECT count(DISTINCT payment_fingerprint) FROM accounts JOIN truth USING (account_id) WHERE farm_id = 'hydra'`);
    expect(cards).toBeLessThanOrEqual(6);
  });

  it('lets casual users share addresses only through the mobile carrier NAT', async () => {
    // mobileShare 0.12: about 12% of casual requests come from the shared carrier pool.
    const shared = await db.value<number>(`SELECT avg((accounts >= 2)::INTEGER) FROM ev JOIN (
      SELECT ip, count(DISTINCT account_id) AS accounts FROM ev WHERE campaign = 'legit.casual' GROUP BY ip) USING (ip)
      WHERE campaign = 'legit.casual'`);
    expect(shared).toBeGreaterThan(0.09);
    expect(shared).toBeLessThan(0.16);
  });
});

describe('tokens and status', () => {
  it('matches the output and input token means', async () => {
    const mean = (who: string, column: string) =>
      db.value<number>(`SELECT avg(${column}) FROM ev WHERE status = 200 AND coalesce(farm_id, campaign) = '${who}'`);
    expect(await mean('hydra', 'output_tokens')).toBeGreaterThan(3200 * 0.9);
    expect(await mean('hydra', 'output_tokens')).toBeLessThan(3200 * 1.1);
    expect(await mean('legit.enterprise', 'output_tokens')).toBeGreaterThan(220 * 0.9);
    expect(await mean('legit.enterprise', 'output_tokens')).toBeLessThan(220 * 1.1);
    // Input = context (mean inputMean) + the prompt and system prompt themselves.
    expect(await mean('hydra', 'input_tokens')).toBeGreaterThan(1600 * 0.95);
    expect(await mean('hydra', 'input_tokens')).toBeLessThan(1600 * 1.1 + 250);
  });

  it('returns 429s at each population\'s rate, with no tokens billed', async () => {
    const share = (who: string) => db.value<number>(`SELECT avg((status = 429)::INTEGER) FROM ev WHERE coalesce(farm_id, campaign) = '${who}'`);
    expect(await share('sched')).toBeGreaterThan(0.065);
    expect(await share('sched')).toBeLessThan(0.095);
    expect(await share('legit.casual')).toBeLessThan(0.01);
    const billed = await db.value<number>(`SELECT count(*) FROM ev WHERE status <> 200 AND (input_tokens > 0 OR output_tokens > 0)`);
    expect(billed).toBe(0);
  });

  it('uses fixed sampling habits for farms and varied ones for casual users', async () => {
    const habits = await byKey<{ who: string; settings: number }>(
      db,
      `SELECT coalesce(farm_id, campaign) AS who, count(DISTINCT (max_tokens, temperature))::INTEGER AS settings FROM ev GROUP BY 1`,
    );
    expect(habits['hydra']!.settings).toBe(1);
    expect(habits['legit.casual']!.settings).toBeGreaterThan(10);
  });
});

describe('operator behaviour', () => {
  it('bans hydra accounts and hands their load to replacements', async () => {
    const bans = await db.value<number>(`SELECT count(*) FROM enforcement JOIN truth USING (account_id) WHERE farm_id = 'hydra' AND action = 'ban'`);
    expect(bans).toBe(90); // every generation but the last of each of the 30 slots
    const afterBan = await db.value<number>(`SELECT count(*) FROM ev JOIN enforcement b USING (account_id) WHERE b.action = 'ban' AND ev.ts > b.ts`);
    expect(afterBan).toBe(0);
    // The farm's daily volume stays level through the bans.
    const r = await db.one<{ low: number; high: number }>(`SELECT min(n) AS low, max(n) AS high FROM (
      SELECT date_trunc('day', ts), count(*) AS n FROM ev WHERE farm_id = 'hydra' GROUP BY 1)`);
    expect(r!.low / r!.high).toBeGreaterThan(0.75);
  });

  it('runs new farm accounts at full rate from their first day, while legitimate newcomers ramp up', async () => {
    // Share of each account's requests in the first half of its activity, for accounts created in the window.
    const firstHalf = (who: string) => db.value<number>(`SELECT avg((ts < mid)::INTEGER) FROM ev JOIN (
      SELECT account_id, min(e.ts) + (max(e.ts) - min(e.ts)) / 2 AS mid
      FROM ev e JOIN accounts a USING (account_id)
      WHERE a.created_at >= TIMESTAMP '2026-05-04' AND coalesce(e.farm_id, e.campaign) = '${who}'
      GROUP BY account_id) USING (account_id)`);
    expect(await firstHalf('hydra')).toBeGreaterThan(0.4);
    expect(await firstHalf('legit.power_dev')).toBeLessThan(0.35);
  });

  it('moves farm traffic to a newly released model within a day', async () => {
    const r = await db.one<Record<string, number>>(`SELECT
      count(*) FILTER (WHERE model = 'model-new' AND ts < TIMESTAMP '2026-05-06') AS before_release,
      avg((model = 'model-new')::INTEGER) FILTER (WHERE ts >= TIMESTAMP '2026-05-07 12:00') AS share_after
      FROM ev WHERE farm_id = 'hydra'`);
    expect(r!.before_release).toBe(0);
    expect(r!.share_after).toBeGreaterThan(0.42);
    expect(r!.share_after).toBeLessThan(0.58);
  });

  it('gives relay accounts many end users and many languages', async () => {
    const r = await db.one<{ users: number }>(`SELECT min(users) AS users FROM (
      SELECT account_id, count(DISTINCT end_user) AS users FROM ev WHERE farm_id = 'relay' GROUP BY 1)`);
    expect(r!.users).toBeGreaterThan(1000);
  });

  it('shares attack wording with legitimate traffic', async () => {
    // The chain-of-thought elicitation phrase reported by Anthropic appears in both.
    const r = await db.one<{ legit: number; attack: number }>(`SELECT
      count(*) FILTER (WHERE farm_id IS NULL) AS legit, count(*) FILTER (WHERE farm_id IS NOT NULL) AS attack
      FROM ev WHERE prompt LIKE '%Think step by step.%' OR prompt LIKE 'Let''s work through this carefully.%'`);
    expect(r!.legit).toBeGreaterThan(0);
    expect(r!.attack).toBeGreaterThan(0);
  });
});
