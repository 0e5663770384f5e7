// Per true farm: how many of its accounts were flagged, the predicted farm
// that best matches it by Jaccard similarity |T ∩ P| / |T ∪ P| (ties go to the
// smaller predicted id, so output is stable), and its requests attributed.
import type { CaseFile } from '@farmscope/casefile';
import { SCRATCH } from './scratch-tables.js';

export interface FarmRecovery {
  farmId: string;
  campaign: string;
  size: number;
  /** Members placed in any predicted farm. */
  flagged: number;
  /** Predicted farm with the highest Jaccard similarity; null when no member is flagged. */
  bestMatch: string | null;
  bestMatchSize: number;
  /** Members of the true farm in the best match. */
  overlap: number;
  jaccard: number;
  /** Requests of the farm's accounts, and of those flagged; null without request counts. */
  requests: number | null;
  requestsAttributed: number | null;
}

export async function farmRecovery(caseFile: CaseFile): Promise<FarmRecovery[]> {
  return caseFile.all<FarmRecovery & Record<string, unknown>>(
    `WITH true_farms AS (
  SELECT true_farm, min(campaign) AS campaign, count(*) AS size, count(predicted_farm) AS flagged,
         sum(requests) AS requests, sum(requests) FILTER (predicted_farm IS NOT NULL) AS attributed
  FROM temp.${SCRATCH.accounts} WHERE true_farm IS NOT NULL GROUP BY ALL
), predicted_farms AS (
  SELECT predicted_farm, count(*) AS size
  FROM temp.${SCRATCH.accounts} WHERE predicted_farm IS NOT NULL GROUP BY ALL
), intersections AS (
  SELECT true_farm, predicted_farm, count(*) AS overlap
  FROM temp.${SCRATCH.accounts} WHERE true_farm IS NOT NULL AND predicted_farm IS NOT NULL GROUP BY ALL
), best AS (
  SELECT o.true_farm, o.predicted_farm, p.size AS predicted_size, o.overlap,
         o.overlap / (t.size + p.size - o.overlap) AS jaccard
  FROM intersections o JOIN true_farms t USING (true_farm) JOIN predicted_farms p USING (predicted_farm)
  QUALIFY row_number() OVER (PARTITION BY o.true_farm ORDER BY jaccard DESC, o.predicted_farm) = 1
)
SELECT t.true_farm AS "farmId", t.campaign, t.size::BIGINT AS size, t.flagged::BIGINT AS flagged,
       b.predicted_farm AS "bestMatch", coalesce(b.predicted_size, 0)::BIGINT AS "bestMatchSize",
       coalesce(b.overlap, 0)::BIGINT AS overlap, coalesce(b.jaccard, 0)::DOUBLE AS jaccard,
       t.requests::BIGINT AS requests,
       CASE WHEN t.requests IS NULL THEN NULL ELSE coalesce(t.attributed, 0) END::BIGINT AS "requestsAttributed"
FROM true_farms t LEFT JOIN best b USING (true_farm)
ORDER BY t.true_farm`,
    'match true farms to predicted farms',
  );
}
