// The shape of an account feature and of the SQL pass ("part") that computes
// it. Features are data: the aggregate SQL, the README's feature dictionary
// and the case file's `account_feature_dictionary` table are all built from
// these objects, so a feature is never described twice.

/** What a feature needs beyond `events.account_id` and `events.ts`. */
export type Requirement =
  // optional events columns (needed: at least one non-null value)
  | 'prompt'
  | 'system_prompt'
  | 'ip'
  | 'user_agent'
  | 'api_key_id'
  | 'model'
  | 'input_tokens'
  | 'output_tokens'
  | 'max_tokens'
  | 'temperature'
  | 'status'
  | 'end_user'
  | 'session_id'
  // optional tables
  | 'accounts'
  | 'enforcement'
  | 'account_templates'
  | 'prompt_sample';

export const EVENT_COLUMN_REQUIREMENTS = [
  'prompt', 'system_prompt', 'ip', 'user_agent', 'api_key_id', 'model', 'input_tokens', 'output_tokens',
  'max_tokens', 'temperature', 'status', 'end_user', 'session_id',
] as const satisfies readonly Requirement[];

export type FeatureGroup = 'volume' | 'timing' | 'economics' | 'infrastructure' | 'content' | 'operator habits';

export interface FeatureDefinition {
  /** Column name in `account_features`. */
  readonly name: string;
  readonly group: FeatureGroup;
  /** DuckDB type of the column. */
  readonly type: 'BIGINT' | 'INTEGER' | 'DOUBLE' | 'TIMESTAMP' | 'INTEGER[]';
  readonly unit: string;
  readonly meaning: string;
  /** How it is computed, in words (the SQL says it exactly). */
  readonly how: string;
  /**
   * Aggregate expression over the part's relation, grouped by account_id. It
   * may name earlier features and helpers of the same part (DuckDB resolves
   * select-list aliases).
   */
  readonly sql: string;
  readonly needs?: readonly Requirement[];
  /** Value for an account with no row in the part (default null). */
  readonly fill?: string;
  /** Why the feature can be null for every account although its inputs exist (for the stage's notes). */
  readonly nullWhen?: string;
}

/** An intermediate aggregate kept in the part's table but not in the output. */
export interface Helper {
  readonly name: string;
  readonly sql: string;
}

/** Settings and facts a part's SQL depends on. */
export interface PartEnvironment {
  readonly hasAccounts: boolean;
  /** Accounts sharing one request IP above this are not "related" (NAT, cloud, proxy pools). */
  readonly relatedIpMaxAccounts: number;
  /** Hours after a related account's ban in which requests are counted. */
  readonly afterBanHours: number;
}

/** One pass over the data: an aggregate grouped by account_id, written to `_af_<name>`. */
export interface FeaturePart {
  readonly name: string;
  readonly purpose: string;
  /** Every feature of the part needs these; unmet, the part is skipped. */
  readonly needs: readonly Requirement[];
  /** A condition `needs` cannot say (either of two inputs); returns why the part cannot run. */
  unmet?(has: (input: Requirement) => boolean): string | undefined;
  /** Statements run first (small lookup tables), in order. */
  prepare?(env: PartEnvironment): string[];
  /** Temp tables `prepare` creates, dropped when the stage ends. */
  readonly scratchTables?: readonly string[];
  /** The relation aggregated; one row or more per account. */
  from(env: PartEnvironment): string;
  readonly helpers?: readonly Helper[];
  readonly features: readonly FeatureDefinition[];
}

export const partTable = (part: FeaturePart | string) => `_af_${typeof part === 'string' ? part : part.name}`;
