// @farmscope/replay: replays a usage log in time order and reports when each
// farm would have been detected and what it had harvested by then.
export * from './durations.js';
export * from './replay-schedule.js';
export * from './replay-case.js';
export * from './step-views.js';
export * from './incremental-sample.js';
export * from './incremental-features.js';
export * from './incremental-links.js';
export * from './step-analysis.js';
export * from './step-scratch.js';
export * from './suspect-embeddings.js';
export * from './farm-tracking.js';
export * from './replay-figures.js';
export * from './harvest-chart.js';
export * from './replay-folder.js';
export * from './replay-outputs.js';
export * from './replay.js';
