// Parameters of template grouping, in one place so the README, the stage
// notes and the tests quote the same numbers.
import { DEFAULT_SKETCH, type SketchParams } from './template-sketch.js';

export interface TemplateParams {
  sketch: SketchParams;
  /** A text joins a heavier one's template when the estimated Jaccard similarity of their shingle sets is at least this. */
  minJaccard: number;
  /** A template used by at most this many accounts is "rare" (account_templates.rare_template_share). */
  rareMaxAccounts: number;
  /** Pointer-jumping rounds at most (each halves every path to a root; 40 covers any realistic chain). */
  maxRounds: number;
}

export const DEFAULT_TEMPLATE_PARAMS: TemplateParams = {
  sketch: DEFAULT_SKETCH,
  // 0.4: after masking, two fills of one template that differ in a
  // lower-case slot (a task description, a topic) still share 40-60% of
  // their unigrams and bigrams; at 0.5 many such fills fell into separate
  // templates on `mixed`. The hill-climb (template-groups.ts) keeps the
  // lower threshold from chaining unrelated prompts together.
  minJaccard: 0.4,
  rareMaxAccounts: 5,
  maxRounds: 40,
};
