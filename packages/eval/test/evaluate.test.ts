// evaluate() on hand-made truth and predictions whose metrics are worked out
// by hand (below), from files and from a real case file, plus every kind of
// bad input: each fails with an InputError (exit code 2) naming the file,
// column or row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFile, InputError, withCaseFile } from '@farmscope/casefile';
import { evaluate, formatEvaluation, partitionAgreement, type EvaluateOptions, type Evaluation } from '@farmscope/eval';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';
import { profileOf } from './contingency-support.js';

// Truth: farm F1 = a1 a2 a3, farm F2 = a4 a5, four legitimate accounts.
// Prediction: P1 = a1 a2 a4, P2 = a5 l2; a3, l1, l3, l4 in no farm.
const TRUTH = [
  ['a1', 'F1', 'attack.x'], ['a2', 'F1', 'attack.x'], ['a3', 'F1', 'attack.x'],
  ['a4', 'F2', 'attack.y'], ['a5', 'F2', 'attack.y'],
  ['l1', '', 'legit.casual'], ['l2', '', 'legit.casual'], ['l3', '', 'legit.nat'], ['l4', '', 'legit.nat'],
];
const PREDICTIONS = [
  ['a1', 'P1', '0.9'], ['a2', 'P1', '0.8'], ['a3', '', '0.3'], ['a4', 'P1', '0.7'], ['a5', 'P2', '0.6'],
  ['l1', '', '0.1'], ['l2', 'P2', '0.65'], ['l3', '', '0.2'], ['l4', '', '0'],
];
const REQUESTS: Record<string, number> = { a1: 10, a2: 10, a3: 20, a4: 5, a5: 5, l1: 1, l2: 1, l3: 1, l4: 1 };

const csv = (header: string, rows: readonly string[][]) => `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;

let tmp: TempFolder;
let truthCsv: string;
let predCsv: string;
let eventsCsv: string;
let caseFilePath: string;

beforeAll(async () => {
  tmp = createTempFolder();
  truthCsv = tmp.write('truth.csv', csv('account_id,farm_id,campaign', TRUTH));
  predCsv = tmp.write('account_farms.csv', csv('account_id,farm_id,score', PREDICTIONS));
  const events = Object.entries(REQUESTS).flatMap(([account, n]) => Array.from({ length: n }, (_, i) => [`${account}-${i}`, account]));
  eventsCsv = tmp.write('events.csv', csv('request_id,account_id', events));
  caseFilePath = tmp.path('case.duckdb');
  await withCaseFile(caseFilePath, {}, async (caseFile) => {
    await caseFile.run(`CREATE TABLE account_farms (account_id VARCHAR, farm_id VARCHAR, score DOUBLE)`);
    await caseFile.run(`INSERT INTO account_farms SELECT account_id, farm_id, score::DOUBLE FROM read_csv('${predCsv}', all_varchar = true)`);
    await caseFile.run(`CREATE TABLE events AS SELECT request_id, account_id FROM read_csv('${eventsCsv}', all_varchar = true)`);
  });
});
afterAll(() => tmp.remove());

function inMemory(options: EvaluateOptions): Promise<Evaluation> {
  return withCaseFile(':memory:', {}, (caseFile) => evaluate(caseFile, options));
}

function fromCaseFile(options: Omit<EvaluateOptions, 'predPath'>): Promise<Evaluation> {
  return withCaseFile(caseFilePath, { readOnly: true }, (caseFile) => evaluate(caseFile, options));
}

async function inputError(options: EvaluateOptions): Promise<string> {
  const error = await inMemory(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).exitCode).toBe(2);
  return (error as Error).message;
}

describe('evaluate on a hand-worked example', () => {
  let result: Evaluation;
  beforeAll(async () => {
    result = await inMemory({ truthPath: truthCsv, predPath: predCsv, eventsPath: eventsCsv });
  });

  it('counts accounts and flags', () => {
    expect(result.accounts).toEqual({
      inTruth: 9, inPredictions: 9, evaluated: 9, missingFromPredictions: 0, unknownToTruth: 0,
      trueFarmMembers: 5, legitimate: 4, flagged: 5,
    });
    // Flagged a1 a2 a4 a5 (true farm members) and l2: TP 4, FP 1, FN 1 (a3), TN 3.
    expect(result.accountLevel).toMatchObject({ truePositives: 4, falsePositives: 1, falseNegatives: 1, trueNegatives: 3 });
    expect(result.accountLevel.precision).toBeCloseTo(0.8, 12);
    expect(result.accountLevel.recall).toBeCloseTo(0.8, 12);
    expect(result.accountLevel.f1).toBeCloseTo(0.8, 12);
  });

  it('computes the average precision of the score', () => {
    // By score: a1 a2 a4 (+), l2 (−), a5 (+), a3 (+), then negatives.
    // AP = (1/1 + 2/2 + 3/3 + 4/5 + 5/6) / 5.
    expect(result.accountLevel.auprc).toBeCloseTo((1 + 1 + 1 + 4 / 5 + 5 / 6) / 5, 12);
  });

  it('computes B-cubed and ARI of the partition, with and without legitimate accounts', () => {
    const all = result.partition.withSingletons!;
    // Σ n²/|pred| = 4/3 + 1 + 1/3 + 1/2 + 1/2 + 3 singletons = 20/3; Σ n²/|true| = 4/3 + 1/3 + 1/2 + 1/2 + 1 + 3 = 20/3.
    expect(all.bcubed.precision).toBeCloseTo(20 / 3 / 9, 12);
    expect(all.bcubed.recall).toBeCloseTo(20 / 3 / 9, 12);
    // Pairs together: 1 in both; 4 in truth, 4 in prediction, of C(9,2) = 36.
    expect(all.ari).toBeCloseTo((1 - 16 / 36) / (4 - 16 / 36), 12);
    expect(all.items).toBe(9);
    expect(all.trueClusters).toBe(6);
    expect(all.predictedClusters).toBe(6);
    const members = result.partition.farmMembersOnly!;
    expect(members.items).toBe(5);
    expect(members.bcubed.precision).toBeCloseTo((4 / 3 + 1 + 1 / 3 + 1) / 5, 12);
    expect(members.bcubed.recall).toBeCloseTo((4 / 3 + 1 / 3 + 1 / 2 + 1 / 2) / 5, 12);
    expect(members.ari).toBeCloseTo((1 - 1.2) / (3.5 - 1.2), 12);
  });

  it('gets AMI from the SQL contingency table as from the label lists', () => {
    const truth = ['F1', 'F1', 'F1', 'F2', 'F2', 'l1', 'l2', 'l3', 'l4'];
    const predicted = ['P1', 'P1', 'a3', 'P1', 'P2', 'l1', 'P2', 'l3', 'l4'];
    expect(result.partition.withSingletons!.ami).toBeCloseTo(partitionAgreement(profileOf(truth, predicted))!.ami, 12);
    expect(result.partition.farmMembersOnly!.ami).toBeCloseTo(
      partitionAgreement(profileOf(truth.slice(0, 5), predicted.slice(0, 5)))!.ami,
      12,
    );
  });

  it('reports false positives per legitimate population', () => {
    expect(result.legitimatePopulations).toEqual([
      { campaign: 'legit.casual', accounts: 2, flagged: 1, share: 0.5 },
      { campaign: 'legit.nat', accounts: 2, flagged: 0, share: 0 },
    ]);
  });

  it('matches each true farm to its best predicted farm by Jaccard', () => {
    expect(result.trueFarms.farms.map((f) => [f.farmId, f.size, f.flagged, f.bestMatch, f.overlap, f.jaccard])).toEqual([
      ['F1', 3, 2, 'P1', 2, 0.5], // 2 / (3 + 3 − 2)
      ['F2', 2, 2, 'P2', 1, 1 / 3], // P2: 1 / (2 + 2 − 1) beats P1: 1 / (2 + 3 − 1)
    ]);
    expect(result.trueFarms).toMatchObject({ total: 2, recovered: 1, recoveredShare: 0.5 });
  });

  it('shares attack requests attributed', () => {
    // Farm accounts made 10 + 10 + 20 + 5 + 5 = 50 requests; a3's 20 were not attributed.
    expect(result.attackRequests).toEqual({ total: 50, attributed: 30, share: 0.6, reason: null });
    expect(result.trueFarms.farms[0]).toMatchObject({ requests: 40, requestsAttributed: 20 });
  });

  it('prints byte-identical JSON rounded to 6 decimals, and a table with sections', async () => {
    const json = formatEvaluation(result, 'json');
    const again = formatEvaluation(await inMemory({ truthPath: truthCsv, predPath: predCsv, eventsPath: eventsCsv }), 'json');
    expect(again).toBe(json);
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed)).toEqual([
      'inputs', 'accounts', 'accountLevel', 'partition', 'legitimatePopulations', 'trueFarms', 'attackRequests', 'notes',
    ]);
    expect(parsed.accountLevel.auprc).toBe(0.926667);
    expect(parsed.trueFarms.farms[1].jaccard).toBe(0.333333);
    const table = formatEvaluation(result, 'table');
    for (const title of ['Account detection', 'Farm partition', 'False positives per legitimate population', 'True farms: 1 of 2', 'Attack requests attributed']) {
      expect(table).toContain(title);
    }
    expect(table).toMatch(/precision\s+0\.8000/);
    expect(table).toMatch(/0\.6000 \(30 of 50\)/);
  });

  it('weights account metrics by requests when asked', async () => {
    const weighted = await inMemory({ truthPath: truthCsv, predPath: predCsv, eventsPath: eventsCsv, weighting: 'requests' });
    // TP = 10 + 10 + 5 + 5, FP = 1 (l2), FN = 20 (a3).
    expect(weighted.accountLevel).toMatchObject({ weighting: 'requests', truePositives: 30, falsePositives: 1, falseNegatives: 20 });
    expect(weighted.accountLevel.precision).toBeCloseTo(30 / 31, 12);
    expect(weighted.accountLevel.recall).toBeCloseTo(0.6, 12);
    expect(await inputError({ truthPath: truthCsv, predPath: predCsv, weighting: 'requests' })).toMatch(/needs request counts/);
  });
});

describe('evaluate from a case file', () => {
  it('reads account_farms and events from the case file and leaves it unchanged', async () => {
    const result = await fromCaseFile({ truthPath: truthCsv });
    expect(result.inputs.predictions).toBe(`table account_farms of case file ${caseFilePath}`);
    expect(result.inputs.requests).toBe(`table events of case file ${caseFilePath}`);
    expect(result.accountLevel.auprc).toBeCloseTo((1 + 1 + 1 + 4 / 5 + 5 / 6) / 5, 12);
    expect(result.attackRequests.share).toBe(0.6);
    const tables = await withCaseFile(caseFilePath, { readOnly: true }, (caseFile) =>
      caseFile.all(`SELECT table_name FROM information_schema.tables ORDER BY ALL`),
    );
    expect(tables).toEqual([{ table_name: 'account_farms' }, { table_name: 'events' }]);
  });

  it('names the missing table', async () => {
    const empty = tmp.path('empty.duckdb');
    await withCaseFile(empty, {}, async () => {});
    const error = await withCaseFile(empty, { readOnly: true }, (caseFile) => evaluate(caseFile, { truthPath: truthCsv })).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/has no table account_farms .*--pred/);
  });

  it('rejects an out-of-range score in the table, naming the account', async () => {
    const bad = tmp.path('bad-score.duckdb');
    await withCaseFile(bad, {}, (caseFile: CaseFile) =>
      caseFile.run(`CREATE TABLE account_farms AS SELECT 'a1' AS account_id, NULL::VARCHAR AS farm_id, 1.5::DOUBLE AS score`),
    );
    const error = await withCaseFile(bad, { readOnly: true }, (caseFile) => evaluate(caseFile, { truthPath: truthCsv })).catch((e) => e);
    expect(error.message).toBe(`table account_farms of case file ${bad} row 1 (account "a1"): score "1.5" is not a number in [0, 1]`);
  });
});

describe('evaluate with partial or extra predictions', () => {
  it('counts truth accounts without a prediction as unflagged, with a note', async () => {
    const partial = tmp.write('partial.csv', csv('account_id,farm_id,score', PREDICTIONS.slice(0, 4)));
    const result = await inMemory({ truthPath: truthCsv, predPath: partial });
    expect(result.accounts).toMatchObject({ inPredictions: 4, evaluated: 9, missingFromPredictions: 5 });
    expect(result.accountLevel).toMatchObject({ truePositives: 3, falsePositives: 0, falseNegatives: 2 });
    expect(result.notes[0]).toMatch(/5 truth account\(s\) have no prediction/);
    expect(result.attackRequests.reason).toMatch(/--events/);
  });

  it('refuses accounts unknown to the truth unless allowed, then counts them as legitimate', async () => {
    const extra = tmp.write('extra.csv', csv('account_id,farm_id,score', [...PREDICTIONS, ['zz', 'P9', '1']]));
    expect(await inputError({ truthPath: truthCsv, predPath: extra })).toMatch(/1 account\(s\) are not in the truth file \("zz"\); pass --allow-unknown/);
    const result = await inMemory({ truthPath: truthCsv, predPath: extra, allowUnknown: true });
    expect(result.accountLevel.falsePositives).toBe(2);
    expect(result.legitimatePopulations.find((p) => p.campaign === '(not in truth)')).toEqual({
      campaign: '(not in truth)', accounts: 1, flagged: 1, share: 1,
    });
  });
});

describe('evaluate reads every truth format', () => {
  it('reads JSON Lines and Parquet truth with null farm ids', async () => {
    const jsonl = tmp.write(
      'truth.jsonl',
      TRUTH.map(([account_id, farm_id, campaign]) => JSON.stringify({ account_id, farm_id: farm_id || null, campaign })).join('\n'),
    );
    const parquet = tmp.path('truth.parquet');
    await withCaseFile(':memory:', {}, (caseFile) =>
      caseFile.run(`COPY (FROM read_json('${jsonl}')) TO '${parquet}' (FORMAT parquet)`),
    );
    const reference = await inMemory({ truthPath: truthCsv, predPath: predCsv });
    for (const truthPath of [jsonl, parquet]) {
      const result = await inMemory({ truthPath, predPath: predCsv });
      expect(formatEvaluation({ ...result, inputs: reference.inputs }, 'json')).toBe(formatEvaluation(reference, 'json'));
    }
  });
});

describe('evaluate refuses bad input', () => {
  it('a missing file or an unknown format', async () => {
    expect(await inputError({ truthPath: tmp.path('nope.parquet'), predPath: predCsv })).toBe(`truth file not found: ${tmp.path('nope.parquet')}`);
    expect(await inputError({ truthPath: truthCsv, predPath: tmp.path('nope.csv') })).toMatch(/^predictions file not found: /);
    const odd = tmp.write('truth.xlsx', 'x');
    expect(await inputError({ truthPath: odd, predPath: predCsv })).toMatch(/cannot tell the format of truth file .*truth\.xlsx/);
  });

  it('a file DuckDB cannot read', async () => {
    const corrupt = tmp.write('corrupt.parquet', 'PAR1 garbage');
    expect(await inputError({ truthPath: corrupt, predPath: predCsv })).toMatch(/^cannot read truth file .*corrupt\.parquet: /);
  });

  it('truth without a required column', async () => {
    const noCampaign = tmp.write('no-campaign.csv', csv('account_id,farm_id', TRUTH.map((r) => r.slice(0, 2))));
    expect(await inputError({ truthPath: noCampaign, predPath: predCsv })).toBe(
      `truth file ${noCampaign} has no column "campaign" (its columns: account_id, farm_id)`,
    );
  });

  it('truth with an empty account id or campaign', async () => {
    const rows = TRUTH.map((r) => [...r]);
    rows[3]![2] = '';
    const noLabel = tmp.write('no-label.csv', csv('account_id,farm_id,campaign', rows));
    expect(await inputError({ truthPath: noLabel, predPath: predCsv })).toBe(
      `truth file ${noLabel} row 4 (account "a4"): campaign is empty (every account needs the label of the behaviour that generated it)`,
    );
    rows[3]![2] = 'x';
    rows[6]![0] = '';
    const noId = tmp.write('no-id.csv', csv('account_id,farm_id,campaign', rows));
    expect(await inputError({ truthPath: noId, predPath: predCsv })).toBe(`truth file ${noId} row 7: account_id is empty`);
  });

  it('predictions with a score outside [0, 1] or not a number', async () => {
    for (const [score, shown] of [['1.5', '1.5'], ['-0.1', '-0.1'], ['high', 'high'], ['nan', 'nan']]) {
      const rows = PREDICTIONS.map((r) => [...r]);
      rows[2]![2] = score!;
      const bad = tmp.write(`score-${score}.csv`, csv('account_id,farm_id,score', rows));
      expect(await inputError({ truthPath: truthCsv, predPath: bad })).toBe(
        `predictions file ${bad} row 3 (account "a3"): score "${shown}" is not a number in [0, 1]`,
      );
    }
    const rows = PREDICTIONS.map((r) => [...r]);
    rows[1]![2] = '';
    const empty = tmp.write('score-empty.csv', csv('account_id,farm_id,score', rows));
    expect(await inputError({ truthPath: truthCsv, predPath: empty })).toBe(`predictions file ${empty} row 2 (account "a2"): score is empty`);
  });

  it('duplicate account ids', async () => {
    const twice = tmp.write('twice.csv', csv('account_id,farm_id,score', [...PREDICTIONS, ['a2', 'P1', '0.5']]));
    expect(await inputError({ truthPath: truthCsv, predPath: twice })).toBe(
      `predictions file ${twice}: account_id "a2" appears 2 times (rows 2, 10); each account must appear once`,
    );
    const truthTwice = tmp.write('truth-twice.csv', csv('account_id,farm_id,campaign', [...TRUTH, ['l4', '', 'legit.nat']]));
    expect(await inputError({ truthPath: truthTwice, predPath: predCsv })).toMatch(/truth file .*: account_id "l4" appears 2 times \(rows 9, 10\)/);
  });
});
