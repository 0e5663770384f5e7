// Builds the "checked rows" query over a source relation: each contract column
// parsed once, checked, converted to its stored type, long texts cut, and per
// row the reason it is rejected (NULL when it is loaded), a reason code, and
// the missing required columns. One query, one pass over the source.
import { ident, type ContractTable } from '@farmscope/casefile';
import { planColumn } from './column-checks.js';

/** Text columns cut to the --max-text-chars limit. */
const LONG_TEXT_COLUMNS = new Set(['prompt', 'system_prompt']);

export interface CheckedRowsOptions {
  table: ContractTable;
  /** DuckDB type per contract column present in the source. */
  types: Map<string, string>;
  /** The relation to read (a view or table name). */
  from: string;
  embeddingLength?: number;
  /** Longest prompt / system prompt kept, in characters; 0 = no limit. */
  maxTextChars: number;
  /** The source has a `_reject_code` column giving the code of its `_parse_error` rows. */
  rejectCodes?: boolean;
}

/**
 * Columns: source_row, line_number, the contract columns, extra, reason,
 * reason_code, raw (only when rejected), text_truncated, missing_required.
 */
export function checkedRowsSql(options: CheckedRowsOptions): string {
  const { table, types, from, embeddingLength, maxTextChars } = options;
  const parsed: string[] = [];
  const stored: string[] = [];
  const checks: string[] = [];
  const missing: string[] = [];
  const truncations: string[] = [];
  table.columns.forEach((column, i) => {
    const plan = planColumn(column, types.get(column.name), embeddingLength);
    const v = `_v${i}`;
    const bind = (sql: string) => sql.replaceAll('$V', v).replaceAll('$S', ident(column.name));
    parsed.push(`${plan.parsed} AS ${v}`);
    let value = bind(plan.stored);
    if (maxTextChars > 0 && LONG_TEXT_COLUMNS.has(column.name) && types.has(column.name)) {
      truncations.push(`coalesce(length(${value}) > ${maxTextChars}, false)`);
      value = `left(${value}, ${maxTextChars})`;
    }
    stored.push(`${value} AS ${ident(column.name)}`);
    if (plan.missing) {
      missing.push(`CASE WHEN ${bind(plan.missing)} THEN '${column.name}' END`);
      checks.push(`CASE WHEN ${bind(plan.missing)} THEN '${column.name}: missing' END`);
    }
    checks.push(...plan.checks.map(bind));
  });
  const missingList = missing.length > 0 ? `nullif(concat_ws(',', ${missing.join(', ')}), '')` : 'CAST(NULL AS VARCHAR)';
  const reason = checks.length > 0 ? `nullif(concat_ws('; ',\n      ${checks.join(',\n      ')}), '')` : 'CAST(NULL AS VARCHAR)';
  const truncated = truncations.length > 0 ? truncations.join(' OR ') : 'false';
  return `SELECT source_row, line_number,
  ${stored.join(',\n  ')},
  extra, reason,
  CASE WHEN _parse_error IS NOT NULL THEN ${options.rejectCodes ? "coalesce(_reject_code, 'parse_error')" : "'parse_error'"}
       WHEN missing_required IS NOT NULL THEN 'missing_required'
       WHEN reason IS NOT NULL THEN 'invalid_value' END AS reason_code,
  CASE WHEN reason IS NOT NULL THEN raw END AS raw,
  ${truncated} AS text_truncated,
  missing_required
FROM (
  SELECT *,
    CASE WHEN _parse_error IS NOT NULL THEN _parse_error ELSE ${reason} END AS reason,
    CASE WHEN _parse_error IS NULL THEN ${missingList} END AS missing_required
  FROM (SELECT *, ${parsed.join(', ')} FROM ${from})
)`;
}
