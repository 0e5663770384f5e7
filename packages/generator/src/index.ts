// @farmscope/generator: synthetic usage logs with ground truth, from scenario files.
export * from './scenario.js';
export { kindDefaults } from './population-kinds.js';
export { SCENARIO_SCHEMA, checkScenario, parseScenario, resolveScenario } from './scenario-schema.js';
export { loadScenario, shippedScenarioNames, SHIPPED_SCENARIOS_DIR } from './scenario-files.js';
export { OUTPUT_TABLES, outputFileNames, SCENARIO_COPY, type OutputFormat } from './output-folder.js';
export { generate, type GenerateOptions, type GenerateResult } from './generate.js';
export { SCENARIO_KNOBS, readRawScenario, scenarioVariant, type RawScenario, type ScenarioKnob, type ScenarioKnobName } from './scenario-variants.js';
