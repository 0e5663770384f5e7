// Infrastructure and client passes. Each first groups events by account and
// the values counted (one hash aggregate, far cheaper in DuckDB than several
// count(DISTINCT) in one aggregate), then counts over that small relation.
import { type FeaturePart, partTable } from './feature-definition.js';
import { ipv4Prefix24, ipv6Prefix48, sdkFamily } from './sql-expressions.js';

export const NETWORK_PART: FeaturePart = {
  name: 'network',
  purpose: 'client addresses and networks per account (events grouped by account and IP; prefixes computed once per address)',
  needs: ['ip'],
  // Rows: (account, /24 or /48) with the account's addresses in it; an
  // address has either a /24 (IPv4) or a /48 (IPv6), so count(p24) counts /24s.
  // Grouping on one 64-bit hash of (account, ip) is cheaper than on two strings;
  // a collision among tens of millions of pairs has odds of about 1e-5.
  from: () => `WITH account_ips AS (
      SELECT hash(account_id, ip) AS pair, any_value(account_id) AS account_id, any_value(ip) AS ip
      FROM events WHERE ip IS NOT NULL GROUP BY pair),
    prefixes AS (SELECT ip, ${ipv4Prefix24('ip')} AS p24, ${ipv6Prefix48('ip')} AS p48 FROM (SELECT DISTINCT ip FROM account_ips))
    SELECT x.account_id, p.p24, p.p48, count(*) AS ips, any_value(s.active_days) AS active_days
    FROM account_ips x JOIN prefixes p USING (ip) JOIN ${partTable('sequence')} s USING (account_id)
    GROUP BY ALL`,
  features: [
    { name: 'distinct_ips', group: 'infrastructure', type: 'INTEGER', unit: 'addresses', meaning: 'distinct client IP addresses', how: 'distinct ip', sql: 'sum(ips)', fill: '0' },
    { name: 'distinct_ipv4_24', group: 'infrastructure', type: 'INTEGER', unit: '/24 networks', meaning: 'distinct IPv4 /24 networks', how: 'distinct first three octets of IPv4 addresses', sql: 'count(p24)', fill: '0' },
    { name: 'distinct_ipv6_48', group: 'infrastructure', type: 'INTEGER', unit: '/48 networks', meaning: 'distinct IPv6 /48 networks', how: 'distinct first three groups of IPv6 addresses ("::" expanded)', sql: 'count(p48)', fill: '0' },
    {
      name: 'ip_churn_per_day', group: 'infrastructure', type: 'DOUBLE', unit: 'addresses/active day',
      meaning: 'new addresses per active day; high for proxy rotation (hydra clusters, Anthropic Feb 2026)',
      how: 'distinct_ips / active_days (every address is new on the first day it is seen)', sql: 'distinct_ips / any_value(active_days)',
    },
  ],
};

export const CLIENTS_PART: FeaturePart = {
  name: 'clients',
  purpose: 'user agents, keys and sampling habits per account (events grouped by account and those columns)',
  needs: [],
  // Per account, a handful of (client, key, max_tokens, temperature)
  // combinations; the window sums give each max_tokens and temperature value's requests.
  from: () => `SELECT *,
      sum(n) OVER (PARTITION BY account_id, max_tokens) AS n_max_tokens_value,
      sum(n) OVER (PARTITION BY account_id, temperature_value) AS n_temperature_value
    FROM (
      SELECT account_id, user_agent, api_key_id, max_tokens, coalesce(temperature, -1) AS temperature_value,
        count(*) AS n
      FROM events GROUP BY ALL
    )`,
  helpers: [{ name: 'n_all', sql: 'sum(n)' }],
  features: [
    { name: 'distinct_user_agents', group: 'infrastructure', type: 'INTEGER', unit: 'user agents', meaning: 'distinct user-agent strings', how: 'count(DISTINCT user_agent)', sql: 'count(DISTINCT user_agent)', needs: ['user_agent'] },
    {
      name: 'distinct_sdk_families', group: 'infrastructure', type: 'INTEGER', unit: 'client families',
      meaning: 'distinct client families (the user agent\'s first product token without version: anthropic-python, curl, mozilla, ...)',
      how: 'count(DISTINCT lower first token of user_agent)', sql: `count(DISTINCT ${sdkFamily('user_agent')})`, needs: ['user_agent'],
    },
    { name: 'distinct_api_keys', group: 'infrastructure', type: 'INTEGER', unit: 'keys', meaning: 'distinct API keys used', how: 'count(DISTINCT api_key_id)', sql: 'count(DISTINCT api_key_id)', needs: ['api_key_id'] },
    {
      name: 'max_tokens_modal_share', group: 'economics', type: 'DOUBLE', unit: 'share 0–1',
      meaning: 'share of requests at the account\'s most common max_tokens (1 = one fixed cap, a scripted client)',
      how: 'largest count of one max_tokens value / requests that sent max_tokens',
      sql: 'max(n_max_tokens_value) FILTER (max_tokens IS NOT NULL) / sum(n) FILTER (max_tokens IS NOT NULL)', needs: ['max_tokens'],
    },
    {
      name: 'temperature_modal_share', group: 'economics', type: 'DOUBLE', unit: 'share 0–1',
      meaning: 'temperature fixedness: share of requests at the account\'s most common temperature ("not sent" counts as a value)',
      how: 'largest count of one coalesce(temperature, −1) value / requests', sql: 'max(n_temperature_value) / n_all', needs: ['temperature'],
    },
  ],
};

export const END_USERS_PART: FeaturePart = {
  name: 'end_users',
  purpose: 'end-user ids per account (events grouped by account and end_user)',
  needs: ['end_user'],
  from: () => 'SELECT account_id, end_user FROM events WHERE end_user IS NOT NULL GROUP BY ALL',
  features: [
    {
      name: 'distinct_end_users', group: 'content', type: 'INTEGER', unit: 'end users',
      meaning: 'distinct end_user ids passed along; a relay carries many people\'s traffic (serve-and-harvest, Anthropic Sep 2026)',
      how: 'count(DISTINCT end_user)', sql: 'count(*)', fill: '0',
    },
  ],
};
