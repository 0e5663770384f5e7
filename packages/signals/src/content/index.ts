// Prompt content signals: templates (near-duplicate groups of normalised
// prompts) and per-account prompt embeddings.
export * from './prompt-sample-stage.js';
export * from './prompt-normalize.js';
export * from './template-sketch.js';
export * from './template-params.js';
export * from './template-groups.js';
export * from './templates-stage.js';
export * from './prompt-embedder.js';
export * from './hashed-embedder.js';
export * from './embeddings-stage.js';
