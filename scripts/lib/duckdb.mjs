// @duckdb/node-api for the plain-ESM scripts: it is a dependency of the
// casefile package, not of the workspace root, so resolve it from there.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../packages/casefile/package.json', import.meta.url));

/** @returns {typeof import('@duckdb/node-api')} */
export function loadDuckDB() {
  return require('@duckdb/node-api');
}

/** Opens a DuckDB database (`:memory:` or a file) and returns {instance, connection, close}. */
export async function openDuckDB(path, config = {}) {
  const { DuckDBInstance } = loadDuckDB();
  const instance = await DuckDBInstance.create(path, config);
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A SQL string literal. */
export function sqlString(value) {
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** Deletes a DuckDB database file with its write-ahead log and spill directory, so a run starts fresh. */
export function removeDuckDBFiles(path) {
  for (const p of [path, `${path}.wal`]) rmSync(p, { force: true });
  rmSync(`${path}.tmp`, { recursive: true, force: true });
}

/** The installed @duckdb/node-api version. */
export function duckdbPackageVersion() {
  return require('@duckdb/node-api/package.json').version;
}
