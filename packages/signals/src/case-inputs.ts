// Inspects the case file once, so every stage knows which inputs exist.
import type { CaseFile } from '@farmscope/casefile';
import type { CaseInputs } from './stage.js';

export async function inspectInputs(caseFile: CaseFile): Promise<CaseInputs> {
  const hasEvents = await caseFile.tableExists('events');
  const row = hasEvents
    ? await caseFile.one<{ n: number; prompts: boolean; embeddings: boolean }>(
        `SELECT count(*) AS n, bool_or(prompt IS NOT NULL) AS prompts, bool_or(prompt_embedding IS NOT NULL) AS embeddings FROM events`,
      )
    : undefined;
  return {
    events: row?.n ?? 0,
    hasPrompts: row?.prompts ?? false,
    hasEmbeddings: row?.embeddings ?? false,
    hasAccounts: await caseFile.tableExists('accounts'),
    hasEnforcement: await caseFile.tableExists('enforcement'),
  };
}
