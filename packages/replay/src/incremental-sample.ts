// The prompt_sample stage, carried from step to step instead of recomputed
// (cumulative replay). A request is in the sample when hash(request_id) mod
// 10⁶ < 10⁶ × cap / n, n its account's requests so far (signals'
// sampledSql). n only grows, so the threshold only falls: the sample at a
// step is the previous sample, filtered again with the new n, plus the new
// slice's requests under the new threshold. That is exactly the table the
// stage would write over all events up to the cut-off, at the cost of one
// scan of the new slice instead of one of everything so far; the table is
// updated in place (rows deleted, counts updated, new rows appended), not
// rewritten with its prompts.
import type { CaseFile } from '@farmscope/casefile';
import { PROMPT_SAMPLE_CAP, PROMPT_SAMPLE_TABLE, promptSampleStage, sampledSql, type AnalyzeStage, type StageContext } from '@farmscope/signals';
import { REPLAY_TABLES } from './replay-case.js';
import { tsSql, type ReplayStep } from './replay-schedule.js';

/** Requests per account up to the current step, kept between steps. */
const COUNTS = 'replay_account_requests';

/** The prompt_sample stage for `step`: incremental after the first step, the signals stage itself otherwise. */
export function incrementalSampleStage(step: ReplayStep, first: boolean, cap = PROMPT_SAMPLE_CAP): AnalyzeStage {
  const full = promptSampleStage(cap);
  return {
    name: full.name,
    description: `${full.description}; carried over from the previous step, plus the new slice`,
    run: async (ctx: StageContext) => {
      const incremental = !first && (ctx.inputs.hasPrompts || ctx.inputs.hasEmbeddings) && (await ctx.caseFile.tableExists(PROMPT_SAMPLE_TABLE));
      if (!incremental) {
        const outcome = await full.run(ctx);
        await countRequests(ctx.caseFile, `SELECT account_id, count(*) AS n FROM events GROUP BY account_id`);
        return outcome;
      }
      return runIncremental(ctx.caseFile, step, cap);
    },
  };
}

async function countRequests(caseFile: CaseFile, source: string): Promise<void> {
  await caseFile.run(`CREATE OR REPLACE TABLE ${COUNTS} AS ${source}`, 'count requests per account so far');
}

async function runIncremental(caseFile: CaseFile, step: ReplayStep, cap: number) {
  const slice = (ts: string) => `${ts} >= ${tsSql(step.previousMs)} AND ${ts} < ${tsSql(step.cutoffMs)}`;
  await countRequests(
    caseFile,
    `SELECT account_id, sum(n)::BIGINT AS n FROM (
       SELECT account_id, n FROM ${COUNTS}
       UNION ALL SELECT account_id, count(*) FROM ${REPLAY_TABLES.events} WHERE ${slice('ts')} GROUP BY account_id)
     GROUP BY account_id`,
  );
  const present = await caseFile.columnNames(REPLAY_TABLES.events);
  const column = (name: string, type: string) => (present.has(name) ? `e.${name}` : `NULL::${type} AS ${name}`);
  // In place: the kept rows' prompts are not copied again, only the rows that
  // leave the sample deleted and the request counts updated (in that order,
  // the new rows after them: the rows' order is the full stage's).
  await caseFile.run(
    `DELETE FROM ${PROMPT_SAMPLE_TABLE} s USING ${COUNTS} c
       WHERE s.account_id = c.account_id AND NOT (${sampledSql('s.request_id', 'c.n', cap)});
     UPDATE ${PROMPT_SAMPLE_TABLE} s SET account_requests = c.n FROM ${COUNTS} c
       WHERE s.account_id = c.account_id AND s.account_requests <> c.n;
     INSERT INTO ${PROMPT_SAMPLE_TABLE} BY NAME
       SELECT e.account_id, e.request_id, e.ts, ${column('prompt', 'VARCHAR')}, ${column('system_prompt', 'VARCHAR')},
              ${column('prompt_embedding', 'FLOAT[]')}, c.n AS account_requests
       FROM ${REPLAY_TABLES.events} e JOIN ${COUNTS} c USING (account_id)
       WHERE ${slice('e.ts')} AND ${sampledSql('e.request_id', 'c.n', cap)}
         AND (${present.has('prompt') ? 'e.prompt IS NOT NULL' : 'false'} OR ${present.has('prompt_embedding') ? 'e.prompt_embedding IS NOT NULL' : 'false'})`,
    `carry the prompt sample to step ${step.step}`,
  );
  const rows = Number(await caseFile.value(`SELECT count(*) FROM ${PROMPT_SAMPLE_TABLE}`));
  return { tables: [PROMPT_SAMPLE_TABLE], notes: [`${rows} prompts sampled (carried over from step ${step.step - 1}, plus the new slice)`] };
}
