// Prompt templates on hand-made prompts: paraphrases that differ in numbers,
// names, quoted text or a word share a template; unrelated prompts do not;
// ids are the same on every run; per-account distributions and rarity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile } from '@farmscope/casefile';
import { digitsFoldedSql, normalizeQuery } from '@farmscope/signals';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { runTemplates, templateOf, writeEvents, type PromptEvent } from './content-support.js';

const FAMILY = [
  'Write a Rust function that merges overlapping intervals. Ticket #123.',
  'Write a Go function that merges overlapping intervals. Ticket #98765.',
  'write a Python function that merges overlapping intervals (ticket 5)',
  'Write a Kotlin function that merges overlapping intervals quickly. Ticket #7.',
];
const UNRELATED = [
  'What is the capital of France?',
  'Compose a haiku about autumn leaves falling on a quiet pond',
  'Summarize the plot of Hamlet in three sentences.',
  'Translate "good morning" into Japanese and explain the politeness level.',
];
const QUOTED = [
  'Rewrite this paragraph to sound more professional: "hey, about the budget, we should talk soon"',
  'Rewrite this paragraph to sound more professional: "yo the launch slipped again, sorry"',
];

/** A bot (one template, 10 times), a human (4 unrelated prompts), and 6 accounts sharing the bot's template once each. */
function events(): PromptEvent[] {
  const out: PromptEvent[] = [];
  FAMILY.forEach((p) => out.push({ account: 'fam', prompt: p }));
  UNRELATED.forEach((p) => out.push({ account: 'human', prompt: p }));
  QUOTED.forEach((p) => out.push({ account: 'quoter', prompt: p }));
  for (let i = 0; i < 10; i++) out.push({ account: 'bot', prompt: `Grade answer ${i + 1} of the exam on a scale of 1 to 10 for clarity.` });
  for (let i = 0; i < 6; i++) out.push({ account: `peer${i}`, prompt: `Grade answer ${100 + i} of the exam on a scale of 1 to 10 for clarity.` });
  out.push({ account: 'human', prompt: null });
  return out;
}

let tmp: TempFolder;
let db: CaseFile;
let ids: Record<string, number>;

beforeAll(async () => {
  tmp = createTempFolder();
  db = await CaseFile.open(tmp.path('t.duckdb'));
  await writeEvents(db, events());
  await runTemplates(db);
  ids = await templateOf(db);
});
afterAll(() => {
  db?.close();
  tmp?.remove();
});

describe('prompt normalisation', () => {
  it('masks numbers, names, quotes, code, URLs and e-mail addresses', async () => {
    const rows = await db.all<{ norm: string }>(
      normalizeQuery(
        `(SELECT ${digitsFoldedSql('p')} AS folded, i FROM (VALUES
           (1, 'Give me a 3-day itinerary for a trip to Mexico City.'),
           (2, 'Say "hi there" to bob@example.org, see https://x.io/a?b=1 and \`\`\`js\nlet x = 1;\n\`\`\`'),
           (3, 'How do I politely decline a wedding invitation?')) t(i, p))`,
        'folded',
        ['i'],
      ) + ' ORDER BY i',
    );
    expect(rows.map((r) => r.norm)).toEqual([
      'give me a <n> day itinerary for a trip to <name>',
      'say <q> to <email> see <url> and <code>',
      'how do i politely decline a wedding invitation',
    ]);
  });
});

describe('prompt templates', () => {
  it('puts paraphrases with different numbers, names and a changed word in one template', () => {
    const family = FAMILY.map((_, i) => ids[`e${i}`]);
    expect(new Set(family).size).toBe(1);
    const quoted = QUOTED.map((_, i) => ids[`e${FAMILY.length + UNRELATED.length + i}`]);
    expect(new Set(quoted).size).toBe(1);
  });

  it('keeps unrelated prompts apart', () => {
    const unrelated = UNRELATED.map((_, i) => ids[`e${FAMILY.length + i}`]);
    expect(new Set(unrelated).size).toBe(UNRELATED.length);
    expect(unrelated).not.toContain(ids.e0);
  });

  it('has one event_templates row per event with a prompt', async () => {
    expect(Object.keys(ids)).toHaveLength(events().filter((e) => e.prompt !== null).length);
  });

  it('numbers templates 1.. by requests, with accounts and an example', async () => {
    const top = await db.one<{ template_id: number; accounts: number; requests: number; example_prompt: string; normalized: string }>(
      `SELECT * FROM prompt_templates ORDER BY template_id LIMIT 1`,
    );
    expect(top).toMatchObject({ template_id: 1, accounts: 7, requests: 16 });
    expect(top!.normalized).toBe('grade answer <n> of the exam on a scale of <n> to <n> for clarity');
    expect(top!.example_prompt).toMatch(/^Grade answer \d+ of the exam/);
  });

  it('describes each account\'s template distribution', async () => {
    const rows = await db.all<{ account_id: string; templates: number; top_template_share: number; template_entropy: number; rare_template_share: number; requests_with_prompt: number }>(
      `SELECT * FROM account_templates WHERE account_id IN ('bot', 'human', 'fam') ORDER BY account_id`,
    );
    const [bot, fam, human] = rows;
    expect(bot).toMatchObject({ templates: 1, top_template_share: 1, template_entropy: 0, rare_template_share: 0, requests_with_prompt: 10 });
    expect(fam).toMatchObject({ templates: 1, top_template_share: 1, rare_template_share: 1 });
    expect(human).toMatchObject({ templates: 4, top_template_share: 0.25, rare_template_share: 1, requests_with_prompt: 4 });
    expect(human!.template_entropy).toBeCloseTo(2, 9);
    const counts = await db.all(`SELECT template_id, requests FROM account_template_counts WHERE account_id = 'bot'`);
    expect(counts).toEqual([{ template_id: 1, requests: 10 }]);
  });

  it('gives identical template ids on a second run and in a second case file', async () => {
    const before = ids;
    await runTemplates(db);
    expect(await templateOf(db)).toEqual(before);
    const other = await CaseFile.open(tmp.path('t2.duckdb'), { threads: 1 });
    try {
      await writeEvents(other, events().reverse());
      await runTemplates(other);
      const reversed = await other.all<{ prompt: string; template_id: number }>(
        `SELECT e.prompt, t.template_id FROM event_templates t JOIN events e USING (request_id) ORDER BY e.prompt`,
      );
      const forward = await db.all<{ prompt: string; template_id: number }>(
        `SELECT e.prompt, t.template_id FROM event_templates t JOIN events e USING (request_id) ORDER BY e.prompt`,
      );
      expect(reversed).toEqual(forward);
    } finally {
      other.close();
    }
  });
});

describe('prompt templates without prompts', () => {
  it('leaves the tables empty and says why', async () => {
    const empty = await CaseFile.open(tmp.path('empty.duckdb'));
    try {
      await writeEvents(empty, [{ account: 'a', prompt: null }]);
      const outcome = await runTemplates(empty);
      expect(outcome.notes.join(' ')).toMatch(/no event has a prompt/);
      for (const table of ['prompt_templates', 'event_templates', 'account_templates', 'account_template_counts']) {
        expect(await empty.value(`SELECT count(*)::INTEGER FROM ${table}`)).toBe(0);
      }
    } finally {
      empty.close();
    }
  });
});
