// The replay's figures, computed in SQL once every step has run: per step
// (farms, flagged accounts, and against the truth precision and recall),
// per farm found (first detection, delay from its first request, what it
// had harvested by then) and per true farm (the same, "detected" meaning
// that a farm found at that step matches the members seen so far at
// Jaccard ≥ 0.5). Requests and output tokens are counted per account and
// step slice once (replay_account_slices), so every harvest figure is a sum
// over a small table.
import type { CaseFile } from '@farmscope/casefile';
import { TRACK_TABLES } from './farm-tracking.js';
import { REPLAY_TABLES } from './replay-case.js';
import { tsSql, type ReplaySchedule } from './replay-schedule.js';
import { SNAPSHOT_TABLES } from './step-analysis.js';

export const TRUTH_TABLE = 'replay_truth';
const SLICES = 'replay_account_slices';
const HOUR_MS = 3_600_000;

/** A true farm is detected at a step when a farm found then matches its members seen so far at least this well (Jaccard). */
export const DETECTION_JACCARD = 0.5;

export interface StepFigures {
  step: number;
  cutoff: string;
  analysed: boolean;
  events: number;
  accounts: number;
  farms: number;
  flagged_accounts: number;
  new_farms: string[];
  retracted_farms: string[];
  redetected_farms: string[];
  /** With --truth: flagged accounts that are true farm members / flagged accounts (null when none is flagged). */
  precision: number | null;
  /** With --truth: flagged true members / true members visible at this step (null when none is visible). */
  recall: number | null;
  true_members_visible: number | null;
  /** With --truth: farms found at this step whose members are mostly not true farm members. */
  false_farms: number | null;
}

export interface Harvest {
  first_request: string;
  detected_step: number | null;
  detected_at: string | null;
  delay_hours: number | null;
  requests_before_detection: number | null;
  requests_total: number;
  requests_share: number | null;
  output_tokens_before_detection: number | null;
  output_tokens_total: number;
  output_tokens_share: number | null;
}

export interface FoundFarm extends Harvest {
  farm_id: string;
  /** Accounts ever in the farm across its steps. */
  accounts: number;
  last_step: number;
  steps_present: number;
  status: 'active' | 'retracted';
  /** Steps at which it vanished (it may come back). */
  retracted_at_steps: number[];
  /** With --truth: the true farm most of its members belong to (null: mostly legitimate accounts). */
  true_farm: string | null;
  true_farm_share: number | null;
}

export interface TrueFarm extends Harvest {
  farm_id: string;
  campaign: string;
  accounts: number;
  first_flagged_step: number | null;
  /** The found farm (track) that matched it at detection. */
  found_as: string | null;
  best_jaccard: number;
}

/** Cumulative harvest of one farm at one step, for the chart. */
export interface HarvestPoint {
  farm_id: string;
  step: number;
  cutoff: string;
  requests: number;
  share: number;
  detected: boolean;
}

export async function buildSlices(caseFile: CaseFile, schedule: ReplaySchedule): Promise<void> {
  const k = schedule.steps.length;
  await caseFile.run(
    `CREATE OR REPLACE TABLE ${SLICES} AS
     SELECT account_id, least(${k}, (epoch_us(ts) - ${schedule.startMs * 1000}) // ${schedule.stepMs * 1000} + 1)::INTEGER AS step,
            count(*)::BIGINT AS requests, coalesce(sum(output_tokens), 0)::BIGINT AS output_tokens, min(ts) AS first_ts
     FROM ${REPLAY_TABLES.events} WHERE ts >= ${tsSql(schedule.startMs)} AND ts < ${tsSql(schedule.endMs)}
     GROUP BY ALL ORDER BY account_id, step`,
    'count requests and output tokens per account and step',
  );
}

/** SQL: accounts visible at step `k` (an event in the step's analysed range), as (step, account_id). */
function visibleSql(schedule: ReplaySchedule): string {
  const span = schedule.mode.kind === 'window' ? Math.ceil(schedule.mode.windowMs / schedule.stepMs) : schedule.steps.length;
  return `(SELECT DISTINCT s.step, a.account_id FROM ${SNAPSHOT_TABLES.summary} s JOIN ${SLICES} a ON a.step <= s.step AND a.step > s.step - ${span})`;
}

export async function stepFigures(caseFile: CaseFile, schedule: ReplaySchedule, hasTruth: boolean): Promise<Omit<StepFigures, 'new_farms' | 'retracted_farms' | 'redetected_farms'>[]> {
  const truthParts = hasTruth
    ? `, flagged_true AS (
         SELECT m.step, count(*) AS n FROM ${SNAPSHOT_TABLES.members} m JOIN ${TRUTH_TABLE} t USING (account_id) WHERE t.farm_id IS NOT NULL GROUP BY m.step),
         visible_true AS (
           SELECT v.step, count(*) AS n FROM ${visibleSql(schedule)} v JOIN ${TRUTH_TABLE} t USING (account_id) WHERE t.farm_id IS NOT NULL GROUP BY v.step),
         false_farms AS (
           SELECT step, count(*) FILTER (WHERE true_share < 0.5) AS n FROM (
             SELECT m.step, m.farm_id, avg((t.farm_id IS NOT NULL)::INTEGER) AS true_share
             FROM ${SNAPSHOT_TABLES.members} m LEFT JOIN ${TRUTH_TABLE} t USING (account_id) GROUP BY ALL)
           GROUP BY step)`
    : '';
  const truthColumns = hasTruth
    ? `, CASE WHEN s.flagged > 0 THEN coalesce(ft.n, 0) / s.flagged END AS precision,
         CASE WHEN coalesce(vt.n, 0) > 0 THEN coalesce(ft.n, 0) / vt.n END AS recall,
         coalesce(vt.n, 0)::INTEGER AS true_members_visible, coalesce(ff.n, 0)::INTEGER AS false_farms`
    : `, NULL AS precision, NULL AS recall, NULL AS true_members_visible, NULL AS false_farms`;
  const truthJoins = hasTruth
    ? `LEFT JOIN flagged_true ft USING (step) LEFT JOIN visible_true vt USING (step) LEFT JOIN false_farms ff USING (step)`
    : '';
  return caseFile.all(
    `WITH s AS (SELECT * FROM ${SNAPSHOT_TABLES.summary}) ${truthParts}
     SELECT s.step, strftime(s.cutoff, '%Y-%m-%dT%H:%M:%SZ') AS cutoff, s.analysed, s.events, s.accounts, s.farms, s.flagged AS flagged_accounts ${truthColumns}
     FROM s ${truthJoins} ORDER BY s.step`,
    'figures per step',
  );
}

/**
 * SQL: harvest figures of groups `groups(group_id, account_id)` detected at
 * `detections(group_id, step)` (step null = never detected).
 */
function harvestSql(groups: string, detections: string): string {
  return `WITH g AS (${groups}), d AS (${detections}),
     totals AS (
       SELECT g.group_id, min(a.first_ts) AS first_ts, sum(a.requests)::BIGINT AS requests, sum(a.output_tokens)::BIGINT AS output_tokens
       FROM g JOIN ${SLICES} a USING (account_id) GROUP BY g.group_id),
     before AS (
       SELECT g.group_id, sum(a.requests)::BIGINT AS requests, sum(a.output_tokens)::BIGINT AS output_tokens
       FROM g JOIN d USING (group_id) JOIN ${SLICES} a ON a.account_id = g.account_id AND a.step <= d.step GROUP BY g.group_id)
     SELECT t.group_id, strftime(t.first_ts, '%Y-%m-%dT%H:%M:%SZ') AS first_request, d.step AS detected_step,
            strftime(s.cutoff, '%Y-%m-%dT%H:%M:%SZ') AS detected_at,
            round(epoch_us(s.cutoff - t.first_ts) / ${HOUR_MS * 1000}, 3) AS delay_hours,
            CASE WHEN d.step IS NOT NULL THEN coalesce(b.requests, 0) END AS requests_before_detection, t.requests AS requests_total,
            CASE WHEN d.step IS NOT NULL THEN round(coalesce(b.requests, 0) / t.requests, 6) END AS requests_share,
            CASE WHEN d.step IS NOT NULL THEN coalesce(b.output_tokens, 0) END AS output_tokens_before_detection, t.output_tokens AS output_tokens_total,
            CASE WHEN d.step IS NOT NULL THEN round(coalesce(b.output_tokens, 0) / nullif(t.output_tokens, 0), 6) END AS output_tokens_share
     FROM totals t LEFT JOIN d USING (group_id) LEFT JOIN before b USING (group_id)
     LEFT JOIN ${SNAPSHOT_TABLES.summary} s ON s.step = d.step`;
}

const TRACK_MEMBERS = `SELECT DISTINCT t.track_id AS group_id, m.account_id
  FROM ${SNAPSHOT_TABLES.members} m JOIN ${TRACK_TABLES.steps} t USING (step, farm_id)`;

export async function foundFarms(caseFile: CaseFile, lastStep: number, hasTruth: boolean): Promise<FoundFarm[]> {
  const rows = await caseFile.all<Record<string, unknown>>(
    `WITH h AS (${harvestSql(TRACK_MEMBERS, `SELECT track_id AS group_id, min(step) AS step FROM ${TRACK_TABLES.steps} GROUP BY track_id`)}),
     presence AS (
       SELECT track_id AS group_id, max(step) AS last_step, count(*)::INTEGER AS steps_present, list(step ORDER BY step) AS steps
       FROM ${TRACK_TABLES.steps} GROUP BY track_id),
     sizes AS (SELECT group_id, count(*)::INTEGER AS accounts FROM (${TRACK_MEMBERS}) GROUP BY group_id)
     ${hasTruth ? `, majority AS (
       SELECT group_id, first(farm_id ORDER BY n DESC, farm_id NULLS LAST) AS true_farm, max(n) / any_value(total) AS true_farm_share FROM (
         SELECT g.group_id, t.farm_id, count(*) AS n, sum(count(*)) OVER (PARTITION BY g.group_id) AS total
         FROM (${TRACK_MEMBERS}) g LEFT JOIN ${TRUTH_TABLE} t USING (account_id) GROUP BY g.group_id, t.farm_id)
       GROUP BY group_id)` : ''}
     SELECT h.group_id AS farm_id, z.accounts, p.last_step, p.steps_present, p.steps,
            ${hasTruth ? 'm.true_farm, round(m.true_farm_share, 6) AS true_farm_share' : 'NULL AS true_farm, NULL AS true_farm_share'}, h.*
     FROM h JOIN presence p USING (group_id) JOIN sizes z USING (group_id) ${hasTruth ? 'LEFT JOIN majority m USING (group_id)' : ''}
     ORDER BY h.detected_step, h.group_id`,
    'figures per farm found',
  );
  return rows.map((r) => {
    const steps = (r.steps as number[]).map(Number);
    const retractedAt = steps.flatMap((s, i) => (steps[i + 1] !== undefined && steps[i + 1] !== s + 1) || (steps[i + 1] === undefined && s < lastStep) ? [s + 1] : []);
    const { group_id: _g, steps: _s, ...rest } = r;
    return { ...harvestOf(rest), farm_id: String(r.farm_id), accounts: Number(r.accounts), last_step: Number(r.last_step),
      steps_present: Number(r.steps_present), status: Number(r.last_step) === lastStep ? 'active' : 'retracted',
      retracted_at_steps: retractedAt, true_farm: (r.true_farm as string | null) ?? null, true_farm_share: (r.true_farm_share as number | null) ?? null } satisfies FoundFarm;
  });
}

export async function trueFarms(caseFile: CaseFile, schedule: ReplaySchedule): Promise<TrueFarm[]> {
  const members = `SELECT farm_id AS group_id, account_id FROM ${TRUTH_TABLE} WHERE farm_id IS NOT NULL`;
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE _rp_true_matches AS
     WITH visible AS (
       SELECT v.step, t.farm_id AS true_farm, v.account_id FROM ${visibleSql(schedule)} v JOIN ${TRUTH_TABLE} t USING (account_id) WHERE t.farm_id IS NOT NULL),
     visible_n AS (SELECT step, true_farm, count(*) AS n FROM visible GROUP BY ALL),
     found_n AS (SELECT step, farm_id, count(*) AS n FROM ${SNAPSHOT_TABLES.members} GROUP BY ALL),
     shared AS (
       SELECT v.step, v.true_farm, m.farm_id, count(*) AS k
       FROM visible v JOIN ${SNAPSHOT_TABLES.members} m ON m.step = v.step AND m.account_id = v.account_id GROUP BY ALL)
     SELECT s.step, s.true_farm, s.farm_id, s.k, s.k / (a.n + b.n - s.k) AS jaccard, tr.track_id
     FROM shared s JOIN visible_n a USING (step, true_farm) JOIN found_n b USING (step, farm_id)
     JOIN ${TRACK_TABLES.steps} tr USING (step, farm_id)`,
    'match true farms to the farms found at each step',
  );
  const detections = `SELECT true_farm AS group_id, min(step) FILTER (WHERE jaccard >= ${DETECTION_JACCARD}) AS step FROM _rp_true_matches GROUP BY true_farm`;
  const rows = await caseFile.all<Record<string, unknown>>(
    `WITH h AS (${harvestSql(members, detections)}),
     info AS (SELECT farm_id AS group_id, count(*)::INTEGER AS accounts, min(campaign) AS campaign FROM ${TRUTH_TABLE} WHERE farm_id IS NOT NULL GROUP BY farm_id),
     flagged AS (SELECT true_farm AS group_id, min(step) AS first_flagged_step, round(max(jaccard), 6) AS best_jaccard FROM _rp_true_matches GROUP BY true_farm),
     found AS (
       SELECT m.true_farm AS group_id, first(m.track_id ORDER BY m.jaccard DESC, m.track_id) AS found_as
       FROM _rp_true_matches m JOIN (${detections}) d ON d.group_id = m.true_farm AND d.step = m.step GROUP BY m.true_farm)
     SELECT i.group_id AS farm_id, i.campaign, i.accounts, f.first_flagged_step, coalesce(f.best_jaccard, 0) AS best_jaccard, fo.found_as, h.*
     FROM info i LEFT JOIN h USING (group_id) LEFT JOIN flagged f USING (group_id) LEFT JOIN found fo USING (group_id)
     ORDER BY i.group_id`,
    'figures per true farm',
  );
  return rows.map((r) => {
    const { group_id: _g, ...rest } = r;
    return { ...harvestOf(rest), farm_id: String(r.farm_id), campaign: String(r.campaign), accounts: Number(r.accounts),
      first_flagged_step: (r.first_flagged_step as number | null) ?? null, found_as: (r.found_as as string | null) ?? null,
      best_jaccard: Number(r.best_jaccard) } satisfies TrueFarm;
  });
}

function harvestOf(r: Record<string, unknown>): Harvest {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    first_request: String(r.first_request ?? ''),
    detected_step: num(r.detected_step),
    detected_at: (r.detected_at as string | null) ?? null,
    delay_hours: num(r.delay_hours),
    requests_before_detection: num(r.requests_before_detection),
    requests_total: Number(r.requests_total ?? 0),
    requests_share: num(r.requests_share),
    output_tokens_before_detection: num(r.output_tokens_before_detection),
    output_tokens_total: Number(r.output_tokens_total ?? 0),
    output_tokens_share: num(r.output_tokens_share),
  };
}

/** Cumulative share of each group's requests at every step (the chart's lines). */
export async function harvestCurves(caseFile: CaseFile, kind: 'found' | 'true', detected: ReadonlyMap<string, number | null>): Promise<HarvestPoint[]> {
  const groups = kind === 'true' ? `SELECT farm_id AS group_id, account_id FROM ${TRUTH_TABLE} WHERE farm_id IS NOT NULL` : TRACK_MEMBERS;
  const rows = await caseFile.all<{ farm_id: string; step: number; cutoff: string; requests: number; total: number }>(
    `WITH g AS (${groups}),
     per_step AS (SELECT g.group_id, a.step, sum(a.requests) AS requests FROM g JOIN ${SLICES} a USING (account_id) GROUP BY ALL),
     grid AS (SELECT DISTINCT g.group_id, s.step, s.cutoff FROM g, ${SNAPSHOT_TABLES.summary} s)
     SELECT grid.group_id AS farm_id, grid.step, strftime(grid.cutoff, '%Y-%m-%dT%H:%M:%SZ') AS cutoff,
            (sum(coalesce(p.requests, 0)) OVER (PARTITION BY grid.group_id ORDER BY grid.step))::BIGINT AS requests,
            (sum(coalesce(p.requests, 0)) OVER (PARTITION BY grid.group_id))::BIGINT AS total
     FROM grid LEFT JOIN per_step p USING (group_id, step)
     ORDER BY farm_id, step`,
    'cumulative harvest per farm and step',
  );
  return rows.map((r) => ({
    farm_id: r.farm_id, step: Number(r.step), cutoff: r.cutoff, requests: Number(r.requests),
    share: Number(r.total) > 0 ? Math.round((Number(r.requests) / Number(r.total)) * 1e6) / 1e6 : 0,
    detected: detected.get(r.farm_id) === Number(r.step),
  }));
}
