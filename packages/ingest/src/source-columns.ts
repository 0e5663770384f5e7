// Shared by the readers of formats whose columns are known before reading
// (Parquet, CSV, Arrow): checks the mapping against the file's columns and
// builds the projection of contract columns, `extra` and `raw`.
import { ident, InputError } from '@farmscope/casefile';
import { RAW_CHARS } from './source-relation.js';
import type { ReaderContext } from './source-relation.js';

export interface FileColumn {
  name: string;
  type: string;
}

export interface Projection {
  /** `<expr> AS "<contract name>"` items, the extra and raw columns. */
  items: string[];
  types: Map<string, string>;
}

export function projectKnownColumns(ctx: ReaderContext, columns: readonly FileColumn[]): Projection {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const found = columns.map((c) => c.name).join(', ');
  const items: string[] = [];
  const types = new Map<string, string>();
  const used = new Set<string>();
  for (const column of ctx.table.columns) {
    const source = ctx.sourceNames.get(column.name)!;
    const hit = byName.get(source);
    if (!hit) {
      if (column.required || ctx.explicit.has(column.name)) {
        const what = source === column.name ? `column "${column.name}"` : `column "${source}" (mapped to ${column.name})`;
        throw new InputError(
          `${ctx.table.name} file ${ctx.file.path}: ${column.required ? 'required ' : ''}${what} is missing; columns found: ${found || '(none)'}`,
        );
      }
      continue;
    }
    items.push(`${ident(hit.name)} AS ${ident(column.name)}`);
    types.set(column.name, hit.type);
    used.add(hit.name);
  }
  const extras = columns.filter((c) => !used.has(c.name));
  items.push(extras.length > 0 ? `${structJson(extras.map((c) => c.name))} AS extra` : 'CAST(NULL AS JSON) AS extra');
  items.push(`left(CAST(${structJson(columns.map((c) => c.name))} AS VARCHAR), ${RAW_CHARS}) AS raw`);
  return { items, types };
}

/** `to_json({'a': "a", 'b': "b"})`: the named columns as one JSON object. */
export function structJson(names: readonly string[]): string {
  return `to_json({${names.map((n) => `${literalKey(n)}: ${ident(n)}`).join(', ')}})`;
}

function literalKey(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}
