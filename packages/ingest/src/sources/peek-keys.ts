// Looks at the start of a file, in JS and without loading it, to see which
// keys its records carry: the first parseable JSON lines (or, for a
// pretty-printed document, every "key": in its first bytes), a CSV header, or
// a Parquet schema. Enough to recognise a source by its signature keys.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { CaseFile, literal } from '@farmscope/casefile';
import { readCsvHeader } from '../csv-header.js';
import type { SourceFile } from '../source-files.js';
import type { KeysSeen } from './source-adapter.js';

const HEAD_BYTES = 256 * 1024;
const HEAD_LINES = 20;
/** Keys of the records inside these wrappers count too (CloudTrail, Azure, OTLP). */
const WRAPPERS = ['Records', 'records', 'resourceSpans'];

/** The first `bytes` of a file as text, inflated when gzipped (a cut stream is fine). */
export async function headText(path: string, gzip: boolean, bytes = HEAD_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const source = createReadStream(path, gzip ? {} : { end: bytes - 1 });
  const stream = gzip ? source.pipe(createGunzip()) : source;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= bytes) break;
    }
  } catch {
    // A truncated or corrupt gzip stream: what was inflated is enough to look at.
  } finally {
    source.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes).toString('utf8');
}

/**
 * True when the file is JSON Lines rather than one pretty-printed document:
 * its first non-blank line is a whole JSON value, or is too long to see the
 * end of (a pretty-printed document starts with a short line such as "{").
 */
export function firstLineIsJson(head: string): boolean {
  const start = head.search(/\S/);
  if (start < 0) return true;
  const end = head.indexOf('\n', start);
  if (end < 0) return true;
  try {
    JSON.parse(head.slice(start, end));
    return true;
  } catch {
    return false;
  }
}

export async function peekKeys(caseFile: CaseFile, file: SourceFile): Promise<KeysSeen> {
  if (file.format === 'parquet' && !file.gzip) {
    try {
      const rows = await caseFile.all<{ column_name: string }>(
        `DESCRIBE SELECT * FROM read_parquet(${literal(file.path)}, hive_partitioning = false)`,
      );
      return { keys: new Set(rows.map((r) => r.column_name)), head: '' };
    } catch {
      return { keys: new Set(), head: '' }; // unreadable: the Parquet reader reports it for this file alone
    }
  }
  if (file.format === 'csv') {
    try {
      return { keys: new Set(await readCsvHeader(file.path, file.gzip, file.delimiter ?? ',')), head: '' };
    } catch {
      return { keys: new Set(), head: '' }; // an empty or unreadable file: the CSV reader reports it for this file alone
    }
  }
  if (file.format !== 'jsonl') return { keys: new Set(), head: '' };
  const head = await headText(file.path, file.gzip);
  const keys = new Set<string>();
  const lines = head.split('\n').filter((l) => l.trim() !== '').slice(0, HEAD_LINES);
  let parsed = 0;
  for (const line of lines) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    parsed++;
    addKeys(keys, value);
  }
  if (parsed === 0) {
    // A pretty-printed document: every quoted key in its first bytes.
    for (const m of head.matchAll(/"([^"\\]{1,100})"\s*:/g)) keys.add(m[1]!);
  }
  return { keys, head };
}

function addKeys(keys: Set<string>, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const key of Object.keys(value)) keys.add(key);
  for (const wrapper of WRAPPERS) {
    const inner = (value as Record<string, unknown>)[wrapper];
    if (Array.isArray(inner) && inner.length > 0) addKeys(keys, inner[0]);
  }
}
