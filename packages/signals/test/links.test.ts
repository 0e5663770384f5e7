// Shared-infrastructure links, co-activity and hand-offs on hand-made
// accounts with a known answer: a card shared by 40 accounts, 400 students
// behind one NAT address, a ban followed by a replacement, two busy accounts
// on one egress next to a lockstep pair.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseFile } from '@farmscope/casefile';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { DEFAULT_LINK_PARAMS } from '../src/links/index.js';
import { account, BASE, caseWith, event, HOUR, MINUTE, runLinkStages, type Row } from './links-fixtures.js';

let tmp: TempFolder;
beforeAll(() => {
  tmp = createTempFolder();
});
afterAll(() => tmp.remove());

const pad = (i: number, n = 3) => String(i).padStart(n, '0');

describe('account_links: rarity weighting and capped pairs', () => {
  let db: CaseFile;
  const cards = Array.from({ length: 40 }, (_, i) => `card-${pad(i)}`);
  const students = Array.from({ length: 400 }, (_, i) => `nat-${pad(i)}`);
  beforeAll(async () => {
    const events: Row[] = [];
    const accounts: Row[] = [];
    cards.forEach((id, i) => {
      accounts.push(account(id, { payment_fingerprint: 'pm-shared-by-40' }));
      // Own address, used once per request: no address links.
      for (let j = 0; j < 4; j++) events.push(event(id, BASE + i * 7 * MINUTE + j * 3 * HOUR, `198.18.${i}.${j}`));
    });
    students.forEach((id, i) => {
      accounts.push(account(id));
      for (let j = 0; j < 4; j++) events.push(event(id, BASE + ((i * 37) % 600) * MINUTE + j * 10 * HOUR, '166.100.7.10'));
    });
    // Background users, so the NAT (400 of 2,040 accounts) is common but not
    // ubiquitous (more than 20% of all accounts link nobody).
    for (let i = 0; i < 1600; i++) events.push(event(`bg-${pad(i, 4)}`, BASE + i * MINUTE, `81.${i % 200}.${i % 7}.9`));
    db = await caseWith(tmp, 'card-and-nat', { events, accounts });
    await runLinkStages(db);
  });
  afterAll(() => db.close());

  it('links the 40 card holders pairwise and strongly', async () => {
    const rows = await db.all<{ n: number; w: number; holders: number; sampled: boolean }>(
      `SELECT count(*)::INTEGER AS n, min(weight) AS w, min(holders) AS holders, bool_or(sampled) AS sampled
       FROM account_links WHERE kind = 'payment'`,
    );
    expect(rows[0]).toEqual({ n: (40 * 39) / 2, w: expect.closeTo(Math.log(7) / Math.log(45), 5), holders: 40, sampled: false });
  });

  it('links the 400 NAT students weakly, through a ring sample, not 79,800 pairs', async () => {
    const ip = await db.one<{ n: number; maxw: number; sampled: boolean; holders: number }>(
      `SELECT count(*)::INTEGER AS n, max(weight) AS maxw, bool_and(sampled) AS sampled, min(holders) AS holders
       FROM account_links WHERE kind = 'ip'`,
    );
    expect(ip!.holders).toBe(400);
    expect(ip!.sampled).toBe(true);
    expect(ip!.n).toBeLessThanOrEqual(DEFAULT_LINK_PARAMS.ringNeighbours * 400);
    expect(ip!.n).toBeGreaterThanOrEqual(400); // every student linked to someone
    const pairs = await db.one<{ n: number; maxw: number }>(
      `SELECT count(*)::INTEGER AS n, max(weight) AS maxw FROM account_pairs WHERE account_a LIKE 'nat-%'`,
    );
    expect(pairs!.n).toBeLessThanOrEqual(2 * DEFAULT_LINK_PARAMS.ringNeighbours * 400); // ip + /24 rings
    const card = Math.log(7) / Math.log(45);
    expect(pairs!.maxw).toBeLessThan(card / 4);
  });

  it('keeps the ring connected: every student reaches every other through links', async () => {
    const reached = await db.value<number>(
      `WITH RECURSIVE walk(account) AS (
         SELECT 'nat-000'
         UNION
         SELECT CASE WHEN l.account_a = w.account THEN l.account_b ELSE l.account_a END
         FROM walk w JOIN account_links l ON l.kind = 'ip' AND (l.account_a = w.account OR l.account_b = w.account)
       ) SELECT count(*)::INTEGER FROM walk`,
    );
    expect(reached).toBe(400);
  });

  it('writes the same links twice (deterministic)', async () => {
    const digest = () => db.value<string>(`SELECT md5(string_agg(account_a || account_b || kind || weight::VARCHAR, ',' ORDER BY account_a, account_b, kind)) FROM account_links`);
    const first = await digest();
    await runLinkStages(db);
    expect(await digest()).toBe(first);
  });
});

describe('account_handoffs', () => {
  it('finds the replacement that starts after a ban on the same card, and nothing else', async () => {
    const events: Row[] = [];
    const day = 24 * HOUR;
    for (let d = 0; d < 8; d++) events.push(event('filler', BASE + d * 12 * HOUR, '203.0.113.1'));
    for (let h = 10; h <= 36; h += 2) events.push(event('banned', BASE + h * HOUR, '45.76.9.9'));
    for (let h = 39; h <= 72; h += 2) events.push(event('successor', BASE + h * HOUR, '45.76.9.10'));
    for (let h = 0; h <= 95; h += 3) events.push(event('sibling', BASE + h * HOUR, '45.76.9.11'));
    for (let h = 38; h <= 72; h += 2) events.push(event('stranger', BASE + h * HOUR, '81.2.3.4'));
    const accounts = [
      account('filler'), account('stranger'),
      account('banned', { payment_fingerprint: 'pm-pool' }),
      account('successor', { payment_fingerprint: 'pm-pool' }),
      account('sibling', { payment_fingerprint: 'pm-pool' }),
    ];
    const enforcement = [{ account_id: 'banned', ts: new Date(BASE + 36.5 * HOUR).toISOString(), action: 'ban' }];
    const db = await caseWith(tmp, 'handoff', { events, accounts, enforcement });
    try {
      await runLinkStages(db);
      const rows = await db.all(`SELECT from_account, to_account, after_ban, strongest_kind, gap_hours FROM account_handoffs`);
      expect(rows).toEqual([
        { from_account: 'banned', to_account: 'successor', after_ban: true, strongest_kind: 'payment', gap_hours: expect.closeTo(3, 0) },
      ]);
      expect(day).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});

describe('coordination_pairs: chance model', () => {
  it('scores a lockstep pair far above two busy accounts on one egress', async () => {
    const events: Row[] = [];
    const buckets = 288; // two days of 10-minute buckets
    for (let k = 0; k < buckets; k++) {
      events.push(event('busy-a', BASE + k * 10 * MINUTE + 1 * MINUTE, '12.0.0.1'));
      events.push(event('busy-b', BASE + k * 10 * MINUTE + 5 * MINUTE, '12.0.0.1'));
    }
    for (let k = 0; k < 24; k++) {
      const bucket = k * 11 + ((k * k) % 5); // irregular, spread over both days
      for (const who of ['lock-1', 'lock-2']) {
        events.push(event(who, BASE + bucket * 10 * MINUTE + 2 * MINUTE, '45.76.1.1'));
        events.push(event(who, BASE + bucket * 10 * MINUTE + 6 * MINUTE, '45.76.1.1'));
      }
    }
    const db = await caseWith(tmp, 'coactivity', { events });
    try {
      await runLinkStages(db);
      const rows = await db.all<{ account_a: string; shared_buckets: number; lift: number; surprise: number; jaccard: number }>(
        `SELECT account_a, shared_buckets, lift, surprise, jaccard FROM coordination_pairs ORDER BY account_a`,
      );
      expect(rows.map((r) => r.account_a)).toEqual(['busy-a', 'lock-1']);
      const [busy, lock] = rows as [(typeof rows)[0], (typeof rows)[0]];
      expect(busy.shared_buckets).toBe(buckets);
      expect(busy.lift).toBeGreaterThan(0.8);
      expect(busy.lift).toBeLessThan(1.25);
      expect(busy.surprise).toBeLessThan(1);
      expect(lock.shared_buckets).toBe(24);
      expect(lock.jaccard).toBe(1);
      expect(lock.lift).toBeGreaterThan(5);
      expect(lock.surprise).toBeGreaterThan(busy.surprise + 5);
    } finally {
      db.close();
    }
  });
});

describe('missing inputs', () => {
  it('without an accounts table: no registry links, a note says so, the rest is computed', async () => {
    const events: Row[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) events.push(event(`acct-${i}`, BASE + j * HOUR + i * MINUTE, '45.76.2.2'));
    const db = await caseWith(tmp, 'no-accounts', { events });
    try {
      const reports = await runLinkStages(db);
      const notes = reports.flatMap((r) => r.notes).join('\n');
      expect(notes).toMatch(/no links of kind payment, signup_ip, email_local, email_throwaway: no accounts table/);
      expect(notes).toMatch(/no links of kind template/);
      const kinds = await db.all(`SELECT DISTINCT kind FROM account_links ORDER BY kind`);
      expect(kinds.map((k) => k.kind)).toEqual(['ip', 'ip_net', 'user_agent']);
    } finally {
      db.close();
    }
  });

  it('with no events: empty tables and a note', async () => {
    const db = await caseWith(tmp, 'empty', { events: [event('x', BASE, '1.2.3.4')] });
    try {
      await db.run(`DELETE FROM events`);
      const reports = await runLinkStages(db);
      expect(reports.map((r) => r.notes[0])).toEqual([
        'account_links, account_pairs empty: the case file has no events',
        'coordination_pairs, account_handoffs empty: the case file has no events',
      ]);
      for (const t of ['account_links', 'account_pairs', 'coordination_pairs', 'account_handoffs']) {
        expect(await db.value(`SELECT count(*)::INTEGER FROM ${t}`)).toBe(0);
      }
    } finally {
      db.close();
    }
  });
});
