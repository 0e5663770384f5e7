// Temporary SQL macros the validation expressions use: value snippets for
// messages, IP address checks, and timestamp parsing. Installed once per
// connection before an ingest.
import type { CaseFile } from '@farmscope/casefile';
import { SOURCE_MACROS } from './sources/source-macros.js';

/** Longest value quoted in a rejection reason. */
export const SNIPPET_CHARS = 60;

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `(${OCTET}\\.){3}${OCTET}`;
const H = '[0-9a-f]{1,4}';
// RFC 4291 text forms (full, compressed, IPv4-embedded); lower-cased input, no zone id.
const IPV6 = [
  `(${H}:){7}${H}`,
  `(${H}:){1,7}:`,
  `(${H}:){1,6}:${H}`,
  `(${H}:){1,5}(:${H}){1,2}`,
  `(${H}:){1,4}(:${H}){1,3}`,
  `(${H}:){1,3}(:${H}){1,4}`,
  `(${H}:){1,2}(:${H}){1,5}`,
  `${H}:(:${H}){1,6}`,
  `:((:${H}){1,7}|:)`,
  `::(ffff(:0{1,4})?:)?${IPV4}`,
  `(${H}:){1,4}:${IPV4}`,
].join('|');

export const MACROS: readonly string[] = [
  // "value" quoted and cut for a message; NULL shows as null.
  `CREATE OR REPLACE TEMP MACRO fs_snippet(x) AS
     CASE WHEN x IS NULL THEN 'null'
          ELSE '"' || left(CAST(x AS VARCHAR), ${SNIPPET_CHARS}) ||
               CASE WHEN length(CAST(x AS VARCHAR)) > ${SNIPPET_CHARS} THEN '…"' ELSE '"' END END`,
  // CASE, not OR: only the branch a row needs is evaluated.
  `CREATE OR REPLACE TEMP MACRO fs_is_ip(s) AS
     CASE WHEN contains(s, ':') THEN regexp_full_match(s, '${IPV6}') ELSE regexp_full_match(s, '${IPV4}') END`,
  // ISO-8601 (offset or Z, or naive = UTC) or integer epoch milliseconds.
  `CREATE OR REPLACE TEMP MACRO fs_parse_ts(s) AS
     CASE WHEN TRY_CAST(s AS BIGINT) IS NOT NULL THEN epoch_ms(TRY_CAST(s AS BIGINT))
          ELSE CAST(TRY_CAST(trim(s) AS TIMESTAMPTZ) AS TIMESTAMP) END`,
];

export async function installMacros(caseFile: CaseFile): Promise<void> {
  for (const sql of [...MACROS, ...SOURCE_MACROS]) await caseFile.run(sql, 'installing validation macros');
}
