// On the generator's `mixed` scenario (small scale, known truth): farm
// accounts concentrate on fewer templates than casual users, and a farm's
// accounts have closer prompt embeddings to each other than to casual users.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile, literal } from '@farmscope/casefile';
import { generate } from '@farmscope/generator';
import { ingest } from '@farmscope/ingest';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { runEmbeddings, runTemplates } from './content-support.js';

let tmp: TempFolder;
let db: CaseFile;
let truth: string;

beforeAll(async () => {
  tmp = createTempFolder();
  const generated = await generate({ scenario: 'mixed', seed: 5, scale: 0.03, out: tmp.path('mixed') });
  truth = `read_parquet(${literal(generated.files.truth)})`;
  db = await CaseFile.open(tmp.path('mixed.duckdb'));
  await ingest(db, [{ table: 'events', inputs: [generated.files.events] }]);
  await runTemplates(db);
  await runEmbeddings(db);
});
afterAll(() => {
  db?.close();
  tmp?.remove();
});

describe('content signals on the mixed scenario', () => {
  it('farm accounts put a larger share of their prompts on their top template than casual users', async () => {
    const rows = await db.all<{ group: string; accounts: number; top: number; entropy: number }>(
      `SELECT CASE WHEN t.farm_id IS NOT NULL THEN 'farm' ELSE t.campaign END AS "group", count(*)::INTEGER AS accounts,
              median(a.top_template_share) AS top, median(a.template_entropy) AS entropy
       FROM account_templates a JOIN ${truth} t USING (account_id)
       WHERE t.farm_id IS NOT NULL OR t.campaign = 'legit.casual' GROUP BY ALL`,
    );
    const farm = rows.find((r) => r.group === 'farm')!;
    const casual = rows.find((r) => r.group === 'legit.casual')!;
    expect(farm.accounts).toBeGreaterThanOrEqual(10);
    expect(casual.accounts).toBeGreaterThanOrEqual(100);
    // On ~64 sampled prompts per account the generator's farms sit at about
    // 0.11 against casual users' 0.08 (0.14 against 0.08 over every prompt:
    // a larger text universe merges more fills into one template).
    expect(farm.top).toBeGreaterThan(casual.top * 1.2);
  });

  it('a farm\'s accounts are closer to each other than to casual users', async () => {
    const row = await db.one<{ within: number; across: number }>(
      `WITH e AS (SELECT a.account_id, a.embedding, t.farm_id, t.campaign FROM account_embeddings a JOIN ${truth} t USING (account_id)),
       farm AS (SELECT * FROM e WHERE farm_id IS NOT NULL),
       casual AS (SELECT * FROM e WHERE campaign = 'legit.casual' ORDER BY account_id LIMIT 200)
       SELECT
         (SELECT avg(list_cosine_similarity(x.embedding, y.embedding)) FROM farm x JOIN farm y
            ON x.farm_id = y.farm_id AND x.account_id < y.account_id) AS within,
         (SELECT avg(list_cosine_similarity(x.embedding, y.embedding)) FROM farm x CROSS JOIN casual y) AS across`,
    );
    expect(row!.within).toBeGreaterThan(row!.across + 0.1);
  });

  it('every account with a prompt has templates and an embedding', async () => {
    const row = await db.one<{ with_prompt: number; templated: number; embedded: number }>(
      `SELECT (SELECT count(DISTINCT account_id) FROM events WHERE prompt IS NOT NULL)::INTEGER AS with_prompt,
              (SELECT count(*) FROM account_templates)::INTEGER AS templated,
              (SELECT count(*) FROM account_embeddings)::INTEGER AS embedded`,
    );
    expect(row!.templated).toBe(row!.with_prompt);
    expect(row!.embedded).toBe(row!.with_prompt);
  });

  it('gives identical tables on a second run (template ids, account vectors)', async () => {
    const digest = () =>
      db.one(
        `SELECT (SELECT sum(hash(request_id, template_id) % 1000000007) FROM event_templates)::BIGINT AS events,
                (SELECT sum(hash(template_id, accounts, requests, normalized) % 1000000007) FROM prompt_templates)::BIGINT AS templates,
                (SELECT sum(hash(account_id, template_entropy, rare_template_share) % 1000000007) FROM account_templates)::BIGINT AS accounts,
                (SELECT sum(hash(account_id, embedding) % 1000000007) FROM account_embeddings)::BIGINT AS embeddings`,
      );
    const first = await digest();
    await runTemplates(db);
    await runEmbeddings(db);
    expect(await digest()).toEqual(first);
  });
});
