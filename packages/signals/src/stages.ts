// The analysis stages, in the order they run. Each area adds its stage here.
import type { AnalyzeStage } from './stage.js';

export const STAGES: AnalyzeStage[] = [];
