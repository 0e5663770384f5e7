// Sentences the HTML, the Markdown and the regulator summary share: how the
// farms were found (in brief; the full method is packages/farms/README.md)
// and the data-quality notes read from the case file.
import type { CaseFacts } from './case-facts.js';
import { fmt } from './report-model.js';

export const METHOD_PARAGRAPHS: readonly string[] = [
  'Each account was scored from 57 behaviour, timing, economics, infrastructure and content features, each read as a robust z-score against this case\u2019s own median and spread (no constant tuned to another data set), in six signal groups: elicitation content, output-heavy economics, automation, account churn, coordination and shared infrastructure.',
  'Suspect accounts were clustered by behaviour (k-means, k chosen by the silhouette) and linked pairwise by shared rare infrastructure (weighted by rarity, Fraudar\u2019s 1/log(d + 5)), co-activity beyond a Poisson chance model (SynchroTrap), hand-offs after bans, shared prompt templates and daily rhythm.',
  'Communities were formed over confident, corroborated edges (weighted structural similarity, SCAN) and called farms only when their members both look like harvesting (elicitation prompts or long outputs for short inputs) and show signs of one operator. Each farm\u2019s linkage was tested against chance (whole-day shifts of each member\u2019s activity; operator links against random placement): its p-value.',
  'Confidence in this report: every farm passed the farm bars (harvest and operator evidence); its confidence is high when the p-value against chance is at most 0.01, moderate at most 0.05, low otherwise. The full method and every parameter: packages/farms/README.md in Farmscope; the effective parameters of the analysis are in investigate\u2019s manifest.json.',
];

export function dataQualityNotes(f: CaseFacts): string[] {
  const notes: string[] = [];
  const rejected = f.rejected.reduce((s, r) => s + r.rows, 0);
  notes.push(rejected === 0
    ? 'No row was rejected at ingest.'
    : `${fmt.int(rejected)} rows were rejected at ingest and kept in rejected_rows with their reason: ${f.rejected.map((r) => `${r.table} ${r.reasonCode} ${fmt.int(r.rows)}`).join(', ')}.`);
  const truncated = f.ingestedFiles.reduce((s, x) => s + x.textsTruncated, 0);
  if (truncated > 0) notes.push(`${fmt.int(truncated)} prompts were longer than the ingest limit and were cut before analysis.`);
  const duplicates = f.ingestedFiles.reduce((s, x) => s + x.rowsDuplicate, 0);
  if (duplicates > 0) notes.push(`${fmt.int(duplicates)} repeated records (same key) were counted once.`);
  for (const t of f.missingTables) notes.push(`No ${t} table: the signals that need it (${t === 'accounts' ? 'cards, signup addresses, e-mail, signup age' : 'hand-offs after bans, banned relatives'}) were not computed.`);
  if (f.unavailableFeatures.length > 0) {
    notes.push(`${f.unavailableFeatures.length} features could not be computed from the inputs: ${f.unavailableFeatures.map((x) => `${x.feature}${x.needs ? ` (needs ${x.needs})` : ''}`).join(', ')}.`);
  }
  if (f.farms === 0) notes.push('No farm was found; a short or small log gives less evidence, and the farm bars are not lowered for it.');
  notes.push('Content features are computed on a deterministic sample of about 64 prompts per account; links through values held by very many accounts are ring-sampled (see the links README).');
  return notes;
}
