// Inflates a gzipped binary file (Parquet) into a scratch folder, because
// DuckDB reads compressed text formats itself but not compressed Parquet.
import { createReadStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '@farmscope/casefile';

export interface ScratchFile {
  path: string;
  remove(): Promise<void>;
}

export async function gunzipToScratch(path: string, scratchDir: string): Promise<ScratchFile> {
  mkdirSync(scratchDir, { recursive: true });
  const out = join(scratchDir, `${process.pid}-${basename(path).replace(/\.gz$/i, '')}`);
  try {
    await pipeline(createReadStream(path), createGunzip(), createWriteStream(out));
  } catch (error) {
    rmSync(out, { force: true });
    throw new InputError(`cannot decompress ${path}: ${(error as Error).message}`, { cause: error });
  }
  return { path: out, remove: async () => rmSync(out, { force: true }) };
}
