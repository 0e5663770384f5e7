// The scenario as the generator sees it after validation and defaults: a time
// window, the models on offer, and a list of populations (legitimate or attack),
// each with every behaviour parameter filled in.

export const POPULATION_KINDS = [
  'legit.casual',
  'legit.power_dev',
  'legit.campus_nat',
  'legit.enterprise',
  'legit.benchmark',
  'attack.hydra',
  'attack.low_and_slow',
  'attack.scheduled',
  'attack.relay',
  'attack.small_farm',
] as const;
export type PopulationKind = (typeof POPULATION_KINDS)[number];

/** Prompt families; attacks and legitimate users draw from the same ones at different rates. */
export const PROMPT_FAMILIES = [
  'casual', // everyday questions, writing help
  'code', // code generation across a curriculum of domains
  'cot', // chain-of-thought / full-reasoning elicitation
  'rubric', // grading an answer against a rubric, with explanations
  'agentic', // tool-use trajectories
  'mcq', // multiple-choice benchmark items
  'extraction', // narrow templated business task (field extraction, ticket triage)
  'analysis', // data-analysis requests
] as const;
export type PromptFamily = (typeof PROMPT_FAMILIES)[number];

export const LANGUAGES = ['en', 'zh', 'es', 'ru', 'ja', 'ko', 'de', 'fr', 'pt', 'ar', 'hi', 'id'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How an account's requests spread over the day. */
export const HOUR_PATTERNS = ['diurnal', 'office', 'always', 'bursts', 'runs'] as const;
export type HourPattern = (typeof HOUR_PATTERNS)[number];

/** Where an account's addresses come from; residential ranges are shared by users and proxies. */
export const IP_RANGES = ['residential', 'cloud', 'campus', 'corporate', 'datacenter'] as const;
export type IpRange = (typeof IP_RANGES)[number];

export const SIGNUP_PATTERNS = ['before', 'burst', 'waves', 'spread'] as const;
export type SignupPattern = (typeof SIGNUP_PATTERNS)[number];

export interface ModelSpec {
  name: string;
  /** Relative weight among the models available from the start; ignored for a release. */
  share: number;
  /** ISO time the model is released mid-window; absent = available from the start. */
  releasedAt: string | null;
}

export interface PopulationParams {
  kind: PopulationKind;
  /** Stable id; the farm id (or prefix) of attack populations. */
  id: string;
  /** truth.campaign label; defaults to the kind. */
  label: string;
  accounts: number;
  /** Independent farms the accounts are split into (own IP pool, payment pool, habits). */
  farms: number;
  /** Mean requests per account per active day. */
  requestsPerDay: number;
  /** Lognormal sigma of the per-account volume multiplier (0 = all equal). */
  volumeSigma: number;
  /** UTC offsets (hours) the accounts live in, one picked per account. */
  utcOffsets: number[];
  /** ISO 3166-1 alpha-2 codes; zipped with utcOffsets when the lengths match. */
  countries: string[];
  hours: HourPattern;
  /** Local hours [from, to) of activity for diurnal/office patterns. */
  activeHours: [number, number];
  /** Share of requests outside activeHours (insomnia, deadlines). */
  offHoursShare: number;
  /** Probability a weekend request is kept (office pattern moves the rest to weekdays). */
  weekendFactor: number;
  /** bursts: synchronised slots per day (all accounts at once); runs: runs per account per day. */
  burstsPerDay: number;
  burstMinutes: number;
  signup: { pattern: SignupPattern; at: string | null; spreadDays: number; inWindowShare: number };
  /** Generations of accounts per farm slot: each generation is banned and replaced by the next. */
  generations: number;
  /** Share of accounts banned during the window (besides generation hand-offs). */
  banShare: number;
  /** Legitimate accounts suspended by mistake and reinstated. */
  suspendShare: number;
  ips: { range: IpRange; pool: number; perAccount: number; rotate: boolean; dedicated: boolean };
  /** Share of requests sent from a mobile carrier's NAT pool that unrelated users share. */
  mobileShare: number;
  /** Payment instruments shared by the accounts of a farm; 0 = one per account. */
  paymentPool: number;
  /** Share of accounts sharing a payment instrument with one other account (families, teams). */
  paymentSharedShare: number;
  /** Signup e-mail: shares of throwaway and educational domains, or one fixed domain. */
  email: { throwawayShare: number; eduShare: number; domain: string | null };
  /** One declared organisation for every account; null = see orgShare. */
  orgId: string | null;
  /** Share of accounts declaring a (startup) organisation, shared by teams of a few accounts. */
  orgShare: number;
  promptMix: Partial<Record<PromptFamily, number>>;
  /** Paraphrase templates per family a farm uses (0 = all): farms repeat a narrow band of wordings. */
  templateSpan: number;
  languages: Partial<Record<Language, number>>;
  tokens: { inputMean: number; outputMean: number; sigma: number };
  maxTokens: number[];
  /** Temperatures to pick from; null = not sent. */
  temperatures: Array<number | null>;
  /** fixed: one max_tokens/temperature/system prompt per farm; varied: per account and request. */
  habits: 'fixed' | 'varied';
  userAgents: 'fixed' | 'varied';
  systemPrompt: 'fixed' | 'varied' | 'none';
  status429Share: number;
  status400Share: number;
  status5xxShare: number;
  /** Distinct end-user ids per account passed in end_user (0 = none). */
  endUsers: number;
  /** Requests within this many minutes share a session (0 = one session per request). */
  sessionMinutes: number;
  keysPerAccount: number;
  /** Share of traffic that moves to a model released mid-window, after the delay, over the ramp. */
  newModelShare: number;
  newModelDelayHours: number;
  newModelRampHours: number;
}

export interface Scenario {
  name: string;
  description: string;
  window: { start: string; end: string };
  /** Length of the synthetic prompt_embedding vectors; 0 = no embeddings (null column). */
  embeddingDim: number;
  models: ModelSpec[];
  populations: PopulationParams[];
}

/** The run's parameters, written next to the outputs in scenario.json. */
export interface GenerateParameters {
  seed: number;
  scale: number;
  format: 'parquet' | 'jsonl';
}

export function isAttack(kind: PopulationKind): boolean {
  return kind.startsWith('attack.');
}
