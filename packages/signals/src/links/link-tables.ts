// The tables the links and coordination stages write, as data: their columns
// and meanings feed the README's generated data dictionary and the CREATE
// statements of the empty tables written when an input is missing.
import { columnsMarkdown, createTableSql, type ColumnDefinition, type TableDefinition } from '@farmscope/casefile';

export type LinkTableColumn = ColumnDefinition;
export type LinkTable = TableDefinition;

const PAIR = [
  { name: 'account_a', sqlType: 'VARCHAR', meaning: 'the smaller account id of the pair' },
  { name: 'account_b', sqlType: 'VARCHAR', meaning: 'the larger account id of the pair (account_a < account_b)' },
] as const;

export const LINK_TABLES: readonly LinkTable[] = [
  {
    name: 'account_links',
    description: 'one row per account pair and kind of shared thing (payment card, signup address, e-mail local part, throwaway e-mail domain, request address or its /24 or /48 in overlapping time, uncommon client, system prompt, prompt template)',
    columns: [
      ...PAIR,
      { name: 'kind', sqlType: 'VARCHAR', meaning: 'payment, email_local, signup_ip, template, system_prompt, ip, ip_net, email_throwaway or user_agent' },
      { name: 'shared_value', sqlType: 'VARCHAR', meaning: 'the rarest value of this kind the two share (system prompts as `sp:<hash>`, templates as `tpl:<id>`, networks as `a.b.c.0/24` or `x:y:z::/48`)' },
      { name: 'holders', sqlType: 'INTEGER', meaning: 'how many accounts hold shared_value' },
      { name: 'shared_values', sqlType: 'INTEGER', meaning: 'how many values of this kind the pair shares (counted over the pairs actually formed; see sampled)' },
      { name: 'sampled', sqlType: 'BOOLEAN', meaning: 'true when a shared value had more than the pair cap of holders and this pair came from its deterministic ring sample' },
      { name: 'same_org', sqlType: 'BOOLEAN', meaning: 'both accounts declare the same organisation (registry org_id, else their requests\' org_id); the weight is discounted' },
      { name: 'requests_a', sqlType: 'BIGINT', meaning: 'requests of account_a using shared_value (null for registry kinds)' },
      { name: 'requests_b', sqlType: 'BIGINT', meaning: 'requests of account_b using shared_value (null for registry kinds)' },
      { name: 'overlap_hours', sqlType: 'DOUBLE', meaning: 'longest time both used a value of this kind, in hours (0 when they only touched within the slack; null for registry kinds)' },
      { name: 'weight', sqlType: 'DOUBLE', meaning: 'strength(kind) × ln 7 / ln(holders + 5), × the same-organisation factor; the largest over the shared values of the kind' },
      { name: 'raw_weight', sqlType: 'DOUBLE', meaning: 'weight without the same-organisation factor (the organisation is the caller\'s claim: a farm can declare one too)' },
    ],
  },
  {
    name: 'account_pairs',
    description: 'one row per linked account pair: account_links summed over kinds',
    columns: [
      ...PAIR,
      { name: 'weight', sqlType: 'DOUBLE', meaning: 'sum of the pair\'s account_links weights' },
      { name: 'kinds', sqlType: 'VARCHAR[]', meaning: 'kinds of shared thing, strongest first' },
      { name: 'evidence_count', sqlType: 'INTEGER', meaning: 'shared values over all kinds' },
      { name: 'max_weight', sqlType: 'DOUBLE', meaning: 'weight of the strongest single kind' },
      { name: 'same_org', sqlType: 'BOOLEAN', meaning: 'both accounts declare the same organisation' },
    ],
  },
  {
    name: 'coordination_pairs',
    description: 'account pairs active on the same address in the same time buckets (SynchroTrap-style), against a chance model from each account\'s own activity',
    columns: [
      ...PAIR,
      { name: 'shared_buckets', sqlType: 'INTEGER', meaning: '(address, bucket) units in which both were active (bucket: 10 minutes by default); at least 3' },
      { name: 'shared_ips', sqlType: 'INTEGER', meaning: 'distinct addresses among those units' },
      { name: 'buckets_a', sqlType: 'INTEGER', meaning: '(address, bucket) units of account_a over the whole log' },
      { name: 'buckets_b', sqlType: 'INTEGER', meaning: '(address, bucket) units of account_b' },
      { name: 'jaccard', sqlType: 'DOUBLE', meaning: 'shared_buckets / (buckets_a + buckets_b − shared_buckets)' },
      { name: 'expected', sqlType: 'DOUBLE', meaning: 'units independent accounts with these per-address rates and hour-of-day profiles would share: Σ_address n_a·n_b / T × 24·Σ_h p_a(h)·p_b(h), T = buckets in the overlap of their lifetimes' },
      { name: 'lift', sqlType: 'DOUBLE', meaning: 'shared_buckets / expected (≈ 1 for chance co-activity)' },
      { name: 'surprise', sqlType: 'DOUBLE', meaning: '−log10 of the Chernoff bound on P(Poisson(expected) ≥ shared_buckets); 0 when shared ≤ expected; above ~3 is unlikely to be chance' },
      { name: 'start_gap_hours', sqlType: 'DOUBLE', meaning: 'hours between the two accounts\' first requests (lockstep starts are near 0)' },
      { name: 'stop_gap_hours', sqlType: 'DOUBLE', meaning: 'hours between their last requests' },
      { name: 'sampled', sqlType: 'BOOLEAN', meaning: 'some shared units were crowds (more than the bucket cap of accounts) counted through the ring sample' },
    ],
  },
  {
    name: 'account_handoffs',
    description: 'one account starting soon after another ended or was banned, on shared rare infrastructure',
    columns: [
      { name: 'from_account', sqlType: 'VARCHAR', meaning: 'the account whose activity ended' },
      { name: 'to_account', sqlType: 'VARCHAR', meaning: 'the account whose activity began' },
      { name: 'from_last_ts', sqlType: 'TIMESTAMP', meaning: 'last request of from_account (UTC)' },
      { name: 'to_first_ts', sqlType: 'TIMESTAMP', meaning: 'first request of to_account (UTC)' },
      { name: 'gap_hours', sqlType: 'DOUBLE', meaning: 'to_first_ts − from_last_ts, in hours (≥ −1)' },
      { name: 'after_ban', sqlType: 'BOOLEAN', meaning: 'from_account was banned or suspended (enforcement) before to_account started' },
      { name: 'hours_after_ban', sqlType: 'DOUBLE', meaning: 'to_first_ts − the ban, in hours (null without a ban)' },
      { name: 'kinds', sqlType: 'VARCHAR[]', meaning: 'kinds of infrastructure the two share' },
      { name: 'strongest_kind', sqlType: 'VARCHAR', meaning: 'kind of the strongest shared value' },
      { name: 'shared_value', sqlType: 'VARCHAR', meaning: 'the strongest shared value' },
      { name: 'holders', sqlType: 'INTEGER', meaning: 'accounts holding shared_value' },
      { name: 'weight', sqlType: 'DOUBLE', meaning: 'account_links weight of the strongest shared value (without the same-organisation discount)' },
    ],
  },
];

/** CREATE OR REPLACE for an empty copy of one of the tables. */
export function createEmptyLinkTableSql(table: LinkTable): string {
  return createTableSql(table, 'replace');
}

/** The tables as a Markdown data dictionary (one section per table). */
export function linkTablesMarkdown(): string {
  return LINK_TABLES.map((t) =>
    [`### \`${t.name}\``, '', t.description, '', columnsMarkdown(t.columns), ''].join('\n'),
  ).join('\n');
}
