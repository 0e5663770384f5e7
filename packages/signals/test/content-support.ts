// Test helpers for the content stages: a small case file whose events table
// holds hand-made prompts (only the columns the content stages read), and a
// runner for one stage.
import { CaseFile, literal } from '@farmscope/casefile';
import { embeddingsStage, inspectInputs, promptSampleStage, templatesStage, type AnalyzeStage, type StageOutcome } from '@farmscope/signals';

export interface PromptEvent {
  account: string;
  prompt: string | null;
  embedding?: number[];
}

/** Creates the events table of `db` from hand-made events (request ids e0, e1, ...). */
export async function writeEvents(db: CaseFile, events: readonly PromptEvent[]): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE events (request_id VARCHAR, ts TIMESTAMP, account_id VARCHAR, prompt VARCHAR, prompt_embedding FLOAT[])`);
  if (events.length === 0) return;
  const rows = events.map(
    (e, i) =>
      `('e${i}', TIMESTAMP '2026-05-01' + INTERVAL ${i} SECOND, ${literal(e.account)}, ${e.prompt === null ? 'NULL' : literal(e.prompt)}, ${
        e.embedding ? `[${e.embedding.join(', ')}]::FLOAT[]` : 'NULL'
      })`,
  );
  await db.run(`INSERT INTO events VALUES ${rows.join(', ')}`);
}

export async function runStage(db: CaseFile, stage: AnalyzeStage): Promise<StageOutcome> {
  return stage.run({ caseFile: db, inputs: await inspectInputs(db), notice: () => undefined });
}

/** Runs a content stage after the prompt_sample stage it reads. */
async function runAfterSample(db: CaseFile, stage: AnalyzeStage): Promise<StageOutcome> {
  await runStage(db, promptSampleStage());
  return runStage(db, stage);
}

export const runTemplates = (db: CaseFile) => runAfterSample(db, templatesStage());
export const runEmbeddings = (db: CaseFile) => runAfterSample(db, embeddingsStage());

/** template_id of every hand-made event, by request id. */
export async function templateOf(db: CaseFile): Promise<Record<string, number>> {
  const rows = await db.all<{ request_id: string; template_id: number }>(`SELECT request_id, template_id FROM event_templates`);
  return Object.fromEntries(rows.map((r) => [r.request_id, r.template_id]));
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}
