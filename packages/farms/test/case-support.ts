// Helpers for the end-to-end farm tests: a generated scenario loaded into a
// real case file and fully analysed, and the bar's metrics computed in SQL
// against truth.parquet.
import { CaseFile, literal } from '@farmscope/casefile';
import { analyzeCase, type FarmConfig } from '@farmscope/farms';
import { generate } from '@farmscope/generator';
import { ingest } from '@farmscope/ingest';
import type { TempFolder } from '../../../test/support/temp-folder.js';

/** Generates `scenario`, ingests it into `<name>.duckdb` in the temp folder, loads truth and runs every analysis stage. */
export async function analysedCase(
  tmp: TempFolder, name: string, scenario: string, seed: number, scale: number, config?: FarmConfig,
): Promise<CaseFile> {
  const { files } = await generate({ scenario, seed, scale, out: tmp.path(name) });
  const db = await CaseFile.open(tmp.path(`${name}.duckdb`));
  await ingest(db, [
    { table: 'events', inputs: [files.events] },
    { table: 'accounts', inputs: [files.accounts] },
    { table: 'enforcement', inputs: [files.enforcement] },
  ]);
  await db.run(`CREATE TABLE truth AS FROM read_parquet(${literal(files.truth)})`);
  await analyzeCase(db, config ? { config } : {});
  return db;
}

export interface FarmMetrics {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** B-cubed over the accounts in a true or a predicted farm; an account in none on one side is a singleton there. */
  bcubedPrecision: number;
  bcubedRecall: number;
  bcubedF1: number;
  farms: number;
  /** Share of each legitimate population's accounts placed in a farm. */
  flaggedShare: Record<string, number>;
}

export async function farmMetrics(db: CaseFile): Promise<FarmMetrics> {
  const j = `SELECT t.account_id, t.farm_id AS tf, t.campaign, a.farm_id AS pf FROM truth t JOIN account_farms a USING (account_id)`;
  const m = await db.one<{ tp: number; fp: number; fn: number; farms: number }>(
    `SELECT count(*) FILTER (tf IS NOT NULL AND pf IS NOT NULL)::INTEGER AS tp, count(*) FILTER (tf IS NULL AND pf IS NOT NULL)::INTEGER AS fp,
       count(*) FILTER (tf IS NOT NULL AND pf IS NULL)::INTEGER AS fn, count(DISTINCT pf)::INTEGER AS farms FROM (${j})`,
  );
  const b = await db.one<{ p: number; r: number }>(
    `WITH b AS (SELECT account_id, coalesce(tf, 'L:' || account_id) AS tf, coalesce(pf, 'P:' || account_id) AS pf FROM (${j}) WHERE tf IS NOT NULL OR pf IS NOT NULL),
     per AS (SELECT x.account_id, count(*) FILTER (x.pf = y.pf AND x.tf = y.tf) AS both_, count(*) FILTER (x.pf = y.pf) AS same_p,
               count(*) FILTER (x.tf = y.tf) AS same_t
             FROM b x JOIN b y ON x.pf = y.pf OR x.tf = y.tf GROUP BY x.account_id)
     SELECT coalesce(avg(both_ / same_p), 1) AS p, coalesce(avg(both_ / same_t), 1) AS r FROM per`,
  );
  const flagged = await db.all<{ campaign: string; share: number }>(
    `SELECT campaign, count(pf) / count(*) AS share FROM (${j}) WHERE tf IS NULL GROUP BY campaign`,
  );
  const { tp, fp, fn } = m!;
  const p = b!.p;
  const r = b!.r;
  return {
    truePositives: tp, falsePositives: fp, falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    bcubedPrecision: p, bcubedRecall: r, bcubedF1: p + r === 0 ? 0 : (2 * p * r) / (p + r),
    farms: m!.farms,
    flaggedShare: Object.fromEntries(flagged.map((f) => [f.campaign, f.share])),
  };
}
