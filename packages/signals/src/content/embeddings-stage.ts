// Stage `prompt_embeddings`: one vector per account, the normalised mean of
// its prompts' embeddings over the prompt_sample stage's capped,
// deterministic sample (about 64 prompts per account, spread over its
// lifetime), so a heavy account costs no more than a light one. Vectors come
// from the logs' `prompt_embedding` when an account's sampled requests have
// it (source 'provider'), otherwise from the PromptEmbedder over the sampled
// prompts (source 'hashed'). The two kinds live in different spaces: compare
// accounts of the same source only.
import type { CaseFile } from '@farmscope/casefile';
import type { AnalyzeStage, StageContext, StageOutcome } from '../stage.js';
import { HashedEmbedder } from './hashed-embedder.js';
import { PROMPT_SAMPLE_CAP, PROMPT_SAMPLE_TABLE, sampledSql } from './prompt-sample-stage.js';
import type { PromptEmbedder } from './prompt-embedder.js';

/**
 * Coordinates are rounded to this many decimals: parallel floating-point
 * sums depend on the order threads add them in, and rounding makes the
 * stored vectors the same on every run (FLOAT keeps about 7 digits anyway).
 */
const ROUND_DIGITS = 6;

/**
 * Prompts per account that the mean embedding is taken over: the whole
 * prompt_sample (about 64). A nested sub-sample of 32 was tried on
 * claude-2026: it saved about a third of the stage, but the noisier account
 * vectors moved suspects between behaviour clusters, and two low-and-slow
 * farms, small farms and a dozen power developers came out as one farm.
 * The threshold is kept as a parameter (a lower cap draws a subset of the
 * sample's requests).
 */
export const EMBEDDING_SAMPLE_CAP = PROMPT_SAMPLE_CAP;

/**
 * The accounts to embed, when not all: `sql` selects their account_id and
 * reads table `requires`; without that table every account is embedded.
 */
export interface EmbeddedAccounts {
  sql: string;
  requires: string;
  /** Who they are, for the stage's description and notes, e.g. "suspects (behaviour score ≥ 0.35)". */
  label: string;
}

export interface EmbeddingsOptions {
  /**
   * Embed these accounts only. Their vectors are the bytes a run over every
   * account gives: the embedder's corpus statistics (IDF) are still taken
   * over every sampled text; only the per-text vectors and the per-account
   * means, the stage's largest aggregates, are limited to them.
   */
  accounts?: EmbeddedAccounts;
  /**
   * Keep the embedder's per-text work in case-file tables named with this
   * prefix, and do it only for texts not seen by an earlier run: for
   * repeated runs over a growing or sliding log (the replay). What depends
   * on the set of texts (the hashed embedder's IDF, hence every vector) is
   * still recomputed at each run, so the table written is the same as
   * without it. See the embedder's `embed`.
   */
  textCache?: string;
}

export function embeddingsStage(embedder: PromptEmbedder = new HashedEmbedder(), options: EmbeddingsOptions = {}): AnalyzeStage {
  const who = options.accounts ? `, for ${options.accounts.label}` : '';
  return {
    name: 'prompt_embeddings',
    description:
      `per-account mean prompt embedding over the sampled prompts (provider embeddings, else ${embedder.name})${who}` +
      (options.textCache !== undefined ? '; per-text work cached across runs' : ''),
    run: (ctx) => runEmbeddings(ctx, embedder, options.accounts, options.textCache),
  };
}

async function runEmbeddings(ctx: StageContext, embedder: PromptEmbedder, accounts?: EmbeddedAccounts, textCache?: string): Promise<StageOutcome> {
  const { caseFile } = ctx;
  const sampled = await caseFile.tableExists(PROMPT_SAMPLE_TABLE);
  if ((!ctx.inputs.hasPrompts && !ctx.inputs.hasEmbeddings) || !sampled) {
    await createEmptyTable(caseFile);
    const why = ctx.inputs.events === 0 ? 'the case file has no events'
      : !sampled ? 'no prompt_sample table (run the prompt_sample stage first)' : 'no event has a prompt or a prompt_embedding';
    return { tables: ['account_embeddings'], notes: [`account embeddings empty: ${why}`] };
  }
  const notes: string[] = [];
  const limited = accounts !== undefined && (await caseFile.tableExists(accounts.requires));
  if (accounts && !limited) notes.push(`every account embedded: no ${accounts.requires} table to choose ${accounts.label} from`);
  if (limited) {
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE _ce_accounts AS SELECT DISTINCT account_id FROM (${accounts.sql})`, 'accounts to embed');
  }
  const chosen = limited ? 'AND account_id IN (SELECT account_id FROM _ce_accounts)' : '';
  // Provider vectors: per prompt L2-normalised, then averaged per account.
  if (ctx.inputs.hasEmbeddings) {
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_provider AS
       WITH s AS (
         SELECT account_id, prompt_embedding AS e
         FROM ${PROMPT_SAMPLE_TABLE} WHERE prompt_embedding IS NOT NULL AND len(prompt_embedding) > 0 ${chosen}),
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
       SELECT account_id, hash(prompt) AS text_id, prompt FROM ${PROMPT_SAMPLE_TABLE}
       WHERE prompt IS NOT NULL AND ${sampledSql('request_id', 'account_requests', EMBEDDING_SAMPLE_CAP)}
         AND account_id NOT IN (SELECT DISTINCT account_id FROM _ce_provider)`,
      'sampled prompts of accounts without provider embeddings',
    );
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_texts AS SELECT text_id, any_value(prompt) AS text FROM _ce_sample GROUP BY text_id`,
      'distinct sampled prompts',
    );
    // Every account's texts make the corpus (IDF); the vectors and means are
    // made for the chosen accounts' texts.
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_chosen AS
         SELECT account_id, text_id FROM _ce_sample WHERE true ${chosen};
       CREATE OR REPLACE TEMP TABLE _ce_wanted AS SELECT DISTINCT text_id FROM _ce_chosen`,
      'sampled prompts of the accounts to embed',
    );
    hashedPrompts = Number(await caseFile.value(`SELECT count(*) FROM _ce_chosen`));
    const started = performance.now();
    await embedder.embed(caseFile, '_ce_texts', '_ce_vectors', limited ? '_ce_wanted' : undefined, textCache);
    seconds = (performance.now() - started) / 1000;
    // Grouping by one integer key (account number × dimensions + dimension),
    // then by the account number, and joining the account_id strings back
    // once per account, keeps strings out of the stage's largest aggregates.
    const d = embedder.dimensions;
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _ce_hashed AS
       WITH acc AS (SELECT account_id, row_number() OVER (ORDER BY account_id)::BIGINT AS a FROM (SELECT DISTINCT account_id FROM _ce_chosen)),
       texts AS (SELECT a, text_id, count(*) AS k FROM _ce_chosen JOIN acc USING (account_id) GROUP BY ALL),
       sums AS (
         SELECT t.a * ${d} + v.dim AS key, sum(v.value * t.k) AS v
         FROM texts t JOIN _ce_vectors v USING (text_id)
         GROUP BY key),
       per AS (
         SELECT key // ${d} AS a, count(*) AS present, sqrt(sum(v * v)) AS norm,
                list_sort(list({'dim': (key % ${d})::USMALLINT, 'v': v})) AS dv
         FROM sums GROUP BY key // ${d}),
       used AS (SELECT a, sum(k)::INTEGER AS prompts_used FROM texts GROUP BY a)
       SELECT acc.account_id, used.prompts_used, ${UNIT_VECTOR} AS embedding, 'hashed' AS source
       FROM (SELECT *, ${d}::BIGINT AS dims, ${GAP_MAP} AS m FROM per) p JOIN acc USING (a) JOIN used USING (a)`,
      'average prompt embeddings per account',
    );
  } else {
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE _ce_sample (account_id VARCHAR, text_id UBIGINT, prompt VARCHAR)`);
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE _ce_hashed (account_id VARCHAR, prompts_used INTEGER, embedding FLOAT[], source VARCHAR)`);
  }
  // The unit vectors are made inside the parallel aggregates above: over the
  // ~10⁵ rows of one finished table (a single row group) the same list
  // arithmetic would run on one thread.
  await caseFile.run(
    `CREATE OR REPLACE TABLE account_embeddings AS
     WITH provider AS (
       SELECT account_id, max(n)::INTEGER AS prompts_used, max(dim) + 1 AS dims, count(*) AS present, sqrt(sum(v * v)) AS norm,
              list_sort(list({'dim': dim, 'v': v})) AS dv
       FROM _ce_provider GROUP BY account_id)
     SELECT account_id, prompts_used, embedding, source, CASE source WHEN 'hashed' THEN ${literalName(embedder.name)} ELSE 'prompt_embedding' END AS embedder
     FROM (SELECT account_id, prompts_used, embedding, source FROM _ce_hashed
           UNION ALL
           SELECT account_id, prompts_used, ${UNIT_VECTOR}, 'provider' FROM (SELECT *, ${GAP_MAP} AS m FROM provider))
     ORDER BY account_id`,
    'write account_embeddings',
  );
  await caseFile.run(
    ['_ce_accounts', '_ce_provider', '_ce_sample', '_ce_chosen', '_ce_wanted', '_ce_texts', '_ce_vectors', '_ce_hashed'].map((t) => `DROP TABLE IF EXISTS ${t};`).join(' '),
  );
  if (limited && accounts) {
    const n = Number(await caseFile.value(`SELECT count(*) FROM account_embeddings`));
    notes.push(`${n} accounts embedded: ${accounts.label} (IDF over every account's sampled prompts)`);
  }
  if (hashedPrompts > 0) {
    notes.push(
      `${hashedPrompts} sampled prompts embedded with ${embedder.name} in ${seconds.toFixed(1)} s (${Math.round(hashedPrompts / Math.max(seconds, 1e-3))} prompts/s)`,
    );
  }
  if (ctx.inputs.hasEmbeddings) notes.push('accounts with prompt_embedding in the logs use them (source provider)');
  return { tables: ['account_embeddings'], notes };
}

/**
 * An account's unit vector from its summed coordinates `dv` (sorted
 * {dim, v} pairs, `present` of them), their `norm`, over `dims` dimensions:
 * hashed vectors always have the embedder's dimensions (a zero coordinate
 * has no row); provider vectors have the logs' length. Most accounts have
 * every coordinate: their list is the vector as is; the map `m` (GAP_MAP),
 * built once for each other account, fills the zeros.
 */
const UNIT_VECTOR = `CASE WHEN m IS NULL THEN list_transform(dv, p -> round(p.v / nullif(norm, 0), ${ROUND_DIGITS})::FLOAT)
  ELSE list_transform(range(dims), i -> round(coalesce(m[i::USMALLINT], 0) / nullif(norm, 0), ${ROUND_DIGITS})::FLOAT) END`;
const GAP_MAP = `CASE WHEN present < dims THEN map(list_transform(dv, p -> p.dim), list_transform(dv, p -> p.v)) END`;

const literalName = (s: string) => `'${s.replaceAll("'", "''")}'`;

async function createEmptyTable(caseFile: CaseFile): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TABLE account_embeddings (account_id VARCHAR, prompts_used INTEGER, embedding FLOAT[], source VARCHAR, embedder VARCHAR)`,
    'create empty account_embeddings',
  );
}
