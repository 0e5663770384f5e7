// Which account features feed which signal group of the distillation score,
// in which direction, and why each one points at harvesting. Data: the score
// SQL, the README table and `explain` are all built from this list.
import type { SignalGroup } from './farm-config.js';

export interface SignalFeature {
  /** Column of `account_features`. */
  readonly feature: string;
  readonly group: SignalGroup;
  /** +1: higher is more suspicious; −1: lower is. */
  readonly direction: 1 | -1;
  /** `log`: compared as ln(1 + x) (heavy-tailed counts, ratios and durations). */
  readonly transform: 'log' | 'none';
  /**
   * Smallest spread used for the robust z, in the transformed unit: a feature
   * most accounts have at 0 (MAD 0) would otherwise make a single hit look
   * infinitely unusual.
   */
  readonly minScale: number;
  /**
   * The account_features column counting what the feature is measured over
   * (its sample), when it is a per-request statistic: its evidence is
   * discounted by n / (n + reliabilityScale × the case's median n), so three
   * lucky prompts are not a pattern.
   */
  readonly sample?: 'requests' | 'sampled_prompts';
  readonly why: string;
}

const share = (feature: string, group: SignalGroup, sample: 'requests' | 'sampled_prompts', why: string): SignalFeature =>
  ({ feature, group, direction: 1, transform: 'none', minScale: 0.1, sample, why });

export const SIGNAL_FEATURES: readonly SignalFeature[] = [
  share('reasoning_trace_share', 'content', 'sampled_prompts', 'asks for chain-of-thought / reasoning traces (Anthropic Feb 2026)'),
  share('rubric_grading_share', 'content', 'sampled_prompts', 'uses the model as a grader or reward model (Anthropic Feb 2026)'),
  share('tool_use_share', 'content', 'sampled_prompts', 'harvests agent / tool-use trajectories'),
  share('elicitation_share', 'content', 'sampled_prompts', 'share of prompts in any elicitation family'),
  { feature: 'output_input_ratio', group: 'economics', direction: 1, transform: 'log', minScale: 0.1, sample: 'requests', why: 'buys long answers for short prompts: the output is the product' },
  { feature: 'output_tokens_mean', group: 'economics', direction: 1, transform: 'log', minScale: 0.2, sample: 'requests', why: 'long outputs per request' },
  share('max_tokens_modal_share', 'economics', 'requests', 'one fixed max_tokens: a scripted client'),
  share('temperature_modal_share', 'economics', 'requests', 'one fixed temperature: a scripted client'),
  { feature: 'hour_entropy_bits', group: 'automation', direction: 1, transform: 'none', minScale: 0.1, sample: 'requests', why: 'flat round the clock: machine pacing (CISA AA26-251A)' },
  { feature: 'quiet_hours', group: 'automation', direction: -1, transform: 'none', minScale: 1, sample: 'requests', why: 'never sleeps' },
  share('regular_gap_share', 'automation', 'requests', 'near-regular gaps between requests'),
  { feature: 'requests_per_active_day', group: 'automation', direction: 1, transform: 'log', minScale: 0.2, why: 'sustained volume on every active day' },
  { feature: 'first_day_ratio', group: 'automation', direction: 1, transform: 'log', minScale: 0.1, sample: 'requests', why: 'full speed from the first day, no human ramp-up' },
  { feature: 'signup_to_first_request_hours', group: 'churn', direction: -1, transform: 'log', minScale: 0.5, why: 'fresh account put straight to work' },
  { feature: 'new_model_delay_hours', group: 'churn', direction: -1, transform: 'log', minScale: 0.5, why: 'pivots to a newly released model within hours (Anthropic Feb 2026)' },
  { feature: 'ip_churn_per_day', group: 'churn', direction: 1, transform: 'log', minScale: 0.2, why: 'new addresses every day: rotating proxies (hydra clusters)' },
  { feature: 'related_bans', group: 'churn', direction: 1, transform: 'log', minScale: 0.3, why: 'accounts sharing its card or signup address were banned' },
];

/**
 * Evidence that accounts are run by one operator rather than by independent
 * people with the same tastes: a supply of fresh accounts, rotating
 * addresses, banned relatives, hand-offs, co-activity beyond chance, rare
 * shared infrastructure. (A fast pivot to a new model or long outputs are
 * habits a single keen developer has too.) Pseudo-features from the pair
 * tables are named as in account_signal_evidence.
 */
export const OPERATOR_FEATURES: readonly string[] = [
  'signup_to_first_request_hours', 'ip_churn_per_day', 'related_bans', 'handoffs', 'coactivity_surprise', 'shared_infrastructure_weight',
];

export const SIGNAL_GROUP_MEANING: Record<SignalGroup, string> = {
  content: 'elicitation content: reasoning traces, grading, tool-use trajectories',
  economics: 'output-heavy economics and fixed sampling settings',
  automation: 'automation timing: round the clock, regular, full speed from day one',
  churn: 'account churn: fresh accounts, fast model pivots, rotating addresses, banned relatives, hand-offs',
  coordination: 'co-activity with other accounts beyond chance (coordination_pairs surprise)',
  infrastructure: 'rare infrastructure shared with other accounts (account_links, templates excluded)',
};
