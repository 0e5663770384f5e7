// `farmscope ingest`: placeholder until the ingest package lands.
import type { Command } from 'commander';
export function registerIngest(program: Command): void {
  program.command('ingest').description('load usage logs into the case file');
}
