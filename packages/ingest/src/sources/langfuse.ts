// Langfuse observation exports (blob-storage export `observations_v2`, as
// JSONL, CSV or Parquet): one row per observation; only GENERATION
// observations are model calls. Langfuse receives traces from the
// application's SDK, so user_id and session_id are what the application said;
// the project is known from the API keys that sent the trace.
// Docs: https://langfuse.com/docs/api-and-data-platform/features/blob-storage-export-fields
//       https://langfuse.com/docs/observability/features/users
import { chatLets, type SourceAdapter } from './source-adapter.js';

export const langfuse: SourceAdapter = {
  name: 'langfuse',
  title: 'Langfuse observation exports',
  docs: ['https://langfuse.com/docs/api-and-data-platform/features/blob-storage-export-fields'],
  signature: '`provided_model_name`, or `trace_id` + `start_time` + `usage_details`/`type`',
  fields: {
    request_id: '`id`', ts: '`start_time`', account_id: '`user_id`, else `project_id`', org_id: '`project_id`',
    model: '`provided_model_name` (else `model_id`)', prompt: 'last user turn of `input`', system_prompt: 'leading system message of `input`',
    input_tokens: '`usage_details.input`', output_tokens: '`usage_details.output`', max_tokens: '`model_parameters.max_tokens`',
    temperature: '`model_parameters.temperature`', status: '200 unless `level` = ERROR', end_user: '`user_id`', session_id: '`session_id`',
  },
  formats: ['jsonl', 'csv', 'parquet'],
  matches: ({ keys }) =>
    keys.has('provided_model_name') || (keys.has('trace_id') && keys.has('start_time') && (keys.has('usage_details') || keys.has('type'))),
  lets: [
    { usage: `fs_json(rec->'$.usage_details')`, params: `fs_json(rec->'$.model_parameters')`, input: `fs_json(rec->'$.input')` },
    ...chatLets(`coalesce(input->'$.messages', input)`),
  ],
  columns: {
    request_id: `rec->>'$.id'`,
    // "YYYY-MM-DD HH:MM:SS.ffffff", UTC.
    ts: `rec->>'$.start_time'`,
    account_id: `coalesce(nullif(rec->>'$.user_id', ''), rec->>'$.project_id')`,
    org_id: `rec->>'$.project_id'`,
    model: `coalesce(nullif(rec->>'$.provided_model_name', ''), rec->>'$.model_id')`,
    prompt: 'fs_content_text(user_content)',
    system_prompt: 'fs_system_text(msgs)',
    input_tokens: `coalesce(usage->>'$.input', usage->>'$.prompt_tokens')`,
    output_tokens: `coalesce(usage->>'$.output', usage->>'$.completion_tokens')`,
    max_tokens: `coalesce(params->>'$.max_tokens', params->>'$.max_completion_tokens')`,
    temperature: `params->>'$.temperature'`,
    status: `CASE WHEN upper(rec->>'$.level') = 'ERROR' THEN NULL ELSE '200' END`,
    end_user: `nullif(rec->>'$.user_id', '')`,
    session_id: `nullif(rec->>'$.session_id', '')`,
  },
  identity: {
    account_id: { sql: `CASE WHEN nullif(rec->>'$.user_id', '') IS NOT NULL THEN 'caller_claimed' ELSE 'server_observed' END` },
    org_id: 'server_observed',
    end_user: 'caller_claimed',
    session_id: 'caller_claimed',
  },
  notApplicable: `CASE WHEN upper(coalesce(rec->>'$.type', 'GENERATION')) <> 'GENERATION'
                       THEN 'observation of type ' || fs_snippet(rec->>'$.type') || ' is not a model call (GENERATION)' END`,
  unmapped: `CASE WHEN regexp_matches(ltrim(coalesce(rec->>'$.input', '')), '^[\\[{]') AND json_type(rec->'$.input') = 'VARCHAR'
                    AND NOT json_valid(rec->>'$.input')
                  THEN 'input: not valid JSON ' || fs_snippet(rec->>'$.input') END`,
  lacks: {
    ip: 'Langfuse records no client IP',
    user_agent: 'Langfuse records no user agent',
    api_key_id: 'Langfuse exports do not name the provider API key',
    account_id: 'user_id is set by the application (caller-claimed); the project stands in when it is absent',
  },
};
