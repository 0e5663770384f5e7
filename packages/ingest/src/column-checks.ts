// For each contract column: how the source value is parsed (once), the checks
// that reject a row (each yielding a message that names the column and quotes
// the bad value), and the value stored. Driven by the source column's DuckDB
// type, so a Parquet TIMESTAMP is taken as is and a JSON string is parsed.
//
// In `checks` and `stored`, $V stands for the parsed value and $S for the
// source column, so each parse runs once per row however many checks use it.
import { ident, type ContractColumn } from '@farmscope/casefile';

export interface ColumnPlan {
  /** Expression over the source column: the parsed value (NULL when it does not parse). */
  parsed: string;
  /** Expression over $V / $S: the value stored (NULL when rejected). */
  stored: string;
  /** Expressions over $V / $S yielding an error message or NULL, in order. */
  checks: string[];
  /** Expression over $S, true when a required value is absent. */
  missing?: string;
}

/** Earliest and latest accepted event time: catches epoch seconds given as milliseconds. */
export const TS_MIN = '2000-01-01';
export const TS_MAX = '2100-01-01';

const INTEGER_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const FLOAT_TYPES = /^(FLOAT|DOUBLE|REAL|DECIMAL.*)$/;
const TIME_TYPES = /^(TIMESTAMP.*|DATE)$/;

/**
 * @param column the contract column
 * @param sourceType DuckDB type of the source column, or undefined if the file lacks it
 * @param embeddingLength expected embedding length, when known
 */
export function planColumn(column: ContractColumn, sourceType: string | undefined, embeddingLength?: number): ColumnPlan {
  if (sourceType === undefined) {
    const none = `CAST(NULL AS ${column.sqlType})`;
    return { parsed: none, stored: '$V', checks: [], ...(column.required ? { missing: 'true' } : {}) };
  }
  const type = sourceType.toUpperCase();
  const plan = planByKind(column, ident(column.name), type, embeddingLength);
  if (column.required) plan.missing = column.kind === 'string' ? '$V IS NULL' : '$S IS NULL';
  plan.checks = plan.checks.map((c) => c.replaceAll('$NAME', column.name));
  return plan;
}

function planByKind(column: ContractColumn, src: string, type: string, embeddingLength?: number): ColumnPlan {
  const text = type === 'VARCHAR' ? '$S' : 'CAST($S AS VARCHAR)';
  const present = `nullif(${text}, '') IS NOT NULL`;
  switch (column.kind) {
    case 'string':
      return { parsed: type === 'VARCHAR' ? `nullif(${src}, '')` : `nullif(CAST(${src} AS VARCHAR), '')`, stored: '$V', checks: [] };
    case 'timestamp': {
      const parsed = TIME_TYPES.test(type)
        ? `CAST(${src} AS TIMESTAMP)`
        : INTEGER_TYPES.test(type)
          ? `epoch_ms(CAST(${src} AS BIGINT))`
          : `fs_parse_ts(CAST(${src} AS VARCHAR))`;
      const inRange = `$V >= TIMESTAMP '${TS_MIN}' AND $V < TIMESTAMP '${TS_MAX}'`;
      return {
        parsed,
        stored: `CASE WHEN ${inRange} THEN $V END`,
        checks: [
          `CASE WHEN $V IS NULL AND ${present}
                THEN '$NAME: unparseable timestamp ' || fs_snippet($S) || ' (expected ISO-8601 or epoch milliseconds)' END`,
          `CASE WHEN NOT (${inRange})
                THEN '$NAME: ' || strftime($V, '%Y-%m-%dT%H:%M:%SZ') || ' is outside ${TS_MIN}..${TS_MAX}'
                     || CASE WHEN $V < TIMESTAMP '1971-01-01' THEN ' (epoch seconds given where milliseconds are expected?)' ELSE '' END END`,
        ],
      };
    }
    case 'count':
    case 'status': {
      const lo = column.kind === 'status' ? 100 : 0;
      const hi = column.kind === 'status' ? 599 : undefined;
      const parsed = INTEGER_TYPES.test(type) || FLOAT_TYPES.test(type)
        ? `CAST(${src} AS DOUBLE)`
        : `TRY_CAST(trim(CAST(${src} AS VARCHAR)) AS DOUBLE)`;
      const whole = `$V = floor($V)`;
      const inRange = hi === undefined ? `$V >= ${lo} AND $V < 9.2e18` : `$V >= ${lo} AND $V <= ${hi}`;
      return {
        parsed,
        stored: `CASE WHEN ${whole} AND ${inRange} THEN CAST($V AS ${column.sqlType}) END`,
        checks: [
          `CASE WHEN $V IS NULL AND ${present} THEN '$NAME: not a number ' || fs_snippet($S) END`,
          `CASE WHEN NOT (${whole}) THEN '$NAME: not a whole number ' || fs_snippet($S) END`,
          `CASE WHEN ${whole} AND NOT (${inRange})
                THEN '$NAME: ' || fs_snippet($S) || ' ${hi === undefined ? 'is negative' : `is not in ${lo}..${hi}`}' END`,
        ],
      };
    }
    case 'double': {
      const parsed = FLOAT_TYPES.test(type) || INTEGER_TYPES.test(type)
        ? `CAST(${src} AS DOUBLE)`
        : `TRY_CAST(trim(CAST(${src} AS VARCHAR)) AS DOUBLE)`;
      const ok = `isfinite($V) AND $V >= 0`;
      return {
        parsed,
        stored: `CASE WHEN ${ok} THEN $V END`,
        checks: [
          `CASE WHEN $V IS NULL AND ${present} THEN '$NAME: not a number ' || fs_snippet($S) END`,
          `CASE WHEN NOT (${ok}) THEN '$NAME: ' || fs_snippet($S) || ' is negative or not finite' END`,
        ],
      };
    }
    case 'ip': {
      // Parsed = the normalised text when it is a well-formed address, '' when
      // present but malformed, NULL when absent. The common case (already
      // clean) costs one regular expression; trimming and lower-casing only
      // run for the rest.
      const text = type === 'VARCHAR' ? src : `CAST(${src} AS VARCHAR)`;
      const norm = `lower(trim(${text}))`;
      return {
        parsed: `CASE WHEN ${text} IS NULL OR ${text} = '' THEN NULL
                      WHEN fs_is_ip(${text}) THEN ${text}
                      WHEN fs_is_ip(${norm}) THEN ${norm}
                      WHEN ${norm} = '' THEN NULL
                      ELSE '' END`,
        stored: `nullif($V, '')`,
        checks: [`CASE WHEN $V = '' THEN '$NAME: not an IPv4 or IPv6 address ' || fs_snippet($S) END`],
      };
    }
    case 'embedding': {
      const parsed = /\[\d*\]$/.test(type) ? `TRY_CAST(${src} AS FLOAT[])` : `TRY_CAST(CAST(${src} AS VARCHAR) AS FLOAT[])`;
      const lengthOk = embeddingLength === undefined ? 'true' : `len($V) = ${embeddingLength}`;
      return {
        parsed,
        stored: `CASE WHEN ${lengthOk} THEN $V END`,
        checks: [
          `CASE WHEN $S IS NOT NULL AND $V IS NULL THEN '$NAME: not a list of numbers ' || fs_snippet($S) END`,
          `CASE WHEN $V IS NOT NULL AND NOT (${lengthOk})
                THEN '$NAME: length ' || len($V) || ', expected ${embeddingLength ?? 0} like the other rows' END`,
        ],
      };
    }
  }
}
