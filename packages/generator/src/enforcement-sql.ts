// The provider's enforcement log of a run: bans of farm accounts (hydra hand-offs
// and farms caught mid-window), a rate limit on some accounts in the hours before
// their ban, and mistaken suspensions of legitimate accounts later reinstated.
import { ACCOUNTS_TABLE, timestampSql } from './accounts-sql.js';

const DAY_US = 86_400_000_000;

export function enforcementSql(windowEnd: string): string {
  const end = timestampSql(windowEnd);
  return `
SELECT account_id, ts, action FROM (
  SELECT account_id, banned_at AS ts, 'ban' AS action FROM ${ACCOUNTS_TABLE} WHERE banned_at IS NOT NULL
  UNION ALL
  SELECT account_id, banned_at - us((1 + 23 * u(acct, 0, 0, 'rate_limit_at')) * 3600e6), 'rate_limit'
  FROM ${ACCOUNTS_TABLE} WHERE banned_at IS NOT NULL AND u(acct, 0, 0, 'rate_limit') < 0.3
  UNION ALL
  SELECT account_id, suspended_at, 'suspend' FROM ${ACCOUNTS_TABLE} WHERE suspended_at IS NOT NULL
  UNION ALL
  SELECT account_id, suspended_at + us((1 + 2 * u(acct, 0, 0, 'reinstate')) * ${DAY_US}) AS ts, 'reinstate'
  FROM ${ACCOUNTS_TABLE}
  WHERE suspended_at IS NOT NULL AND suspended_at + us((1 + 2 * u(acct, 0, 0, 'reinstate')) * ${DAY_US}) < ${end}
)
ORDER BY ts, account_id, action`;
}
