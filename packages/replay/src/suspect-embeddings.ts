// The prompt_embeddings stage limited to the suspects. Account embeddings are
// read by one stage only, behaviour_clusters, and only for the suspects
// (behaviour score ≥ graph.suspectMinScore, from account_scores, which does
// not read them). So the replay runs the embeddings after account_scores,
// over a prompt_sample view holding the suspects' sampled prompts: a few
// percent of the texts instead of all of them, at every step.
// Approximate: the hashed embedder's IDF is then taken over the suspects'
// sampled prompts, not over every account's, so the suspects' vectors are
// not the bytes a full analysis gives (what they are compared with, each
// other, is the same). Replay's embedAllAccounts option turns this off: the
// step then runs the full analysis's embeddings stage (the suspects' vectors
// too, but with the IDF over every account's sampled prompts).
// Either way the hashed embedder keeps each text's feature rows from step to
// step (replay_embedding_texts_*, signals' `embeddingsStage({ textCache })`):
// exact, since they are a function of the text alone, and IDF and the
// vectors are still recomputed at each step.
import { suspectAccounts } from '@farmscope/farms';
import { embeddingsStage, PROMPT_SAMPLE_TABLE, type AnalyzeStage, type StageContext } from '@farmscope/signals';

export const EMBEDDINGS_STAGE = 'prompt_embeddings';
const ALL = '_rp_prompt_sample_all';

/** Prefix of the case-file tables in which the embeddings stage keeps its per-text feature rows across steps. */
export const EMBEDDING_TEXT_CACHE = 'replay_embedding_texts';

/**
 * The analysis' embeddings stage (farms' allStages: the suspects' vectors)
 * with the per-text cache. It is rebuilt from the same accounts choice; if
 * the stage is not the one that choice gives (its description differs), it
 * is kept as it is, uncached.
 */
export function cachedEmbeddingsStage(embeddings: AnalyzeStage, suspectMinScore: number, textCache = EMBEDDING_TEXT_CACHE): AnalyzeStage {
  const accounts = suspectAccounts(suspectMinScore);
  if (embeddingsStage(undefined, { accounts }).description !== embeddings.description) return embeddings;
  return embeddingsStage(undefined, { accounts, textCache });
}

export function suspectEmbeddingsStage(embeddings: AnalyzeStage, suspectMinScore: number): AnalyzeStage {
  return {
    name: embeddings.name,
    description: `${embeddings.description}; suspects only (behaviour score ≥ ${suspectMinScore})`,
    run: async (ctx: StageContext) => {
      const { caseFile } = ctx;
      await caseFile.run(
        `ALTER TABLE ${PROMPT_SAMPLE_TABLE} RENAME TO ${ALL};
         CREATE VIEW ${PROMPT_SAMPLE_TABLE} AS
           SELECT s.* FROM ${ALL} s JOIN account_scores a USING (account_id) WHERE a.behaviour_score >= ${suspectMinScore}`,
        'show the embeddings stage the suspects\' sampled prompts',
      );
      try {
        return await embeddings.run(ctx);
      } finally {
        await caseFile.run(`DROP VIEW ${PROMPT_SAMPLE_TABLE}; ALTER TABLE ${ALL} RENAME TO ${PROMPT_SAMPLE_TABLE}`, 'restore the prompt sample');
      }
    },
  };
}
