// From refined communities to the contract's answer: which communities are
// distillation farms (their members' behaviour says harvesting) and which
// are benign clusters (coordinated but ordinary work, or one declared
// organisation), then `account_farms` for every account and `farms` with
// totals, score and significance.
import type { CaseFile } from '@farmscope/casefile';
import type { FarmConfig } from './farm-config.js';
import { buildFarmEvidence } from './farm-evidence.js';
import { buildSignificance } from './null-model.js';
import { mergeSharedAddressPools } from './address-pools.js';
import { farmIdSql } from './farm-ids.js';

export { farmIdSql };

/**
 * `farm_candidates`: every group of `community_members(account_id, community)`
 * (graph communities keyed `c:<smallest member>`, operator cores `o:<...>`)
 * with its size, mean behaviour score, harvest evidence (members' mean of
 * their stronger of content and economics: elicitation prompts or buying
 * long outputs, what distillation is for), operator evidence (members' mean of
 * their strongest OPERATOR_FEATURES evidence: independent people with the
 * same tastes share templates, but not cards, addresses, time slots, or a
 * supply of fresh accounts), whether its kept edges all lie inside one
 * declared organisation, and the verdict.
 */
function candidatesSql(config: FarmConfig): string {
  const f = config.farm;
  return `CREATE OR REPLACE TABLE farm_candidates AS
    WITH m AS (
      SELECT c.community, count(*)::INTEGER AS accounts, min(c.account_id) AS smallest,
        avg(s.behaviour_score) AS behaviour_score, avg(s.score) AS account_score,
        avg(s.operator_evidence) AS operator_evidence, avg(greatest(s.content, s.economics)) AS harvest_evidence
      FROM community_members c JOIN account_scores s USING (account_id) GROUP BY c.community),
    org AS (
      SELECT ca.community, bool_and(p.same_org) AS same_org
      FROM farm_graph_edges e JOIN community_members ca ON ca.account_id = e.account_a
        JOIN community_members cb ON cb.account_id = e.account_b AND cb.community = ca.community
        JOIN farm_pair_scores p USING (account_a, account_b)
      WHERE e.kept GROUP BY ca.community)
    SELECT m.community, CASE WHEN starts_with(m.community, 'o:') THEN 'operator core' ELSE 'community' END AS source,
      ${farmIdSql('m.smallest')} AS group_id, m.accounts, round(m.behaviour_score, 4) AS behaviour_score,
      round(m.account_score, 4) AS account_score, round(m.operator_evidence, 4) AS operator_evidence,
      round(m.harvest_evidence, 4) AS harvest_evidence, coalesce(org.same_org, false) AS same_org,
      CASE WHEN m.accounts < ${f.minAccounts} THEN 'too small'
           WHEN ${f.sameOrgIsBenign} AND coalesce(org.same_org, false) THEN 'one declared organisation'
           WHEN m.behaviour_score < ${f.minScore} THEN 'ordinary behaviour'
           WHEN m.harvest_evidence < ${f.minHarvestEvidence} THEN 'no harvesting'
           WHEN m.operator_evidence < ${f.minOperatorEvidence} THEN 'no sign of one operator'
           ELSE 'distillation' END AS verdict
    FROM m LEFT JOIN org USING (community)
    ORDER BY community`;
}

/**
 * `_fa_members`: each account's farm: its community when that is a
 * distillation farm, else its operator core when that is one; a member must
 * itself show harvesting or operator evidence at the farm bars (an
 * office-hours developer pulled in by content edges shows neither); the
 * farm id from the smallest of the members finally placed in it.
 */
function membersSql(config: FarmConfig): string {
  const f = config.farm;
  return `CREATE OR REPLACE TEMP TABLE _fa_members AS
    WITH chosen AS (
      SELECT m.account_id, min(m.community) AS community
      FROM community_members m JOIN farm_candidates k USING (community) JOIN account_scores s USING (account_id)
      WHERE k.verdict = 'distillation'
        AND (greatest(s.content, s.economics) >= ${f.minHarvestEvidence} OR s.operator_evidence >= ${f.minOperatorEvidence})
      GROUP BY m.account_id),
    sized AS (SELECT *, count(*) OVER (PARTITION BY community) AS n FROM chosen)
    SELECT account_id, community, ${farmIdSql('min(account_id) OVER (PARTITION BY community)')} AS farm_id
    FROM sized WHERE n >= ${f.minAccounts}`;
}

/**
 * A farm's score in [0,1]: half its members' mean behaviour score (what the
 * accounts do), half the mean score of the pairs that link them (how
 * strongly they hold together).
 */
function farmScoresSql(): string {
  return `CREATE OR REPLACE TEMP TABLE _fa_scores AS
    WITH behaviour AS (SELECT m.farm_id, avg(s.behaviour_score) AS b FROM _fa_members m JOIN account_scores s USING (account_id) GROUP BY m.farm_id),
    inside AS (
      SELECT ma.farm_id, avg(p.score) AS e
      FROM farm_pair_scores p JOIN _fa_members ma ON ma.account_id = p.account_a
        JOIN _fa_members mb ON mb.account_id = p.account_b AND mb.farm_id = ma.farm_id
      GROUP BY ma.farm_id)
    SELECT farm_id, round(0.5 * b.b + 0.5 * coalesce(i.e, 0), 4) AS score, round(b.b, 4) AS behaviour_score
    FROM behaviour b LEFT JOIN inside i USING (farm_id)`;
}

/** `account_farms`: one row per account in account_features (every account in events). */
function accountFarmsSql(): string {
  return `CREATE OR REPLACE TABLE account_farms AS
    SELECT f.account_id, m.farm_id,
      round(CASE WHEN m.farm_id IS NULL THEN s.score ELSE greatest(s.score, fs.score) END, 4) AS score,
      s.score AS account_score, m.community
    FROM account_features f
      LEFT JOIN account_scores s USING (account_id)
      LEFT JOIN _fa_members m USING (account_id)
      LEFT JOIN _fa_scores fs USING (farm_id)
    ORDER BY f.account_id`;
}

function farmsSql(): string {
  return `CREATE OR REPLACE TABLE farms AS
    WITH members AS (SELECT account_id, farm_id, community FROM account_farms WHERE farm_id IS NOT NULL),
    -- each member's totals over its events, from account_features (no second scan of the events)
    per_account AS (
      SELECT account_id, requests, first_seen AS first_ts, last_seen AS last_ts,
        input_tokens_total AS input_tokens, output_tokens_total AS output_tokens
      FROM account_features SEMI JOIN members USING (account_id)),
    -- a farm joined from several by a shared address pool spans their communities: the one holding most members (ties: the smallest)
    main_community AS (
      SELECT farm_id, community FROM members GROUP BY farm_id, community
      QUALIFY row_number() OVER (PARTITION BY farm_id ORDER BY count(*) DESC, community) = 1),
    totals AS (
      SELECT m.farm_id, count(*)::INTEGER AS accounts, min(u.first_ts) AS first_ts, max(u.last_ts) AS last_ts, sum(u.requests)::BIGINT AS requests,
        coalesce(sum(u.input_tokens), 0)::BIGINT AS input_tokens, coalesce(sum(u.output_tokens), 0)::BIGINT AS output_tokens,
        any_value(c.community) AS community
      FROM per_account u JOIN members m USING (account_id) JOIN main_community c USING (farm_id)
      GROUP BY m.farm_id)
    SELECT t.farm_id, t.accounts, t.first_ts, t.last_ts, t.requests, t.input_tokens, t.output_tokens,
      s.score, sig.p_value AS significance, sig.coactivity_p, sig.links_p, s.behaviour_score, t.community
    FROM totals t JOIN _fa_scores s USING (farm_id) LEFT JOIN farm_significance sig ON sig.group_id = t.farm_id
    ORDER BY farm_id`;
}

/** `benign_clusters`: the graph communities that are not farms, with why. */
function benignSql(): string {
  return `CREATE OR REPLACE TABLE benign_clusters AS
    SELECT k.group_id AS cluster_id, k.accounts, k.behaviour_score, k.same_org, k.verdict AS reason,
      list(m.account_id ORDER BY m.account_id) AS members
    FROM farm_candidates k JOIN community_members m USING (community)
    WHERE k.verdict <> 'distillation' AND k.source = 'community'
    GROUP BY ALL ORDER BY cluster_id`;
}

/** `evidence: false` leaves out the evidence tables (farm-evidence.ts), which only the reports read: a replay builds them once, after its last step. */
export async function assembleFarms(caseFile: CaseFile, config: FarmConfig, options: { evidence?: boolean } = {}): Promise<void> {
  await caseFile.run(candidatesSql(config), 'farms: verdict per community');
  try {
    await caseFile.run(membersSql(config), 'farms: members');
    await mergeSharedAddressPools(caseFile, config, '_fa_members');
    await caseFile.run(farmScoresSql(), 'farms: farm scores');
    await caseFile.run(accountFarmsSql(), 'farms: account_farms');
    await caseFile.run(
      `CREATE OR REPLACE TEMP TABLE _fa_groups AS SELECT farm_id AS group_id, account_id FROM _fa_members`,
      'farms: members',
    );
    await buildSignificance(caseFile, config, '_fa_groups');
    await caseFile.run(farmsSql(), 'farms: totals, score and significance');
    await caseFile.run(benignSql(), 'farms: benign clusters');
    if (options.evidence ?? true) await buildFarmEvidence(caseFile, config);
  } finally {
    for (const t of ['_fa_members', '_fa_scores', '_fa_groups']) await caseFile.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
