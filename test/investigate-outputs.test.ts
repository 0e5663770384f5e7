// The serializers behind investigate's outputs, on their own: byte-stable JSON
// (key order, float noise) and the minimal report (escaping, no external
// resource, long lists cut).
import { describe, expect, it } from 'vitest';
import type { FarmDocument } from '@farmscope/farms';
import { canonicalJson } from '../packages/cli/src/investigate/canonical-json.js';
import { escapeHtml, reportHtml, type ReportSummary } from '../packages/cli/src/investigate/report-html.js';

const SUMMARY: ReportSummary = {
  events: 1234, accounts: 20, flagged: 3, farms: 1, rejectedRows: 2, failedFiles: 0,
  inputs: [{ role: 'events', path: '/data/<events>.parquet', sha256: 'ab'.repeat(32) }],
};

describe('canonicalJson', () => {
  it('sorts keys at every level and ends with a newline', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('keeps the producer\'s key order when asked', () => {
    expect(canonicalJson({ id: 'f1', accounts: ['b', 'a'], b: { z: 1, a: 2 } }, { sortKeys: false })).toBe(
      '{\n  "id": "f1",\n  "accounts": [\n    "b",\n    "a"\n  ],\n  "b": {\n    "z": 1,\n    "a": 2\n  }\n}\n',
    );
  });

  it('hides last-bit float noise and drops undefined', () => {
    expect(canonicalJson({ x: 0.1 + 0.2, y: undefined, n: 3, big: 2n ** 70n, t: new Date(Date.UTC(2026, 4, 1)) })).toBe(
      canonicalJson({ x: 0.3, n: 3, big: '1180591620717411303424', t: '2026-05-01T00:00:00.000Z' }),
    );
    expect(JSON.parse(canonicalJson([Number.NaN, 1e-12, 123456.7890123456]))).toEqual([null, 1e-12, 123456.789012]);
  });

  it('round-trips', () => {
    const value = { farms: [{ id: 'f1', accounts: ['a', 'b'], score: 0.75, evidence: { links: [{ kind: 'ip', holders: 3 }] } }] };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('reportHtml', () => {
  const farm: FarmDocument = {
    id: 'f<1>',
    accounts: Array.from({ length: 60 }, (_, i) => `acct-${i}`),
    accountCount: 60,
    firstActivity: '2026-05-01T00:00:00Z',
    lastActivity: '2026-05-02T00:00:00Z',
    requests: 5000,
    inputTokens: 10,
    outputTokens: 20,
    score: 0.9,
    significance: { pValue: 0.02, coactivityZ: 3.1, method: `"quoted" & 'single'` },
    evidence: {
      links: [{ kind: 'payment', pairs: 1770, accounts: 60, distinctValues: 1, minHolders: 60, medianHolders: 60, maxWeight: 1, rarestValue: '<img src=x onerror=alert(1)>' }],
      templates: [{ templateId: 7, requests: 900, farmAccounts: 60, totalAccounts: 61, examplePrompt: 'x'.repeat(5000), samplePrompts: [] }],
      signals: [],
    },
  };
  const html = reportHtml(SUMMARY, [farm]);

  it('escapes every value taken from the data', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('f&lt;1&gt;');
    expect(html).toContain('/data/&lt;events&gt;.parquet');
    expect(html).toContain('&quot;quoted&quot; &amp; &#39;single&#39;');
  });

  it('is self-contained: no script, stylesheet link or remote resource', () => {
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).not.toMatch(/<script|<link|https?:|url\(/i);
  });

  it('shows the summary, a farm table with anchors, and cuts long lists', () => {
    expect(html).toContain('<tr><th>events analysed</th><td>1,234</td></tr>');
    expect(html).toContain('<a href="#farm-f_1_">f&lt;1&gt;</a>');
    expect(html).toContain('<td class="n">5,000</td><td class="n">10</td><td class="n">20</td><td class="n">0.9</td>');
    expect(html).toContain('<section id="farm-f_1_">');
    expect(html).toContain('acct-49');
    expect(html).not.toContain('acct-50');
    expect(html).toContain('… and 10 more');
    expect(html).toContain(`${'x'.repeat(1000)}<em>… (5,000 characters)</em>`);
    expect(html).not.toContain('x'.repeat(1001));
  });

  it('says so when there is no farm', () => {
    expect(reportHtml({ ...SUMMARY, farms: 0, flagged: 0 }, [])).toContain('<p>No farm was found.</p>');
  });
});
