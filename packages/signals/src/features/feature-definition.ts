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
  /** The links stages' address tables of this run, when built (a full run: PartialRelation.fromAddressUse). */
  readonly addressUse?: AddressUse;
}

/** Tables of distinct addresses `(i, ip)` and distinct (account, address) pairs `(i, a)`, i = hash(ip), a = hash(account_id). */
export interface AddressUse {
  readonly addresses: string;
  readonly accountAddresses: string;
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
  /** The relation aggregated; one row or more per account (a part has `from`, `partials` or `memo`). */
  from?(env: PartEnvironment): string;
  /** The relation built from mergeable partials over events, which a run can carry to the next (feature-carry.ts). */
  readonly partials?: PartialRelations;
  /** Or the relation built from rows that are a function of a key alone, which a run can carry to the next. */
  readonly memo?: KeyedMemo;
  readonly helpers?: readonly Helper[];
  readonly features: readonly FeatureDefinition[];
}

/**
 * Rows over events per account (or per account and key) whose other columns
 * merge (sums, counts, min/max) or that form a distinct set: the rows over
 * events up to a later cut-off are the rows so far merged with the rows over
 * the new events alone.
 */
export interface PartialRelation {
  readonly name: string;
  /**
   * A SELECT over the events relation `events` (all events, or only the new
   * ones), keys first. `relation(name)` names an earlier relation of the same
   * part (already holding the new events).
   */
  rows(events: string, relation: (name: string) => string): string;
  /** Columns identifying a row; with no `merge`, the rows are a distinct set on them (other columns follow from the keys). */
  readonly keys: readonly string[];
  /** Per other column, the aggregate merging its old and new values, keeping its type ('sum(n)::BIGINT', 'min(ts)'). */
  readonly merge?: Readonly<Record<string, string>>;
  /**
   * Rows that are one per event and a function of the events up to it
   * (gaps to the previous requests, counts over a trailing window): the
   * rows kept do not change when later events arrive, so a later run
   * appends the rows of the events at or after `coveredMs`, which this
   * SELECT computes over `events`, reading the earlier events it needs as
   * context, or what other relations of the part kept of them
   * (`relation(name)`: as of `coveredMs`, when listed after this one). With
   * it, `keys` and `merge` are unused.
   */
  rowsSince?(coveredMs: number, relation: (name: string) => string): string;
  /** A temp table in a full run too (it is read more than once); otherwise inlined as a subquery. */
  readonly materialize?: boolean;
  /** In a full run, the same rows from the links stages' address tables, which the run builds once for both (instead of `rows` over events). */
  fromAddressUse?(use: AddressUse): string;
}

export interface PartialRelations {
  readonly relations: readonly PartialRelation[];
  /** The part's relation, from its partial relations by name. */
  from(relation: (name: string) => string, env: PartEnvironment): string;
}

/**
 * Rows that are a function of their key alone (a text's labels, by the
 * text's hash): a run that keeps them from the previous one computes only
 * the keys it has not kept yet.
 */
export interface KeyedMemo {
  readonly name: string;
  /** The column naming a row, in `inputs` and in `rows`. */
  readonly key: string;
  /** The rows needing a memo row, with their key (several rows may share one). */
  keyed(env: PartEnvironment): string;
  /** One row per key of a relation of `keyed` rows, with what its memo row is computed from. */
  inputs(keyed: string): string;
  /** The rows over a relation of `inputs` rows. */
  rows(inputs: string): string;
  /** The part's relation, from a relation of memo rows (which may hold more keys than this run needs). */
  from(memo: string, env: PartEnvironment): string;
}

export const partTable = (part: FeaturePart | string) => `_af_${typeof part === 'string' ? part : part.name}`;
