#!/usr/bin/env node
// The baseline the ingest benchmark compares against: DuckDB's bare copy of a
// file into a fresh on-disk database, nothing else (no checks, no extra
// tables). Run as a child process so its wall time and peak RSS are measured
// exactly like `farmscope ingest`'s (see measure-child.mjs).
//
//   node scripts/lib/bare-copy.mjs <db> <file> [--memory-limit-bytes N] [--threads N]
//
// Settings match the case file's defaults (memory_limit 40% of RAM, spill
// directory <db>.tmp), so both sides get the same resources. Prints
// {"rows": n, "copySeconds": s} on stdout.
import { totalmem } from 'node:os';
import { openDuckDB, sqlString } from './duckdb.mjs';

const [db, file, ...rest] = process.argv.slice(2);
if (!db || !file) {
  process.stderr.write('usage: bare-copy.mjs <db> <file> [--memory-limit-bytes N] [--threads N]\n');
  process.exit(2);
}
const opt = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
const memoryLimitBytes = Number(opt('--memory-limit-bytes') ?? Math.max(2 ** 30, Math.floor(totalmem() * 0.4)));

function reader(path) {
  const p = sqlString(path);
  if (/\.parquet$/i.test(path)) return `read_parquet(${p})`;
  if (/\.(jsonl|ndjson)(\.gz)?$/i.test(path)) return `read_json(${p}, format = 'newline_delimited')`;
  if (/\.csv(\.gz)?$/i.test(path)) return `read_csv(${p})`;
  if (/\.(arrow|ipc|feather)$/i.test(path)) return `read_arrow(${p})`;
  throw new Error(`bare-copy: cannot tell the format of ${path}`);
}

const config = { memory_limit: `${Math.floor(memoryLimitBytes / 2 ** 20)}MiB` };
if (opt('--threads')) config.threads = opt('--threads');
const started = process.hrtime.bigint();
const duck = await openDuckDB(db, config);
try {
  await duck.connection.run(`SET temp_directory = ${sqlString(`${db}.tmp`)}`);
  await duck.connection.run(`CREATE TABLE events AS SELECT * FROM ${reader(file)}`);
  const rows = (await duck.connection.runAndReadAll('SELECT count(*)::BIGINT FROM events')).getRowsJS()[0][0];
  await duck.connection.run('CHECKPOINT');
  process.stdout.write(`${JSON.stringify({ rows: Number(rows), copySeconds: Number(process.hrtime.bigint() - started) / 1e9 })}\n`);
} finally {
  duck.close();
}
