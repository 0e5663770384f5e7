// Test data for ingest: event records as JS objects, and writers that put them
// on disk in every supported format (Parquet and Arrow through real encoders).
import { gzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { CaseFile, literal } from '@farmscope/casefile';

export type EventRecord = Record<string, unknown>;

/** `n` well-formed events; ts one second apart from 2026-03-01, ids `${prefix}-<i>`. */
export function makeEvents(n: number, prefix = 'r'): EventRecord[] {
  const base = Date.parse('2026-03-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => ({
    request_id: `${prefix}-${i + 1}`,
    ts: new Date(base + i * 1000).toISOString(),
    account_id: `acct-${i % 7}`,
    api_key_id: `key-${i % 3}`,
    model: 'model-a',
    ip: i % 5 === 0 ? `2001:db8::${(i % 250).toString(16)}` : `10.0.${i % 4}.${i % 250}`,
    user_agent: 'anthropic-python/0.40.0',
    prompt: `Explain item ${i} step by step.`,
    input_tokens: 100 + i,
    output_tokens: 900 + i,
    max_tokens: 4096,
    temperature: 0.7,
    status: i % 11 === 0 ? 429 : 200,
    end_user: i % 2 === 0 ? `user-${i}` : null,
  }));
}

export function toJsonl(rows: readonly EventRecord[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

export function toCsv(rows: readonly EventRecord[], delimiter = ','): string {
  const columns = Object.keys(rows[0]!);
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return new RegExp(`["\\n\\r${delimiter}]`).test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [columns.join(delimiter), ...rows.map((r) => columns.map((c) => cell(r[c])).join(delimiter))].join('\n') + '\n';
}

export function gzip(text: string | Buffer): Buffer {
  return gzipSync(typeof text === 'string' ? Buffer.from(text) : text);
}

/** Writes rows as Parquet through DuckDB (typed: TIMESTAMP ts, BIGINT tokens). */
export async function writeParquet(rows: readonly EventRecord[], path: string, jsonlScratch: string): Promise<void> {
  mkdirSync(dirname(jsonlScratch), { recursive: true });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(jsonlScratch, toJsonl(rows));
  const db = await CaseFile.open(':memory:');
  try {
    await db.run(
      `COPY (SELECT * REPLACE (CAST(ts AS TIMESTAMP) AS ts) FROM read_json(${literal(jsonlScratch)}, format = 'newline_delimited'))
       TO ${literal(path)} (FORMAT parquet)`,
    );
  } finally {
    db.close();
  }
}

/** Writes rows as an Arrow IPC file (ts as a timestamp column). */
export function arrowBytes(rows: readonly EventRecord[]): Uint8Array {
  const columns: Record<string, unknown[]> = {};
  for (const key of Object.keys(rows[0]!)) columns[key] = rows.map((r) => r[key]);
  const table = tableFromArrays({
    ...(columns as Record<string, string[]>),
    ts: rows.map((r) => new Date(String(r.ts))),
    input_tokens: Float64Array.from(rows.map((r) => Number(r.input_tokens))),
    output_tokens: Float64Array.from(rows.map((r) => Number(r.output_tokens))),
  } as never);
  return tableToIPC(table, 'file');
}
