// Registry of subcommands; each module adds one command to the program.
import type { Command } from 'commander';
import { registerAnalyze } from './analyze.js';
import { registerEval } from './eval.js';
import { registerExplain } from './explain.js';
import { registerFarms } from './farms.js';
import { registerGenerate } from './generate.js';
import { registerIngest } from './ingest.js';
import { registerInvestigate } from './investigate.js';
import { registerQuery } from './query.js';
import { registerReplay } from './replay.js';
import { registerReport } from './report.js';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerIngest, registerQuery, registerGenerate, registerAnalyze, registerInvestigate, registerEval, registerFarms, registerExplain, registerReport, registerReplay];
