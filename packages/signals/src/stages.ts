// The analysis stages, in the order they run. Each area adds its stage here.
import type { AnalyzeStage } from './stage.js';
import { embeddingsStage, promptSampleStage, templatesStage } from './content/index.js';
import { ACCOUNT_FEATURES_STAGE } from './features/index.js';
import { coordinationStage, sharedInfrastructureStage } from './links/index.js';

export const STAGES: AnalyzeStage[] = [
  promptSampleStage(),
  templatesStage(),
  embeddingsStage(),
  ACCOUNT_FEATURES_STAGE,
  sharedInfrastructureStage(),
  coordinationStage(),
];
