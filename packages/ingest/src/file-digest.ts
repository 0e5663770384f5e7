// SHA-256 of a file, streamed, so a re-ingested file is recognised by its content.
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
