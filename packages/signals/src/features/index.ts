// The account_features stage and its feature definitions.
export * from './feature-definition.js';
export * from './feature-catalog.js';
export * from './feature-sql.js';
export * from './feature-dictionary.js';
export * from './elicitation-families.js';
export { ACCOUNT_FEATURES_STAGE, accountFeaturesStage, computeAccountFeatures, DEFAULT_ENVIRONMENT } from './account-features-stage.js';
export { type FeatureCarry } from './feature-carry.js';
