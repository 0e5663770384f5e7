// For each contract column: the SQL that turns the source value into the
// stored type, and the checks that reject a row, each yielding a message that
// names the column and quotes the bad value. Driven by the source column's
// DuckDB type, so a Parquet TIMESTAMP is taken as is and a JSON string is parsed.
import { ident, type ContractColumn } from '@farmscope/casefile';

export interface ColumnPlan {
  /** Expression for the stored value (NULL when invalid). */
  value: string;
  /** Expressions yielding an error message or NULL, in order. */
  checks: string[];
  /** Expression true when a required value is absent. */
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
    return { value: `CAST(NULL AS ${column.sqlType})`, checks: [], ...(column.required ? { missing: 'true' } : {}) };
  }
  const src = ident(column.name);
  const name = column.name;
  const plan = planByKind(column, src, sourceType.toUpperCase(), embeddingLength);
  if (column.required) {
    plan.missing = sourceType.toUpperCase() === 'VARCHAR' ? `nullif(trim(${src}), '') IS NULL` : `${src} IS NULL`;
  }
  // A present value that did not convert is reported by the kind's own checks;
  // an empty string is treated as absent.
  plan.checks = plan.checks.map((c) => c.replaceAll('$NAME', name));
  return plan;
}

function planByKind(column: ContractColumn, src: string, type: string, embeddingLength?: number): ColumnPlan {
  switch (column.kind) {
    case 'string': {
      const text = type === 'VARCHAR' ? src : `CAST(${src} AS VARCHAR)`;
      return { value: `nullif(${text}, '')`, checks: [] };
    }
    case 'timestamp': {
      const value = TIME_TYPES.test(type)
        ? `CAST(${src} AS TIMESTAMP)`
        : INTEGER_TYPES.test(type)
          ? `epoch_ms(CAST(${src} AS BIGINT))`
          : `fs_parse_ts(CAST(${src} AS VARCHAR))`;
      return {
        value: `CASE WHEN (${value}) >= TIMESTAMP '${TS_MIN}' AND (${value}) < TIMESTAMP '${TS_MAX}' THEN ${value} END`,
        checks: [
          `CASE WHEN ${src} IS NOT NULL AND nullif(CAST(${src} AS VARCHAR), '') IS NOT NULL AND (${value}) IS NULL
                THEN '$NAME: unparseable timestamp ' || fs_snippet(${src}) || ' (expected ISO-8601 or epoch milliseconds)' END`,
          `CASE WHEN (${value}) < TIMESTAMP '${TS_MIN}' OR (${value}) >= TIMESTAMP '${TS_MAX}'
                THEN '$NAME: ' || strftime(${value}, '%Y-%m-%dT%H:%M:%SZ') || ' is outside ${TS_MIN}..${TS_MAX}'
                     || CASE WHEN (${value}) < TIMESTAMP '1971-01-01' THEN ' (epoch seconds given where milliseconds are expected?)' ELSE '' END END`,
        ],
      };
    }
    case 'count':
    case 'status': {
      const lo = column.kind === 'status' ? 100 : 0;
      const hi = column.kind === 'status' ? 599 : null;
      const number = INTEGER_TYPES.test(type) ? `CAST(${src} AS DOUBLE)` : `TRY_CAST(trim(CAST(${src} AS VARCHAR)) AS DOUBLE)`;
      const inRange = `(${number}) >= ${lo}${hi === null ? ' AND (' + number + ') < 9.2e18' : ` AND (${number}) <= ${hi}`}`;
      const whole = `(${number}) = floor(${number})`;
      return {
        value: `CASE WHEN ${whole} AND ${inRange} THEN CAST(${number} AS ${column.sqlType}) END`,
        checks: [
          `CASE WHEN nullif(CAST(${src} AS VARCHAR), '') IS NOT NULL AND (${number}) IS NULL
                THEN '$NAME: not a number ' || fs_snippet(${src}) END`,
          `CASE WHEN NOT (${whole}) THEN '$NAME: not a whole number ' || fs_snippet(${src}) END`,
          `CASE WHEN ${whole} AND NOT (${inRange})
                THEN '$NAME: ' || fs_snippet(${src}) || ' ${hi === null ? 'is negative' : `is not in ${lo}..${hi}`}' END`,
        ],
      };
    }
    case 'double': {
      const number = FLOAT_TYPES.test(type) || INTEGER_TYPES.test(type)
        ? `CAST(${src} AS DOUBLE)`
        : `TRY_CAST(trim(CAST(${src} AS VARCHAR)) AS DOUBLE)`;
      const ok = `isfinite(${number}) AND (${number}) >= 0`;
      return {
        value: `CASE WHEN ${ok} THEN ${number} END`,
        checks: [
          `CASE WHEN nullif(CAST(${src} AS VARCHAR), '') IS NOT NULL AND (${number}) IS NULL
                THEN '$NAME: not a number ' || fs_snippet(${src}) END`,
          `CASE WHEN (${number}) IS NOT NULL AND NOT (${ok}) THEN '$NAME: ' || fs_snippet(${src}) || ' is negative or not finite' END`,
        ],
      };
    }
    case 'ip': {
      const text = `nullif(lower(trim(CAST(${src} AS VARCHAR))), '')`;
      return {
        value: `CASE WHEN fs_is_ip(${text}) THEN ${text} END`,
        checks: [`CASE WHEN ${text} IS NOT NULL AND NOT fs_is_ip(${text}) THEN '$NAME: not an IPv4 or IPv6 address ' || fs_snippet(${src}) END`],
      };
    }
    case 'embedding': {
      const list = /\[\]$|\[\d+\]$/.test(type) ? `TRY_CAST(${src} AS FLOAT[])` : `TRY_CAST(CAST(${src} AS VARCHAR) AS FLOAT[])`;
      const lengthOk = embeddingLength === undefined ? 'true' : `len(${list}) = ${embeddingLength}`;
      return {
        value: `CASE WHEN ${lengthOk} THEN ${list} END`,
        checks: [
          `CASE WHEN ${src} IS NOT NULL AND (${list}) IS NULL THEN '$NAME: not a list of numbers ' || fs_snippet(${src}) END`,
          `CASE WHEN (${list}) IS NOT NULL AND NOT (${lengthOk})
                THEN '$NAME: length ' || len(${list}) || ', expected ${embeddingLength ?? 0} like the other rows' END`,
        ],
      };
    }
  }
}
