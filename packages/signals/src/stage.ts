// The shape of an analysis stage: a named step that reads the case file's
// input tables (and earlier stages' tables) and writes its own tables.
import type { CaseFile } from '@farmscope/casefile';

export interface StageContext {
  caseFile: CaseFile;
  /** Notices for the analyst (stderr): missing inputs, degraded signals. */
  notice(message: string): void;
  /** What the case file holds, so stages can degrade gracefully. */
  inputs: CaseInputs;
}

export interface CaseInputs {
  /** Rows in events (0 when the table is missing). */
  events: number;
  hasAccounts: boolean;
  hasEnforcement: boolean;
  /** events has at least one non-null prompt. */
  hasPrompts: boolean;
  /** events has at least one non-null prompt_embedding. */
  hasEmbeddings: boolean;
}

export interface StageOutcome {
  /** Tables this stage (re)wrote. */
  tables: string[];
  /** Notes on what was skipped or degraded, and why. */
  notes: string[];
}

export interface AnalyzeStage {
  name: string;
  description: string;
  run(ctx: StageContext): Promise<StageOutcome>;
}

export interface StageReport extends StageOutcome {
  name: string;
  seconds: number;
}
