// Reads a CSV file's header line in JS, so DuckDB can read the body with the
// columns given explicitly: its dialect sniffer gives up on files whose lines
// are ragged, which is exactly the kind of file that needs per-row rejects.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { InputError } from '@farmscope/casefile';

const MAX_HEADER_BYTES = 1 << 20;

export async function readCsvHeader(path: string, gzip: boolean, delimiter: string): Promise<string[]> {
  const text = await firstBytes(path, gzip);
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') break;
    else field += ch;
  }
  if (quoted) throw new InputError(`CSV file ${path}: the header line has an unterminated quote`);
  fields.push(field);
  if (fields.length === 1 && fields[0] === '') throw new InputError(`CSV file ${path} is empty (no header line)`);
  const seen = new Set<string>();
  for (const name of fields) {
    if (seen.has(name)) throw new InputError(`CSV file ${path}: column "${name}" appears twice in the header`);
    seen.add(name);
  }
  return fields;
}

async function firstBytes(path: string, gzip: boolean): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const raw = createReadStream(path, { highWaterMark: 64 * 1024 });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if ((chunk as Buffer).includes(10) || size >= MAX_HEADER_BYTES) break;
    }
  } catch (error) {
    throw new InputError(`cannot read CSV file ${path}: ${(error as Error).message}`, { cause: error });
  } finally {
    raw.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}
