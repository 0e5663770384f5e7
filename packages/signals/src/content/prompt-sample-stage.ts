// Stage `prompt_sample`: one capped, deterministic sample of each account's
// prompts, written once and read by every content signal (templates,
// embeddings, elicitation families, languages) and by the farm evidence.
//
// A request is kept when hash(request_id) mod 10⁶ < 10⁶ × cap / n, n the
// account's requests, and it has a prompt (or a provider embedding): every
// prompt of an account with at most `cap` requests, about `cap` × (its share
// of requests with a prompt) of a heavier one, spread over its whole
// lifetime, the same requests on every run. A hash
// threshold needs no sort and no per-account top-k, so the sample is one
// scan of events joined to a table of per-account counts; the content
// stages then cost the same for an account with 50 requests and one with
// 50,000, and the whole content analysis scales with accounts, not events.
import type { CaseFile } from '@farmscope/casefile';
import type { AnalyzeStage, StageContext, StageOutcome } from '../stage.js';

/** Prompts per account in the sample (about: it is a hash threshold, not a top-k). */
export const PROMPT_SAMPLE_CAP = 64;

/** Resolution of the hash threshold (parts per million). */
export const SAMPLE_SCALE = 1_000_000;

export const PROMPT_SAMPLE_TABLE = 'prompt_sample';

export function promptSampleStage(cap = PROMPT_SAMPLE_CAP): AnalyzeStage {
  return {
    name: 'prompt_sample',
    description: `a deterministic sample of about ${cap} prompts per account (hash of request_id), read by the content signals`,
    run: (ctx) => runPromptSample(ctx, cap),
  };
}

/** SQL condition: the request is in the sample of an account with `n` requests. */
export function sampledSql(requestId: string, n: string, cap: number): string {
  return `hash(${requestId}) % ${SAMPLE_SCALE} < ${SAMPLE_SCALE}.0 * ${cap} / ${n}`;
}

async function runPromptSample(ctx: StageContext, cap: number): Promise<StageOutcome> {
  const { caseFile } = ctx;
  if (!ctx.inputs.hasPrompts && !ctx.inputs.hasEmbeddings) {
    await createEmptySample(caseFile);
    const why = ctx.inputs.events === 0 ? 'the case file has no events' : 'no event has a prompt or a prompt_embedding';
    return { tables: [PROMPT_SAMPLE_TABLE], notes: [`prompt sample empty: ${why}`] };
  }
  // n counts all of the account's requests: reading only account_id, it
  // costs a tenth of counting those with a prompt (which reads every prompt).
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _ps_requests AS SELECT account_id, count(*) AS n FROM events GROUP BY account_id`,
    'count requests per account',
  );
  // Ingested case files have every contract column; a hand-made one may not.
  const present = await caseFile.columnNames('events');
  const column = (name: string, type: string) => (present.has(name) ? `e.${name}` : `NULL::${type} AS ${name}`);
  await caseFile.run(
    `CREATE OR REPLACE TABLE ${PROMPT_SAMPLE_TABLE} AS
     SELECT e.account_id, e.request_id, e.ts, ${column('prompt', 'VARCHAR')}, ${column('system_prompt', 'VARCHAR')},
            ${column('prompt_embedding', 'FLOAT[]')}, c.n::BIGINT AS account_requests
     FROM events e JOIN _ps_requests c USING (account_id)
     WHERE ${sampledSql('e.request_id', 'c.n', cap)} AND (prompt IS NOT NULL OR prompt_embedding IS NOT NULL)`,
    'sample prompts per account',
  );
  await caseFile.run('DROP TABLE _ps_requests');
  const stats = await caseFile.one<{ rows: number; accounts: number; requests: number }>(
    `SELECT count(*) AS rows, count(DISTINCT account_id) AS accounts,
            (SELECT sum(n) FROM (SELECT any_value(account_requests) AS n FROM ${PROMPT_SAMPLE_TABLE} GROUP BY account_id))::BIGINT AS requests
     FROM ${PROMPT_SAMPLE_TABLE}`,
  );
  return {
    tables: [PROMPT_SAMPLE_TABLE],
    notes: [`${stats?.rows ?? 0} prompts sampled from ${stats?.requests ?? 0} requests of ${stats?.accounts ?? 0} accounts (about ${cap} per account)`],
  };
}

async function createEmptySample(caseFile: CaseFile): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TABLE ${PROMPT_SAMPLE_TABLE} (account_id VARCHAR, request_id VARCHAR, ts TIMESTAMP, prompt VARCHAR, system_prompt VARCHAR,
       prompt_embedding FLOAT[], account_requests BIGINT)`,
    'create an empty prompt_sample',
  );
}
