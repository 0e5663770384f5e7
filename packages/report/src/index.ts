// @farmscope/report: reports from an analysed case file (HTML with charts,
// Markdown, BagIt evidence, STIX 2.1, Timesketch timeline, regulator summary),
// with optional redaction; and the byte-stable JSON and file digests the
// investigation's outputs share.
export * from './canonical-json.js';
export * from './file-digest.js';
export * from './redaction.js';
export * from './report-model.js';
export * from './farm-facts.js';
export * from './case-facts.js';
export * from './charts.js';
export * from './evidence-bag.js';
export * from './stix-bundle.js';
export * from './write-report.js';
export { escapeHtml, reportHtml } from './report-html.js';
export { reportMarkdown } from './report-markdown.js';
export { regulatorSummary } from './regulator-summary.js';
