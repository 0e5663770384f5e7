// Printing an evaluation: `table`, a readable summary in sections, or `json`,
// one object in a fixed key order with numbers rounded to 6 decimals, so the
// same inputs print byte-identical output.
import type { Evaluation } from './evaluate.js';
import type { PartitionAgreement } from './partition-metrics.js';

export type EvaluationFormat = 'table' | 'json';

export function formatEvaluation(evaluation: Evaluation, format: EvaluationFormat = 'table'): string {
  return format === 'json' ? formatEvaluationJson(evaluation) : formatEvaluationTable(evaluation);
}

export function formatEvaluationJson(evaluation: Evaluation): string {
  return `${JSON.stringify(evaluation, (_key, value: unknown) => (typeof value === 'number' ? round6(value) : value), 2)}\n`;
}

/** Rounded to 6 decimals; -0 becomes 0 so it prints the same. */
export function round6(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  return Math.round(value * 1e6) / 1e6 + 0;
}

type Cell = string | number | null;

/** Four decimals in the table; "n/a" for a metric that is undefined on these inputs. */
function metric(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : value.toFixed(4);
}

export function formatEvaluationTable(e: Evaluation): string {
  const a = e.accounts;
  const level = e.accountLevel;
  const sections: string[][] = [
    section('Inputs', [
      ...keyValues([
        ['truth', e.inputs.truth],
        ['predictions', e.inputs.predictions],
        ['requests', e.inputs.requests ?? `none (${e.attackRequests.reason})`],
        ['weighting', e.inputs.weighting === 'uniform' ? 'uniform: each account counts once' : 'requests: each account counts by its requests'],
      ]),
    ]),
    section('Accounts', [
      ...keyValues([
        ['in truth', a.inTruth],
        ['in predictions', a.inPredictions],
        ['evaluated (union)', a.evaluated],
        ['true farm members', a.trueFarmMembers],
        ['legitimate', a.legitimate],
        ['flagged (in a farm)', a.flagged],
        ['missing from predictions', a.missingFromPredictions],
        ['not in truth', a.unknownToTruth],
      ]),
    ]),
    section(`Account detection (flagged = placed in a farm; ${level.weighting} weighting)`, [
      ...keyValues([
        ['precision', metric(level.precision)],
        ['recall', metric(level.recall)],
        ['F1', metric(level.f1)],
        ['AUPRC (average precision of score)', metric(level.auprc)],
        ['TP / FP / FN / TN', `${level.truePositives} / ${level.falsePositives} / ${level.falseNegatives} / ${level.trueNegatives}`],
      ]),
    ]),
    section('Farm partition', partitionGrid(e.partition.withSingletons, e.partition.farmMembersOnly)),
    section(
      'False positives per legitimate population',
      grid(
        ['campaign', 'accounts', 'flagged', 'share'],
        e.legitimatePopulations.map((p) => [p.campaign, p.accounts, p.flagged, metric(p.share)]),
      ),
    ),
    section(
      `True farms: ${e.trueFarms.recovered} of ${e.trueFarms.total} recovered at Jaccard ≥ ${e.trueFarms.recoveryThreshold} (share ${metric(e.trueFarms.recoveredShare)})`,
      grid(
        ['farm', 'campaign', 'size', 'flagged', 'best match', 'match size', 'overlap', 'jaccard'],
        e.trueFarms.farms.map((f) => [f.farmId, f.campaign, f.size, f.flagged, f.bestMatch ?? '-', f.bestMatchSize, f.overlap, metric(f.jaccard)]),
      ),
    ),
    section('Attack requests attributed (requests of true farm accounts placed in a farm)', [
      e.attackRequests.share === null
        ? `  n/a: ${e.attackRequests.reason}`
        : `  ${metric(e.attackRequests.share)} (${e.attackRequests.attributed} of ${e.attackRequests.total})`,
    ]),
  ];
  if (e.notes.length > 0) sections.push(section('Notes', e.notes.map((n) => `- ${n}`)));
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function partitionGrid(all: PartitionAgreement | null, members: PartitionAgreement | null): string[] {
  const row = (label: string, f: (p: PartitionAgreement) => Cell): Cell[] => [label, all ? f(all) : 'n/a', members ? f(members) : 'n/a'];
  return grid(
    ['', 'with singletons', 'farm members only'],
    [
      row('accounts', (p) => p.items),
      row('true clusters', (p) => p.trueClusters),
      row('predicted clusters', (p) => p.predictedClusters),
      row('B-cubed precision', (p) => metric(p.bcubed.precision)),
      row('B-cubed recall', (p) => metric(p.bcubed.recall)),
      row('B-cubed F1', (p) => metric(p.bcubed.f1)),
      row('ARI', (p) => metric(p.ari)),
      row('AMI (arithmetic)', (p) => metric(p.ami)),
    ],
  );
}

function section(title: string, lines: string[]): string[] {
  return [title, ...(lines.length > 0 ? lines : ['  (none)'])];
}

function keyValues(pairs: ReadonlyArray<[string, Cell]>): string[] {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `  ${k.padEnd(width)}  ${v ?? ''}`);
}

/** An aligned table, indented; numbers and metric strings right-aligned. */
function grid(header: readonly string[], rows: readonly Cell[][]): string[] {
  if (rows.length === 0) return [];
  const text = rows.map((r) => r.map((c) => (c === null ? '' : String(c))));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]!.length)));
  const right = header.map((_, i) => i > 0 && rows.every((r) => typeof r[i] === 'number' || /^(-?\d+(\.\d+)?|n\/a)$/.test(String(r[i]))));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...text.map(line)];
}
