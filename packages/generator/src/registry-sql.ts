// The account registry and the ground truth of a run, as queries over
// `gen_accounts` with exactly the contract's columns, ordered by account id
// (which is a hash, so the order says nothing about populations).
import { ACCOUNTS, TRUTH, type ContractTable } from '@farmscope/casefile';
import { ACCOUNTS_TABLE } from './accounts-sql.js';

function contractSelect(table: ContractTable): string {
  const columns = table.columns.map((c) => `CAST(${c.name} AS ${c.sqlType}) AS ${c.name}`);
  return `SELECT ${columns.join(', ')} FROM ${ACCOUNTS_TABLE} ORDER BY account_id`;
}

export function accountsRegistrySql(): string {
  return contractSelect(ACCOUNTS);
}

export function truthSql(): string {
  return contractSelect(TRUTH);
}
