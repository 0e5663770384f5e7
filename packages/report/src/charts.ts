// The report's charts: Vega-Lite specifications compiled with `vega-lite` and
// rendered to SVG strings in Node by `vega` (renderer "none": no DOM, no
// canvas), so report.html carries static inline SVG and needs no script to
// show them. Coordinates are rounded to 0.1 px after rendering: the picture
// is unchanged and the file much smaller. The same data gives the same bytes.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { AdjacencyCell, TimelinePoint } from './farm-facts.js';
import type { ScoreBin } from './case-facts.js';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const CONFIG = {
  font: FONT,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 500, gridColor: '#eee' },
  legend: { labelFontSize: 10, titleFontSize: 11, labelLimit: 220 },
  title: { fontSize: 12, fontWeight: 600, anchor: 'start' },
} as const;

/** Vega-Lite's warnings (a stack on a non-linear scale, ...) are checked by the tests, not printed to the analyst. */
const QUIET = { level: () => QUIET, error: () => QUIET, warn: () => QUIET, info: () => QUIET, debug: () => QUIET };

/** Renders a Vega-Lite spec (data inline) to an SVG string for inlining in HTML (which needs no xmlns). */
export async function renderChart(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec, { logger: QUIET as never }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return roundCoordinates(svg).replace(/ xmlns(:xlink)?="[^"]*"/g, '');
  } finally {
    view.finalize();
  }
}

/** 0.1 px is finer than any screen or printer shows; vega writes up to 15 digits. */
function roundCoordinates(svg: string): string {
  return svg.replace(/ (d|transform|x|y|x1|x2|y1|y2|width|height|points)="([^"]*)"/g, (_m, name: string, value: string) => {
    const rounded = value.replace(/-?\d+\.\d+(?:e-?\d+)?/g, (n) => {
      const r = Math.round(Number(n) * 10) / 10;
      return Object.is(r, -0) ? '0' : String(r);
    });
    return ` ${name}="${rounded}"`;
  });
}

/** Accounts per score bin, farm members and the rest stacked; square-root scale so a few hundred members show beside 100,000 others. */
export function scoreDistributionSpec(bins: readonly ScoreBin[]): TopLevelSpec {
  return {
    width: 620,
    height: 170,
    data: { values: bins.map((b) => ({ score: b.from, to: Math.round((b.from + 0.05) * 100) / 100, accounts: b.accounts, group: b.inFarm ? 'in a farm' : 'in no farm' })) },
    mark: { type: 'bar', binSpacing: 1 } as never,
    encoding: {
      x: { field: 'score', type: 'quantitative', bin: { binned: true, step: 0.05 }, scale: { domain: [0, 1] }, title: 'account score' },
      x2: { field: 'to' },
      y: { field: 'accounts', type: 'quantitative', stack: null, scale: { type: 'sqrt' }, title: 'accounts (√ scale)' },
      opacity: { value: 0.85 },
      color: { field: 'group', type: 'nominal', scale: { domain: ['in no farm', 'in a farm'], range: ['#9aa5b1', '#c0392b'] }, title: null },
    },
  };
}

/** Horizontal bars, one per label, longest first. */
function rankedBars(values: readonly { label: string; value: number }[], o: { width: number; step: number; color: string; title: string; domain?: [number, number] }): TopLevelSpec {
  return {
    width: o.width,
    height: { step: o.step } as never,
    data: { values: values.map((v) => ({ ...v })) },
    mark: { type: 'bar', color: o.color },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: { field: 'value', order: 'descending' }, title: null },
      x: { field: 'value', type: 'quantitative', title: o.title, ...(o.domain ? { scale: { domain: o.domain } } : {}) },
    },
  };
}

/** The farms side by side: requests of each (largest first, at most `max`). */
export function farmOverviewSpec(farms: readonly { id: string; requests: number }[], max: number): TopLevelSpec {
  const shown = [...farms].sort((a, b) => b.requests - a.requests || a.id.localeCompare(b.id)).slice(0, max);
  return rankedBars(shown.map((f) => ({ label: f.id, value: f.requests })), { width: 560, step: 14, color: '#c0392b', title: 'requests' });
}

/**
 * Requests per time bin, stacked by account (the busiest few, the rest as
 * "other accounts") or by the week accounts first appeared: a stacked step area, every (bin, account) filled with 0
 * where it made no request so that the steps fall back to zero.
 */
export function timelineSpec(points: readonly TimelinePoint[], binHours: number, legend = 'account'): TopLevelSpec {
  const series = [...new Set(points.map((p) => p.series))].sort((a, b) => (a === 'other accounts' ? 1 : b === 'other accounts' ? -1 : a.localeCompare(b)));
  const unit = binHours === 1 ? 'hour' : binHours % 24 === 0 ? `${binHours / 24} day${binHours === 24 ? '' : 's'}` : `${binHours} hours`;
  const counts = new Map(points.map((p) => [`${p.bin}|${p.series}`, p.requests]));
  const times = points.map((p) => Date.parse(p.bin));
  const values: { t: string; series: string; requests: number }[] = [];
  if (times.length > 0) {
    const [first, last] = [Math.min(...times), Math.max(...times)];
    for (let t = first; t <= last + binHours * 3_600_000; t += binHours * 3_600_000) {
      const bin = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
      for (const s of series) values.push({ t: bin, series: s, requests: counts.get(`${bin}|${s}`) ?? 0 });
    }
  }
  return {
    width: 680,
    height: 150,
    data: { values },
    mark: { type: 'area', interpolate: 'step-after' },
    encoding: {
      x: { field: 't', type: 'temporal', scale: { type: 'utc' }, title: `UTC time (bins of ${unit})`, axis: { format: '%b %d', labelOverlap: true } },
      y: { field: 'requests', type: 'quantitative', stack: 'zero', title: `requests per ${unit}` },
      color: { field: 'series', type: 'nominal', scale: { domain: series, scheme: 'tableau10' }, title: legend, sort: series },
      order: { field: 'series', type: 'nominal' },
    },
  };
}

/** Members' mean evidence per signal group, one bar each. */
export function signalsSpec(signals: readonly { group: string; evidence: number }[]): TopLevelSpec {
  return rankedBars(signals.map((x) => ({ label: x.group, value: x.evidence })), {
    width: 300, step: 16, color: '#2c6e9b', title: 'members\u2019 mean evidence (0–1)', domain: [0, 1],
  });
}

/** Accounts × the shared values that tie them (cards, addresses, templates, ...), coloured by kind. */
export function adjacencySpec(cells: readonly AdjacencyCell[]): TopLevelSpec {
  return {
    width: { step: 14 } as never,
    height: { step: 12 } as never,
    data: { values: cells.map((c) => ({ account: c.account, value: `${c.kind}: ${c.value}`, kind: c.kind })) },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'value', type: 'nominal', title: 'shared value', axis: { labelAngle: -50, labelLimit: 180 } },
      y: { field: 'account', type: 'nominal', title: 'account', axis: { labelLimit: 220 } },
      color: { field: 'kind', type: 'nominal', scale: { scheme: 'dark2' }, title: 'kind' },
    },
  };
}
