// @farmscope/eval: scores an investigation's farm assignments against ground
// truth (account precision/recall/F1, AUPRC, B-cubed, ARI, AMI, per-farm
// Jaccard, attributed requests). Start with evaluate() and formatEvaluation().
export * from './evaluate.js';
export * from './format-evaluation.js';
export type { AccountLevel } from './account-metrics.js';
export type { AccountCounts, Weighting } from './evaluation-accounts.js';
export type { FarmRecovery } from './farm-recovery.js';
export type { LegitimatePopulation } from './legitimate-populations.js';
export * from './log-gamma.js';
export * from './expected-mutual-information.js';
export * from './partition-metrics.js';
export * from './score-curve.js';
