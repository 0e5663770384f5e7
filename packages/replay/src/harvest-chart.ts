// The replay report's chart: for each farm, the share of its requests made
// by each step's cut-off (its harvest so far), with a dot where the replay
// first detected it. A Vega-Lite spec compiled by `vega-lite` and rendered
// to an SVG string in Node by `vega` (renderer "none": no DOM), as the
// reports use, so replay.html carries a static inline SVG. The same points
// give the same bytes.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { HarvestPoint } from './replay-figures.js';

/** Farms drawn at most (the largest by requests); the rest are in the tables. */
export const CHART_MAX_FARMS = 12;

export function harvestChartSpec(points: readonly HarvestPoint[]): TopLevelSpec {
  const values = points.map((p) => ({ farm: p.farm_id, cutoff: p.cutoff, share: p.share, detected: p.detected }));
  return {
    width: 640,
    height: 280,
    data: { values },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'cutoff', type: 'temporal', title: 'step cut-off (UTC)', axis: { format: '%b %d %H:%M', labelAngle: -30 } },
          y: { field: 'share', type: 'quantitative', title: 'share of its requests made so far', axis: { format: '%' }, scale: { domain: [0, 1] } },
          color: { field: 'farm', type: 'nominal', title: 'farm', sort: 'ascending' },
        },
      },
      {
        transform: [{ filter: 'datum.detected' }],
        mark: { type: 'point', filled: true, size: 90, stroke: 'black', strokeWidth: 1 },
        encoding: {
          x: { field: 'cutoff', type: 'temporal' },
          y: { field: 'share', type: 'quantitative' },
          color: { field: 'farm', type: 'nominal' },
        },
      },
    ],
    config: {
      font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      background: 'white',
      view: { stroke: null },
      axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#eee' },
      legend: { labelFontSize: 10, titleFontSize: 11, labelLimit: 220 },
    },
  } as TopLevelSpec;
}

/** The chart as an SVG string: the `CHART_MAX_FARMS` farms with the most requests, each line starting at 0 at the replay's start. */
export async function harvestChartSvg(points: readonly HarvestPoint[], totals: ReadonlyMap<string, number>, start: string): Promise<string> {
  const kept = new Set(
    [...new Set(points.map((p) => p.farm_id))]
      .sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || (a < b ? -1 : 1))
      .slice(0, CHART_MAX_FARMS),
  );
  const origins = [...kept].sort().map((farm_id) => ({ farm_id, step: 0, cutoff: start, requests: 0, share: 0, detected: false }));
  const spec = harvestChartSpec([...origins, ...points.filter((p) => kept.has(p.farm_id))]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
