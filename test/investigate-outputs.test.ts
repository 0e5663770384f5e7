// The serializers behind investigate's outputs, on their own: byte-stable JSON
// (key order, float noise). The report (escaping, no external resource, long
// lists cut) is tested in test/report-*.test.ts.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../packages/cli/src/investigate/canonical-json.js';

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
