// The partial relations of the account_features parts (feature-definition's
// PartialRelation): inlined over events in a full run, or kept from one run to
// the next and updated with the new events only (a cumulative replay, whose
// events only grow by requests at or after the previous cut-off): merged
// (sums, counts, min/max), a distinct set extended, or per-event rows
// appended (PartialRelation.rowsSince). Likewise a
// part's KeyedMemo: inlined, or kept and extended with the keys not kept yet.
// Kept tables are temp tables of the connection: a new process rebuilds them.
import { type CaseFile, literal } from '@farmscope/casefile';
import { type FeaturePart, type PartEnvironment, type PartialRelation, partTable } from './feature-definition.js';

/** Carry the partials between runs: `events` holds every request before `cutoffMs`, and a later run's only adds requests at or after it. */
export interface FeatureCarry {
  /** The cut-off of this run's events (exclusive). */
  readonly cutoffMs: number;
  /** Rebuild the kept partials from all events (the first step). */
  readonly first: boolean;
}

/** The cut-off up to which the kept partials hold events (one row, absent while they are being updated). */
export const CARRY_STATE_TABLE = '_af_carry_state';

/** Where a relation is kept between runs. */
export const carriedTable = (part: FeaturePart, relation: PartialRelation) => `_af_carry_${part.name}_${relation.name}`;

/** A materialised relation's temp table in a full run. */
const scratchTable = (part: FeaturePart, relation: PartialRelation) => `${partTable(part)}_${relation.name}`;

const tsSql = (ms: number) => `make_timestamp(${ms * 1000}::BIGINT)`;

function relationNamed(part: FeaturePart, name: string): PartialRelation {
  const relation = part.partials?.relations.find((r) => r.name === name);
  if (!relation) throw new Error(`account_features: part ${part.name} has no partial relation ${name}`);
  return relation;
}

/**
 * The part's `FROM` relation when it is built from partials or a memo (its
 * own `from` otherwise: undefined): over the kept tables with `carry`, else
 * inline over this run's data (creating the materialised relations first).
 */
export async function partRelation(caseFile: CaseFile, part: FeaturePart, env: PartEnvironment, carry: FeatureCarry | undefined): Promise<string | undefined> {
  if (part.memo) return carry ? carriedMemoFrom(caseFile, part, env, carry) : fullMemoFrom(part, env);
  if (!part.partials) return undefined;
  if (carry) return carriedFrom(part, env);
  const full = fullPartials(part, env);
  for (const sql of full.prepare) await caseFile.run(sql, `account_features: preparing ${part.name}`);
  return full.from;
}

/** Full run: the statements creating the part's materialised relations, then its `FROM` relation over all events. */
export function fullPartials(part: FeaturePart, env: PartEnvironment): { prepare: string[]; from: string } {
  const partials = part.partials!;
  const name = (r: string): string => {
    const relation = relationNamed(part, r);
    return relation.materialize ? scratchTable(part, relation) : `(${rowsOf(relation)})`;
  };
  const rowsOf = (r: PartialRelation) => (env.addressUse && r.fromAddressUse ? r.fromAddressUse(env.addressUse) : r.rows('events', name));
  const prepare = partials.relations
    .filter((r) => r.materialize)
    .map((r) => `CREATE OR REPLACE TEMP TABLE ${scratchTable(part, r)} AS ${rowsOf(r)}`);
  return { prepare, from: partials.from(name, env) };
}

/** The temp tables a full run of these parts may create. */
export function partialScratchTables(parts: readonly FeaturePart[]): string[] {
  return parts.flatMap((p) => (p.partials?.relations ?? []).filter((r) => r.materialize).map((r) => scratchTable(p, r)));
}

/** Carried run: the part's `FROM` relation over its kept tables. */
export function carriedFrom(part: FeaturePart, env: PartEnvironment): string {
  return part.partials!.from((r) => carriedTable(part, relationNamed(part, r)), env);
}

/**
 * The cut-off the kept partials of `parts` cover, or undefined when they are
 * to be rebuilt from all events (first run, none kept or one missing, or kept
 * past this cut-off). The state is dropped until markCovered: a run that
 * fails half-way leaves none, and the next one rebuilds.
 */
export async function takeCoveredCutoff(caseFile: CaseFile, carry: FeatureCarry, parts: readonly FeaturePart[]): Promise<number | undefined> {
  let covered: number | undefined;
  if (!carry.first) {
    const tables = [CARRY_STATE_TABLE, ...parts.flatMap((p) => (p.partials?.relations ?? []).map((r) => carriedTable(p, r)))];
    const kept = await caseFile.value<number>(
      `SELECT count(DISTINCT table_name)::INTEGER FROM information_schema.tables WHERE table_catalog = 'temp' AND table_name IN (${tables.map(literal).join(', ')})`,
      'account_features: finding the carried partials',
    );
    if (kept === tables.length) {
      covered = Number(await caseFile.value(`SELECT covered_ms FROM ${CARRY_STATE_TABLE}`, 'account_features: reading the carried cut-off'));
      if (!Number.isFinite(covered) || covered > carry.cutoffMs) covered = undefined;
    }
  }
  await caseFile.run(`DROP TABLE IF EXISTS ${CARRY_STATE_TABLE}`, 'account_features: clearing the carried cut-off');
  return covered;
}

export async function markCovered(caseFile: CaseFile, cutoffMs: number): Promise<void> {
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE ${CARRY_STATE_TABLE} AS SELECT ${cutoffMs}::BIGINT AS covered_ms`,
    'account_features: recording the carried cut-off',
  );
}

/**
 * Brings the part's kept relations up to this run's events: rebuilt from all
 * of them when `coveredMs` is undefined, otherwise merged with the rows over
 * the events at or after `coveredMs`.
 */
export async function updatePartials(caseFile: CaseFile, part: FeaturePart, coveredMs: number | undefined): Promise<void> {
  const name = (r: string) => carriedTable(part, relationNamed(part, r));
  for (const relation of part.partials?.relations ?? []) {
    const table = carriedTable(part, relation);
    const purpose = `account_features: carrying ${part.name}.${relation.name}`;
    if (coveredMs === undefined) {
      await caseFile.run(`CREATE OR REPLACE TEMP TABLE ${table} AS ${relation.rows('events', name)}`, purpose);
      continue;
    }
    if (relation.rowsSince) {
      await caseFile.run(`INSERT INTO ${table} BY NAME ${relation.rowsSince(coveredMs, name)}`, purpose);
      continue;
    }
    const slice = relation.rows(`(SELECT * FROM events WHERE ts >= ${tsSql(coveredMs)})`, name);
    await caseFile.run(relation.merge ? mergeSql(table, relation, slice) : appendSql(table, relation, slice), purpose);
  }
}

/** Counts, sums, min/max: the kept and the new rows grouped by the keys, replacing the kept table. */
function mergeSql(table: string, relation: PartialRelation, slice: string): string {
  const merged = Object.entries(relation.merge!).map(([column, aggregate]) => `${aggregate} AS ${column}`);
  return `CREATE OR REPLACE TEMP TABLE ${table} AS
    SELECT ${[...relation.keys, ...merged].join(', ')}
    FROM (SELECT * FROM ${table} UNION ALL BY NAME (${slice}))
    GROUP BY ${relation.keys.join(', ')}`;
}

/** A distinct set: the new rows whose keys are not kept yet, appended. */
function appendSql(table: string, relation: PartialRelation, slice: string): string {
  const same = relation.keys.map((k) => `o.${k} IS NOT DISTINCT FROM n.${k}`).join(' AND ');
  return `INSERT INTO ${table}
    SELECT n.* FROM (${slice}) n
    WHERE NOT EXISTS (SELECT 1 FROM ${table} o WHERE ${same})`;
}

/** Where a part's memo is kept between runs. */
const memoTable = (part: FeaturePart) => `_af_carry_${part.name}_${part.memo!.name}`;

/** Full run: the part's `FROM` relation with its memo rows computed inline. */
export function fullMemoFrom(part: FeaturePart, env: PartEnvironment): string {
  const memo = part.memo!;
  return memo.from(`(${memo.rows(`(${memo.inputs(`(${memo.keyed(env)})`)})`)})`, env);
}

/** Carried run: the kept memo extended with the rows of the keys it lacks (rebuilt on the first run), and the part's `FROM` relation over it. */
export async function carriedMemoFrom(caseFile: CaseFile, part: FeaturePart, env: PartEnvironment, carry: FeatureCarry): Promise<string> {
  const memo = part.memo!;
  const table = memoTable(part);
  const purpose = `account_features: carrying ${part.name}.${memo.name}`;
  if (carry.first || !(await caseFile.tableExists(table))) {
    await caseFile.run(`CREATE OR REPLACE TEMP TABLE ${table} AS ${memo.rows(`(${memo.inputs(`(${memo.keyed(env)})`)})`)}`, purpose);
  } else {
    const missing = `(SELECT * FROM (${memo.keyed(env)}) n WHERE NOT EXISTS (SELECT 1 FROM ${table} o WHERE o.${memo.key} = n.${memo.key}))`;
    await caseFile.run(`INSERT INTO ${table} ${memo.rows(`(${memo.inputs(missing)})`)}`, purpose);
  }
  return memo.from(table, env);
}
