// The contingency table of the true and predicted farm partitions, grouped in
// DuckDB into its profile (distinct overlap / row size / column size, and how
// many cells have each): the partition metrics need nothing else. Accounts in
// no farm (legitimate in truth, unflagged in the prediction) are singletons.
import type { CaseFile } from '@farmscope/casefile';
import type { ContingencyCell } from './partition-metrics.js';
import { SCRATCH } from './scratch-tables.js';

/** Which accounts a partition comparison covers. */
export type PartitionScope = 'all accounts' | 'true farm members';

export async function contingencyProfile(caseFile: CaseFile, scope: PartitionScope): Promise<ContingencyCell[]> {
  const where = scope === 'true farm members' ? 'WHERE true_farm IS NOT NULL' : '';
  return caseFile.all<ContingencyCell & Record<string, unknown>>(
    `WITH labelled AS (
  -- The prefixes keep a farm id from ever equalling a singleton's account id.
  SELECT coalesce('farm:' || true_farm, 'account:' || account_id) AS true_label,
         coalesce('farm:' || predicted_farm, 'account:' || account_id) AS predicted_label
  FROM temp.${SCRATCH.accounts} ${where}
), cells AS (
  SELECT true_label, predicted_label, count(*) AS overlap FROM labelled GROUP BY ALL
), true_sizes AS (
  SELECT true_label, sum(overlap) AS row_size FROM cells GROUP BY ALL
), predicted_sizes AS (
  SELECT predicted_label, sum(overlap) AS column_size FROM cells GROUP BY ALL
)
SELECT overlap::BIGINT AS overlap, row_size::BIGINT AS "rowSize", column_size::BIGINT AS "columnSize", count(*)::BIGINT AS count
FROM cells JOIN true_sizes USING (true_label) JOIN predicted_sizes USING (predicted_label)
GROUP BY ALL ORDER BY ALL`,
    `contingency table (${scope})`,
  );
}
