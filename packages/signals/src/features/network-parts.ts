// Infrastructure and client passes. Each first groups events by account and
// the values counted (one hash aggregate, far cheaper in DuckDB than several
// count(DISTINCT) in one aggregate), then counts over that small relation.
// Those grouped relations are partials (counts summed, distinct sets): a
// replay carries them from step to step (feature-carry.ts). In a full run
// the network pass reads the address tables the links stages build (one
// scan of the events for both: links-stages.ts, shareAddressUse).
import { type FeaturePart, partTable } from './feature-definition.js';
import { hashIfSet, ipv4Prefix24, ipv6Prefix48, sdkFamily } from './sql-expressions.js';

export const NETWORK_PART: FeaturePart = {
  name: 'network',
  purpose: 'client addresses and networks per account (distinct (account, address hash) pairs joined to the prefixes of each distinct address)',
  needs: ['ip'],
  // A rotating proxy pool gives tens of millions of distinct (account,
  // address) pairs at the 28M-request scale. Grouping on 64-bit hashes of the
  // account and the address instead of their text keeps those hash tables
  // narrow (the account_id is joined back once per account), and the /24 or
  // /48 is computed, and hashed, once per distinct address (a few hundred
  // thousand), not per request: on claude-2026 this pass went from 16 s to
  // 10 s with the same counts. An address has either a /24 (IPv4) or a /48
  // (IPv6). Counts are exact (DuckDB's approx_count_distinct was off by about
  // 10% on a few hundred addresses); a 64-bit hash collision among 10⁵
  // accounts or among the addresses of one account is vanishingly unlikely.
  partials: {
    relations: [
      {
        name: 'addresses', keys: ['ip_hash'],
        rows: (events) => `SELECT hash(ip) AS ip_hash, ${hashIfSet(ipv4Prefix24('ip'))} AS net24, ${hashIfSet(ipv6Prefix48('ip'))} AS net48
          FROM (SELECT DISTINCT ip FROM ${events} WHERE ip IS NOT NULL)`,
        fromAddressUse: (use) => `SELECT i AS ip_hash, ${hashIfSet(ipv4Prefix24('ip'))} AS net24, ${hashIfSet(ipv6Prefix48('ip'))} AS net48
          FROM ${use.addresses}`,
      },
      {
        name: 'account_addresses', keys: ['account_hash', 'ip_hash'],
        rows: (events) => `SELECT DISTINCT hash(account_id) AS account_hash, hash(ip) AS ip_hash FROM ${events} WHERE ip IS NOT NULL`,
        fromAddressUse: (use) => `SELECT a AS account_hash, i AS ip_hash FROM ${use.accountAddresses}`,
      },
    ],
    from: (relation) => `WITH counts AS (
        SELECT x.account_hash, count(*) AS ips, count(DISTINCT a.net24) AS nets24, count(DISTINCT a.net48) AS nets48
        FROM ${relation('account_addresses')} x JOIN ${relation('addresses')} a USING (ip_hash) GROUP BY x.account_hash)
      SELECT s.account_id, c.ips, c.nets24, c.nets48, s.active_days
      FROM ${partTable('sequence')} s JOIN counts c ON c.account_hash = hash(s.account_id)`,
  },
  features: [
    { name: 'distinct_ips', group: 'infrastructure', type: 'INTEGER', unit: 'addresses', meaning: 'distinct client IP addresses', how: 'distinct ip', sql: 'any_value(ips)', fill: '0' },
    { name: 'distinct_ipv4_24', group: 'infrastructure', type: 'INTEGER', unit: '/24 networks', meaning: 'distinct IPv4 /24 networks', how: 'distinct first three octets of IPv4 addresses', sql: 'any_value(nets24)', fill: '0' },
    { name: 'distinct_ipv6_48', group: 'infrastructure', type: 'INTEGER', unit: '/48 networks', meaning: 'distinct IPv6 /48 networks', how: 'distinct first three groups of IPv6 addresses ("::" expanded)', sql: 'any_value(nets48)', fill: '0' },
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
  // combinations; each account's modal max_tokens and temperature counts
  // (the most requests at one value) come from two group-bys over them
  // (hash aggregates: half the time of the window sums they replace, same values).
  partials: {
    relations: [{
      name: 'combinations',
      rows: (events) => `SELECT account_id, user_agent, api_key_id, max_tokens, coalesce(temperature, -1) AS temperature_value,
          count(*) AS n
        FROM ${events} GROUP BY ALL`,
      keys: ['account_id', 'user_agent', 'api_key_id', 'max_tokens', 'temperature_value'],
      merge: { n: 'sum(n)::BIGINT' },
    }],
    from: (relation) => `WITH c AS (SELECT * FROM ${relation('combinations')}),
      max_tokens_modal AS (
        SELECT account_id, max(s) AS n_modal_max_tokens
        FROM (SELECT account_id, max_tokens, sum(n) AS s FROM c WHERE max_tokens IS NOT NULL GROUP BY account_id, max_tokens)
        GROUP BY account_id),
      temperature_modal AS (
        SELECT account_id, max(s) AS n_modal_temperature
        FROM (SELECT account_id, temperature_value, sum(n) AS s FROM c GROUP BY account_id, temperature_value)
        GROUP BY account_id)
      SELECT c.*, m.n_modal_max_tokens, t.n_modal_temperature
      FROM c LEFT JOIN max_tokens_modal m USING (account_id) LEFT JOIN temperature_modal t USING (account_id)`,
  },
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
      sql: 'any_value(n_modal_max_tokens) / sum(n) FILTER (max_tokens IS NOT NULL)', needs: ['max_tokens'],
    },
    {
      name: 'temperature_modal_share', group: 'economics', type: 'DOUBLE', unit: 'share 0–1',
      meaning: 'temperature fixedness: share of requests at the account\'s most common temperature ("not sent" counts as a value)',
      how: 'largest count of one coalesce(temperature, −1) value / requests', sql: 'any_value(n_modal_temperature) / n_all', needs: ['temperature'],
    },
  ],
};

export const END_USERS_PART: FeaturePart = {
  name: 'end_users',
  purpose: 'end-user ids per account (events grouped by account and end_user)',
  needs: ['end_user'],
  partials: {
    relations: [{
      name: 'end_users', keys: ['account_id', 'end_user'],
      rows: (events) => `SELECT account_id, end_user FROM ${events} WHERE end_user IS NOT NULL GROUP BY ALL`,
    }],
    from: (relation) => `SELECT account_id, end_user FROM ${relation('end_users')}`,
  },
  features: [
    {
      name: 'distinct_end_users', group: 'content', type: 'INTEGER', unit: 'end users',
      meaning: 'distinct end_user ids passed along; a relay carries many people\'s traffic (serve-and-harvest, Anthropic Sep 2026)',
      how: 'count(DISTINCT end_user)', sql: 'count(*)', fill: '0',
    },
  ],
};
