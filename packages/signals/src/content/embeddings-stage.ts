// Stage `prompt_embeddings`: one vector per account, the normalised mean of
// its prompts' embeddings over a capped, deterministic sample.
//
// The sample is the account's (at most) SAMPLE_SIZE requests with the
// smallest hash(request_id): the same requests on every run, spread over the
// account's whole lifetime, and a heavy account costs no more than a light
// one. DuckDB's top-k min_by(x, key, k) keeps only k values per account, so
// the sample is one aggregate over events. Vectors come from the logs'
// `prompt_embedding` when an account's sampled requests have it (source
// 'provider'), otherwise from the PromptEmbedder over the sampled prompts
// (source 'hashed'). The two kinds live in different spaces: compare
// accounts of the same source only.
import type { CaseFile } from '@farmscope/casefile';
import type { AnalyzeStage, StageContext, StageOutcome } from '../stage.js';
import { HashedEmbedder } from './hashed-embedder.js';
import type { PromptEmbedder } from './prompt-embedder.js';

/**
 * Coordinates are rounded to this many decimals: parallel floating-point
 * sums depend on the order threads add them in, and rounding makes the
 * stored vectors the same on every run (FLOAT keeps about 7 digits anyway).
 */
const ROUND_DIGITS = 6;

/** Prompts per account in the sample. 64: the mean of 64 unit vectors is stable to about 1/8 of its spread. */
export const SAMPLE_SIZE = 64;

export function embeddingsStage(embedder: PromptEmbedder = new HashedEmbedder(), sampleSize = SAMPLE_SIZE): AnalyzeStage {
  return {
    name: 'prompt_embeddings',
    description: `per-account mean prompt embedding over ≤ ${sampleSize} sampled prompts (provider embeddings, else ${embedder.name})`,
    run: (ctx) => runEmbeddings(ctx, embedder, sampleSize),
  };
}

async function runEmbeddings(ctx: StageContext, embedder: PromptEmbedder, sampleSize: number): Promise<StageOutcome> {
  const { caseFile } = ctx;
  if (!ctx.inputs.hasPrompts && !ctx.inputs.hasEmbeddings) {
    await createEmptyTable(caseFile);
    const why = ctx.inputs.events === 0 ? 'the case file has no events' : 'no event has a prompt or a prompt_embedding';
    return { tables: ['account_embeddings'], notes: [`account embeddings empty: ${why}`] };
  }
  const notes: string[] = [];
  // Provider vectors: per prompt L2-normalised, then averaged per account.
  if (ctx.inputs.hasEmbeddings) {
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_provider AS
       WITH s AS (
         SELECT account_id, unnest(min_by(prompt_embedding, hash(request_id), ${sampleSize})) AS e
         FROM events WHERE prompt_embedding IS NOT NULL AND len(prompt_embedding) > 0 GROUP BY account_id),
       coords AS (
         SELECT account_id, unnest(range(len(e)))::USMALLINT AS dim,
                unnest(e)::DOUBLE / nullif(sqrt(list_sum(list_transform(e, v -> v::DOUBLE * v))), 0) AS value
         FROM s)
       SELECT account_id, dim, sum(value) AS v, count(*) AS n FROM coords GROUP BY ALL`,
      'average provider prompt embeddings',
    );
  } else {
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_provider (account_id VARCHAR, dim USMALLINT, v DOUBLE, n BIGINT)`,
    );
  }
  let hashedPrompts = 0;
  let seconds = 0;
  if (ctx.inputs.hasPrompts) {
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_sample AS
       SELECT account_id, hash(prompt) AS text_id, prompt FROM (
         SELECT account_id, unnest(min_by(prompt, hash(request_id), ${sampleSize})) AS prompt
         FROM events WHERE prompt IS NOT NULL
           AND account_id NOT IN (SELECT DISTINCT account_id FROM _ce_provider)
         GROUP BY account_id)`,
      'sample prompts per account',
    );
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_texts AS SELECT text_id, any_value(prompt) AS text FROM _ce_sample GROUP BY text_id`,
      'distinct sampled prompts',
    );
    hashedPrompts = Number(await caseFile.value(`SELECT count(*) FROM _ce_sample`));
    const started = performance.now();
    await embedder.embed(caseFile, '_ce_texts', '_ce_vectors');
    seconds = (performance.now() - started) / 1000;
    // Grouping by an integer account number instead of the account_id
    // string halves the cost of this, the stage's largest aggregate.
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_hashed AS
       WITH acc AS (SELECT account_id, row_number() OVER (ORDER BY account_id)::INTEGER AS a FROM (SELECT DISTINCT account_id FROM _ce_sample)),
       sums AS (
         SELECT s.a, v.dim, sum(v.value) AS v
         FROM (SELECT a, text_id FROM _ce_sample JOIN acc USING (account_id)) s JOIN _ce_vectors v USING (text_id)
         GROUP BY ALL)
       SELECT acc.account_id, sums.dim, sums.v FROM sums JOIN acc USING (a)`,
      'average prompt embeddings per account',
    );
  } else {
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE _ce_sample (account_id VARCHAR, text_id UBIGINT, prompt VARCHAR)`);
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE _ce_hashed (account_id VARCHAR, dim USMALLINT, v DOUBLE)`);
  }
  // Hashed vectors always have the embedder's dimensions (a zero coordinate
  // has no row); provider vectors have the logs' length.
  const used = `(SELECT account_id, count(*)::INTEGER AS prompts_used FROM _ce_sample GROUP BY account_id
                 UNION ALL
                 SELECT account_id, max(n)::INTEGER FROM _ce_provider GROUP BY account_id)`;
  await caseFile.run(
    `CREATE OR REPLACE TABLE account_embeddings AS
     WITH coords AS (
       SELECT account_id, dim, v, 'provider' AS source FROM _ce_provider
       UNION ALL SELECT account_id, dim, v, 'hashed' FROM _ce_hashed),
     dense AS (
       SELECT account_id, any_value(source) AS source,
              CASE any_value(source) WHEN 'hashed' THEN ${embedder.dimensions} ELSE max(dim) + 1 END AS dims,
              sqrt(sum(v * v)) AS norm, map_from_entries(list(struct_pack(k := dim, v := v))) AS m
       FROM coords GROUP BY account_id)
     SELECT d.account_id, u.prompts_used,
            list_transform(range(d.dims::BIGINT), i -> round(coalesce(d.m[i::USMALLINT], 0) / nullif(d.norm, 0), ${ROUND_DIGITS})::FLOAT) AS embedding,
            d.source, CASE d.source WHEN 'hashed' THEN ${literalName(embedder.name)} ELSE 'prompt_embedding' END AS embedder
     FROM dense d JOIN ${used} u USING (account_id)
     ORDER BY d.account_id`,
    'write account_embeddings',
  );
  await caseFile.run(
    ['_ce_provider', '_ce_sample', '_ce_texts', '_ce_vectors', '_ce_hashed'].map((t) => `DROP TABLE IF EXISTS ${t};`).join(' '),
  );
  if (hashedPrompts > 0) {
    notes.push(
      `${hashedPrompts} sampled prompts embedded with ${embedder.name} in ${seconds.toFixed(1)} s (${Math.round(hashedPrompts / Math.max(seconds, 1e-3))} prompts/s)`,
    );
  }
  if (ctx.inputs.hasEmbeddings) notes.push('accounts with prompt_embedding in the logs use them (source provider)');
  return { tables: ['account_embeddings'], notes };
}

const literalName = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function createEmptyTable(caseFile: CaseFile): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TABLE account_embeddings (account_id VARCHAR, prompts_used INTEGER, embedding FLOAT[], source VARCHAR, embedder VARCHAR)`,
    'create empty account_embeddings',
  );
}
