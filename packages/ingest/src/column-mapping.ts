// Column mappings: which source column feeds each contract column, for logs
// whose pipeline named things differently. A mapping file is JSON, either flat
// ({"ts": "timestamp", "account_id": "customer"}) applying to every table, or
// per table ({"events": {...}, "accounts": {...}}). `--col name=source` flags
// add to it. Source names are only ever used as quoted identifiers or JSON
// keys, never spliced into SQL.
import { readFileSync } from 'node:fs';
import { CONTRACT_TABLES, InputError, type ContractTable, type ContractTableName } from '@farmscope/casefile';

/** contract column → source column name, per table. */
export type ColumnMapping = Partial<Record<ContractTableName, Record<string, string>>>;

const TABLE_NAMES = Object.keys(CONTRACT_TABLES) as ContractTableName[];

export function readMappingFile(path: string): ColumnMapping {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new InputError(`cannot read --map ${path}: ${why}`, { cause: error });
  }
  if (!isPlainObject(parsed)) throw new InputError(`--map ${path}: expected a JSON object`);
  const perTable = Object.keys(parsed).length > 0 && Object.keys(parsed).every((k) => TABLE_NAMES.includes(k as ContractTableName));
  const mapping: ColumnMapping = {};
  if (perTable) {
    for (const [table, entries] of Object.entries(parsed)) {
      mapping[table as ContractTableName] = checkEntries(entries, `--map ${path}: ${table}`);
    }
  } else {
    const entries = checkEntries(parsed, `--map ${path}`);
    for (const table of TABLE_NAMES) mapping[table] = { ...entries };
  }
  return mapping;
}

/** Parses `--col name=source` flags into a flat mapping applied to every table. */
export function parseColumnFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0 || eq === flag.length - 1) {
      throw new InputError(`invalid --col "${flag}" (expected contract_column=source_column, e.g. ts=timestamp)`);
    }
    out[flag.slice(0, eq).trim()] = flag.slice(eq + 1);
  }
  return out;
}

export function mergeMappings(base: ColumnMapping, flat: Record<string, string>): ColumnMapping {
  const out: ColumnMapping = {};
  for (const table of TABLE_NAMES) {
    const merged = { ...(base[table] ?? {}), ...flat };
    if (Object.keys(merged).length > 0) out[table] = merged;
  }
  return out;
}

/**
 * The source column for each contract column of `table`. A mapping entry that
 * names no contract column of any table is an error; one that belongs to
 * another table is ignored for this one.
 */
export function sourceNames(table: ContractTable, mapping: ColumnMapping): Map<string, string> {
  const entries = mapping[table.name] ?? {};
  const known = new Set(TABLE_NAMES.flatMap((t) => CONTRACT_TABLES[t].columns.map((c) => c.name)));
  for (const target of Object.keys(entries)) {
    if (!known.has(target)) {
      throw new InputError(
        `column mapping: "${target}" is not a contract column (${table.name} has: ${table.columns.map((c) => c.name).join(', ')})`,
      );
    }
  }
  return new Map(table.columns.map((c) => [c.name, entries[c.name] ?? c.name]));
}

/** Contract columns the user mapped explicitly for this table (they must exist in the file). */
export function explicitlyMapped(table: ContractTable, mapping: ColumnMapping): Set<string> {
  const entries = mapping[table.name] ?? {};
  return new Set(table.columns.map((c) => c.name).filter((name) => name in entries));
}

function checkEntries(value: unknown, where: string): Record<string, string> {
  if (!isPlainObject(value)) throw new InputError(`${where}: expected an object of contract_column: source_column`);
  const out: Record<string, string> = {};
  for (const [target, source] of Object.entries(value)) {
    if (typeof source !== 'string' || source === '') {
      throw new InputError(`${where}: "${target}" must map to a non-empty column name, got ${JSON.stringify(source)}`);
    }
    out[target] = source;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
