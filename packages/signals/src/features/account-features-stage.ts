// The account_features stage: runs each part's aggregate into a temp table,
// joins them into `account_features` (one row per account in events), writes
// `account_feature_dictionary`, and notes every feature left null and why.
// With `carry` (a cumulative replay), the parts built from mergeable partials
// read them kept from the previous run and updated with the new events only.
import { type CaseFile, ident, literal } from '@farmscope/casefile';
import type { AnalyzeStage, StageContext, StageOutcome } from '../stage.js';
import { ACTIVITY_PART } from './activity-part.js';
import { ACCOUNT_TEMPLATES_COLUMNS } from './content-parts.js';
import { FEATURE_PARTS } from './feature-catalog.js';
import {
  EVENT_COLUMN_REQUIREMENTS, type FeatureDefinition, type PartEnvironment, type Requirement, partTable,
} from './feature-definition.js';
import { readSourceGaps, sourceGapNotes } from '../source-gaps.js';
import { shareAddressUse } from '../links/links-stages.js';
import { accountFeaturesSql, emptyAccountFeaturesSql, partSql } from './feature-sql.js';
import {
  CARRY_STATE_TABLE, type FeatureCarry, markCovered, partialScratchTables, partRelation, takeCoveredCutoff, updatePartials,
} from './feature-carry.js';

export const DEFAULT_ENVIRONMENT: Omit<PartEnvironment, 'hasAccounts'> = {
  relatedIpMaxAccounts: 50,
  afterBanHours: 24,
};

const REQUIREMENT_LABEL = (r: Requirement) =>
  (EVENT_COLUMN_REQUIREMENTS as readonly string[]).includes(r) ? `events.${r} has no values`
    : r === 'account_templates' ? 'no account_templates table (written by the prompt_templates stage)'
    : r === 'prompt_sample' ? 'no prompt_sample table (written by the prompt_sample stage)' : `no ${r} table`;

/** The features computed from an events column (their part's or their own requirement). */
function featuresNeeding(field: string): string[] {
  return FEATURE_PARTS.flatMap((p) =>
    p.features.filter((f) => (p.needs as readonly string[]).includes(field) || (f.needs as readonly string[] | undefined)?.includes(field)).map((f) => f.name));
}

/** The stage; with `carry`, its mergeable partials are kept for the next run and updated from the previous one's (see FeatureCarry). */
export function accountFeaturesStage(options: { carry?: FeatureCarry } = {}): AnalyzeStage {
  const description = 'one row per account: volume, timing, economics, infrastructure, content and operator-habit features';
  return {
    name: 'account_features',
    description: options.carry ? `${description}; sums, counts, distinct sets and prompt labels carried from the previous run, plus the new events` : description,
    run: (ctx) => computeAccountFeatures(ctx, {}, options.carry),
  };
}

export const ACCOUNT_FEATURES_STAGE: AnalyzeStage = accountFeaturesStage();

export async function computeAccountFeatures(
  ctx: StageContext,
  settings: Partial<PartEnvironment> = {},
  carry?: FeatureCarry,
): Promise<StageOutcome> {
  const { caseFile } = ctx;
  const tables = ['account_features', 'account_feature_dictionary'];
  if (!(await caseFile.tableExists('events'))) {
    if (carry) await caseFile.run(`DROP TABLE IF EXISTS ${CARRY_STATE_TABLE}`, 'account_features: nothing to carry');
    await caseFile.run(emptyAccountFeaturesSql(FEATURE_PARTS), 'creating an empty account_features');
    await writeDictionary(caseFile, () => false);
    return { tables, notes: ['no events table: account_features is empty'] };
  }
  const notes: string[] = [];
  const env: PartEnvironment = { ...DEFAULT_ENVIRONMENT, hasAccounts: await caseFile.tableExists('accounts'), ...settings };

  try {
    notes.push(...(await computeParts(ctx, env, carry)));
    notes.push(...sourceGapNotes(await readSourceGaps(caseFile), featuresNeeding));
  } finally {
    const scratch = [...FEATURE_PARTS.flatMap((p) => [partTable(p), ...(p.scratchTables ?? [])]), ...partialScratchTables(FEATURE_PARTS)];
    for (const t of scratch) await caseFile.run(`DROP TABLE IF EXISTS ${t}`, 'account_features: dropping scratch tables');
  }
  return { tables, notes };
}

/** Runs the parts whose inputs exist, then joins them; returns the notes on what is null and why. */
async function computeParts(ctx: StageContext, env: PartEnvironment, carry: FeatureCarry | undefined): Promise<string[]> {
  const { caseFile } = ctx;
  const notes: string[] = [];
  await caseFile.run(partSql(ACTIVITY_PART, env), `account_features: ${ACTIVITY_PART.purpose}`);
  const has = await inputsPresent(caseFile, env);
  const ran = new Set<string>([ACTIVITY_PART.name]);
  const covered = carry ? await takeCoveredCutoff(caseFile, carry, FEATURE_PARTS) : undefined;
  for (const part of FEATURE_PARTS) {
    if (part === ACTIVITY_PART) continue;
    // Kept partials follow every run, also one at which their part cannot run yet.
    if (carry && part.partials) await updatePartials(caseFile, part, covered);
    const missing = part.needs.filter((r) => !has(r)).map(REQUIREMENT_LABEL);
    const unmet = part.unmet?.(has);
    if (unmet) missing.push(unmet);
    if (missing.length > 0) {
      notes.push(`${part.features.map((f) => f.name).join(', ')}: null (${missing.join('; ')})`);
      continue;
    }
    // A full run reads the links stages' address tables where a part can (built once for both).
    const shared = !carry && part.partials?.relations.some((r) => r.fromAddressUse);
    const partEnv = shared ? { ...env, addressUse: await shareAddressUse(ctx) } : env;
    for (const sql of part.prepare?.(partEnv) ?? []) await caseFile.run(sql, `account_features: preparing ${part.name}`);
    await caseFile.run(partSql(part, partEnv, await partRelation(caseFile, part, partEnv, carry)), `account_features: ${part.purpose}`);
    ran.add(part.name);
  }
  if (carry) await markCovered(caseFile, carry.cutoffMs);

  // Features of a part that ran whose own extra inputs are missing.
  const available = (f: FeatureDefinition) => (f.needs ?? []).every(has);
  const byReason = new Map<string, string[]>();
  for (const f of FEATURE_PARTS.filter((p) => ran.has(p.name)).flatMap((p) => p.features)) {
    const missing = (f.needs ?? []).filter((r) => !has(r)).map(REQUIREMENT_LABEL).join('; ');
    if (missing) byReason.set(missing, [...(byReason.get(missing) ?? []), f.name]);
  }
  for (const [why, names] of byReason) notes.push(`${names.join(', ')}: null (${why})`);

  await caseFile.run(accountFeaturesSql(FEATURE_PARTS, (_p, f) => available(f), ran, ACTIVITY_PART), 'account_features: joining the parts');
  notes.push(...(await allNullNotes(caseFile, ran, available)));
  await writeDictionary(caseFile, (f) => ran.has(FEATURE_PARTS.find((p) => p.features.includes(f))!.name) && available(f));
  return notes;
}

/**
 * Which inputs exist: optional tables, and events columns with at least one
 * value. Each column is read only up to its first value (LIMIT 1), not counted.
 */
async function inputsPresent(caseFile: CaseFile, env: PartEnvironment): Promise<(r: Requirement) => boolean> {
  const probes = EVENT_COLUMN_REQUIREMENTS.map(
    (c) => `(SELECT count(*) FROM (SELECT 1 FROM events WHERE ${ident(c)} IS NOT NULL LIMIT 1)) > 0 AS ${ident(c)}`,
  );
  const columns = (await caseFile.one<Record<string, boolean>>(`SELECT ${probes.join(', ')}`, 'account_features: input coverage')) ?? {};
  const tables: Partial<Record<Requirement, boolean>> = {
    accounts: env.hasAccounts,
    enforcement: await caseFile.tableExists('enforcement'),
    account_templates: await hasColumns(caseFile, 'account_templates', ACCOUNT_TEMPLATES_COLUMNS),
    prompt_sample: await caseFile.tableExists('prompt_sample'),
  };
  return (r) => Boolean(tables[r] ?? columns[r]);
}

/** The table exists with at least these columns (another stage's output, whose shape may differ). */
async function hasColumns(caseFile: CaseFile, table: string, columns: readonly string[]): Promise<boolean> {
  const present = await caseFile.columnNames(table);
  return columns.every((c) => present.has(c));
}

/** Features of parts that ran but came out null for every account, with the reason when one is known. */
async function allNullNotes(caseFile: CaseFile, ran: ReadonlySet<string>, available: (f: FeatureDefinition) => boolean): Promise<string[]> {
  const candidates = FEATURE_PARTS.filter((p) => ran.has(p.name) && p !== ACTIVITY_PART).flatMap((p) => p.features).filter(available);
  if (candidates.length === 0) return [];
  const counts = await caseFile.one<Record<string, number>>(
    `SELECT count(*)::INTEGER AS accounts, ${candidates.map((f) => `count(${ident(f.name)})::INTEGER AS ${ident(f.name)}`).join(', ')} FROM account_features`,
  );
  if (!counts || counts.accounts === 0) return [];
  const empty = candidates.filter((f) => counts[f.name] === 0);
  const byReason = new Map<string, string[]>();
  for (const f of empty) {
    const why = f.nullWhen ?? 'no account qualifies';
    byReason.set(why, [...(byReason.get(why) ?? []), f.name]);
  }
  return [...byReason].map(([why, names]) => `${names.join(', ')}: null for every account (${why})`);
}

async function writeDictionary(caseFile: CaseFile, available: (f: FeatureDefinition) => boolean): Promise<void> {
  const rows = FEATURE_PARTS.flatMap((p) =>
    p.features.map((f) =>
      `(${[f.name, f.group, f.type, f.unit, f.meaning, f.how, [...p.needs, ...(f.needs ?? [])].join(', '), p.name].map(literal).join(', ')}, ${available(f)})`,
    ),
  );
  await caseFile.run(
    `CREATE OR REPLACE TABLE account_feature_dictionary AS
     SELECT * FROM (VALUES ${rows.join(',\n')}) AS t(feature, "group", type, unit, meaning, how, needs, part, available)`,
    'account_features: writing the feature dictionary',
  );
}
