// SHA-256 and size of a file, streamed, for the manifest's inputs and outputs.
import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';

export interface FileDigest {
  size_bytes: number;
  sha256: string;
}

export async function digestFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return { size_bytes: statSync(path).size, sha256: hash.digest('hex') };
}
