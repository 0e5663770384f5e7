// OpenTelemetry GenAI spans exported as OTLP/JSON (`resourceSpans[].scopeSpans[].spans[]`,
// one export request per line as the collector's file exporter writes them,
// or one pretty-printed document). Attributes follow the GenAI semantic
// conventions, current names first and the deprecated ones as fallbacks
// (gen_ai.usage.prompt_tokens / completion_tokens, gen_ai.system, gen_ai.prompt).
// Spans are emitted by the instrumented application: only `client.address`
// (set by server-side instrumentation) is treated as server-observed.
// Docs: https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
//       https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
//       https://opentelemetry.io/docs/specs/semconv/registry/attributes/client/
import { chatLets, type SourceAdapter } from './source-adapter.js';

const attr = (name: string) => `coalesce(a[${`'${name}'`}], r[${`'${name}'`}])`;

export const otelGenAi: SourceAdapter = {
  name: 'otel',
  title: 'OpenTelemetry GenAI spans (OTLP/JSON)',
  docs: ['https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/', 'https://opentelemetry.io/docs/specs/otlp/'],
  signature: '`resourceSpans`',
  fields: {
    request_id: '`traceId`/`spanId`', ts: '`startTimeUnixNano`', account_id: '`user.id`, `enduser.id`, else resource `service.name`',
    model: '`gen_ai.request.model` (else `gen_ai.response.model`)', ip: '`client.address`', user_agent: '`user_agent.original`',
    prompt: 'last user turn of `gen_ai.input.messages` (else `gen_ai.prompt`)', system_prompt: '`gen_ai.system_instructions`',
    input_tokens: '`gen_ai.usage.input_tokens` (old: `gen_ai.usage.prompt_tokens`)',
    output_tokens: '`gen_ai.usage.output_tokens` (old: `gen_ai.usage.completion_tokens`)', max_tokens: '`gen_ai.request.max_tokens`',
    temperature: '`gen_ai.request.temperature`', status: '`http.response.status_code`, a numeric `error.type`, or 200 for an OK span',
    session_id: '`gen_ai.conversation.id`',
  },
  formats: ['jsonl'],
  matches: ({ keys }) => keys.has('resourceSpans'),
  // One record per span, carrying its resource and scope: {resource, scope, span};
  // a line that is not an OTLP export stays one record, rejected as unmapped.
  expand: `CASE WHEN json_type(doc->'$.resourceSpans') IS DISTINCT FROM 'ARRAY' THEN [doc] ELSE flatten(list_transform(coalesce(json_extract(doc, '$.resourceSpans[*]'), []), lambda rs:
             flatten(list_transform(coalesce(json_extract(rs, '$.scopeSpans[*]'), []), lambda ss:
               list_transform(coalesce(json_extract(ss, '$.spans[*]'), []), lambda sp:
                 json_object('resource', rs->'$.resource', 'scope', ss->'$.scope', 'span', sp)))))) END`,
  lets: [
    { a: `fs_otel_attributes(rec->'$.span.attributes')`, r: `fs_otel_attributes(rec->'$.resource.attributes')` },
    ...chatLets(`fs_json(to_json(${attr('gen_ai.input.messages')}))`),
  ],
  columns: {
    request_id: `rec->>'$.span.traceId' || '/' || (rec->>'$.span.spanId')`,
    ts: `fs_epoch_nanos_text(rec->>'$.span.startTimeUnixNano')`,
    account_id: `coalesce(${attr('user.id')}, ${attr('enduser.id')}, r['service.name'])`,
    model: `coalesce(${attr('gen_ai.request.model')}, ${attr('gen_ai.response.model')})`,
    ip: attr('client.address'),
    user_agent: attr('user_agent.original'),
    prompt: `coalesce(fs_content_text(user_content), ${attr('gen_ai.prompt')})`,
    system_prompt: `fs_content_text(fs_json(to_json(${attr('gen_ai.system_instructions')})))`,
    input_tokens: `coalesce(${attr('gen_ai.usage.input_tokens')}, ${attr('gen_ai.usage.prompt_tokens')})`,
    output_tokens: `coalesce(${attr('gen_ai.usage.output_tokens')}, ${attr('gen_ai.usage.completion_tokens')})`,
    max_tokens: attr('gen_ai.request.max_tokens'),
    temperature: attr('gen_ai.request.temperature'),
    // The HTTP status when recorded; else an error.type that is a status code; else OK spans are 200.
    status: `coalesce(${attr('http.response.status_code')},
                      CASE WHEN regexp_full_match(coalesce(${attr('error.type')}, ''), '[1-5][0-9][0-9]') THEN ${attr('error.type')} END,
                      CASE WHEN coalesce(rec->>'$.span.status.code', '0') IN ('0', '1', 'STATUS_CODE_UNSET', 'STATUS_CODE_OK')
                            AND ${attr('error.type')} IS NULL THEN '200' END)`,
    session_id: attr('gen_ai.conversation.id'),
  },
  identity: {
    account_id: 'caller_claimed',
    ip: 'server_observed',
    user_agent: 'caller_claimed',
    session_id: 'caller_claimed',
  },
  unmapped: `CASE WHEN (rec->'$.span') IS NULL THEN 'not an OTLP/JSON span export (no resourceSpans[].scopeSpans[].spans[])'
                  WHEN a IS NULL AND json_array_length(rec->'$.span.attributes') > 0
                  THEN 'span ' || fs_snippet(rec->>'$.span.name') || ': its attributes repeat a key' END`,
  notApplicable: `CASE WHEN NOT coalesce(list_bool_or(list_transform(map_keys(a), lambda k: starts_with(k, 'gen_ai.'))), false)
                       THEN 'span ' || fs_snippet(rec->>'$.span.name') || ' has no gen_ai.* attribute (not a GenAI call)' END`,
  lacks: {
    api_key_id: 'the GenAI conventions define no API-key attribute',
    org_id: 'the GenAI conventions define no organisation attribute',
    ip: 'client.address is set only by server-side instrumentation',
    account_id: 'no account attribute: user.id, enduser.id or the resource service.name stand in (caller-claimed)',
    prompt: 'gen_ai.input.messages is opt-in content capture',
  },
};
