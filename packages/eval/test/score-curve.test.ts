// scoreCurve() on hand-made truth and predictions whose curve is worked out
// by hand: one point per distinct score, from the highest to the lowest, and
// the farm assignment's own precision and recall.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, withCaseFile } from '@farmscope/casefile';
import { scoreCurve, type ScoreCurve } from '@farmscope/eval';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';

// Five true farm accounts (a1..a5), four legitimate ones; l2 is wrongly placed in P2.
const TRUTH = 'account_id,farm_id,campaign\na1,F1,x\na2,F1,x\na3,F1,x\na4,F2,y\na5,F2,y\nl1,,c\nl2,,c\nl3,,c\nl4,,c\n';
const PREDICTIONS =
  'account_id,farm_id,score\na1,P1,0.9\na2,P1,0.8\na3,,0.3\na4,P1,0.7\na5,P2,0.6\nl1,,0.1\nl2,P2,0.65\nl3,,0.2\nl4,,0\n';

let tmp: TempFolder;
let curve: ScoreCurve;

beforeAll(async () => {
  tmp = createTempFolder();
  const truthPath = tmp.write('truth.csv', TRUTH);
  const predPath = tmp.write('account_farms.csv', PREDICTIONS);
  curve = await withCaseFile(':memory:', {}, (caseFile) => scoreCurve(caseFile, { truthPath, predPath }));
});
afterAll(() => tmp.remove());

describe('scoreCurve', () => {
  it('gives precision and recall at every distinct score, highest first', () => {
    expect(curve.accounts).toBe(9);
    expect(curve.positives).toBe(5);
    const rows = curve.points.map((p) => [p.threshold, p.flagged, p.truePositives]);
    expect(rows).toEqual([
      [0.9, 1, 1], [0.8, 2, 2], [0.7, 3, 3], [0.65, 4, 3], [0.6, 5, 4],
      [0.3, 6, 5], [0.2, 7, 5], [0.1, 8, 5], [0, 9, 5],
    ]);
    const at065 = curve.points[3]!;
    expect(at065.precision).toBeCloseTo(0.75, 12);
    expect(at065.recall).toBeCloseTo(0.6, 12);
    expect(at065.f1).toBeCloseTo((2 * 0.75 * 0.6) / 1.35, 12);
    expect(curve.points.at(-1)!.precision).toBeCloseTo(5 / 9, 12);
  });

  it('places the farm assignment on the same scale', () => {
    expect(curve.farmAssignment).toEqual({ flagged: 5, truePositives: 4, precision: 0.8, recall: 0.8 });
  });

  it('refuses predictions of accounts unknown to the truth unless allowed', async () => {
    const truthPath = tmp.write('truth-small.csv', 'account_id,farm_id,campaign\na1,F1,x\n');
    const predPath = tmp.write('pred-more.csv', 'account_id,farm_id,score\na1,P1,0.9\nz9,,0.2\n');
    const refused = await withCaseFile(':memory:', {}, (c) => scoreCurve(c, { truthPath, predPath })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect(String((refused as Error).message)).toContain('z9');
    const allowed = await withCaseFile(':memory:', {}, (c) => scoreCurve(c, { truthPath, predPath, allowUnknown: true }));
    expect(allowed.points.map((p) => p.precision)).toEqual([1, 0.5]);
  });
});
