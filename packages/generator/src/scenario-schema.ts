// The scenario file format: its schema, the checks across fields that a schema
// cannot express, and the resolution of a checked file into a full Scenario
// (kind defaults merged, --scale applied). Nothing is generated or written
// before a scenario has passed all of this.
import { InputError } from '@farmscope/casefile';
import { checkSchema, isPlainObject, type Schema, type SchemaProblem } from './schema-check.js';
import { kindDefaults } from './population-kinds.js';
import {
  HOUR_PATTERNS,
  IP_RANGES,
  LANGUAGES,
  POPULATION_KINDS,
  PROMPT_FAMILIES,
  SIGNUP_PATTERNS,
  type PopulationKind,
  type PopulationParams,
  type Scenario,
} from './scenario.js';

const share: Schema = { type: 'number', min: 0, max: 1 };
const weight: Schema = { type: 'number', min: 0 };
const positive: Schema = { type: 'number', min: 0, exclusiveMin: true };
const count: Schema = { type: 'integer', min: 0 };
const hour: Schema = { type: 'number', min: 0, max: 24 };

const POPULATION: Schema = {
  type: 'object',
  required: ['kind', 'accounts'],
  fields: {
    kind: { type: 'enum', values: POPULATION_KINDS },
    id: { type: 'string', pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, hint: 'letters, digits, ".", "_" or "-"' },
    label: { type: 'string' },
    accounts: { type: 'integer', min: 1 },
    farms: { type: 'integer', min: 1 },
    requestsPerDay: positive,
    volumeSigma: { type: 'number', min: 0, max: 3 },
    utcOffsets: { type: 'list', of: { type: 'number', min: -12, max: 14 }, minItems: 1 },
    countries: { type: 'list', of: { type: 'string', pattern: /^[A-Z]{2}$/, hint: 'an ISO 3166-1 alpha-2 code like "US"' }, minItems: 1 },
    hours: { type: 'enum', values: HOUR_PATTERNS },
    activeHours: { type: 'list', of: hour, length: 2 },
    offHoursShare: share,
    weekendFactor: share,
    burstsPerDay: positive,
    burstMinutes: { type: 'number', min: 1, max: 1440 },
    signup: {
      type: 'object',
      fields: {
        pattern: { type: 'enum', values: SIGNUP_PATTERNS },
        at: { type: 'nullable', of: { type: 'timestamp' } },
        spreadDays: { type: 'number', min: 0 },
        inWindowShare: share,
      },
    },
    generations: { type: 'integer', min: 1, max: 50 },
    banShare: share,
    suspendShare: share,
    ips: {
      type: 'object',
      fields: {
        range: { type: 'enum', values: IP_RANGES },
        pool: count,
        perAccount: { type: 'integer', min: 1 },
        rotate: { type: 'boolean' },
        dedicated: { type: 'boolean' },
      },
    },
    mobileShare: share,
    paymentPool: count,
    paymentSharedShare: share,
    email: {
      type: 'object',
      fields: { throwawayShare: share, eduShare: share, domain: { type: 'nullable', of: { type: 'string', pattern: /^[a-z0-9.-]+\.[a-z]{2,}$/, hint: 'a domain like "example.com"' } } },
    },
    orgId: { type: 'nullable', of: { type: 'string' } },
    orgShare: share,
    promptMix: { type: 'record', keys: PROMPT_FAMILIES, of: weight, minEntries: 1 },
    templateSpan: count,
    languages: { type: 'record', keys: LANGUAGES, of: weight, minEntries: 1 },
    tokens: { type: 'object', fields: { inputMean: positive, outputMean: positive, sigma: { type: 'number', min: 0, max: 3 } } },
    maxTokens: { type: 'list', of: { type: 'integer', min: 1 }, minItems: 1 },
    temperatures: { type: 'list', of: { type: 'nullable', of: { type: 'number', min: 0, max: 2 } }, minItems: 1 },
    habits: { type: 'enum', values: ['fixed', 'varied'] },
    userAgents: { type: 'enum', values: ['fixed', 'varied'] },
    systemPrompt: { type: 'enum', values: ['fixed', 'varied', 'none'] },
    status429Share: share,
    status400Share: share,
    status5xxShare: share,
    endUsers: count,
    sessionMinutes: { type: 'number', min: 0 },
    keysPerAccount: { type: 'integer', min: 1, max: 100 },
    newModelShare: share,
    newModelDelayHours: { type: 'number', min: 0 },
    newModelRampHours: { type: 'number', min: 0 },
  },
};

export const SCENARIO_SCHEMA: Schema = {
  type: 'object',
  required: ['name', 'window', 'models', 'populations'],
  fields: {
    name: { type: 'string', pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, hint: 'letters, digits, ".", "_" or "-"' },
    description: { type: 'string' },
    embeddingDim: { type: 'integer', min: 0, max: 256 },
    window: {
      type: 'object',
      required: ['start', 'end'],
      fields: { start: { type: 'timestamp' }, end: { type: 'timestamp' } },
    },
    models: {
      type: 'list',
      minItems: 1,
      of: {
        type: 'object',
        required: ['name'],
        fields: { name: { type: 'string' }, share: weight, releasedAt: { type: 'timestamp' } },
      },
    },
    populations: { type: 'list', minItems: 1, of: POPULATION },
  },
};

type RawPopulation = Partial<PopulationParams> & { kind: PopulationKind; accounts: number };
interface RawScenario {
  name: string;
  description?: string;
  embeddingDim?: number;
  window: { start: string; end: string };
  models: Array<{ name: string; share?: number; releasedAt?: string }>;
  populations: RawPopulation[];
}

/** Checks a parsed scenario file; throws an InputError listing every problem. */
export function checkScenario(raw: unknown, source: string): asserts raw is RawScenario {
  const problems = checkSchema(raw, SCENARIO_SCHEMA, '');
  // Cross-field checks need a well-formed file; the window is checked on its own
  // so a reversed window is reported together with the other problems.
  if (problems.length === 0) problems.push(...crossFieldProblems(raw as RawScenario));
  else if (!problems.some((p) => p.path.startsWith('window'))) problems.push(...windowProblems((raw as RawScenario).window));
  if (problems.length > 0) {
    const lines = problems.slice(0, 20).map((p) => `  ${p.path || '(top level)'}: ${p.message}`);
    if (problems.length > 20) lines.push(`  ... and ${problems.length - 20} more`);
    throw new InputError(`invalid scenario ${source}:\n${lines.join('\n')}`);
  }
}

function windowProblems(window: RawScenario['window'] | undefined): SchemaProblem[] {
  if (!window || !(parseUtc(window.end) > parseUtc(window.start))) {
    return window ? [{ path: 'window.end', message: `must be after window.start (${window.start}), got ${JSON.stringify(window.end)}` }] : [];
  }
  return [];
}

function crossFieldProblems(raw: RawScenario): SchemaProblem[] {
  const out: SchemaProblem[] = windowProblems(raw.window);
  const start = parseUtc(raw.window.start);
  const end = parseUtc(raw.window.end);
  const releases = raw.models.filter((m) => m.releasedAt !== undefined);
  if (releases.length > 1) out.push({ path: 'models', message: 'at most one model can have releasedAt' });
  if (releases.length === raw.models.length) {
    out.push({ path: 'models', message: 'at least one model must be available from the start (no releasedAt)' });
  }
  raw.models.forEach((m, i) => {
    if (m.releasedAt !== undefined) {
      const t = parseUtc(m.releasedAt);
      if (!(t > start && t < end)) {
        out.push({ path: `models[${i}].releasedAt`, message: `must fall inside the window, got ${JSON.stringify(m.releasedAt)}` });
      }
    }
  });
  const names = new Set<string>();
  raw.models.forEach((m, i) => {
    if (names.has(m.name)) out.push({ path: `models[${i}].name`, message: `duplicate model "${m.name}"` });
    names.add(m.name);
  });
  const ids = new Map<string, number>();
  raw.populations.forEach((p, i) => {
    const path = `populations[${i}]`;
    const id = p.id ?? defaultId(p.kind, i);
    if (ids.has(id)) out.push({ path: `${path}.id`, message: `duplicate id "${id}" (also populations[${ids.get(id)}])` });
    ids.set(id, i);
    if (p.activeHours && !(p.activeHours[0] < p.activeHours[1])) {
      out.push({ path: `${path}.activeHours`, message: `must be [from, to) with from < to, got ${JSON.stringify(p.activeHours)}` });
    }
    const ips = { ...kindDefaults(p.kind).ips, ...p.ips };
    if (ips.rotate && ips.pool < 1) out.push({ path: `${path}.ips.pool`, message: `must be ≥ 1 when ips.rotate is true, got ${ips.pool}` });
    const farms = p.farms ?? 1;
    if (farms > p.accounts) out.push({ path: `${path}.farms`, message: `must be ≤ accounts (${p.accounts}), got ${farms}` });
    if (p.promptMix && sum(Object.values(p.promptMix)) <= 0) out.push({ path: `${path}.promptMix`, message: 'weights must not all be 0' });
    if (p.languages && sum(Object.values(p.languages)) <= 0) out.push({ path: `${path}.languages`, message: 'weights must not all be 0' });
    const shares = (p.status429Share ?? 0) + (p.status400Share ?? 0) + (p.status5xxShare ?? 0);
    if (shares > 1) out.push({ path: `${path}.status429Share`, message: `status shares add up to ${shares}, more than 1` });
    if (p.signup?.pattern === 'burst' && p.signup.at) {
      const t = parseUtc(p.signup.at);
      if (t >= end) out.push({ path: `${path}.signup.at`, message: `must be before window.end, got ${JSON.stringify(p.signup.at)}` });
    }
  });
  return out;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function defaultId(kind: PopulationKind, index: number): string {
  return `${kind.split('.')[1]!.replaceAll('_', '-')}-${index + 1}`;
}

/**
 * A checked scenario with every population's defaults filled in. `scale`
 * multiplies account counts; a population scaled below one account keeps one
 * account with its volume scaled down instead, so total volume follows `scale`.
 */
export function resolveScenario(raw: RawScenario, scale: number): Scenario {
  const populations = raw.populations.map((p, i): PopulationParams => {
    const base = kindDefaults(p.kind);
    const wanted = p.accounts * scale;
    const accounts = Math.max(p.farms ?? 1, Math.round(wanted));
    const volumeFactor = Math.min(1, wanted / accounts);
    const merged: PopulationParams = {
      ...base,
      ...(p as Partial<PopulationParams>),
      kind: p.kind,
      id: p.id ?? defaultId(p.kind, i),
      label: p.label ?? p.kind,
      accounts,
      requestsPerDay: (p.requestsPerDay ?? base.requestsPerDay) * volumeFactor,
      signup: { ...base.signup, ...p.signup },
      ips: { ...base.ips, ...p.ips },
      email: { ...base.email, ...p.email },
      tokens: { ...base.tokens, ...p.tokens },
    };
    return merged;
  });
  return {
    name: raw.name,
    description: raw.description ?? '',
    window: { start: iso(raw.window.start), end: iso(raw.window.end) },
    embeddingDim: raw.embeddingDim ?? 0,
    models: raw.models.map((m) => ({ name: m.name, share: m.share ?? 1, releasedAt: m.releasedAt ? iso(m.releasedAt) : null })),
    populations,
  };
}

/** Parses scenario JSON text, checks it and resolves it. */
export function parseScenario(text: string, source: string, scale: number): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`invalid scenario ${source}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (!isPlainObject(raw)) throw new InputError(`invalid scenario ${source}: must be a JSON object`);
  checkScenario(raw, source);
  return resolveScenario(raw, scale);
}

/** Milliseconds of an ISO time; a time without zone is UTC, a bare date is its midnight UTC. */
function parseUtc(text: string): number {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(text)) return Date.parse(text);
  return Date.parse(text.includes('T') ? `${text}Z` : `${text}T00:00:00Z`);
}

/** Normalises an ISO time to "YYYY-MM-DDTHH:MM:SS.sssZ" (UTC). */
function iso(text: string): string {
  return new Date(parseUtc(text)).toISOString();
}
