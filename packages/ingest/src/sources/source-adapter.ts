// What a source adapter is: the SQL that maps one vendor's log record (a JSON
// value `rec`) onto the events contract, how its records are found in a file,
// how its files are recognised, and which identity fields the server observed
// versus the caller merely claimed. Adapters are data; read-source.ts runs them.
import type { SourceFormat } from '../source-format.js';

/** Contract columns of `events` an adapter may fill (all but prompt_embedding). */
export type EventColumn =
  | 'request_id' | 'ts' | 'account_id' | 'api_key_id' | 'org_id' | 'model' | 'ip' | 'user_agent'
  | 'prompt' | 'system_prompt' | 'input_tokens' | 'output_tokens' | 'max_tokens' | 'temperature'
  | 'status' | 'end_user' | 'session_id';

/** Contract columns that say who made a request. */
export const IDENTITY_FIELDS = ['account_id', 'api_key_id', 'org_id', 'ip', 'user_agent', 'end_user', 'session_id'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

/**
 * How a present identity value came to be: `server_observed` (the provider
 * saw or authenticated it) or `caller_claimed` (the request said so: headers,
 * body fields, metadata; attacker-controlled when the caller is the attacker).
 * An absent value is `absent`; an address the source masked is `masked`.
 */
export type Provenance = 'server_observed' | 'caller_claimed';

export interface KeysSeen {
  /** Top-level keys of the first records (and of the first wrapped record, for wrapper documents). */
  keys: Set<string>;
  /** The first bytes of the file as text (for value signatures such as "ModelInvocationLog"). */
  head: string;
}

export interface SourceAdapter {
  name: string;
  title: string;
  /** Vendor documentation the field names come from. */
  docs: readonly string[];
  /** How its files are recognised, for the README. */
  signature: string;
  /** The vendor field(s) each contract column comes from, for the README. */
  fields: Partial<Record<EventColumn, string>>;
  /** File formats the adapter reads its records from. */
  formats: readonly SourceFormat[];
  /** True when the keys seen carry this source's signature. */
  matches(seen: KeysSeen): boolean;
  /** SQL over `doc` (one JSON document) yielding its records as JSON[]; default: the document itself. */
  expand?: string;
  /**
   * Named helper values computed once per record, in levels: each level's
   * SQL sees `rec` (and `ct_*` for Bedrock's CloudTrail join) and the names
   * of the levels before it. (DuckDB macros repeat their arguments, so a
   * costly value is named here rather than passed around.)
   */
  lets?: readonly Record<string, string>[];
  /** SQL per contract column, over `rec` and the lets, yielding text (validation parses it). */
  columns: Partial<Record<EventColumn, string>> & Record<'request_id' | 'ts' | 'account_id', string>;
  /**
   * Provenance of each identity column the adapter fills when the value is
   * present; an SQL expression (over rec, lets) may choose per record.
   */
  identity: Partial<Record<IdentityField, Provenance | { sql: string }>>;
  /**
   * A client address the source masked: `when` (SQL, true for a masked
   * record) makes the `ip` provenance `masked`; the masked text and its
   * network prefix are kept in the identity record (never in `ip`).
   */
  ipMasked?: { when: string; value: string; prefix: string };
  /** SQL yielding why a record cannot be mapped (reason_code unmapped_record), else NULL. */
  unmapped?: string;
  /** SQL yielding why a well-formed record is not an API request (reason_code not_applicable), else NULL. */
  notApplicable?: string;
  /** Why a column is absent from this source, for the README and source_capabilities. */
  lacks: Partial<Record<EventColumn, string>>;
  /** Joins CloudTrail bedrock-runtime events (ct_source_ip, ct_user_agent, ct_access_key_id) on this request id SQL. */
  cloudTrailJoin?: string;
}

/**
 * Helper levels for a chat message list (SQL yielding JSON: an array of
 * {role, content | parts}, or a plain string prompt): `msgs`, the index of
 * its last user message `user_at`, and that message's content `user_content`
 * (for fs_content_text), computed once each.
 */
export function chatLets(messages: string): Record<string, string>[] {
  return [
    { msgs: messages },
    { user_at: `fs_last_role_index(msgs, 'user')` },
    { user_content: `CASE WHEN json_type(msgs) = 'VARCHAR' THEN msgs ELSE fs_message_content(msgs, user_at) END` },
  ];
}
