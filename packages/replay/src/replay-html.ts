// replay.html: one self-contained page (no script, no network) with the
// replay's parameters, the harvest chart, and the tables of replay.json:
// farms found (first detection, delay, harvest before it, retractions),
// true farms with --truth, and every step.
import { CHART_MAX_FARMS, harvestChartSvg } from './harvest-chart.js';
import type { ReplayDocument } from './replay-outputs.js';

const esc = (v: unknown) => String(v ?? '—').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const int = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US'));
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null, d = 3) => (v === null ? '—' : v.toFixed(d));
const hours = (h: number | null) => (h === null ? '—' : h >= 48 ? `${(h / 24).toFixed(1)} d` : `${h.toFixed(1)} h`);

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export async function replayHtml(doc: ReplayDocument): Promise<string> {
  const s = doc.schedule;
  const curveFarms = doc.harvest_curves.of === 'true_farms' ? doc.true_farms ?? [] : doc.farms;
  const totals = new Map(curveFarms.map((f) => [f.farm_id, f.requests_total]));
  const svg = doc.harvest_curves.points.length > 0 ? await harvestChartSvg(doc.harvest_curves.points, totals, s.start) : '<p>No farm to chart.</p>';
  const retracted = doc.farms.filter((f) => f.retracted_at_steps.length > 0);
  const sections = [
    `<h1>Replay: when each farm was detected, and what it had taken by then</h1>`,
    `<p>${esc(s.steps)} steps of ${esc(s.step_seconds / 3600)} h from ${esc(s.start)} to ${esc(s.end)}, ` +
      `${s.mode === 'window' ? `each analysing the last ${esc((s.window_seconds ?? 0) / 3600)} h` : 'each analysing everything that had arrived by its cut-off'}.</p>`,
    retracted.length > 0
      ? `<p class="warn"><strong>${retracted.length} farm(s) were retracted</strong> at a later step (found, then no longer found): ${retracted.map((f) => esc(f.farm_id)).join(', ')}.</p>`
      : `<p>No farm found at one step vanished at a later one.</p>`,
    `<h2>Harvest against detection</h2>`,
    `<p>Share of each ${doc.harvest_curves.of === 'true_farms' ? 'true' : 'found'} farm's requests made by each step's cut-off; the dot marks the step at which it was first detected` +
      `${totals.size > CHART_MAX_FARMS ? ` (the ${CHART_MAX_FARMS} farms with the most requests)` : ''}.</p>`,
    `<figure>${svg}</figure>`,
  ];
  if (doc.true_farms) {
    sections.push(
      `<h2>True farms</h2>`,
      table(
        ['farm', 'campaign', 'accounts', 'first request', 'detected at step', 'delay', 'requests before detection', 'share', 'output tokens before', 'share', 'found as'],
        doc.true_farms.map((f) => [esc(f.farm_id), esc(f.campaign), int(f.accounts), esc(f.first_request), f.detected_step === null ? 'never' : `${f.detected_step} (${esc(f.detected_at)})`,
          hours(f.delay_hours), int(f.requests_before_detection), pct(f.requests_share), int(f.output_tokens_before_detection), pct(f.output_tokens_share), esc(f.found_as)]),
      ),
    );
  }
  sections.push(
    `<h2>Farms found</h2>`,
    table(
      ['farm', 'accounts', 'first request', 'first detected', 'delay', 'requests before detection', 'share', 'output tokens before', 'share', 'status', ...(doc.true_farms ? ['true farm'] : [])],
      doc.farms.map((f) => [esc(f.farm_id), int(f.accounts), esc(f.first_request), `${f.detected_step} (${esc(f.detected_at)})`, hours(f.delay_hours),
        int(f.requests_before_detection), pct(f.requests_share), int(f.output_tokens_before_detection), pct(f.output_tokens_share),
        f.retracted_at_steps.length > 0 ? `${f.status}; retracted at step ${f.retracted_at_steps.join(', ')}` : f.status,
        ...(doc.true_farms ? [f.true_farm === null ? 'legitimate' : `${esc(f.true_farm)} (${pct(f.true_farm_share)})`] : [])]),
    ),
    `<h2>Steps</h2>`,
    table(
      ['step', 'cut-off', 'events', 'accounts', 'farms', 'flagged', 'new', 'retracted', ...(doc.true_farms ? ['precision', 'recall'] : [])],
      doc.steps.map((x) => [String(x.step), esc(x.cutoff) + (x.analysed ? '' : ' (nothing new)'), int(x.events), int(x.accounts), int(x.farms), int(x.flagged_accounts),
        esc(x.new_farms.join(' ') || '—'), esc(x.retracted_farms.join(' ') || '—'), ...(doc.true_farms ? [num(x.precision), num(x.recall)] : [])]),
    ),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Farmscope replay</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left}
th{background:#f5f5f5}td{font-variant-numeric:tabular-nums}.warn{color:#a33}figure{margin:0}
</style></head><body>
${sections.join('\n')}
</body></html>
`;
}
