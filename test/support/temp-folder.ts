// Throwaway folders for tests: created under the OS temp dir, removed after,
// and a helper that refuses to write anywhere else.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

export interface TempFolder {
  readonly root: string;
  /** Absolute path of `name` inside the folder (refuses to leave it). */
  path(name: string): string;
  /** Writes a file (creating sub-folders) and returns its path. */
  write(name: string, content: string | Buffer): string;
  remove(): void;
}

export function createTempFolder(prefix = 'farmscope-test-'): TempFolder {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const path = (name: string) => {
    const full = resolve(root, name);
    const rel = relative(root, full);
    if (rel.startsWith('..') || resolve(rel) === rel) throw new Error(`test path escapes its temp folder: ${name}`);
    return full;
  };
  return {
    root,
    path,
    write(name, content) {
      const full = path(name);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    remove() {
      if (!root.startsWith(tmpdir())) throw new Error(`refusing to remove ${root}`);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
