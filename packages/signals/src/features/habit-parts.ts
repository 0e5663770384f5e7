// Operator habits: how fast an account moved to a newly released model, what
// it did right after a related account was banned (hydra clusters: "when one
// account is banned, a new one takes its place", Anthropic Feb 2026), and how
// soon after signup it started.
import { type FeaturePart, partTable } from './feature-definition.js';

/** A model is "new" when it first appears this long after the logs start: it was released inside the window. */
export const NEW_MODEL_AFTER_HOURS = 24;

/** Enforcement actions that end an account's use (others, such as rate_limit, do not). */
export const BAN_ACTIONS = ['ban', 'suspend'] as const;

/** A payment card or signup IP shared by more accounts than this links nobody (too common to mean anything). */
export const RELATED_KEY_MAX_ACCOUNTS = 1000;

/** Models first seen more than NEW_MODEL_AFTER_HOURS after the logs start (the activity part's earliest first_seen). */
function newModels(relation: (name: string) => string): string {
  return `(SELECT model, debut FROM ${relation('debuts')}
      WHERE debut > (SELECT min(first_seen) FROM ${partTable('activity')}) + INTERVAL ${NEW_MODEL_AFTER_HOURS} HOUR)`;
}

export const NEW_MODELS_PART: FeaturePart = {
  name: 'new_models',
  purpose: 'models used, and the delay from a model\'s first appearance in the logs to the account\'s first use of it (events grouped by account and model)',
  needs: ['model'],
  // Each model's first appearance, and per account and model its first use
  // and its requests since the first new model appeared: partials a replay
  // carries from step to step (feature-carry.ts). When events only grow by
  // later requests, a model's debut and the logs' start never move, so the
  // first new model's debut T is fixed once it exists and comes after every
  // request seen before it appeared: counts of ts ≥ T merge by sum.
  partials: {
    relations: [
      {
        name: 'debuts', keys: ['model'], merge: { debut: 'min(debut)' }, materialize: true,
        rows: (events) => `SELECT model, min(ts) AS debut FROM ${events} WHERE model IS NOT NULL GROUP BY model`,
      },
      {
        name: 'uses', keys: ['account_id', 'model'], merge: { first_use: 'min(first_use)', n_after: 'sum(n_after)::BIGINT' },
        rows: (events, relation) => `SELECT account_id, model, min(ts) AS first_use,
            count_if(ts >= (SELECT min(debut) FROM ${newModels(relation)})) AS n_after
          FROM ${events} WHERE model IS NOT NULL GROUP BY ALL`,
      },
    ],
    from: (relation) => `SELECT u.account_id, u.first_use, u.n_after, d.debut, a.first_seen
      FROM ${relation('uses')} u
      LEFT JOIN ${newModels(relation)} d USING (model)
      JOIN ${partTable('activity')} a USING (account_id)`,
  },
  features: [
    { name: 'distinct_models', group: 'operator habits', type: 'INTEGER', unit: 'models', meaning: 'distinct models requested', how: 'count(DISTINCT model)', sql: 'count(*)', fill: '0' },
    {
      name: 'new_model_delay_hours', group: 'operator habits', type: 'DOUBLE', unit: 'hours',
      meaning: 'how fast it moved to a model released during the logs ("pivoted within 24 hours", Anthropic Feb 2026); null if it never used one',
      how: `min over new models (first seen > ${NEW_MODEL_AFTER_HOURS} h after the logs start) of: its first use − max(model's first appearance, its own first request)`,
      sql: 'min((epoch_ms(first_use) - epoch_ms(greatest(debut, first_seen))) / 3600000) FILTER (debut IS NOT NULL)',
      nullWhen: `no model first appears more than ${NEW_MODEL_AFTER_HOURS} h after the logs start`,
    },
    {
      name: 'new_model_share', group: 'operator habits', type: 'DOUBLE', unit: 'share 0–1',
      meaning: 'share of its requests after the first new model appeared that went to new models ("redirecting nearly half their traffic", Anthropic Feb 2026)',
      how: 'requests to new models / its requests since the first new model\'s first appearance',
      sql: 'coalesce(sum(n_after) FILTER (debut IS NOT NULL), 0) / nullif(sum(n_after), 0)',
      nullWhen: `no model first appears more than ${NEW_MODEL_AFTER_HOURS} h after the logs start`,
    },
  ],
};

function linkSql(hasAccounts: boolean, ipMaxAccounts: number): string {
  if (hasAccounts) {
    return `SELECT account_id, k FROM (
        SELECT account_id, 'payment:' || payment_fingerprint AS k FROM accounts WHERE payment_fingerprint IS NOT NULL
        UNION SELECT account_id, 'signup_ip:' || signup_ip FROM accounts WHERE signup_ip IS NOT NULL
      ) QUALIFY count(*) OVER (PARTITION BY k) <= ${RELATED_KEY_MAX_ACCOUNTS}`;
  }
  return `SELECT account_id, k FROM (SELECT DISTINCT account_id, 'ip:' || ip AS k FROM events WHERE ip IS NOT NULL)
      QUALIFY count(*) OVER (PARTITION BY k) <= ${ipMaxAccounts}`;
}

export const RELATED_BANS_PART: FeaturePart = {
  name: 'related_bans',
  purpose: 'activity around bans of related accounts (same payment card or signup IP; without an accounts table, same request IP)',
  needs: ['enforcement'],
  scratchTables: ['_af_bans', '_af_links', '_af_ban_pairs', '_af_after_ban'],
  unmet: (has) => (has('accounts') || has('ip') ? undefined : 'no accounts table and no ip in events: nothing tells which accounts are related'),
  prepare: (env) => [
    `CREATE OR REPLACE TEMP TABLE _af_bans AS
      SELECT account_id, min(ts) AS banned_at FROM enforcement
      WHERE lower(action) IN (${BAN_ACTIONS.map((a) => `'${a}'`).join(', ')}) GROUP BY account_id`,
    `CREATE OR REPLACE TEMP TABLE _af_links AS ${linkSql(env.hasAccounts, env.relatedIpMaxAccounts)}`,
    `CREATE OR REPLACE TEMP TABLE _af_ban_pairs AS
      SELECT DISTINCT l.account_id, b.account_id AS banned, b.banned_at
      FROM _af_links l JOIN _af_links o ON o.k = l.k AND o.account_id <> l.account_id
      JOIN _af_bans b ON b.account_id = o.account_id`,
    // Windows [ban, ban + N h) of one account are merged first, so each of its
    // events meets at most one window in the range join.
    `CREATE OR REPLACE TEMP TABLE _af_after_ban AS
      WITH starts AS (
        SELECT account_id, s, coalesce(s > max(s) OVER (PARTITION BY account_id ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + INTERVAL ${env.afterBanHours} HOUR, true) AS fresh
        FROM (SELECT DISTINCT account_id, banned_at AS s FROM _af_ban_pairs)
      ), islands AS (
        SELECT account_id, s, sum(fresh::INTEGER) OVER (PARTITION BY account_id ORDER BY s ROWS UNBOUNDED PRECEDING) AS island FROM starts
      ), merged AS (
        SELECT account_id, min(s) AS s, max(s) + INTERVAL ${env.afterBanHours} HOUR AS e FROM islands GROUP BY account_id, island
      )
      SELECT e.account_id, count(*) AS n FROM events e JOIN merged m ON e.account_id = m.account_id AND e.ts >= m.s AND e.ts < m.e
      GROUP BY e.account_id`,
  ],
  from: () => `SELECT r.account_id, r.banned, r.banned_at, a.first_seen, c.n AS after_ban
    FROM _af_ban_pairs r JOIN ${partTable('activity')} a USING (account_id) LEFT JOIN _af_after_ban c USING (account_id)`,
  features: [
    {
      name: 'related_bans', group: 'operator habits', type: 'INTEGER', unit: 'accounts',
      meaning: 'related accounts (same payment card or signup IP; without accounts, same request IP) that were banned or suspended',
      how: `distinct related accounts with a ${BAN_ACTIONS.join('/')} action; keys shared by more than ${RELATED_KEY_MAX_ACCOUNTS} accounts (request IPs: more than the IP cap) ignored`,
      sql: 'count(DISTINCT banned)', fill: '0',
    },
    {
      name: 'requests_after_related_ban', group: 'operator habits', type: 'BIGINT', unit: 'requests',
      meaning: 'its requests in the 24 hours after a related account\'s ban (load moved to a surviving account)',
      how: 'events in the union of [ban, ban + 24 h) windows of its related bans', sql: 'coalesce(max(after_ban), 0)', fill: '0',
    },
    {
      name: 'hours_from_related_ban_to_start', group: 'operator habits', type: 'DOUBLE', unit: 'hours',
      meaning: 'from the latest related ban before its first request to that first request: small = a replacement account taking over',
      how: 'min over related bans at or before first_seen of first_seen − ban time', sql: 'min((epoch_ms(first_seen) - epoch_ms(banned_at)) / 3600000) FILTER (banned_at <= first_seen)',
    },
  ],
};

export const REGISTRY_PART: FeaturePart = {
  name: 'registry',
  purpose: 'signup facts from the accounts table',
  needs: ['accounts'],
  from: () => `SELECT a.account_id, a.first_seen, r.created_at FROM ${partTable('activity')} a JOIN accounts r USING (account_id)`,
  features: [
    {
      name: 'signup_to_first_request_hours', group: 'operator habits', type: 'DOUBLE', unit: 'hours',
      meaning: 'from signup to its first request in the logs; fresh accounts going straight to full load are the hydra pattern ("no gradual ramp", CISA AA26-251A)',
      how: 'first_seen − accounts.created_at', sql: 'min((epoch_ms(first_seen) - epoch_ms(created_at)) / 3600000)',
      nullWhen: 'accounts.created_at is empty',
    },
  ],
};
