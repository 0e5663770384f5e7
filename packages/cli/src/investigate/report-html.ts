// A minimal, self-contained report.html (no script, no external resource):
// the run's summary and one section per farm with its evidence, every value
// HTML-escaped. Stand-in until the reporting issue's real report; it holds
// no clock time, so the same run gives the same bytes.
import type { FarmDocument } from '@farmscope/farms';

export interface ReportSummary {
  events: number;
  accounts: number;
  flagged: number;
  farms: number;
  rejectedRows: number;
  failedFiles: number;
  inputs: readonly { role: string; path: string; sha256: string }[];
}

/** Longest list shown in full; longer ones are cut with a count of the rest. */
const MAX_ITEMS = 50;
/** Longest text shown in full (a sample prompt may be up to --max-text-chars long). */
const MAX_CHARS = 1000;
const MAX_DEPTH = 4;

export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

type Doc = Record<string, unknown>;

const FARM_COLUMNS: readonly [string, (farm: FarmDocument) => string | number | null][] = [
  ['farm', (f) => f.id],
  ['accounts', (f) => f.accountCount],
  ['first activity', (f) => f.firstActivity],
  ['last activity', (f) => f.lastActivity],
  ['requests', (f) => f.requests],
  ['input tokens', (f) => f.inputTokens],
  ['output tokens', (f) => f.outputTokens],
  ['score', (f) => f.score],
  ['p-value', (f) => f.significance.pValue],
];

export function reportHtml(summary: ReportSummary, docs: readonly FarmDocument[]): string {
  const figures: [string, number][] = [
    ['events analysed', summary.events],
    ['accounts', summary.accounts],
    ['accounts in a farm', summary.flagged],
    ['farms', summary.farms],
    ['rows rejected at ingest', summary.rejectedRows],
    ['files that failed to load', summary.failedFiles],
  ];
  const body = [
    '<h1>Farmscope investigation</h1>',
    `<table class="figures">${figures.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${v.toLocaleString('en-US')}</td></tr>`).join('')}</table>`,
    '<h2>Farms</h2>',
    docs.length === 0 ? '<p>No farm was found.</p>' : farmTable(docs),
    ...docs.map(farmSection),
    '<h2>Inputs</h2>',
    `<table><tr><th>role</th><th>file</th><th>SHA-256</th></tr>${summary.inputs
      .map((i) => `<tr><td>${escapeHtml(i.role)}</td><td>${escapeHtml(i.path)}</td><td><code>${escapeHtml(i.sha256)}</code></td></tr>`)
      .join('')}</table>`,
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Farmscope investigation</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 75em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
dl { margin: 0.2em 0 0.2em 1em; } dt { font-weight: 600; } dd { margin: 0 0 0.3em 1em; }
section { border-top: 2px solid #888; margin-top: 1.5em; }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

function farmTable(docs: readonly FarmDocument[]): string {
  const head = FARM_COLUMNS.map(([name]) => `<th>${escapeHtml(name)}</th>`).join('');
  const rows = docs.map((farm) => {
    const cells = FARM_COLUMNS.map(([, get], i) => {
      const v = get(farm);
      const shown = typeof v === 'number' && Number.isInteger(v) ? v.toLocaleString('en-US') : (v ?? '');
      const text = i === 0 ? `<a href="#${anchor(farm.id)}">${escapeHtml(farm.id)}</a>` : escapeHtml(shown);
      return `<td${typeof v === 'number' ? ' class="n"' : ''}>${text}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<table><tr>${head}</tr>${rows.join('')}</table>`;
}

/** Every field of the farm's document, evidence included, as nested lists. */
function farmSection(farm: FarmDocument): string {
  return `<section id="${anchor(farm.id)}"><h3>Farm ${escapeHtml(farm.id)}</h3>${renderValue(farm, 0)}</section>`;
}

function anchor(id: string): string {
  return `farm-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Any JSON value as nested lists: objects as <dl>, arrays of objects as tables, long lists cut. */
function renderValue(value: unknown, depth: number): string {
  if (value === null || value === undefined) return '<em>none</em>';
  if (typeof value === 'string' && value.length > MAX_CHARS) {
    return `${escapeHtml(value.slice(0, MAX_CHARS))}<em>… (${value.length.toLocaleString('en-US')} characters)</em>`;
  }
  if (typeof value !== 'object') return escapeHtml(value);
  if (depth >= MAX_DEPTH) return `<code>${escapeHtml(JSON.stringify(value))}</code>`;
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_ITEMS);
    const more = value.length > MAX_ITEMS ? ` <em>… and ${(value.length - MAX_ITEMS).toLocaleString('en-US')} more</em>` : '';
    if (shown.length > 0 && shown.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      const keys = [...new Set(shown.flatMap((v) => Object.keys(v as Doc)))];
      const rows = shown.map((v) => `<tr>${keys.map((k) => `<td>${renderValue((v as Doc)[k], depth + 1)}</td>`).join('')}</tr>`);
      return `<table><tr>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}</tr>${rows.join('')}</table>${more}`;
    }
    return `${shown.map((v) => renderValue(v, depth + 1)).join(', ')}${more}`;
  }
  const entries = Object.entries(value as Doc);
  return `<dl>${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${renderValue(v, depth + 1)}</dd>`).join('')}</dl>`;
}
