// The one table every metric reads: each account of truth ∪ predictions with
// its true farm, predicted farm, score, requests and weight. An account in the
// truth but not in the predictions is unflagged with score 0; an account
// predicted but unknown to the truth is an error unless allowed, and then
// counts as legitimate, campaign "(not in truth)".
import { CaseFile, InputError } from '@farmscope/casefile';
import { SCRATCH } from './scratch-tables.js';

export const NOT_IN_TRUTH = '(not in truth)';

/** How much each account counts in the account-level metrics. */
export type Weighting = 'uniform' | 'requests';

export interface AccountCounts {
  inTruth: number;
  inPredictions: number;
  evaluated: number;
  missingFromPredictions: number;
  unknownToTruth: number;
  trueFarmMembers: number;
  legitimate: number;
  flagged: number;
}

export async function buildEvaluationAccounts(
  caseFile: CaseFile,
  options: { hasRequests: boolean; weighting: Weighting; allowUnknown: boolean; predictions: string },
): Promise<AccountCounts> {
  const requests = options.hasRequests ? 'coalesce(r.requests, 0)' : 'CAST(NULL AS BIGINT)';
  const join = options.hasRequests ? `LEFT JOIN temp.${SCRATCH.requests} r USING (account_id)` : '';
  await caseFile.run(
    `CREATE TEMP TABLE ${SCRATCH.accounts} AS
SELECT account_id,
       t.account_id IS NOT NULL AS in_truth,
       p.account_id IS NOT NULL AS in_predictions,
       t.farm_id AS true_farm,
       coalesce(t.campaign, '${NOT_IN_TRUTH}') AS campaign,
       p.farm_id AS predicted_farm,
       coalesce(p.score, 0) AS score,
       ${requests} AS requests,
       ${options.weighting === 'requests' ? requests : '1'}::BIGINT AS weight
FROM temp.${SCRATCH.truth} t
FULL OUTER JOIN temp.${SCRATCH.predictions} p USING (account_id)
${join}`,
    'join truth and predictions',
  );
  const counts = (await caseFile.one<Record<string, number>>(
    `SELECT count(*) FILTER (in_truth)::BIGINT AS "inTruth",
       count(*) FILTER (in_predictions)::BIGINT AS "inPredictions",
       count(*)::BIGINT AS evaluated,
       count(*) FILTER (NOT in_predictions)::BIGINT AS "missingFromPredictions",
       count(*) FILTER (NOT in_truth)::BIGINT AS "unknownToTruth",
       count(true_farm)::BIGINT AS "trueFarmMembers",
       count(*) FILTER (true_farm IS NULL)::BIGINT AS legitimate,
       count(predicted_farm)::BIGINT AS flagged
FROM temp.${SCRATCH.accounts}`,
    'count the accounts',
  )) as unknown as AccountCounts;
  if (counts.unknownToTruth > 0 && !options.allowUnknown) {
    const examples = await caseFile.all<{ account_id: string }>(
      `SELECT account_id FROM temp.${SCRATCH.accounts} WHERE NOT in_truth ORDER BY account_id LIMIT 3`,
    );
    throw new InputError(
      `${options.predictions}: ${counts.unknownToTruth} account(s) are not in the truth file ` +
        `(${examples.map((e) => `"${e.account_id}"`).join(', ')}${counts.unknownToTruth > 3 ? ', ...' : ''}); ` +
        `pass --allow-unknown to count them as legitimate`,
    );
  }
  return counts;
}
