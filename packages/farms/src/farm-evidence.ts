// Evidence per farm, as tables the report and `explain` read: the links that
// hold it together (what is shared, by how many pairs and accounts, how
// rare), its top prompt templates with sample prompts, and the signal groups
// that drive its score.
import type { CaseFile } from '@farmscope/casefile';
import { SIGNAL_GROUPS, type FarmConfig } from './farm-config.js';

const MEMBERS = `(SELECT account_id, farm_id FROM account_farms WHERE farm_id IS NOT NULL)`;

/** `farm_link_evidence`: per farm and kind of link (account_links kinds, coactivity, handoff), inside the farm. */
function linkEvidenceSql(minSurprise: number): string {
  return `CREATE OR REPLACE TEMP TABLE _fe_links AS
    WITH inside AS (
      SELECT ma.farm_id, l.kind, l.account_a, l.account_b, l.holders, l.weight, l.shared_value
      FROM account_links l JOIN ${MEMBERS} ma ON ma.account_id = l.account_a JOIN ${MEMBERS} mb ON mb.account_id = l.account_b AND mb.farm_id = ma.farm_id
      UNION ALL
      SELECT ma.farm_id, 'coactivity', c.account_a, c.account_b, NULL, c.surprise, NULL
      FROM coordination_pairs c JOIN ${MEMBERS} ma ON ma.account_id = c.account_a JOIN ${MEMBERS} mb ON mb.account_id = c.account_b AND mb.farm_id = ma.farm_id
      WHERE c.surprise >= ${minSurprise}
      UNION ALL
      SELECT ma.farm_id, 'handoff', h.from_account, h.to_account, h.holders, h.weight, h.shared_value
      FROM account_handoffs h JOIN ${MEMBERS} ma ON ma.account_id = h.from_account JOIN ${MEMBERS} mb ON mb.account_id = h.to_account AND mb.farm_id = ma.farm_id)
    SELECT farm_id, kind, count(*)::INTEGER AS pairs,
      count(DISTINCT shared_value)::INTEGER AS distinct_values, min(holders)::INTEGER AS min_holders,
      median(holders)::DOUBLE AS median_holders, round(max(weight), 4) AS max_weight,
      first(shared_value ORDER BY holders, shared_value) AS rarest_value
    FROM inside GROUP BY farm_id, kind ORDER BY farm_id, pairs DESC, kind`;
}

/** Accounts touched per farm and kind (a second aggregate: DuckDB has no per-group distinct over two columns). */
function linkAccountsSql(minSurprise: number): string {
  return `CREATE OR REPLACE TABLE farm_link_evidence AS
    WITH touched AS (
      SELECT farm_id, kind, count(DISTINCT account_id)::INTEGER AS accounts FROM (
        SELECT ma.farm_id, l.kind, unnest([l.account_a, l.account_b]) AS account_id
        FROM (SELECT account_a, account_b, kind FROM account_links
              UNION ALL SELECT account_a, account_b, 'coactivity' FROM coordination_pairs WHERE surprise >= ${minSurprise}
              UNION ALL SELECT from_account, to_account, 'handoff' FROM account_handoffs) l
        JOIN ${MEMBERS} ma ON ma.account_id = l.account_a JOIN ${MEMBERS} mb ON mb.account_id = l.account_b AND mb.farm_id = ma.farm_id)
      GROUP BY ALL)
    SELECT e.farm_id, e.kind, e.pairs, t.accounts, e.distinct_values, e.min_holders, e.median_holders, e.max_weight, e.rarest_value
    FROM _fe_links e JOIN touched t USING (farm_id, kind)
    UNION ALL
    SELECT p.farm_id, 'address_pool', count(*)::INTEGER, any_value(f.accounts)::INTEGER, NULL, NULL, NULL, round(max(p.jaccard), 4), NULL
    FROM farm_address_pools p JOIN (SELECT farm_id, count(*) AS accounts FROM ${MEMBERS} GROUP BY farm_id) f USING (farm_id)
    GROUP BY p.farm_id
    ORDER BY farm_id, pairs DESC, kind`;
}

/** `farm_templates`: each farm's most used templates, how many of its accounts and of all accounts use them, and sample prompts. */
function templatesSql(config: FarmConfig): string {
  const { topTemplates, samplePrompts } = config.evidence;
  return `CREATE OR REPLACE TABLE farm_templates AS
    WITH used AS (
      SELECT m.farm_id, c.template_id, sum(c.requests)::BIGINT AS requests, count(*)::INTEGER AS farm_accounts
      FROM account_template_counts c JOIN ${MEMBERS} m USING (account_id) GROUP BY m.farm_id, c.template_id
      QUALIFY row_number() OVER (PARTITION BY m.farm_id ORDER BY sum(c.requests) DESC, c.template_id) <= ${topTemplates}),
    samples AS (
      SELECT u.farm_id, u.template_id, e.prompt
      FROM used u JOIN ${MEMBERS} m ON m.farm_id = u.farm_id
        JOIN event_templates et ON et.account_id = m.account_id AND et.template_id = u.template_id
        JOIN prompt_sample e ON e.request_id = et.request_id
      QUALIFY row_number() OVER (PARTITION BY u.farm_id, u.template_id ORDER BY hash(e.request_id), e.request_id) <= ${samplePrompts})
    SELECT u.farm_id, u.template_id, u.requests, u.farm_accounts, t.accounts AS total_accounts,
      left(t.example_prompt, 300) AS example_prompt,
      (SELECT list(left(s.prompt, 300) ORDER BY s.prompt) FROM samples s WHERE s.farm_id = u.farm_id AND s.template_id = u.template_id) AS sample_prompts
    FROM used u JOIN prompt_templates t USING (template_id)
    ORDER BY farm_id, requests DESC, template_id`;
}

/** `farm_signals`: per farm and signal group, the members' mean evidence and mean contribution to the account score. */
function signalsSql(): string {
  const rows = SIGNAL_GROUPS.map((g) => `SELECT m.farm_id, '${g}' AS "group", avg(s."${g}") AS evidence, avg(s."${g}_contribution") AS contribution
      FROM ${MEMBERS} m JOIN account_scores s USING (account_id) GROUP BY m.farm_id`);
  return `CREATE OR REPLACE TABLE farm_signals AS
    SELECT farm_id, "group", round(evidence, 4) AS evidence, round(contribution, 4) AS contribution
    FROM (${rows.join('\nUNION ALL\n')})
    ORDER BY farm_id, contribution DESC, "group"`;
}

export async function buildFarmEvidence(caseFile: CaseFile, config: FarmConfig): Promise<void> {
  await caseFile.run(linkEvidenceSql(config.graph.coordinationMinSurprise), 'farm evidence: links inside each farm');
  await caseFile.run(linkAccountsSql(config.graph.coordinationMinSurprise), 'farm evidence: accounts touched by each kind of link');
  await caseFile.run('DROP TABLE IF EXISTS _fe_links');
  if ((await caseFile.tableExists('account_template_counts')) && (await caseFile.tableExists('prompt_sample'))) {
    await caseFile.run(templatesSql(config), 'farm evidence: top templates and sample prompts');
  } else {
    await caseFile.run(
      `CREATE OR REPLACE TABLE farm_templates (farm_id VARCHAR, template_id INTEGER, requests BIGINT, farm_accounts INTEGER,
         total_accounts INTEGER, example_prompt VARCHAR, sample_prompts VARCHAR[])`,
    );
  }
  await caseFile.run(signalsSql(), 'farm evidence: signal groups');
}
