// Formatting helpers for benchmark output: Markdown tables and human units.

/** A GitHub-flavoured Markdown table. `align`: 'l' or 'r' per column. */
export function markdownTable(headers, rows, align = []) {
  const cells = rows.map((row) => row.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, 3, ...cells.map((r) => r[i].length)));
  const pad = (text, i) => (align[i] === 'r' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (parts) => `| ${parts.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(headers), rule, ...cells.map(line)].join('\n');
}

export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined || Number.isNaN(bytes)) return '—';
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  return `${(bytes / 2 ** 10).toFixed(0)} KiB`;
}

export function formatInt(n) {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : Math.round(n).toLocaleString('en-US');
}

export function formatSeconds(s) {
  return s === null || s === undefined ? '—' : s < 10 ? s.toFixed(2) : s.toFixed(1);
}

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Progress on stderr, with the elapsed time. */
export function progress(startedMs = Date.now()) {
  return (message) => process.stderr.write(`[${((Date.now() - startedMs) / 1000).toFixed(0).padStart(5)}s] ${message}\n`);
}
