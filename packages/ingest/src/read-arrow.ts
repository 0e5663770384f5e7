// Arrow IPC reader (file or stream format, optionally gzipped). DuckDB has no
// built-in Arrow file reader offline, so apache-arrow decodes the record
// batches in JS and DuckDB's appender writes them, as text, into a temporary
// table; validation then types them like any other text source.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { DataType, RecordBatchReader, type Field, type Vector } from 'apache-arrow';
import { CaseFile, ident, InputError } from '@farmscope/casefile';
import { projectKnownColumns } from './source-columns.js';
import type { ReaderContext, SourceRelation } from './source-relation.js';

const STAGE = '_fs_arrow_stage';

export async function readArrow(caseFile: CaseFile, ctx: ReaderContext): Promise<SourceRelation> {
  const stream = createReadStream(ctx.file.path);
  const source = ctx.file.gzip ? stream.pipe(createGunzip()) : stream;
  let reader;
  try {
    reader = await RecordBatchReader.from(source);
    await reader.open();
  } catch (error) {
    stream.destroy();
    throw new InputError(`cannot read Arrow IPC file ${ctx.file.path}: ${(error as Error).message}`, { cause: error });
  }
  const fields: Field[] = reader.schema.fields;
  const columns = fields.map((f) => ({ name: f.name, type: 'VARCHAR' }));
  const { items, types } = projectKnownColumns(ctx, columns);
  await caseFile.run(`DROP TABLE IF EXISTS ${STAGE}`);
  await caseFile.run(
    `CREATE TEMP TABLE ${STAGE} (source_row BIGINT, ${fields.map((f) => `${ident(f.name)} VARCHAR`).join(', ')})`,
    'creating the Arrow staging table',
  );
  const appender = await caseFile.connection.createAppender(STAGE, 'main', 'temp');
  let row = 0n;
  try {
    for await (const batch of reader) {
      const vectors = fields.map((_, i) => batch.getChildAt(i) as Vector | null);
      const toText = fields.map((f) => textConverter(f.type));
      for (let r = 0; r < batch.numRows; r++) {
        appender.appendBigInt(++row);
        for (let c = 0; c < fields.length; c++) {
          const value = vectors[c]?.get(r);
          if (value === null || value === undefined) appender.appendNull();
          else appender.appendVarchar(toText[c]!(value));
        }
        appender.endRow();
      }
    }
    appender.closeSync();
  } catch (error) {
    stream.destroy();
    throw new InputError(`cannot read Arrow IPC file ${ctx.file.path} at row ${row}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    select: `SELECT source_row, CAST(NULL AS BIGINT) AS line_number, CAST(NULL AS VARCHAR) AS _parse_error, ${items.join(', ')}
FROM ${STAGE}`,
    types,
    materialize: true,
    checkPresenceInData: false,
    cleanup: async () => caseFile.run(`DROP TABLE IF EXISTS ${STAGE}`),
  };
}

/** How an Arrow value of this type is written as text DuckDB can cast back. */
function textConverter(type: DataType): (value: unknown) => string {
  if (DataType.isTimestamp(type) || DataType.isDate(type)) {
    // apache-arrow gives epoch milliseconds for timestamps and dates.
    return (v) => new Date(Number(v)).toISOString();
  }
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) {
    return (v) => JSON.stringify(Array.from(v as Iterable<unknown>, (x) => (typeof x === 'bigint' ? Number(x) : x)));
  }
  return (v) => (typeof v === 'object' ? JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) : String(v));
}
