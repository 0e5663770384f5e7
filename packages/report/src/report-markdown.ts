// report.md: the findings of report.html as Markdown (GitHub tables), for
// review in a diff. The same facts and sentences, no charts: the timeline
// and signals appear as their numbers.
import { confidence, farmsByRequests, farmTotals, fmt, summaryFigures, type ReportData } from './report-model.js';
import { METHOD_PARAGRAPHS, dataQualityNotes } from './report-text.js';

/** A Markdown table cell: pipes escaped, line breaks folded. */
export function mdCell(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'number' ? (Number.isInteger(value) ? fmt.int(value) : fmt.dec(value)) : String(value);
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, ' ').replaceAll('<', '&lt;');
}

export function mdTable(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  if (rows.length === 0) return '_none_\n';
  return [
    `| ${head.map(mdCell).join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ].join('\n') + '\n';
}

export function reportMarkdown(data: ReportData): string {
  const farms = farmsByRequests(data.farms);
  const f = data.facts;
  const t = farmTotals(farms);
  const out: string[] = [];
  out.push(`# Farmscope report: ${data.caseName}`, '');
  out.push(`**TLP:${data.params.tlp.toUpperCase()}**${data.params.redact ? ' · **REDACTED**: no prompt text; account, key and farm ids are keyed tokens; addresses cut to /24 (IPv6 /48)' : ''}`, '');
  out.push('## 1. Incident summary', '');
  out.push(`${fmt.int(t.farms)} distillation farm${t.farms === 1 ? '' : 's'} of ${fmt.int(t.accounts)} accounts made ${fmt.int(t.requests)} of the ${fmt.int(f.events)} requests analysed and bought ${fmt.int(t.outputTokens)} output tokens.`, '');
  out.push(mdTable(['', 'value'], summaryFigures(data, farms)));
  out.push('Score distribution (accounts per score bin):', '');
  out.push(mdTable(['score from', 'in a farm', 'in no farm'], scoreRows(data)));
  out.push('### All farms', '');
  out.push(mdTable(['farm', 'accounts', 'requests', 'output tokens', 'first activity', 'last activity', 'score', 'p-value', 'confidence'],
    farms.map((x) => [x.doc.id, x.doc.accountCount, x.doc.requests, x.doc.outputTokens, fmt.time(x.doc.firstActivity), fmt.time(x.doc.lastActivity), x.doc.score, fmt.p(x.doc.significance.pValue), confidence(x.doc.score, x.doc.significance.pValue)])));
  out.push('## 2. Farms', '');
  for (const [i, farm] of farms.entries()) {
    const d = farm.doc;
    out.push(`### 2.${i + 1} Farm ${d.id}`, '');
    out.push(`${fmt.int(d.accountCount)} accounts, ${fmt.int(d.requests)} requests, ${fmt.int(d.inputTokens)} input and ${fmt.int(d.outputTokens)} output tokens, from ${fmt.time(d.firstActivity)} to ${fmt.time(d.lastActivity)}. Score ${fmt.dec(d.score)}, p-value ${fmt.p(d.significance.pValue)}: ${confidence(d.score, d.significance.pValue)} confidence.`, '');
    if (farm.targets.length > 0) out.push(`Models requested: ${farm.targets.slice(0, 6).map((x) => `${x.model} (${fmt.int(x.requests)})`).join(', ')}.`, '');
    const peak = [...farm.timeline.reduce((m, p) => m.set(p.bin, (m.get(p.bin) ?? 0) + p.requests), new Map<string, number>())].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (peak) out.push(`Busiest ${farm.binHours === 1 ? 'hour' : `${farm.binHours}-hour bin`}: ${fmt.time(peak[0])} with ${fmt.int(peak[1])} requests.`, '');
    out.push('**Shared infrastructure**', '');
    out.push(mdTable(['kind', 'member pairs', 'accounts', 'distinct values', 'holders of the rarest', 'rarest value'], d.evidence.links.map((l) => [l.kind, l.pairs, l.accounts, l.distinctValues, l.minHolders, l.rarestValue])));
    out.push('**Signals behind the score**', '');
    out.push(mdTable(['signal', 'evidence', 'contribution'], d.evidence.signals.map((s) => [s.group, s.evidence, s.contribution])));
    out.push('**Top templates**', '');
    out.push(mdTable(['template', 'requests', 'members using it', 'accounts using it', 'example prompt'],
      d.evidence.templates.map((x) => [x.templateId, x.requests, x.farmAccounts, x.totalAccounts, data.params.redact ? '(redacted)' : x.examplePrompt === null ? null : x.examplePrompt.slice(0, 200)])));
    out.push(`**Member accounts** (${fmt.int(farm.members.length)} busiest of ${fmt.int(d.accountCount)}; all in evidence/data/farm_members.csv)`, '');
    out.push(mdTable(['account', 'score', 'requests', 'output tokens', 'first seen', 'last seen'], farm.members.map((m) => [m.account, m.score, m.requests, m.outputTokens, fmt.time(m.firstSeen), fmt.time(m.lastSeen)])));
  }
  out.push('## 3. Benign clusters', '');
  out.push(mdTable(['cluster', 'accounts', 'why it is not a farm'], f.benignClusters.map((c) => [c.clusterId, c.accounts, c.reason])));
  out.push('## 4. Method and parameters', '');
  for (const p of METHOD_PARAGRAPHS) out.push(p, '');
  out.push(mdTable(['parameter', 'value'], [
    ['farms reported', data.params.farms.length === 0 ? 'all' : data.params.farms.join(', ')],
    ['redaction', data.params.redact ? 'on' : 'off'],
    ['TLP marking', data.params.tlp.toUpperCase()],
    ['tool', `${data.tool.name} ${data.tool.version}`],
    ['DuckDB', data.duckdb],
  ]));
  if (f.farmParameters.length > 0) out.push('### Farm parameters of the analysis', '', mdTable(['parameter', 'value'], f.farmParameters));
  out.push('## 5. Data quality', '');
  for (const n of dataQualityNotes(f)) out.push(`- ${n}`);
  out.push('', '## 6. Manifest', '');
  out.push(mdTable(['#', 'table', 'file', 'rows loaded', 'rejected', 'SHA-256'], f.ingestedFiles.map((x) => [x.fileId, x.table, x.path, x.rowsLoaded, x.rowsRejected, x.sha256])));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function scoreRows(data: ReportData): unknown[][] {
  const bins = new Map<number, [number, number]>();
  for (const b of data.facts.scoreBins) {
    const row = bins.get(b.from) ?? [0, 0];
    row[b.inFarm ? 0 : 1] += b.accounts;
    bins.set(b.from, row);
  }
  return [...bins].sort((a, b) => a[0] - b[0]).map(([from, [inFarm, other]]) => [from.toFixed(2), inFarm, other]);
}
