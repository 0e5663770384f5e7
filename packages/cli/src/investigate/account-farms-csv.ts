// account_farms.csv (contract §5): one row per account seen in events, sorted
// by account_id, `farm_id` empty when the account is in no farm, `score` with
// exactly six decimals (DECIMAL(7,6)), so two runs give the same bytes.
// DuckDB builds and writes it (COPY); no row passes through JS.
import { CaseFile, FarmscopeError, literal } from '@farmscope/casefile';

const OUT = '_fs_account_farms_out';

export interface AccountFarmsCounts {
  accounts: number;
  /** Accounts placed in a farm. */
  flagged: number;
  farms: number;
}

/** Writes the file; throws an internal error when account_farms breaks its own contract (a missing account, a bad score). */
export async function writeAccountFarmsCsv(caseFile: CaseFile, path: string): Promise<AccountFarmsCounts> {
  if (!(await caseFile.tableExists('account_farms'))) throw new FarmscopeError('the analysis wrote no account_farms table');
  // Joined from the events' own accounts, so an account the analysis missed is caught, not silently absent.
  await caseFile.run(
    `CREATE OR REPLACE TEMP TABLE ${OUT} AS
     SELECT e.account_id, f.farm_id, f.score::DOUBLE AS score, f.account_id IS NULL AS missing
     FROM (SELECT DISTINCT account_id FROM events) e LEFT JOIN account_farms f USING (account_id)`,
    'collect the accounts and their farms',
  );
  try {
    const check = (await caseFile.one<{ rows: number; accounts: number; missing: number; bad: number; flagged: number; farms: number }>(
      `SELECT count(*)::BIGINT AS rows, count(DISTINCT account_id)::BIGINT AS accounts,
              count(*) FILTER (WHERE missing)::BIGINT AS missing,
              count(*) FILTER (WHERE NOT missing AND (score IS NULL OR isnan(score) OR score < 0 OR score > 1))::BIGINT AS bad,
              count(farm_id)::BIGINT AS flagged, count(DISTINCT farm_id)::BIGINT AS farms
       FROM ${OUT}`,
      'check account_farms',
    ))!;
    const problems = [
      check.rows !== check.accounts ? `${check.rows - check.accounts} account(s) with more than one row` : '',
      check.missing > 0 ? `${check.missing} account(s) of events missing` : '',
      check.bad > 0 ? `${check.bad} score(s) null or outside [0,1]` : '',
    ].filter(Boolean);
    if (problems.length > 0) throw new FarmscopeError(`account_farms is inconsistent: ${problems.join('; ')}`);
    await caseFile.run(
      `COPY (SELECT account_id, farm_id, round(score, 6)::DECIMAL(7,6) AS score FROM ${OUT} ORDER BY account_id)
       TO ${literal(path)} (FORMAT csv, HEADER true)`,
      'write account_farms.csv',
    );
    return { accounts: check.accounts, flagged: check.flagged, farms: check.farms };
  } finally {
    await caseFile.run(`DROP TABLE IF EXISTS ${OUT}`);
  }
}
