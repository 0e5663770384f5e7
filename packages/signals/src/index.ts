// @farmscope/signals: per-account signals computed in DuckDB.
export * from './stage.js';
export * from './case-inputs.js';
export * from './stages.js';
export * from './analyze.js';
export * from './source-gaps.js';
export * from './features/index.js';
export * from './content/index.js';
export * from './links/index.js';
