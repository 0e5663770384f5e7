// The folder `replay` writes into: refused when it already holds anything,
// unless --force; with --force only the files a replay writes (and its
// default case file) are replaced.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@farmscope/casefile';

export const REPLAY_FILES = {
  json: 'replay.json',
  csv: 'replay.csv',
  stepsCsv: 'replay-steps.csv',
  html: 'replay.html',
  run: 'replay-run.json',
  caseFile: 'replay.duckdb',
} as const;

export function prepareReplayFolder(dir: string, force: boolean): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    return;
  }
  if (!statSync(dir).isDirectory()) throw new InputError(`--out ${dir}: exists and is not a folder`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !force) {
    throw new InputError(`--out ${dir}: folder is not empty (${entries.length} entries); pass --force to replace the files replay writes, or choose another folder`);
  }
  for (const name of Object.values(REPLAY_FILES)) rmSync(join(dir, name), { recursive: true, force: true });
}
