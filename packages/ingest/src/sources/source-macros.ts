// SQL macros the source adapters share: JSON that may arrive as a JSON-encoded
// string (CSV dumps, Azure's `properties`), message-list text extraction for
// the chat shapes in use (OpenAI/LiteLLM and Anthropic `content` strings or
// blocks, Bedrock Converse `{text}` blocks, OpenTelemetry `parts`), and
// OpenTelemetry attribute lists. Installed with ingest's validation macros.
const NL = 'chr(10)';

export const SOURCE_MACROS: readonly string[] = [
  // A JSON value, or the JSON a JSON string encodes (a CSV cell holding '{"a":1}').
  `CREATE OR REPLACE TEMP MACRO fs_json(x) AS
     CASE WHEN json_type(x) = 'VARCHAR' AND json_valid(x->>'$') AND ltrim(x->>'$') SIMILAR TO '[\\[{].*'
          THEN json(x->>'$') ELSE x END`,
  // Text of a message content: a string, or the text blocks of a list
  // ({type:'text', text}, {text}, or OTel parts {type:'text', content}).
  `CREATE OR REPLACE TEMP MACRO fs_content_text(c) AS
     CASE WHEN c IS NULL THEN NULL
          WHEN json_type(c) = 'VARCHAR' THEN c->>'$'
          WHEN json_type(c) = 'ARRAY' THEN nullif(array_to_string(list_filter(list_transform(json_extract(c, '$[*]'),
                 lambda b: CASE WHEN json_type(b) = 'VARCHAR' THEN b->>'$'
                                WHEN coalesce(b->>'type', 'text') = 'text' THEN coalesce(b->>'text', b->>'content') END),
                 lambda t: t IS NOT NULL), ${NL}), '') END`,
  // The messages of a role in a chat message list, as JSON[].
  `CREATE OR REPLACE TEMP MACRO fs_role_messages(msgs, r) AS
     CASE WHEN json_type(msgs) = 'ARRAY' THEN list_filter(json_extract(msgs, '$[*]'), lambda m: (m->>'role') = r) END`,
  // Text of the last user turn of a message list (a plain string is the prompt itself).
  `CREATE OR REPLACE TEMP MACRO fs_last_user_text(msgs) AS
     CASE WHEN json_type(msgs) = 'VARCHAR' THEN msgs->>'$'
          ELSE fs_content_text(coalesce(fs_role_messages(msgs, 'user')[-1]->'$.content', fs_role_messages(msgs, 'user')[-1]->'$.parts')) END`,
  // Text of the system (or developer) messages of a message list.
  `CREATE OR REPLACE TEMP MACRO fs_system_text(msgs) AS
     nullif(array_to_string(list_transform(list_concat(fs_role_messages(msgs, 'system'), fs_role_messages(msgs, 'developer')),
       lambda m: fs_content_text(coalesce(m->'$.content', m->'$.parts'))), ${NL}), '')`,
  // OTLP/JSON attribute list [{key, value: {stringValue|intValue|doubleValue|boolValue|...}}] as MAP(VARCHAR, VARCHAR).
  `CREATE OR REPLACE TEMP MACRO fs_otel_attributes(attrs) AS
     map_from_entries(coalesce(list_transform(json_extract(attrs, '$[*]'),
       lambda a: {k: a->>'key', v: coalesce(a->>'$.value.stringValue', a->>'$.value.intValue', a->>'$.value.doubleValue',
                                           a->>'$.value.boolValue', CAST(a->'$.value' AS VARCHAR))}), []))`,
  // Epoch seconds (possibly fractional) or any other text, as ISO-8601 UTC text for validation.
  `CREATE OR REPLACE TEMP MACRO fs_epoch_seconds_text(s) AS
     CASE WHEN TRY_CAST(s AS DOUBLE) IS NOT NULL AND TRY_CAST(s AS DOUBLE) < 1e11
          THEN strftime(to_timestamp(TRY_CAST(s AS DOUBLE)) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') ELSE s END`,
  // Epoch nanoseconds (OTLP's *UnixNano, a decimal string) as ISO-8601 UTC text.
  `CREATE OR REPLACE TEMP MACRO fs_epoch_nanos_text(s) AS
     CASE WHEN TRY_CAST(s AS HUGEINT) IS NOT NULL
          THEN strftime(make_timestamp(CAST(TRY_CAST(s AS HUGEINT) // 1000 AS BIGINT)), '%Y-%m-%dT%H:%M:%S.%fZ') ELSE s END`,
];
