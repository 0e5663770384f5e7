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
  // Text of a message content: a string, or the text of the blocks of a list
  // ({type:'text', text}, Converse {text}, OTel parts {type:'text', content};
  // image and tool blocks have neither key). JSON paths, not lambdas: each
  // argument is parsed once or twice, which matters on millions of bodies.
  `CREATE OR REPLACE TEMP MACRO fs_content_text(c) AS
     CASE WHEN json_type(c) = 'VARCHAR' THEN c->>'$'
          WHEN json_type(c) = 'ARRAY'
          THEN nullif(array_to_string(list_concat(json_extract_string(c, '$[*].text'), json_extract_string(c, '$[*].content')), ${NL}), '') END`,
  // Index (from 0) of the last message of a role in a chat message list, or NULL.
  `CREATE OR REPLACE TEMP MACRO fs_last_role_index(msgs, r) AS
     nullif(len(json_extract_string(msgs, '$[*].role')) - list_position(list_reverse(json_extract_string(msgs, '$[*].role')), r), len(json_extract_string(msgs, '$[*].role')))`,
  // Content (or OTel parts) of the message at an index.
  `CREATE OR REPLACE TEMP MACRO fs_message_content(msgs, i) AS
     coalesce(json_extract(msgs, '$[' || i || '].content'), json_extract(msgs, '$[' || i || '].parts'))`,
  // Text of the leading system (or developer) message of a message list.
  `CREATE OR REPLACE TEMP MACRO fs_system_text(msgs) AS
     CASE WHEN json_type(msgs) = 'ARRAY' AND (msgs->>'$[0].role') IN ('system', 'developer')
          THEN fs_content_text(fs_message_content(msgs, 0)) END`,
  // OTLP/JSON attribute list [{key, value: {stringValue|intValue|doubleValue|boolValue|...}}] as MAP(VARCHAR, VARCHAR);
  // NULL when a key repeats (a MAP refuses it, and one bad span must not fail the file).
  `CREATE OR REPLACE TEMP MACRO fs_otel_attributes(attrs) AS
     try(map_from_entries(coalesce(list_transform(json_extract(attrs, '$[*]'),
       lambda a: {k: a->>'key', v: coalesce(a->>'$.value.stringValue', a->>'$.value.intValue', a->>'$.value.doubleValue',
                                           a->>'$.value.boolValue', CAST(a->'$.value' AS VARCHAR))}), [])))`,
  // Epoch seconds (possibly fractional) or any other text, as ISO-8601 UTC text for validation.
  `CREATE OR REPLACE TEMP MACRO fs_epoch_seconds_text(s) AS
     CASE WHEN TRY_CAST(s AS DOUBLE) BETWEEN 0 AND 1e11
          THEN strftime(to_timestamp(TRY_CAST(s AS DOUBLE)) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') ELSE s END`,
  // Epoch nanoseconds (OTLP's *UnixNano, a decimal string) as ISO-8601 UTC text.
  `CREATE OR REPLACE TEMP MACRO fs_epoch_nanos_text(s) AS
     CASE WHEN TRY_CAST(s AS HUGEINT) BETWEEN 0 AND 9e18
          THEN strftime(make_timestamp(CAST(TRY_CAST(s AS HUGEINT) // 1000 AS BIGINT)), '%Y-%m-%dT%H:%M:%S.%fZ') ELSE s END`,
];
