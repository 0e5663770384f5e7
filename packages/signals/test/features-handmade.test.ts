// account_features on hand-made accounts with known answers: a clockwork bot,
// a human with a night's sleep, a NAT group with a ban; and the same data
// without an accounts table, without prompts, and no events at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseFile } from '@farmscope/casefile';
import { FEATURES, type StageOutcome } from '@farmscope/signals';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { caseWith, clockworkBot, featuresOf, human, NAT_ACCOUNTS, NAT_ENFORCEMENT, natGroup, runFeatures, type Row } from './features-support.js';

let tmp: TempFolder;
let db: CaseFile;
let outcome: StageOutcome;
beforeAll(async () => {
  tmp = createTempFolder();
  ({ db, outcome } = await caseWith(tmp, 'full', {
    events: [...clockworkBot(), ...human(), ...natGroup()],
    accounts: NAT_ACCOUNTS,
    enforcement: NAT_ENFORCEMENT,
  }));
});
afterAll(() => {
  db?.close();
  tmp.remove();
});

const entropy = (counts: number[]) => {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.filter((c) => c > 0).reduce((h, c) => h - (c / total) * Math.log2(c / total), 0);
};

describe('account_features on hand-made accounts', () => {
  it('writes one row per account, every feature a column, and the dictionary', async () => {
    expect(outcome.tables).toEqual(['account_features', 'account_feature_dictionary']);
    const ids = await db.all<{ account_id: string }>('SELECT account_id FROM account_features ORDER BY account_id');
    expect(ids.map((r) => r.account_id)).toEqual(['bot', 'human', 'nat-1', 'nat-2', 'nat-3', 'nat-4']);
    const columns = await db.all<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'account_features' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(['account_id', ...FEATURES.map((f) => f.name)]);
    expect(await db.value('SELECT count(*)::INTEGER FROM account_feature_dictionary')).toBe(FEATURES.length);
    // Only what these logs lack is reported missing.
    expect(outcome.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^template_count, top_template_share, template_entropy_bits: null \(no account_templates table \(written by the prompt_templates stage\)\)/),
      expect.stringMatching(/^distinct_api_keys: null \(events\.api_key_id has no values\)/),
    ]));
    expect(outcome.notes.filter((n) => n.includes('distinct_api_keys'))).toHaveLength(1);
  });

  it('a clockwork bot: flat over 24 h, 60 s gaps, fixed habits, a rotating /24', async () => {
    const f = await featuresOf(db, 'bot');
    expect(f).toMatchObject({
      requests: 1440, active_days: 1, requests_per_active_day: 1440, weekday_share: 1,
      peak_requests_per_minute: 1, peak_requests_per_hour: 60,
      gap_median_seconds: 60, gap_cv: 0, regular_gap_share: 1, session_count: 1, quiet_hours: 0,
      first_day_requests: 1440, first_day_ratio: null,
      input_tokens_mean: 100, output_tokens_mean: 900, output_input_ratio: 9, status_429_share: 0,
      max_tokens_modal_share: 1, temperature_modal_share: 1,
      distinct_ips: 200, distinct_ipv4_24: 1, distinct_ipv6_48: 0, ip_churn_per_day: 200,
      distinct_user_agents: 1, distinct_sdk_families: 1, distinct_api_keys: null, distinct_models: 1,
      distinct_prompt_ratio: 1, reasoning_trace_share: 1, rubric_grading_share: 0, tool_use_share: 0,
      benchmark_mcq_share: 0, elicitation_share: 1, distinct_scripts: 1, distinct_languages: 1, top_language_share: 1,
      distinct_system_prompts: 1, top_system_prompt_share: 1, system_prompt_max_accounts: 1,
      distinct_end_users: null, template_count: null,
      new_model_delay_hours: null, new_model_share: null,
      related_bans: 0, requests_after_related_ban: 0, hours_from_related_ban_to_start: null,
      signup_to_first_request_hours: null,
    });
    expect(f.hour_histogram).toEqual(Array(24).fill(60));
    expect(f.hour_entropy_bits).toBeCloseTo(Math.log2(24), 9);
    expect(f.lifetime_hours).toBeCloseTo(1439 / 60, 9);
    expect(f.longest_gap_hours).toBeCloseTo(60 / 3600, 9);
    // A deterministic sample of about 64 of its 1,440 prompts, all distinct.
    expect(f.sampled_prompts).toBeGreaterThan(35);
    expect(f.sampled_prompts).toBeLessThan(95);
    expect(f.top_prompt_share).toBeCloseTo(1 / (f.sampled_prompts as number), 12);
  });

  it('a human: sleeps 23:00–08:00, irregular gaps, several languages', async () => {
    const f = await featuresOf(db, 'human');
    const histogram = Array(24).fill(0);
    for (const [hour, n] of [[8, 6], [9, 3], [12, 6], [15, 3], [18, 3], [21, 3], [22, 3]]) histogram[hour!] = n;
    expect(f).toMatchObject({
      requests: 27, active_days: 3, requests_per_active_day: 9, weekday_share: 1,
      peak_requests_per_minute: 1, peak_requests_per_hour: 2, quiet_hours: 9, session_count: 21,
      gap_median_seconds: 135 * 60, first_day_requests: 9, first_day_ratio: 1,
      output_input_ratio: 0.5, distinct_ips: 1, distinct_sdk_families: 1,
      distinct_prompt_ratio: 1, sampled_prompts: 27, elicitation_share: 0,
      distinct_scripts: 2, distinct_languages: 3, distinct_system_prompts: 0, top_system_prompt_share: null,
      hour_histogram: histogram,
    });
    expect(f.hour_entropy_bits).toBeCloseTo(entropy(histogram), 9);
    expect(f.lifetime_hours).toBeCloseTo(62 + 50 / 60, 9);
    expect(f.longest_gap_hours).toBeCloseTo(550 / 60, 9);
    expect(f.max_tokens_modal_share).toBeCloseTo(2 / 3, 12);
    expect(f.temperature_modal_share).toBeCloseTo(5 / 9, 12);
    expect(f.top_language_share).toBeCloseTo(21 / 27, 12);
    expect(f.gap_cv as number).toBeGreaterThan(0.8);
    expect(f.regular_gap_share as number).toBeLessThan(0.5);
  });

  it('a NAT group: one address, IPv6 /48s, activity after a related ban, a new model', async () => {
    const nat = Object.fromEntries(await Promise.all(['nat-1', 'nat-2', 'nat-3', 'nat-4'].map(async (a) => [a, await featuresOf(db, a)])));
    expect(nat['nat-1']).toMatchObject({ distinct_ips: 1, related_bans: 0, requests_after_related_ban: 0, new_model_delay_hours: null, new_model_share: null });
    expect(nat['nat-1']!.signup_to_first_request_hours).toBeCloseTo(96 + 10 / 60, 9);
    expect(nat['nat-1']!.status_429_share).toBeCloseTo(1 / 6, 12);
    expect(nat['nat-2']).toMatchObject({ related_bans: 1, requests_after_related_ban: 5, hours_from_related_ban_to_start: null, new_model_delay_hours: 0, new_model_share: 1 });
    expect(nat['nat-3']).toMatchObject({ distinct_ips: 3, distinct_ipv4_24: 1, distinct_ipv6_48: 1, related_bans: 1, requests_after_related_ban: 0 });
    expect(nat['nat-4']).toMatchObject({ related_bans: 1, requests_after_related_ban: 4, new_model_delay_hours: 0 });
    expect(nat['nat-4']!.hours_from_related_ban_to_start).toBeCloseTo(1 + 40 / 60, 9);
  });
});

describe('account_features with other stages\' tables', () => {
  it('reads template reuse from account_templates when the prompt_templates stage wrote it', async () => {
    await db.run(`CREATE TABLE account_templates AS
      SELECT 'bot' AS account_id, 1 AS templates, 1.0 AS top_template_share, 0.0 AS template_entropy, 1.0 AS rare_template_share`);
    try {
      const again = await runFeatures(db);
      expect(again.notes.join('\n')).not.toMatch(/template_count/);
      expect(await featuresOf(db, 'bot')).toMatchObject({ template_count: 1, top_template_share: 1, template_entropy_bits: 0, requests: 1440 });
      expect((await featuresOf(db, 'human')).template_count).toBeNull();
    } finally {
      await db.run('DROP TABLE account_templates');
    }
  });
});

describe('account_features with missing inputs', () => {
  it('without an accounts table, relates accounts by a shared request IP', async () => {
    const { db: noAccounts, outcome: o } = await caseWith(tmp, 'no-accounts', { events: natGroup(), enforcement: NAT_ENFORCEMENT });
    try {
      expect((await featuresOf(noAccounts, 'nat-2')).requests_after_related_ban).toBe(5);
      expect((await featuresOf(noAccounts, 'nat-4')).hours_from_related_ban_to_start).toBeCloseTo(1 + 40 / 60, 9);
      expect((await featuresOf(noAccounts, 'nat-1')).signup_to_first_request_hours).toBeNull();
      expect(o.notes).toContainEqual('signup_to_first_request_hours: null (no accounts table)');
    } finally {
      noAccounts.close();
    }
  });

  it('without prompts, the content features are null and say why; the rest are computed', async () => {
    const strip = (rows: Row[]) => rows.map(({ prompt: _p, system_prompt: _s, ...rest }) => rest);
    const { db: noPrompts, outcome: o } = await caseWith(tmp, 'no-prompts', { events: strip([...clockworkBot(), ...human()]) });
    try {
      const f = await featuresOf(noPrompts, 'bot');
      expect(f).toMatchObject({ requests: 1440, gap_median_seconds: 60, distinct_prompt_ratio: null, elicitation_share: null, sampled_prompts: null, distinct_system_prompts: null, related_bans: null });
      expect(o.notes).toEqual(expect.arrayContaining([
        expect.stringMatching(/^distinct_prompt_ratio, top_prompt_share: null \(events\.prompt has no values\)/),
        expect.stringMatching(/^sampled_prompts, reasoning_trace_share, .*: null \(events\.prompt has no values\)/),
        expect.stringMatching(/related_bans.*: null \(no enforcement table\)/),
      ]));
    } finally {
      noPrompts.close();
    }
  });

  it('an empty case file gives an empty account_features with every column', async () => {
    const { db: empty, outcome: o } = await caseWith(tmp, 'empty', {});
    try {
      expect(await empty.value('SELECT count(*)::INTEGER FROM account_features')).toBe(0);
      const n = await empty.value(`SELECT count(*)::INTEGER FROM information_schema.columns WHERE table_name = 'account_features'`);
      expect(n).toBe(FEATURES.length + 1);
      expect(o.notes).toEqual(['no events table: account_features is empty']);
    } finally {
      empty.close();
    }
  });
});
