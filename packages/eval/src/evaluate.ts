// evaluate(): scores an investigation's farm assignments against ground
// truth. Everything heavy runs in DuckDB on the case file's connection, in
// TEMP tables that never touch the file (it may be open read-only); the
// partition metrics are computed in TS from the grouped contingency table.
import { InputError, type CaseFile } from '@farmscope/casefile';
import { accountLevelMetrics, type AccountLevel } from './account-metrics.js';
import { contingencyProfile } from './contingency-profile.js';
import { buildEvaluationAccounts, type AccountCounts, type Weighting } from './evaluation-accounts.js';
import { farmRecovery, type FarmRecovery } from './farm-recovery.js';
import { legitimatePopulations, type LegitimatePopulation } from './legitimate-populations.js';
import { partitionAgreement, type PartitionAgreement } from './partition-metrics.js';
import { loadPredictions } from './prediction-table.js';
import { loadRequestCounts } from './request-counts.js';
import { dropScratchTables } from './scratch-tables.js';
import { loadTruth } from './truth-table.js';

export interface EvaluateOptions {
  /** Ground truth file (Parquet, CSV or JSON Lines): account_id, farm_id, campaign. */
  truthPath: string;
  /** account_farms.csv (or Parquet/JSONL); default: the case file's account_farms table. */
  predPath?: string;
  /** Events file to count requests per account; default: the case file's events table, if any. */
  eventsPath?: string;
  /** Count predicted accounts missing from the truth as legitimate instead of failing. */
  allowUnknown?: boolean;
  /** Account-level metrics count each account once (uniform) or by its requests. */
  weighting?: Weighting;
}

/** Jaccard similarity at which a true farm counts as recovered. */
export const RECOVERY_THRESHOLD = 0.5;

export interface Evaluation {
  inputs: {
    truth: string;
    predictions: string;
    /** Where requests were counted; null when nowhere (then request metrics are null). */
    requests: string | null;
    weighting: Weighting;
    allowUnknown: boolean;
  };
  accounts: AccountCounts;
  accountLevel: AccountLevel & { weighting: Weighting };
  partition: {
    /** How AMI is normalised: arithmetic mean of the two entropies (scikit-learn's default). */
    amiNormalisation: 'arithmetic';
    /** Every account; accounts in no farm are singletons on both sides. */
    withSingletons: PartitionAgreement | null;
    /** Only the accounts that are true farm members (legitimate accounts left out). */
    farmMembersOnly: PartitionAgreement | null;
  };
  legitimatePopulations: LegitimatePopulation[];
  trueFarms: {
    recoveryThreshold: number;
    total: number;
    recovered: number;
    /** Share of true farms whose best match has Jaccard ≥ the threshold; null without true farms. */
    recoveredShare: number | null;
    farms: FarmRecovery[];
  };
  attackRequests: {
    /** Requests of true farm accounts. */
    total: number | null;
    /** Of those, requests of accounts placed in a farm. */
    attributed: number | null;
    share: number | null;
    /** Why the share is null, when it is. */
    reason: string | null;
  };
  notes: string[];
}

export async function evaluate(caseFile: CaseFile, options: EvaluateOptions): Promise<Evaluation> {
  const weighting = options.weighting ?? 'uniform';
  const allowUnknown = options.allowUnknown ?? false;
  await dropScratchTables(caseFile);
  try {
    const truth = await loadTruth(caseFile, options.truthPath);
    const predictions = await loadPredictions(caseFile, options.predPath);
    const requests = await loadRequestCounts(caseFile, options.eventsPath);
    if (weighting === 'requests' && !requests.available) {
      throw new InputError(`--accounts-weighting requests needs request counts: ${requests.reason}`);
    }
    const accounts = await buildEvaluationAccounts(caseFile, {
      hasRequests: requests.available,
      weighting,
      allowUnknown,
      predictions: predictions.description,
    });
    const farms = await farmRecovery(caseFile);
    const recovered = farms.filter((f) => f.jaccard >= RECOVERY_THRESHOLD).length;
    return {
      inputs: {
        truth: truth.description,
        predictions: predictions.description,
        requests: requests.available ? requests.source : null,
        weighting,
        allowUnknown,
      },
      accounts,
      accountLevel: { weighting, ...(await accountLevelMetrics(caseFile)) },
      partition: {
        amiNormalisation: 'arithmetic',
        withSingletons: partitionAgreement(await contingencyProfile(caseFile, 'all accounts')),
        farmMembersOnly: partitionAgreement(await contingencyProfile(caseFile, 'true farm members')),
      },
      legitimatePopulations: await legitimatePopulations(caseFile),
      trueFarms: {
        recoveryThreshold: RECOVERY_THRESHOLD,
        total: farms.length,
        recovered,
        recoveredShare: farms.length > 0 ? recovered / farms.length : null,
        farms,
      },
      attackRequests: attackRequests(farms, requests.available ? null : requests.reason),
      notes: notes(accounts),
    };
  } finally {
    await dropScratchTables(caseFile);
  }
}

function attackRequests(farms: readonly FarmRecovery[], unavailable: string | null): Evaluation['attackRequests'] {
  if (unavailable !== null) return { total: null, attributed: null, share: null, reason: unavailable };
  const total = farms.reduce((s, f) => s + (f.requests ?? 0), 0);
  const attributed = farms.reduce((s, f) => s + (f.requestsAttributed ?? 0), 0);
  if (total === 0) return { total, attributed, share: null, reason: 'the true farm accounts made no request in the events' };
  return { total, attributed, share: attributed / total, reason: null };
}

function notes(accounts: AccountCounts): string[] {
  const out: string[] = [];
  if (accounts.missingFromPredictions > 0) {
    out.push(`${accounts.missingFromPredictions} truth account(s) have no prediction: counted as unflagged, score 0`);
  }
  if (accounts.unknownToTruth > 0) {
    out.push(`${accounts.unknownToTruth} predicted account(s) are not in the truth: counted as legitimate (--allow-unknown)`);
  }
  return out;
}
