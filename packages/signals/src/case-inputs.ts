// Inspects the case file once, so every stage knows which inputs exist.
import type { CaseFile } from '@farmscope/casefile';
import type { CaseInputs } from './stage.js';

export async function inspectInputs(caseFile: CaseFile): Promise<CaseInputs> {
  const hasEvents = await caseFile.tableExists('events');
  const row = hasEvents
    ? await caseFile.one<{ n: number; prompts: boolean; embeddings: boolean }>(
        // EXISTS stops at the first hit instead of reading every prompt.
        `SELECT (SELECT count(*) FROM events) AS n,
                EXISTS (SELECT 1 FROM events WHERE prompt IS NOT NULL) AS prompts,
                EXISTS (SELECT 1 FROM events WHERE prompt_embedding IS NOT NULL) AS embeddings`,
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
