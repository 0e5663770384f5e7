// LiteLLM proxy spend logs: a dump of the LiteLLM_SpendLogs table (CSV or
// Parquet, JSON columns as JSON text) and the StandardLoggingPayload JSON the
// proxy sends to its logging callbacks (one object per request). The key and
// the user/team/org it belongs to are resolved by the proxy from the
// authenticated virtual key (server-observed); `end_user` (the request's
// `user` parameter), `metadata` and the session id are what the caller sent.
// Docs: https://docs.litellm.ai/docs/proxy/logging_spec
//       https://docs.litellm.ai/docs/proxy/ui_logs
//       https://github.com/BerriAI/litellm/blob/main/schema.prisma (model LiteLLM_SpendLogs)
import { chatLets, type SourceAdapter } from './source-adapter.js';

export const litellm: SourceAdapter = {
  name: 'litellm',
  title: 'LiteLLM proxy SpendLogs and StandardLoggingPayload',
  docs: ['https://docs.litellm.ai/docs/proxy/logging_spec', 'https://github.com/BerriAI/litellm/blob/main/schema.prisma'],
  signature: '`startTime` with `api_key`, `call_type` or `model_group`',
  fields: {
    request_id: '`request_id` (payload: `id`)', ts: '`startTime` (payload: epoch seconds)',
    account_id: '`user` (the key\'s owner), else `team_id`, else `api_key`', api_key_id: '`api_key` (hashed virtual key; payload: `metadata.user_api_key_hash`)',
    org_id: '`organization_id` (payload: `metadata.user_api_key_org_id`)', model: '`model_group`, else `model`', ip: '`requester_ip_address`',
    prompt: 'last user turn of `messages`', system_prompt: 'leading system message of `messages`', input_tokens: '`prompt_tokens`',
    output_tokens: '`completion_tokens`', max_tokens: '`max_tokens` of `model_parameters` / `proxy_server_request`',
    temperature: '`temperature` of `model_parameters` / `proxy_server_request`', status: '`error_information.error_code`, or 200 for `status` = success',
    end_user: '`end_user`', session_id: '`session_id` (payload: `trace_id`)',
  },
  formats: ['csv', 'parquet', 'jsonl'],
  matches: ({ keys }) => keys.has('startTime') && (keys.has('api_key') || keys.has('call_type') || keys.has('model_group')),
  lets: [
    { meta: `fs_json(rec->'$.metadata')`, params: `coalesce(fs_json(rec->'$.model_parameters'), fs_json(rec->'$.proxy_server_request'))` },
    ...chatLets(`fs_json(rec->'$.messages')`),
  ],
  columns: {
    // SpendLogs: request_id; StandardLoggingPayload: id.
    request_id: `coalesce(rec->>'$.request_id', rec->>'$.id')`,
    // SpendLogs: a timestamp text; StandardLoggingPayload: epoch seconds (float).
    ts: `fs_epoch_seconds_text(rec->>'$.startTime')`,
    account_id: `coalesce(nullif(rec->>'$.user', ''), meta->>'$.user_api_key_user_id', nullif(rec->>'$.team_id', ''),
                          meta->>'$.user_api_key_team_id', nullif(rec->>'$.api_key', ''), meta->>'$.user_api_key_hash')`,
    api_key_id: `coalesce(nullif(rec->>'$.api_key', ''), meta->>'$.user_api_key_hash')`,
    org_id: `coalesce(nullif(rec->>'$.organization_id', ''), meta->>'$.user_api_key_org_id')`,
    model: `coalesce(nullif(rec->>'$.model_group', ''), rec->>'$.model')`,
    ip: `coalesce(nullif(rec->>'$.requester_ip_address', ''), meta->>'$.requester_ip_address')`,
    prompt: 'fs_content_text(user_content)',
    system_prompt: 'fs_system_text(msgs)',
    input_tokens: `rec->>'$.prompt_tokens'`,
    output_tokens: `rec->>'$.completion_tokens'`,
    max_tokens: `coalesce(params->>'$.max_tokens', params->>'$.max_completion_tokens')`,
    temperature: `params->>'$.temperature'`,
    status: `CASE WHEN regexp_full_match(coalesce(rec->>'$.error_information.error_code', ''), '[1-5][0-9][0-9]')
                   THEN rec->>'$.error_information.error_code'
                 WHEN lower(rec->>'$.status') = 'success' THEN '200' END`,
    end_user: `nullif(rec->>'$.end_user', '')`,
    session_id: `coalesce(nullif(rec->>'$.session_id', ''), rec->>'$.trace_id')`,
  },
  identity: {
    account_id: 'server_observed',
    api_key_id: 'server_observed',
    org_id: 'server_observed',
    // The TCP peer, or X-Forwarded-For when the proxy is told to trust it (use_x_forwarded_for).
    ip: 'server_observed',
    end_user: 'caller_claimed',
    session_id: 'caller_claimed',
  },
  // A messages cell that starts like JSON but does not parse (a cut or corrupted dump).
  unmapped: `CASE WHEN regexp_matches(ltrim(coalesce(rec->>'$.messages', '')), '^[\\[{]') AND NOT json_valid(rec->>'$.messages')
                  THEN 'messages: not valid JSON ' || fs_snippet(rec->>'$.messages') END`,
  lacks: {
    user_agent: 'LiteLLM spend logs have no user-agent column',
    prompt: 'present only when the proxy runs with store_prompts_in_spend_logs: true',
  },
};
