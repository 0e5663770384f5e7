// What every report file is written from: the case facts, the selected farms'
// facts (already redacted when asked), the parameters, and the formatting
// helpers the renderers share, so the HTML, the Markdown and the regulator
// summary state the same numbers the same way.
import type { CaseFacts } from './case-facts.js';
import type { FarmFacts, ReportLimits } from './farm-facts.js';

export const TLP_LEVELS = ['white', 'green', 'amber', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export interface ReportParameters {
  redact: boolean;
  /** Farm ids asked for with --farm (empty: every farm). */
  farms: string[];
  tlp: Tlp;
  deterministic: boolean;
  /** Farms (largest by requests first) whose sections carry the charts; the others have tables only. */
  chartedFarms: number;
  limits: ReportLimits;
}

export interface ReportData {
  tool: { name: string; version: string };
  duckdb: string;
  /** File name of the case file (the full path is in the manifest). */
  caseName: string;
  params: ReportParameters;
  facts: CaseFacts;
  farms: FarmFacts[];
}

export const OUTPUT_NAMES = {
  html: 'report.html',
  markdown: 'report.md',
  stix: 'stix-bundle.json',
  timeline: 'timeline.jsonl',
  regulator: 'regulator-summary.md',
  evidence: 'evidence',
} as const;

export const fmt = {
  int: (n: number | null | undefined) => (n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US')),
  dec: (n: number | null | undefined, digits = 2) => (n === null || n === undefined ? '—' : n.toFixed(digits)),
  /** p-values: two digits; below 1e-12 (Chernoff bounds underflow to 0) as "< 1e-12". */
  p: (n: number | null | undefined) => (n === null || n === undefined ? '—' : n < 1e-12 ? '< 1e-12' : n < 0.001 ? n.toExponential(1) : n.toPrecision(2)),
  time: (iso: string | null | undefined) => (iso ? iso.replace(/\.\d+Z$/, 'Z').replace(/:\d\dZ$/, 'Z').replace('T', ' ').replace(/Z$/, ' UTC') : '—'),
  hours: (from: string, to: string) => {
    const h = (Date.parse(to) - Date.parse(from)) / 3_600_000;
    return h >= 48 ? `${(h / 24).toFixed(1)} days` : `${h.toFixed(1)} hours`;
  },
};

/** Farms by requests, largest first (ties by id): the order of the report's farm sections. */
export function farmsByRequests(farms: readonly FarmFacts[]): FarmFacts[] {
  return [...farms].sort((a, b) => b.doc.requests - a.doc.requests || a.doc.id.localeCompare(b.doc.id));
}

/** Totals over the selected farms. */
export function farmTotals(farms: readonly FarmFacts[]) {
  const sum = (f: (x: FarmFacts) => number) => farms.reduce((s, x) => s + f(x), 0);
  const firsts = farms.map((f) => f.doc.firstActivity).sort();
  const lasts = farms.map((f) => f.doc.lastActivity).sort();
  return {
    farms: farms.length,
    accounts: sum((f) => f.doc.accountCount),
    requests: sum((f) => f.doc.requests),
    inputTokens: sum((f) => f.doc.inputTokens),
    outputTokens: sum((f) => f.doc.outputTokens),
    first: firsts[0] ?? null,
    last: lasts.at(-1) ?? null,
  };
}

/** The incident summary's figures, shared by the HTML and the Markdown. */
export function summaryFigures(data: ReportData, farms: readonly FarmFacts[]): [string, number | string][] {
  const f = data.facts;
  const t = farmTotals(farms);
  return [
    ['farms found', t.farms],
    ['accounts in those farms', t.accounts],
    ['accounts analysed', f.accounts],
    ['requests of the farms', t.requests],
    ['requests analysed', f.events],
    ['input tokens of the farms', t.inputTokens],
    ['output tokens of the farms', t.outputTokens],
    ['farm activity', t.first && t.last ? `${fmt.time(t.first)} – ${fmt.time(t.last)}` : '—'],
    ['logs cover', f.firstEvent && f.lastEvent ? `${fmt.time(f.firstEvent)} – ${fmt.time(f.lastEvent)} (${fmt.hours(f.firstEvent, f.lastEvent)})` : '—'],
    ['files loaded', f.ingestedFiles.length],
    ['rows rejected at ingest', f.rejected.reduce((s, r) => s + r.rows, 0)],
  ];
}

/**
 * Strength words for a farm: every farm already passed the farm bars (harvest
 * and operator evidence), so what remains is how unlikely its linkage is by
 * chance: high at p ≤ 0.01, moderate at p ≤ 0.05, low otherwise.
 */
export function confidence(_score: number, p: number | null): string {
  if (p !== null && p <= 0.01) return 'high';
  if (p !== null && p <= 0.05) return 'moderate';
  return 'low';
}

export const farmAnchor = (farmId: string) => `farm-${farmId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
