// The tables the farm stages write, as data: their columns and meanings feed
// the README's data dictionary (farmTablesMarkdown) and the empty tables a
// case without events gets, so a table is never described twice.
import { columnsMarkdown, type ColumnDefinition, type TableDefinition } from '@farmscope/casefile';
import { SIGNAL_GROUPS } from './farm-config.js';

const PAIR: readonly ColumnDefinition[] = [
  { name: 'account_a', sqlType: 'VARCHAR', meaning: 'the smaller account id of the pair' },
  { name: 'account_b', sqlType: 'VARCHAR', meaning: 'the larger account id of the pair' },
];

export const FARM_TABLES: readonly TableDefinition[] = [
  {
    name: 'account_farms',
    description: 'the answer, one row per account in events (contract §5 account_farms.csv)',
    columns: [
      { name: 'account_id', sqlType: 'VARCHAR', meaning: 'the account' },
      { name: 'farm_id', sqlType: 'VARCHAR', meaning: 'its distillation farm (`farm-` + 12 hex of md5 of the smallest member id); null when in none' },
      { name: 'score', sqlType: 'DOUBLE', meaning: 'likelihood of taking part in a distillation farm, 0–1: the account score, raised to the farm score for members' },
      { name: 'account_score', sqlType: 'DOUBLE', meaning: 'account_scores.score (its own signals)' },
      { name: 'community', sqlType: 'VARCHAR', meaning: 'the group it came from, for members: `c:<smallest member>` a graph community, `o:<...>` an operator core' },
    ],
  },
  {
    name: 'farms',
    description: 'one row per distillation farm (contract §5 farms.json)',
    columns: [
      { name: 'farm_id', sqlType: 'VARCHAR', meaning: 'the farm' },
      { name: 'accounts', sqlType: 'INTEGER', meaning: 'member accounts' },
      { name: 'first_ts', sqlType: 'TIMESTAMP', meaning: 'first request of any member (UTC)' },
      { name: 'last_ts', sqlType: 'TIMESTAMP', meaning: 'last request of any member (UTC)' },
      { name: 'requests', sqlType: 'BIGINT', meaning: 'requests of its members' },
      { name: 'input_tokens', sqlType: 'BIGINT', meaning: 'billed input tokens of its members' },
      { name: 'output_tokens', sqlType: 'BIGINT', meaning: 'billed output tokens of its members' },
      { name: 'score', sqlType: 'DOUBLE', meaning: 'farm score 0–1: half the members\' mean behaviour score, half the mean score of its kept edges' },
      { name: 'significance', sqlType: 'DOUBLE', meaning: 'p-value against chance: 2 × the smaller of coactivity_p and links_p (Bonferroni), capped at 1' },
      { name: 'coactivity_p', sqlType: 'DOUBLE', meaning: 'one-sided p of the members\' co-active pairs against circular whole-day shifts of each member\'s activity' },
      { name: 'links_p', sqlType: 'DOUBLE', meaning: 'Chernoff bound on P(Poisson(expected) ≥ observed) for operator links inside the farm, links placed at random among the suspects' },
      { name: 'behaviour_score', sqlType: 'DOUBLE', meaning: 'members\' mean behaviour score' },
      { name: 'community', sqlType: 'VARCHAR', meaning: 'the group it came from (see account_farms.community)' },
    ],
  },
  {
    name: 'account_scores',
    description: 'distillation score per account: six signal groups, their evidence and contributions',
    columns: [
      { name: 'account_id', sqlType: 'VARCHAR', meaning: 'the account' },
      ...SIGNAL_GROUPS.map((g) => ({ name: g, sqlType: 'DOUBLE', meaning: `${g} evidence 0–1: mean of the group's strongest features' evidence` })),
      ...SIGNAL_GROUPS.map((g) => ({ name: `${g}_contribution`, sqlType: 'DOUBLE', meaning: `normalised weight × ${g} evidence` })),
      { name: 'behaviour_score', sqlType: 'DOUBLE', meaning: 'weighted mean of content, economics, automation and churn: what the account does by itself' },
      { name: 'score', sqlType: 'DOUBLE', meaning: 'sum of the six contributions, 0–1' },
      { name: 'operator_evidence', sqlType: 'DOUBLE', meaning: 'strongest evidence among the operator features (fresh account, rotating addresses, banned relatives, hand-offs, co-activity, rare shared infrastructure)' },
    ],
  },
  {
    name: 'account_signal_evidence',
    description: 'one row per account and feature it has: value, robust z against the case, evidence',
    columns: [
      { name: 'account_id', sqlType: 'VARCHAR', meaning: 'the account' },
      { name: 'feature', sqlType: 'VARCHAR', meaning: 'account_features column, or coactivity_surprise, handoffs, shared_infrastructure_weight from the pair tables' },
      { name: 'group', sqlType: 'VARCHAR', meaning: 'signal group' },
      { name: 'value', sqlType: 'DOUBLE', meaning: 'the feature\'s value' },
      { name: 'z', sqlType: 'DOUBLE', meaning: 'robust z in the suspicious direction (null for pair-table features)' },
      { name: 'evidence', sqlType: 'DOUBLE', meaning: '0 at z ≤ zStart, 1 at z ≥ zFull, linear between' },
    ],
  },
  {
    name: 'farm_feature_baselines',
    description: 'the case\'s baseline of each scored feature',
    columns: [
      { name: 'feature', sqlType: 'VARCHAR', meaning: 'the feature' },
      { name: 'group', sqlType: 'VARCHAR', meaning: 'signal group' },
      { name: 'direction', sqlType: 'INTEGER', meaning: '+1 higher is suspicious, −1 lower is' },
      { name: 'median', sqlType: 'DOUBLE', meaning: 'median over accounts, in the compared unit (ln(1 + x) for log features)' },
      { name: 'median_value', sqlType: 'DOUBLE', meaning: 'median over accounts, in the feature\'s own unit' },
      { name: 'scale', sqlType: 'DOUBLE', meaning: '1.4826 × MAD, else 1.2533 × mean absolute deviation, never below the feature\'s minScale' },
      { name: 'accounts', sqlType: 'INTEGER', meaning: 'accounts with a value' },
    ],
  },
  {
    name: 'account_clusters',
    description: 'behaviour cluster of each suspect (k-means)',
    columns: [
      { name: 'account_id', sqlType: 'VARCHAR', meaning: 'a suspect account' },
      { name: 'cluster', sqlType: 'INTEGER', meaning: '1..k, numbered by each cluster\'s smallest account id' },
    ],
  },
  {
    name: 'behaviour_cluster_choice',
    description: 'each k-means level run: the k with the best silhouette and whether it was used',
    columns: [
      { name: 'level', sqlType: 'INTEGER', meaning: '1: all suspects; 2: one level-1 cluster clustered again' },
      { name: 'size', sqlType: 'INTEGER', meaning: 'accounts clustered' },
      { name: 'k', sqlType: 'INTEGER', meaning: 'the k with the best silhouette' },
      { name: 'silhouette', sqlType: 'DOUBLE', meaning: 'its mean silhouette on the deterministic sample' },
      { name: 'accepted', sqlType: 'BOOLEAN', meaning: 'used (level 2: silhouette ≥ splitMinSilhouette)' },
    ],
  },
  {
    name: 'farm_pair_scores',
    description: 'one row per suspect pair with any evidence: each part and the combined score',
    columns: [
      ...PAIR,
      { name: 'infrastructure', sqlType: 'DOUBLE', meaning: 'noisy-or of the pair\'s account_links weights other than templates (same-organisation discount undone by default)' },
      { name: 'templates', sqlType: 'DOUBLE', meaning: 'contentWeight × (template_cosine − contentFloor) / (1 − contentFloor), ≥ 0' },
      { name: 'coordination', sqlType: 'DOUBLE', meaning: '1 − exp(−surprise / scale) for co-activity with surprise ≥ the minimum' },
      { name: 'handoff', sqlType: 'DOUBLE', meaning: 'handoffScore when one took over from the other' },
      { name: 'infra_kinds', sqlType: 'VARCHAR[]', meaning: 'kinds of shared infrastructure, strongest first' },
      { name: 'shared_templates', sqlType: 'INTEGER', meaning: 'templates in both profiles' },
      { name: 'template_cosine', sqlType: 'DOUBLE', meaning: 'cosine of the TF-IDF template profiles (pairs of one behaviour cluster)' },
      { name: 'surprise', sqlType: 'DOUBLE', meaning: 'coordination_pairs.surprise' },
      { name: 'same_org', sqlType: 'BOOLEAN', meaning: 'all infrastructure links are inside one declared organisation' },
      { name: 'rhythm', sqlType: 'DOUBLE', meaning: 'rhythmWeight × positive Pearson correlation of the two hour-of-day histograms' },
      { name: 'operator_score', sqlType: 'DOUBLE', meaning: 'noisy-or of infrastructure, coordination, handoff' },
      { name: 'score', sqlType: 'DOUBLE', meaning: 'noisy-or of all parts' },
    ],
  },
  {
    name: 'farm_graph_edges',
    description: 'edges of the capped, cluster-corroborated farm graph with their structural similarity',
    columns: [
      ...PAIR,
      { name: 'score', sqlType: 'DOUBLE', meaning: 'farm_pair_scores.score' },
      { name: 'operator_score', sqlType: 'DOUBLE', meaning: 'farm_pair_scores.operator_score' },
      { name: 'weight', sqlType: 'DOUBLE', meaning: 'edge weight in the similarity (score, raised by clusterAgreement inside a cluster)' },
      { name: 'cluster_a', sqlType: 'INTEGER', meaning: 'behaviour cluster of account_a' },
      { name: 'cluster_b', sqlType: 'INTEGER', meaning: 'behaviour cluster of account_b' },
      { name: 'same_cluster', sqlType: 'BOOLEAN', meaning: 'both in one behaviour cluster' },
      { name: 'similarity', sqlType: 'DOUBLE', meaning: 'weighted structural similarity (SCAN) of the closed neighbourhoods' },
      { name: 'kept', sqlType: 'BOOLEAN', meaning: 'similarity ≥ scanEpsilon, or operator_score ≥ strongPairScore' },
    ],
  },
  {
    name: 'graph_communities',
    description: 'components of the kept edges of farm_graph_edges, of at least minAccounts',
    columns: [
      { name: 'account_id', sqlType: 'VARCHAR', meaning: 'the account' },
      { name: 'community', sqlType: 'VARCHAR', meaning: 'smallest member id' },
    ],
  },
  {
    name: 'operator_cores',
    description: 'components of the pairs whose operator part alone is strong (shared card, hand-off, co-activity), of at least minAccounts',
    columns: [
      { name: 'account_id', sqlType: 'VARCHAR', meaning: 'the account' },
      { name: 'core', sqlType: 'VARCHAR', meaning: 'smallest member id' },
    ],
  },
  {
    name: 'community_members',
    description: 'both kinds of group, one row per account and group it is in',
    columns: [
      { name: 'account_id', sqlType: 'VARCHAR', meaning: 'the account' },
      { name: 'community', sqlType: 'VARCHAR', meaning: '`c:<smallest member>` for a graph community, `o:<smallest member>` for an operator core' },
    ],
  },
  {
    name: 'farm_candidates',
    description: 'every community with its verdict',
    columns: [
      { name: 'community', sqlType: 'VARCHAR', meaning: 'the group\'s key (community_members.community)' },
      { name: 'source', sqlType: 'VARCHAR', meaning: 'community or operator core' },
      { name: 'group_id', sqlType: 'VARCHAR', meaning: 'id made like a farm id from its smallest member (a farm\'s id comes from the members finally placed in it)' },
      { name: 'accounts', sqlType: 'INTEGER', meaning: 'members' },
      { name: 'behaviour_score', sqlType: 'DOUBLE', meaning: 'members\' mean behaviour score' },
      { name: 'account_score', sqlType: 'DOUBLE', meaning: 'members\' mean account score' },
      { name: 'operator_evidence', sqlType: 'DOUBLE', meaning: 'members\' mean operator evidence' },
      { name: 'harvest_evidence', sqlType: 'DOUBLE', meaning: 'members\' mean of their stronger of content and economics evidence' },
      { name: 'same_org', sqlType: 'BOOLEAN', meaning: 'all its kept edges lie inside one declared organisation' },
      { name: 'verdict', sqlType: 'VARCHAR', meaning: 'distillation, ordinary behaviour, no harvesting, no sign of one operator, too small, one declared organisation' },
    ],
  },
  {
    name: 'farm_significance',
    description: 'both chance tests per farm',
    columns: [
      { name: 'group_id', sqlType: 'VARCHAR', meaning: 'the farm' },
      { name: 'members_used', sqlType: 'INTEGER', meaning: 'members in the co-activity test (a deterministic sample of at most maxMembers)' },
      { name: 'coactive_pairs', sqlType: 'DOUBLE', meaning: 'Σ over time buckets of C(n, 2), n = members active in the bucket' },
      { name: 'coactive_null_mean', sqlType: 'DOUBLE', meaning: 'the same after day shifts, mean over replicates' },
      { name: 'coactive_null_sd', sqlType: 'DOUBLE', meaning: 'its standard deviation' },
      { name: 'coactivity_z', sqlType: 'DOUBLE', meaning: '(observed − null mean) / null sd' },
      { name: 'coactivity_p', sqlType: 'DOUBLE', meaning: '(1 + replicates ≥ observed) / (replicates + 1)' },
      { name: 'operator_links', sqlType: 'INTEGER', meaning: 'member pairs with operator_score > 0' },
      { name: 'operator_links_expected', sqlType: 'DOUBLE', meaning: 'links among all suspects × m(m − 1) / (S(S − 1))' },
      { name: 'links_p', sqlType: 'DOUBLE', meaning: 'Chernoff bound on the Poisson tail' },
      { name: 'p_value', sqlType: 'DOUBLE', meaning: 'min(1, 2 × min(coactivity_p, links_p))' },
    ],
  },
  {
    name: 'benign_clusters',
    description: 'communities that are not farms, and why',
    columns: [
      { name: 'cluster_id', sqlType: 'VARCHAR', meaning: 'id made like a farm id' },
      { name: 'accounts', sqlType: 'INTEGER', meaning: 'members' },
      { name: 'behaviour_score', sqlType: 'DOUBLE', meaning: 'members\' mean behaviour score' },
      { name: 'same_org', sqlType: 'BOOLEAN', meaning: 'inside one declared organisation' },
      { name: 'reason', sqlType: 'VARCHAR', meaning: 'the verdict' },
      { name: 'members', sqlType: 'VARCHAR[]', meaning: 'member accounts' },
    ],
  },
  {
    name: 'analysis_parameters',
    description: 'the farm parameters (FarmConfig, defaults with --config applied) the farm stages last ran with; the reports list them',
    columns: [{ name: 'farm_config', sqlType: 'JSON', meaning: 'the whole config, as JSON' }],
  },
  {
    name: 'farm_address_pools',
    description: 'groups of accounts joined into one farm because their private client addresses are samples of one pool',
    columns: [
      { name: 'farm_id', sqlType: 'VARCHAR', meaning: 'the farm they were joined into' },
      { name: 'farm_a', sqlType: 'VARCHAR', meaning: 'one group, by the id it had before the join' },
      { name: 'farm_b', sqlType: 'VARCHAR', meaning: 'the other group' },
      { name: 'jaccard', sqlType: 'DOUBLE', meaning: 'estimated Jaccard of the two groups\' sets of addresses no account outside a farm uses (one-permutation MinHash)' },
    ],
  },
  {
    name: 'farm_link_evidence',
    description: 'per farm and kind of link, the pairs inside the farm',
    columns: [
      { name: 'farm_id', sqlType: 'VARCHAR', meaning: 'the farm' },
      { name: 'kind', sqlType: 'VARCHAR', meaning: 'account_links kind, coactivity, handoff, or address_pool (groups of members joined by a shared pool of private addresses)' },
      { name: 'pairs', sqlType: 'INTEGER', meaning: 'member pairs linked this way (address_pool: pairs of groups)' },
      { name: 'accounts', sqlType: 'INTEGER', meaning: 'members in those pairs' },
      { name: 'distinct_values', sqlType: 'INTEGER', meaning: 'distinct shared values' },
      { name: 'min_holders', sqlType: 'INTEGER', meaning: 'accounts holding the rarest shared value (how rare)' },
      { name: 'median_holders', sqlType: 'DOUBLE', meaning: 'median holders over the pairs' },
      { name: 'max_weight', sqlType: 'DOUBLE', meaning: 'strongest link weight (surprise for coactivity)' },
      { name: 'rarest_value', sqlType: 'VARCHAR', meaning: 'the rarest shared value' },
    ],
  },
  {
    name: 'farm_templates',
    description: 'each farm\'s top prompt templates with sample prompts',
    columns: [
      { name: 'farm_id', sqlType: 'VARCHAR', meaning: 'the farm' },
      { name: 'template_id', sqlType: 'INTEGER', meaning: 'prompt_templates.template_id' },
      { name: 'requests', sqlType: 'BIGINT', meaning: 'members\' requests on it' },
      { name: 'farm_accounts', sqlType: 'INTEGER', meaning: 'members using it' },
      { name: 'total_accounts', sqlType: 'INTEGER', meaning: 'accounts in the case using it' },
      { name: 'example_prompt', sqlType: 'VARCHAR', meaning: 'the template\'s most frequent prompt (≤ 300 chars)' },
      { name: 'sample_prompts', sqlType: 'VARCHAR[]', meaning: 'a few members\' prompts on it (deterministic sample)' },
    ],
  },
  {
    name: 'farm_signals',
    description: 'per farm and signal group, the members\' mean evidence and contribution',
    columns: [
      { name: 'farm_id', sqlType: 'VARCHAR', meaning: 'the farm' },
      { name: 'group', sqlType: 'VARCHAR', meaning: 'signal group' },
      { name: 'evidence', sqlType: 'DOUBLE', meaning: 'mean evidence' },
      { name: 'contribution', sqlType: 'DOUBLE', meaning: 'mean contribution to the account score' },
    ],
  },
];

/** The tables as a Markdown data dictionary (one section per table). */
export function farmTablesMarkdown(): string {
  return FARM_TABLES.map((t) => [`### \`${t.name}\``, '', t.description, '', columnsMarkdown(t.columns), ''].join('\n')).join('\n');
}
