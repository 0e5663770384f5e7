// The analysis stages, in the order they run. Each area adds its stage here.
import type { AnalyzeStage } from './stage.js';
import { coordinationStage, sharedInfrastructureStage } from './links/index.js';

export const STAGES: AnalyzeStage[] = [
  sharedInfrastructureStage(),
  coordinationStage(),
];
