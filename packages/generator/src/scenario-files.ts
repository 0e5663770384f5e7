// Where scenarios come from: a shipped name (`tiny`, `mixed`, `claude-2026`,
// ... in datasets/scenarios/) or a path to a JSON file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { InputError } from '@farmscope/casefile';
import { parseScenario } from './scenario-schema.js';
import { nearest } from './schema-check.js';
import type { Scenario } from './scenario.js';

/** datasets/scenarios of the workspace; src/ and dist/ are both one level under the package. */
export const SHIPPED_SCENARIOS_DIR = fileURLToPath(new URL('../../../datasets/scenarios/', import.meta.url));

export function shippedScenarioNames(): string[] {
  if (!existsSync(SHIPPED_SCENARIOS_DIR)) return [];
  return readdirSync(SHIPPED_SCENARIOS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export interface LoadedScenario {
  scenario: Scenario;
  source: string;
}

/** Reads, checks and resolves a scenario by shipped name or file path. */
export function loadScenario(nameOrPath: string, scale: number): LoadedScenario {
  const isPath = nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.json');
  const path = isPath ? nameOrPath : join(SHIPPED_SCENARIOS_DIR, `${nameOrPath}.json`);
  if (!existsSync(path)) {
    const names = shippedScenarioNames();
    const near = isPath ? undefined : nearest(nameOrPath, names);
    throw new InputError(
      isPath
        ? `scenario file not found: ${nameOrPath}`
        : `unknown scenario "${nameOrPath}"${near ? ` (did you mean "${near}"?)` : ''}; shipped: ${names.join(', ')}`,
    );
  }
  return { scenario: parseScenario(readFileSync(path, 'utf8'), isPath ? nameOrPath : `${nameOrPath}.json`, scale), source: path };
}
