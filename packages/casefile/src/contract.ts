// The data contract (shared/contract.md) as code: every input and ground-truth
// table, its columns, their DuckDB storage types, and whether they are required.
// Ingest, the generator and the docs all read these definitions; nothing else
// spells the column lists out again.

/** How a contract column is parsed and checked on the way in. */
export type ColumnKind =
  | 'string'
  | 'timestamp'
  | 'count' // non-negative integer (tokens)
  | 'status' // HTTP status, 100..599
  | 'double'
  | 'ip'
  | 'embedding';

export interface ContractColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** DuckDB type the column is stored as in the case file. */
  readonly sqlType: string;
  readonly required: boolean;
  readonly meaning: string;
}

export type ContractTableName = 'events' | 'accounts' | 'enforcement' | 'truth';

export interface ContractTable {
  readonly name: ContractTableName;
  readonly meaning: string;
  readonly columns: readonly ContractColumn[];
  /** Column whose repeated values are duplicate deliveries of the same record (events only). */
  readonly uniqueKey?: string;
}

const SQL_TYPE: Record<ColumnKind, string> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP', // always UTC
  count: 'BIGINT',
  status: 'INTEGER',
  double: 'DOUBLE',
  ip: 'VARCHAR',
  embedding: 'FLOAT[]',
};

function col(name: string, kind: ColumnKind, required: boolean, meaning: string): ContractColumn {
  return { name, kind, sqlType: SQL_TYPE[kind], required, meaning };
}

export const EVENTS: ContractTable = {
  name: 'events',
  meaning: 'one row per API request (one model call)',
  uniqueKey: 'request_id',
  columns: [
    col('request_id', 'string', true, 'unique per request; a repeated id is a duplicate delivery'),
    col('ts', 'timestamp', true, 'when the request arrived, UTC'),
    col('account_id', 'string', true, 'the customer account that was billed'),
    col('api_key_id', 'string', false, 'which key of the account was used'),
    col('org_id', 'string', false, 'declared organisation'),
    col('model', 'string', false, 'model name requested'),
    col('ip', 'ip', false, 'client IPv4 or IPv6 address as seen by the provider'),
    col('user_agent', 'string', false, 'client user agent / SDK string'),
    col('prompt', 'string', false, 'text of the last user turn (may be truncated)'),
    col('system_prompt', 'string', false, 'system prompt text'),
    col('input_tokens', 'count', false, 'billed input tokens'),
    col('output_tokens', 'count', false, 'billed output tokens'),
    col('max_tokens', 'count', false, 'requested output cap'),
    col('temperature', 'double', false, 'requested sampling temperature'),
    col('status', 'status', false, 'HTTP status returned'),
    col('prompt_embedding', 'embedding', false, 'provider-computed embedding of prompt, one length for all rows'),
    col('end_user', 'string', false, 'end-user id passed by the caller (not verified)'),
    col('session_id', 'string', false, 'conversation or session id'),
  ],
};

export const ACCOUNTS: ContractTable = {
  name: 'accounts',
  meaning: 'one row per account (signup registry)',
  uniqueKey: 'account_id',
  columns: [
    col('account_id', 'string', true, 'joins to events.account_id'),
    col('created_at', 'timestamp', false, 'signup time, UTC'),
    col('email_domain', 'string', false, 'domain part of the signup e-mail'),
    col('email_local_hash', 'string', false, 'hash of the local part of the e-mail'),
    col('payment_fingerprint', 'string', false, 'opaque id of the payment instrument'),
    col('country', 'string', false, 'ISO 3166-1 alpha-2 declared or billing country'),
    col('signup_ip', 'ip', false, 'IP address at signup'),
    col('org_id', 'string', false, 'declared organisation'),
  ],
};

export const ENFORCEMENT: ContractTable = {
  name: 'enforcement',
  meaning: 'actions the provider already took (suspend, ban, rate_limit, reinstate, ...)',
  columns: [
    col('account_id', 'string', true, 'the account acted on'),
    col('ts', 'timestamp', true, 'when, UTC'),
    col('action', 'string', true, 'suspend, ban, rate_limit, reinstate, ...'),
  ],
};

export const TRUTH: ContractTable = {
  name: 'truth',
  meaning: 'ground truth written by the synthetic generator',
  uniqueKey: 'account_id',
  columns: [
    col('account_id', 'string', true, 'every account in the generated logs, once'),
    col('farm_id', 'string', false, 'coordinated farm of the account; null when legitimate'),
    col('campaign', 'string', true, 'scenario label of the behaviour that generated the account'),
  ],
};

export const CONTRACT_TABLES: Readonly<Record<ContractTableName, ContractTable>> = {
  events: EVENTS,
  accounts: ACCOUNTS,
  enforcement: ENFORCEMENT,
  truth: TRUTH,
};
