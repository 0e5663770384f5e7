// @farmscope/ingest: loads usage logs into the case file with per-row validation.
export * from './source-format.js';
export * from './source-files.js';
export * from './column-mapping.js';
export * from './case-schema.js';
export * from './ingest-file.js';
export * from './ingest.js';
export * from './data-dictionary.js';
export * from './sources/source-adapter.js';
export * from './sources/source-registry.js';
export { caseSourceGaps, SOURCE_CAPABILITIES, type CaseSourceGap, type SourceGap } from './sources/source-capabilities.js';
export { CLOUDTRAIL_EVENTS } from './sources/cloudtrail.js';
export { supportedSourcesMarkdown } from './sources/sources-markdown.js';
