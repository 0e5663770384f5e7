// The folder `replay` writes into: refused when it already holds anything,
// unless --force; with --force only the files a replay writes (and its
// default case file) are replaced.
import { prepareOutputFolder } from '@farmscope/casefile';

export const REPLAY_FILES = {
  json: 'replay.json',
  csv: 'replay.csv',
  stepsCsv: 'replay-steps.csv',
  html: 'replay.html',
  run: 'replay-run.json',
  caseFile: 'replay.duckdb',
} as const;

export function prepareReplayFolder(dir: string, force: boolean): void {
  prepareOutputFolder(dir, { force, replaces: 'the files replay writes', files: Object.values(REPLAY_FILES) });
}
