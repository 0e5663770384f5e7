// The guard every command that writes a folder of results applies to --out:
// a folder that already holds anything is refused unless --force, and with
// --force only the files the command itself writes are removed, nothing else
// in the folder is touched.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from './errors.js';

export interface OutputFolderOptions {
  force: boolean;
  /** What replacing the folder replaces, for the message ("the files investigate writes"). */
  replaces: string;
  /** Names inside the folder (files or folders) the command writes, removed with --force. */
  files: readonly string[];
}

/** Creates `dir`, or checks it is empty (or forced) and clears what a previous run wrote. */
export function prepareOutputFolder(dir: string, options: OutputFolderOptions): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (!statSync(dir).isDirectory()) throw new InputError(`--out ${dir}: exists and is not a folder`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !options.force) {
    throw new InputError(
      `--out ${dir}: folder is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); ` +
        `pass --force to replace ${options.replaces}, or choose another folder`,
    );
  }
  for (const name of options.files) rmSync(join(dir, name), { recursive: true, force: true });
}
