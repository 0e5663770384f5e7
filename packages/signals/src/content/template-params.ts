// Parameters of template grouping, in one place so the README, the stage
// notes and the tests quote the same numbers.
import { DEFAULT_SKETCH, type SketchParams } from './template-sketch.js';

export interface TemplateParams {
  sketch: SketchParams;
  /** Two normalised texts are the same template when the Jaccard similarity of their shingle sets is at least this. */
  minJaccard: number;
  /** A template used by at most this many accounts is "rare" (account_templates.rare_template_share). */
  rareMaxAccounts: number;
  /** Pointer-jumping rounds at most (each halves every path to a root; 40 covers any realistic chain). */
  maxRounds: number;
}

export const DEFAULT_TEMPLATE_PARAMS: TemplateParams = {
  sketch: DEFAULT_SKETCH,
  // 0.5: masked slot values leave two fills of one template sharing most
  // words; two different requests that share only a topic word stay apart.
  minJaccard: 0.4,
  rareMaxAccounts: 5,
  maxRounds: 40,
};
