// The analysis step of `investigate`, behind one small interface: the farm
// config, the stages (signals, then farms), and the farm documents.
// TEMPORARY: until @farmscope/farms exports analyzeCase, this falls back to
// the signal stages only (no farms: every account unplaced, score 0).
import type { CaseFile } from '@farmscope/casefile';
import * as farms from '@farmscope/farms';
import { analyze, type StageReport } from '@farmscope/signals';

export interface AnalysisHooks {
  onStageStart?: (name: string, index: number, total: number) => void;
  notice?: (message: string) => void;
}

interface FarmsApi {
  analyzeCase(caseFile: CaseFile, options: AnalysisHooks & { config?: unknown }): Promise<StageReport[]>;
  loadFarmConfig(path?: string): unknown;
  farmDocuments(caseFile: CaseFile): Promise<unknown[]>;
}

const api = farms as unknown as Partial<FarmsApi>;

/** The full effective farm config (defaults merged with --config), or null before the farms package exists. */
export async function effectiveFarmConfig(path: string | undefined): Promise<unknown> {
  if (!api.loadFarmConfig) return null;
  return await api.loadFarmConfig(path);
}

export async function runAnalysis(caseFile: CaseFile, config: unknown, hooks: AnalysisHooks): Promise<StageReport[]> {
  if (api.analyzeCase) return api.analyzeCase(caseFile, { ...hooks, ...(config === null ? {} : { config }) });
  hooks.notice?.('farm reconstruction is not available in this build: signals only, no farms');
  return analyze(caseFile, hooks);
}

export async function farmDocumentsOf(caseFile: CaseFile): Promise<unknown[]> {
  if (!api.farmDocuments || !(await caseFile.tableExists('farms'))) return [];
  return api.farmDocuments(caseFile);
}
