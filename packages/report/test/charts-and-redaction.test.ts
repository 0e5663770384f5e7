// The report's building blocks on their own: charts render to the same SVG
// bytes twice in one process (no counter or clock inside), inline-ready (no
// xmlns, no script, no external reference) and rounded; the keyed redactor
// maps ids to stable tokens that differ by key; Markdown cells cannot break
// a table; HTML escaping.
import { describe, expect, it } from 'vitest';
import { escapeHtml, keyedRedactor, renderChart, signalsSpec, SHOW_EVERYTHING, timelineSpec } from '../src/index.js';
import { mdCell } from '../src/report-markdown.js';

const points = Array.from({ length: 48 }, (_, h) => ({
  bin: new Date(Date.UTC(2026, 4, 1, h)).toISOString().replace('.000Z', 'Z'),
  series: h < 24 ? 'acct-a' : 'other accounts',
  requests: 10 + (h % 7),
}));

describe('charts', () => {
  it('render the same bytes twice, as inline SVG with rounded coordinates', async () => {
    const first = await renderChart(timelineSpec(points, 1));
    const second = await renderChart(timelineSpec(points, 1));
    expect(second).toBe(first);
    expect(first).toMatch(/^<svg /);
    expect(first).not.toMatch(/xmlns|<script|https?:|url\(|href=/);
    expect(first).not.toMatch(/ d="[^"]*\d\.\d\d/);
    const bars = await renderChart(signalsSpec([{ group: 'content', evidence: 0.8 }, { group: 'churn', evidence: 0.2 }]));
    expect(bars).toContain('content');
    expect(bars).toContain('churn');
  });
});

describe('keyedRedactor', () => {
  const key = Buffer.from('a key of at least sixteen bytes');
  it('gives stable tokens per key, cuts addresses, keeps only disposable domains, drops prompts', () => {
    const r = keyedRedactor(key);
    expect(r.account('acct_1')).toMatch(/^racct-[0-9a-f]{16}$/);
    expect(keyedRedactor(key).account('acct_1')).toBe(r.account('acct_1'));
    expect(keyedRedactor(Buffer.from('another key, sixteen bytes or more')).account('acct_1')).not.toBe(r.account('acct_1'));
    expect(r.account('x')).not.toBe(r.farm('x'));
    expect(r.linkValue('ip', '198.51.100.7')).toBe('198.51.100.0/24');
    expect(r.linkValue('payment', 'pm_123')).toMatch(/^rval-/);
    expect(r.linkValue('template', 'tpl:4')).toBe('tpl:4');
    expect(r.emailDomain('Mailinator.com')).toBe('mailinator.com');
    expect(r.emailDomain('example.org')).toBe('(other domain)');
    expect(r.prompt('secret')).toBeNull();
    expect(SHOW_EVERYTHING.prompt('secret')).toBe('secret');
    expect(() => keyedRedactor(Buffer.from('short'))).toThrow(/at least 16/);
  });
});

describe('escaping', () => {
  it('escapes HTML and keeps Markdown cells inside their table', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(mdCell('a|b\nc <d>')).toBe('a\\|b c &lt;d>');
    expect(mdCell(1234567)).toBe('1,234,567');
    expect(mdCell(null)).toBe('—');
  });
});
