// Every account feature, in column order, grouped by the pass that computes
// it. Parts run in this order: later parts may read earlier parts' tables.
import { ACTIVITY_PART } from './activity-part.js';
import { PROMPTS_PART, PROMPT_SAMPLE_PART, SYSTEM_PROMPTS_PART, TEMPLATES_PART } from './content-parts.js';
import type { FeatureDefinition, FeaturePart } from './feature-definition.js';
import { NEW_MODELS_PART, REGISTRY_PART, RELATED_BANS_PART } from './habit-parts.js';
import { CLIENTS_PART, END_USERS_PART, NETWORK_PART } from './network-parts.js';
import { HOURS_PART, SEQUENCE_PART } from './timing-parts.js';

export const FEATURE_PARTS: readonly FeaturePart[] = [
  ACTIVITY_PART,
  SEQUENCE_PART,
  HOURS_PART,
  NETWORK_PART,
  CLIENTS_PART,
  END_USERS_PART,
  PROMPTS_PART,
  PROMPT_SAMPLE_PART,
  SYSTEM_PROMPTS_PART,
  TEMPLATES_PART,
  NEW_MODELS_PART,
  RELATED_BANS_PART,
  REGISTRY_PART,
];

export const FEATURES: readonly FeatureDefinition[] = FEATURE_PARTS.flatMap((p) => p.features);

export const FEATURE_GROUPS = ['volume', 'timing', 'economics', 'infrastructure', 'content', 'operator habits'] as const;
