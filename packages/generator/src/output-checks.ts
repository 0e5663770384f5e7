// Cheap checks of a written Parquet file from its footer alone: the row count,
// and that the row groups follow each other in time (each one starts at or
// after the end of the one before). Rows inside a row group come from one
// ordered batch; the order across row groups is what parallel writing could
// break, so a violation is an internal error, never silently shipped.
import { literal } from '@farmscope/casefile';

export function parquetRowCountSql(file: string): string {
  return `SELECT count(*) FROM read_parquet(${literal(file)})`;
}

/** Number of row groups whose smallest `column` value is below the largest of the row group before. */
export function rowGroupsOutOfOrderSql(file: string, column: string): string {
  return `SELECT count(*) FROM (
  SELECT stats_min_value::TIMESTAMP AS first,
    lag(stats_max_value::TIMESTAMP) OVER (ORDER BY row_group_id) AS previous_last
  FROM parquet_metadata(${literal(file)})
  WHERE path_in_schema = ${literal(column)}
) WHERE first < previous_last`;
}
