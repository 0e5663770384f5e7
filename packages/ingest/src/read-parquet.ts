// Parquet reader: DuckDB reads the file itself; the row number is Parquet's
// own file_row_number, so no ordering work is needed and the scan stays
// parallel. A gzipped Parquet file is first inflated into the scratch folder.
import { CaseFile, duckdbMessage, InputError, literal } from '@farmscope/casefile';
import { gunzipToScratch } from './gunzip.js';
import { projectKnownColumns, type FileColumn } from './source-columns.js';
import type { ReaderContext, SourceRelation } from './source-relation.js';

export async function readParquet(caseFile: CaseFile, ctx: ReaderContext): Promise<SourceRelation> {
  const local = ctx.file.gzip ? await gunzipToScratch(ctx.file.path, ctx.scratchDir) : undefined;
  // Hive partition values are taken from the path by ingest itself, the same for every format.
  const scan = `read_parquet(${literal(local?.path ?? ctx.file.path)}, hive_partitioning = false)`;
  let columns: FileColumn[];
  try {
    columns = await describe(caseFile, scan);
  } catch (error) {
    await local?.remove();
    throw new InputError(`cannot read Parquet file ${ctx.file.path}: ${duckdbMessage(error)}`, { cause: error });
  }
  try {
    const { items, types } = projectKnownColumns(ctx, columns);
    return {
      select: `SELECT file_row_number + 1 AS source_row, CAST(NULL AS BIGINT) AS line_number,
       CAST(NULL AS VARCHAR) AS _parse_error, ${items.join(', ')}
FROM ${scan}`,
      types,
      materialize: false,
      checkPresenceInData: false,
      cleanup: async () => {
        await local?.remove();
      },
    };
  } catch (error) {
    await local?.remove();
    throw error;
  }
}

async function describe(caseFile: CaseFile, relation: string): Promise<FileColumn[]> {
  const rows = await caseFile.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${relation}`);
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}
