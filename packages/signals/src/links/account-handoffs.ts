// account_handoffs: one account's traffic starting soon after another's ended
// (or after it was banned or suspended in `enforcement`) on the
// same infrastructure: the hydra pattern of a banned account replaced by a
// fresh one. Reads _lk_holdings and _lk_lifetimes (link-holdings.ts).
//
// A pair (from, to) is a hand-off when
//   - `from` stopped at least `handoffHours` before the end of the log and
//     `to` started at least `handoffHours` after its beginning (accounts that
//     merely run past the edges of the log neither end nor start);
//   - to.first_ts falls in [from.last_ts − 1 h, max(from.last_ts, from's ban) + handoffHours];
//   - they hold a common value of a kind that names infrastructure (card,
//     signup address, address used ≥ minRequests times, e-mail local part;
//     not a /24 or a client, which whole neighbourhoods share, nor a
//     template, which is content: on `mixed` it tied farms to researchers)
//     held by at most `handoffCap` accounts.
// Only holders of such values are joined, value by value, so the work is
// Σ holders² over rare values, never all ended × started accounts.
import type { CaseFile } from '@farmscope/casefile';
import type { LinkParams } from './link-params.js';
import { kindStrengthSql, raritySql } from './link-weights.js';

const HANDOFF_KINDS = ['payment', 'signup_ip', 'email_local', 'ip'];

export async function buildHandoffs(caseFile: CaseFile, params: LinkParams, hasEnforcement: boolean): Promise<void> {
  const hours = params.handoffHours;
  const bans = hasEnforcement
    ? `SELECT account_id, min(ts) AS ban_ts FROM enforcement
       WHERE lower(action) IN ('ban', 'suspend', 'terminate', 'block') GROUP BY account_id`
    : `SELECT NULL::VARCHAR AS account_id, NULL::TIMESTAMP AS ban_ts WHERE false`;
  await caseFile.run(
    `CREATE OR REPLACE TABLE account_handoffs AS
     WITH span AS (SELECT min(first_ts) AS log_start, max(last_ts) AS log_end FROM _lk_lifetimes),
     bans AS (${bans}),
     ended AS (
       SELECT l.account_id, l.last_ts, b.ban_ts FROM _lk_lifetimes l LEFT JOIN bans b USING (account_id), span
       WHERE l.last_ts < span.log_end - INTERVAL ${hours} HOUR
     ),
     started AS (
       SELECT l.account_id, l.first_ts FROM _lk_lifetimes l, span
       WHERE l.first_ts > span.log_start + INTERVAL ${hours} HOUR
     ),
     infra AS (
       SELECT kind, value, account_id, holders FROM _lk_holdings
       WHERE holders <= ${params.handoffCap} AND kind IN (${HANDOFF_KINDS.map((k) => `'${k}'`).join(', ')})
     ),
     -- value by value first (materialised, so the planner cannot start from a range join of every
     -- ended account with every started one: on a one-day log it did, 13M rows for 25 hand-offs)
     holder_pairs AS MATERIALIZED (
       SELECT fi.account_id AS from_account, ti.account_id AS to_account, e.last_ts, e.ban_ts, fi.kind, fi.value, fi.holders
       FROM infra fi JOIN ended e ON e.account_id = fi.account_id
       JOIN infra ti ON ti.kind = fi.kind AND ti.value = fi.value AND ti.account_id <> fi.account_id
     ),
     candidates AS (
       SELECT p.from_account, p.to_account, p.last_ts, p.ban_ts, s.first_ts, p.kind, p.value, p.holders
       FROM holder_pairs p JOIN started s ON s.account_id = p.to_account
       WHERE s.first_ts BETWEEN p.last_ts - INTERVAL 1 HOUR AND greatest(p.last_ts, coalesce(p.ban_ts, p.last_ts)) + INTERVAL ${hours} HOUR
     )
     SELECT from_account, to_account,
            any_value(last_ts) AS from_last_ts, any_value(first_ts) AS to_first_ts,
            round(epoch(any_value(first_ts) - any_value(last_ts)) / 3600.0, 3) AS gap_hours,
            coalesce(any_value(ban_ts) <= any_value(first_ts), false) AS after_ban,
            round(epoch(any_value(first_ts) - any_value(ban_ts)) / 3600.0, 3) AS hours_after_ban,
            list(DISTINCT kind ORDER BY kind) AS kinds,
            first(kind ORDER BY ${kindStrengthSql('kind', params)} * ${raritySql('holders')} DESC, value) AS strongest_kind,
            first(value ORDER BY ${kindStrengthSql('kind', params)} * ${raritySql('holders')} DESC, value) AS shared_value,
            first(holders ORDER BY ${kindStrengthSql('kind', params)} * ${raritySql('holders')} DESC, value)::INTEGER AS holders,
            round(max(${kindStrengthSql('kind', params)} * ${raritySql('holders')}), 6) AS weight
     FROM candidates
     GROUP BY from_account, to_account
     ORDER BY from_account, to_account`,
    'write account_handoffs',
  );
}
