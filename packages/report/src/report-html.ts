// report.html: one self-contained file (inline CSS and SVG, no script, no
// external resource) for reading on screen and printing. The incident
// summary, one section per farm (timeline, shared infrastructure, signals,
// templates, member accounts), benign clusters, method and parameters, data
// quality notes and the manifest of inputs. Every value from the data is
// HTML-escaped; charts come from charts.ts (Vega-Lite rendered to SVG).
import { adjacencySpec, farmOverviewSpec, renderChart, scoreDistributionSpec, signalsSpec, timelineSpec } from './charts.js';
import type { FarmFacts } from './farm-facts.js';
import { confidence, farmAnchor, farmsByRequests, farmTotals, fmt, summaryFigures, type ReportData } from './report-model.js';
import { METHOD_PARAGRAPHS, dataQualityNotes } from './report-text.js';

export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const e = escapeHtml;

type Cell = string | number | null | undefined;

/** A table; numbers are right-aligned and formatted, strings escaped (cells marked raw are trusted HTML). */
function table(head: readonly string[], rows: readonly (readonly (Cell | { html: string })[])[], cls = ''): string {
  const cell = (c: Cell | { html: string }) => {
    if (c !== null && typeof c === 'object') return `<td>${c.html}</td>`;
    if (typeof c === 'number') return `<td class="n">${Number.isInteger(c) ? fmt.int(c) : fmt.dec(c)}</td>`;
    return `<td>${c === null || c === undefined ? '—' : e(c)}</td>`;
  };
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const figure = (svg: string, caption: string) => `<figure class="chart">${svg}<figcaption>${e(caption)}</figcaption></figure>`;

export async function reportHtml(data: ReportData): Promise<string> {
  const farms = farmsByRequests(data.farms);
  const sections: string[] = [];
  sections.push(await summarySection(data, farms));
  sections.push('<h2 id="farms">2. Farms</h2>');
  if (farms.length === 0) sections.push('<p>No farm was found.</p>');
  if (farms.length > data.params.chartedFarms) {
    sections.push(
      `<p class="note">Charts are drawn for the ${fmt.int(data.params.chartedFarms)} largest farms by requests; ` +
        `the other ${fmt.int(farms.length - data.params.chartedFarms)} have their tables only (rerun with --farm &lt;id&gt; for any farm's charts).</p>`,
    );
  }
  for (const [i, farm] of farms.entries()) sections.push(await farmSection(data, farm, i + 1, i < data.params.chartedFarms));
  sections.push(benignSection(data), methodSection(data), qualitySection(data), manifestSection(data));
  const title = `Farmscope report: ${data.caseName}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${e(title)}</h1>
<p class="marking">TLP:${e(data.params.tlp.toUpperCase())}${data.params.redact ? ' · REDACTED: no prompt text; account, key and farm ids are keyed tokens; addresses cut to /24 (IPv6 /48)' : ''}</p>
${toc(farms)}
</header>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

function toc(farms: readonly FarmFacts[]): string {
  const farmLinks = farms.slice(0, 30).map((f) => `<li><a href="#${farmAnchor(f.doc.id)}">${e(f.doc.id)}</a></li>`).join('');
  const more = farms.length > 30 ? `<li>… ${fmt.int(farms.length - 30)} more in <a href="#farm-table">the farm table</a></li>` : '';
  return `<nav><ol><li><a href="#summary">Incident summary</a></li><li><a href="#farms">Farms</a><ol>${farmLinks}${more}</ol></li>` +
    '<li><a href="#benign">Benign clusters</a></li><li><a href="#method">Method and parameters</a></li>' +
    '<li><a href="#quality">Data quality</a></li><li><a href="#manifest">Manifest</a></li></ol></nav>';
}

async function summarySection(data: ReportData, farms: readonly FarmFacts[]): Promise<string> {
  const f = data.facts;
  const t = farmTotals(farms);
  const rejected = f.rejected.reduce((s, r) => s + r.rows, 0);
  const figures = table(['', 'value'], summaryFigures(data, farms), 'figures');
  const scoreChart = f.scoreBins.length > 0 ? figure(await renderChart(scoreDistributionSpec(f.scoreBins)), 'Accounts by score (0–1), farm members in red.') : '';
  const overview = farms.length > 0
    ? figure(await renderChart(farmOverviewSpec(farms.map((x) => ({ id: x.doc.id, requests: x.doc.requests })), 40)),
      farms.length > 40 ? 'Requests of the 40 largest farms.' : 'Requests of each farm.')
    : '';
  const farmRows = farms.map((x) => [
    { html: `<a href="#${farmAnchor(x.doc.id)}">${e(x.doc.id)}</a>` }, x.doc.accountCount, x.doc.requests, x.doc.outputTokens,
    fmt.time(x.doc.firstActivity), fmt.time(x.doc.lastActivity), x.doc.score, fmt.p(x.doc.significance.pValue),
    confidence(x.doc.score, x.doc.significance.pValue), x.doc.evidence.links.slice(0, 3).map((l) => l.kind).join(', '),
  ]);
  const rejectedText = rejected === 0 ? 'No row was rejected at ingest.' : `${fmt.int(rejected)} rows were rejected at ingest (${f.rejected.map((r) => `${r.table} ${r.reasonCode}: ${fmt.int(r.rows)}`).join('; ')}); they are kept in the case file's rejected_rows.`;
  return `<section id="summary"><h2>1. Incident summary</h2>
<p>${e(`${fmt.int(t.farms)} distillation farm${t.farms === 1 ? '' : 's'} of ${fmt.int(t.accounts)} accounts made ${fmt.int(t.requests)} of the ${fmt.int(f.events)} requests analysed (${f.events > 0 ? ((100 * t.requests) / f.events).toFixed(1) : '0'}%) and bought ${fmt.int(t.outputTokens)} output tokens.`)} ${e(rejectedText)}</p>
${figures}
<div class="charts">${scoreChart}${overview}</div>
<h3 id="farm-table">All farms</h3>
${farms.length === 0 ? '<p>No farm was found.</p>' : table(['farm', 'accounts', 'requests', 'output tokens', 'first activity', 'last activity', 'score', 'p-value', 'confidence', 'strongest links'], farmRows)}
</section>`;
}

async function farmSection(data: ReportData, farm: FarmFacts, n: number, charts: boolean): Promise<string> {
  const d = farm.doc;
  const parts: string[] = [];
  parts.push(`<section class="farm" id="${farmAnchor(d.id)}"><h3>2.${n} Farm ${e(d.id)}</h3>`);
  parts.push(`<p>${e(`${fmt.int(d.accountCount)} accounts, ${fmt.int(d.requests)} requests, ${fmt.int(d.inputTokens)} input and ${fmt.int(d.outputTokens)} output tokens, from ${fmt.time(d.firstActivity)} to ${fmt.time(d.lastActivity)} (${fmt.hours(d.firstActivity, d.lastActivity)}). Score ${fmt.dec(d.score)}, p-value against chance ${fmt.p(d.significance.pValue)} (co-activity ${fmt.p(d.significance.coactivityP)}, operator links ${fmt.p(d.significance.linksP)}): ${confidence(d.score, d.significance.pValue)} confidence.`)}</p>`);
  if (farm.targets.length > 0) parts.push(`<p>Models requested: ${e(farm.targets.slice(0, 6).map((t) => `${t.model} (${fmt.int(t.requests)})`).join(', '))}.</p>`);
  if (farm.enforcement.length > 0) parts.push(`<p>Enforcement already taken: ${e(farm.enforcement.map((x) => `${x.action} on ${fmt.int(x.accounts)} accounts (${fmt.time(x.first)} – ${fmt.time(x.last)})`).join('; '))}.</p>`);
  if (charts && farm.timeline.length > 0) {
    const per = `Requests per ${farm.binHours === 1 ? 'hour' : `${farm.binHours} hours`}`;
    const caption = farm.timelineBy === 'account'
      ? `${per}, stacked by account (its ${data.params.limits.timelineAccounts} busiest accounts; the rest as "other accounts").`
      : `${per}, stacked by the week (from Monday, UTC) its accounts first appeared: replacement accounts show as new layers.`;
    parts.push('<h4>Timeline</h4>', figure(await renderChart(timelineSpec(farm.timeline, farm.binHours, farm.timelineBy === 'account' ? 'account' : 'accounts first seen')), caption));
  }
  parts.push('<h4>Shared infrastructure</h4>');
  parts.push(d.evidence.links.length === 0 ? '<p>No link between members.</p>' : table(
    ['kind', 'member pairs', 'accounts', 'distinct values', 'holders of the rarest', 'strongest weight', 'rarest value'],
    d.evidence.links.map((l) => [l.kind, l.pairs, l.accounts, l.distinctValues, l.minHolders, l.maxWeight, l.rarestValue]),
  ));
  if (charts && farm.adjacency.length > 0) parts.push(figure(await renderChart(adjacencySpec(farm.adjacency)), 'Which member accounts hold which shared value (the values held by most members, the accounts holding most of them).'));
  parts.push('<h4>Signals behind the score</h4>');
  if (d.evidence.signals.length > 0) {
    if (charts) parts.push(figure(await renderChart(signalsSpec(d.evidence.signals)), 'Members\u2019 mean evidence per signal group.'));
    parts.push(table(['signal', 'evidence', 'contribution', 'meaning'], d.evidence.signals.map((s) => [s.group, s.evidence, s.contribution, s.meaning])));
  }
  parts.push('<h4>Top templates</h4>');
  parts.push(d.evidence.templates.length === 0 ? '<p>No prompt template.</p>' : table(
    ['template', 'requests', 'members using it', 'accounts using it', 'sample prompts'],
    d.evidence.templates.map((t) => [t.templateId, t.requests, t.farmAccounts, t.totalAccounts, { html: promptsHtml(data, [t.examplePrompt, ...t.samplePrompts]) }]),
  ));
  parts.push(`<h4>Member accounts</h4>`);
  parts.push(table(
    ['account', 'score', 'own score', 'requests', 'input tokens', 'output tokens', 'first seen', 'last seen', 'addresses', 'e-mail domain', 'country'],
    farm.members.map((m) => [m.account, m.score, m.accountScore, m.requests, m.inputTokens, m.outputTokens, fmt.time(m.firstSeen), fmt.time(m.lastSeen), m.distinctIps, m.emailDomain, m.country]),
  ));
  if (d.accountCount > farm.members.length) parts.push(`<p class="note">The ${fmt.int(farm.members.length)} busiest of ${fmt.int(d.accountCount)} members; all of them are in evidence/data/farm_members.csv.</p>`);
  if (farm.addresses.length > 0) {
    parts.push('<h4>Addresses members share</h4>', table(['address', 'member accounts', 'requests', 'first seen', 'last seen'],
      farm.addresses.map((a) => [a.address, a.accounts, a.requests, fmt.time(a.firstSeen), fmt.time(a.lastSeen)])));
  }
  parts.push('</section>');
  return parts.join('\n');
}

function promptsHtml(data: ReportData, prompts: readonly (string | null)[]): string {
  if (data.params.redact) return '<em>prompt text redacted</em>';
  const shown = [...new Set(prompts.filter((p): p is string => p !== null))].slice(0, 3);
  return shown.map((p) => `<blockquote>${e(p.length > 400 ? `${p.slice(0, 400)}…` : p)}</blockquote>`).join('');
}

function benignSection(data: ReportData): string {
  const b = data.facts.benignClusters;
  return `<section id="benign"><h2>3. Benign clusters</h2>
<p>Coordinated groups that are not farms (ordinary work, no harvesting, or no sign of one operator); none of their accounts is flagged.</p>
${b.length === 0 ? '<p>None.</p>' : table(['cluster', 'accounts', 'why it is not a farm'], b.map((c) => [c.clusterId, c.accounts, c.reason]))}
</section>`;
}

function methodSection(data: ReportData): string {
  const p = data.params;
  return `<section id="method"><h2>4. Method and parameters</h2>
${METHOD_PARAGRAPHS.map((x) => `<p>${e(x)}</p>`).join('\n')}
${table(['parameter', 'value'], [
    ['farms reported', p.farms.length === 0 ? 'all' : p.farms.join(', ')],
    ['redaction', p.redact ? 'on (keyed tokens, /24 and /48 addresses, no prompt text)' : 'off'],
    ['TLP marking', p.tlp.toUpperCase()],
    ['farms with charts', p.chartedFarms],
    ['accounts per timeline', p.limits.timelineAccounts],
    ['time bins per timeline (at most)', p.limits.timelineBins],
    ['member accounts listed per farm', p.limits.memberRows],
    ['addresses listed per farm', p.limits.addresses],
    ['tool', `${data.tool.name} ${data.tool.version}`],
    ['DuckDB', data.duckdb],
  ])}
${data.facts.farmParameters.length > 0
    ? `<h3>Farm parameters of the analysis</h3>\n${table(['parameter', 'value'], data.facts.farmParameters)}`
    : '<p class="note">The case file does not record the farm parameters it was analysed with (analysed by an older version); investigate\'s manifest.json has them.</p>'}
</section>`;
}

function qualitySection(data: ReportData): string {
  return `<section id="quality"><h2>5. Data quality</h2><ul>${dataQualityNotes(data.facts).map((n) => `<li>${e(n)}</li>`).join('')}</ul></section>`;
}

function manifestSection(data: ReportData): string {
  const files = data.facts.ingestedFiles;
  return `<section id="manifest"><h2>6. Manifest</h2>
<p>The inputs, as loaded into the case file ${e(data.caseName)}. SHA-256 of every file of this report is in evidence/data/manifest.json and the BagIt manifest evidence/manifest-sha256.txt.</p>
${files.length === 0 ? '<p>No ingested_files table.</p>' : table(['#', 'table', 'file', 'format', 'bytes', 'rows loaded', 'rejected', 'duplicates', 'SHA-256'],
    files.map((f) => [f.fileId, f.table, f.path, f.format, f.sizeBytes, f.rowsLoaded, f.rowsRejected, f.rowsDuplicate, { html: `<code>${e(f.sha256)}</code>` }]), 'manifest')}
</section>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 80em; padding: 1em 1.5em; color: #1f2328; }
h1 { font-size: 1.6em; margin: 0.3em 0; } h2 { border-bottom: 2px solid #888; padding-bottom: 0.2em; margin-top: 1.6em; }
h3 { margin-top: 1.4em; } h4 { margin: 1em 0 0.3em; }
.marking { font-weight: 600; color: #8a4b00; }
nav ol { columns: 2; } nav ol ol { columns: 1; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 0.92em; }
th, td { border: 1px solid #d0d7de; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.manifest td:nth-child(3) { word-break: break-all; } code { font-size: 0.85em; }
blockquote { margin: 0.2em 0; padding: 0.1em 0.5em; border-left: 3px solid #ccc; color: #444; white-space: pre-wrap; }
figure.chart { margin: 0.5em 0 1em; } figure.chart svg { max-width: 100%; height: auto; } figcaption { font-size: 0.85em; color: #555; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; }
.note { color: #555; font-size: 0.9em; }
section.farm { border-top: 1px solid #bbb; margin-top: 1.5em; content-visibility: auto; contain-intrinsic-size: auto 2400px; }
@media print { body { max-width: none; font-size: 11px; } nav { display: none; } section.farm { break-before: page; } figure, table { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
`;
