// @farmscope/eval: scores an investigation's output against ground truth.
export * from './log-gamma.js';
export * from './expected-mutual-information.js';
export * from './partition-metrics.js';
