// False positives per legitimate population: for each truth campaign of the
// accounts with no true farm (campus NAT, enterprise, benchmark runners, ...),
// how many accounts it has and how many were placed in a farm.
import type { CaseFile } from '@farmscope/casefile';
import { SCRATCH } from './scratch-tables.js';

export interface LegitimatePopulation {
  campaign: string;
  accounts: number;
  flagged: number;
  /** flagged / accounts. */
  share: number;
}

export async function legitimatePopulations(caseFile: CaseFile): Promise<LegitimatePopulation[]> {
  return caseFile.all<LegitimatePopulation & Record<string, unknown>>(
    `SELECT campaign, count(*)::BIGINT AS accounts, count(predicted_farm)::BIGINT AS flagged,
       count(predicted_farm) / count(*) AS share
FROM temp.${SCRATCH.accounts} WHERE true_farm IS NULL
GROUP BY campaign ORDER BY campaign`,
    'false positives per legitimate population',
  );
}
