// @farmscope/farms: farm reconstruction and distillation scoring over the signal tables.
export * from './farm-config.js';
export * from './signal-features.js';
export * from './account-scores.js';
export * from './pair-scores.js';
export * from './communities.js';
export * from './null-model.js';
export * from './farm-assembly.js';
export * from './address-pools.js';
export * from './farm-stages.js';
export * from './farm-evidence.js';
export * from './farm-documents.js';
export * from './analyze-case.js';
export * from './farm-tables.js';
export * from './readme-sections.js';
