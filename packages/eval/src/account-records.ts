// Per-account records (truth, predictions) copied from their source into a
// scratch table and checked: the first bad record fails the evaluation with
// an input error naming the source, the row and the value, so the user can
// open the file at that row.
import { CaseFile, InputError } from '@farmscope/casefile';
import { runOnSource, type RecordSource } from './record-sources.js';

/**
 * Copies `source` into the scratch `table` as (source_row, account_id,
 * farm_id, ...columns) and checks that every record has an account id and
 * every account appears once. An empty farm_id (CSV has no null) is null.
 */
export async function loadAccountRecords(
  caseFile: CaseFile,
  source: RecordSource,
  table: string,
  columns: readonly string[],
): Promise<void> {
  await runOnSource(
    caseFile,
    source,
    `CREATE TEMP TABLE ${table} AS
SELECT source_row,
       account_id::VARCHAR AS account_id,
       nullif(farm_id::VARCHAR, '') AS farm_id,
       ${columns.join(',\n       ')}
FROM ${source.relation}`,
  );
  await rejectMissingAccountIds(caseFile, table, source);
  await rejectDuplicateAccounts(caseFile, table, source);
}

type BadRow = {
  source_row: number;
  account_id: string | null;
  value: string | null;
};

/**
 * Fails on the first row (in source order) where `condition` holds.
 * `value` is a SQL expression quoted in the message; `problem` says what is wrong with it.
 */
export async function rejectFirstRow(
  caseFile: CaseFile,
  table: string,
  source: RecordSource,
  check: { condition: string; value: string; problem: (value: string | null) => string },
): Promise<void> {
  const bad = await caseFile.one<BadRow>(
    `SELECT source_row::BIGINT AS source_row, account_id, (${check.value})::VARCHAR AS value
FROM temp.${table} WHERE ${check.condition} ORDER BY source_row LIMIT 1`,
    `check ${source.description}`,
  );
  if (!bad) return;
  const account = bad.account_id ? ` (account "${bad.account_id}")` : '';
  throw new InputError(`${source.description} row ${bad.source_row}${account}: ${check.problem(bad.value)}`);
}

/** Fails when an account appears twice, naming it and its first rows. */
async function rejectDuplicateAccounts(caseFile: CaseFile, table: string, source: RecordSource): Promise<void> {
  const duplicate = await caseFile.one<{ account_id: string; rows: number[]; n: number }>(
    `WITH repeated AS (SELECT account_id FROM temp.${table} GROUP BY account_id HAVING count(*) > 1)
SELECT account_id, list(source_row::BIGINT ORDER BY source_row)[1:3] AS rows, count(*)::BIGINT AS n
FROM temp.${table} JOIN repeated USING (account_id)
GROUP BY account_id ORDER BY min(source_row) LIMIT 1`,
    `look for duplicate accounts in ${source.description}`,
  );
  if (!duplicate) return;
  throw new InputError(
    `${source.description}: account_id "${duplicate.account_id}" appears ${duplicate.n} times (rows ${duplicate.rows.join(', ')}${duplicate.n > 3 ? ', ...' : ''}); each account must appear once`,
  );
}

/** Fails on the first row without an account id. */
async function rejectMissingAccountIds(caseFile: CaseFile, table: string, source: RecordSource): Promise<void> {
  await rejectFirstRow(caseFile, table, source, {
    condition: `account_id IS NULL OR account_id = ''`,
    value: 'account_id',
    problem: () => 'account_id is empty',
  });
}
