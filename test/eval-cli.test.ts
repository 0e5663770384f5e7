// `farmscope eval` end to end, as a user runs it: the tiny scenario generated
// by `farmscope generate`, a perfect prediction (the truth itself, farm
// accounts scored 1) and a damaged one with known errors, scored from CSV
// files and from a case file; exit code 2 and a clear message on bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCaseFile } from '@farmscope/casefile';
import { createTempFolder, type TempFolder } from './support/temp-folder.js';
import { runCli } from './support/run-cli.js';

let tmp: TempFolder;
let truth: string;
let events: string;
let perfect: string;
let damaged: string;

beforeAll(async () => {
  tmp = createTempFolder();
  const generated = runCli(['generate', '--scenario', 'tiny', '--seed', '3', '--out', tmp.path('tiny'), '--quiet']);
  expect(generated.code).toBe(0);
  truth = tmp.path('tiny/truth.parquet');
  events = tmp.path('tiny/events.parquet');
  perfect = tmp.path('perfect.csv');
  damaged = tmp.path('damaged.csv');
  await withCaseFile(':memory:', {}, async (caseFile) => {
    await caseFile.run(`CREATE TABLE truth AS FROM '${truth}'`);
    await caseFile.run(
      `COPY (SELECT account_id, farm_id, CASE WHEN farm_id IS NULL THEN 0 ELSE 1 END AS score FROM truth ORDER BY account_id)
       TO '${perfect}' (HEADER)`,
    );
    // Damage: 3 hydra accounts left out (score 0.2), 2 campus NAT accounts put into the hydra farm (score 0.9).
    await caseFile.run(
      `COPY (
         WITH ranked AS (SELECT *, row_number() OVER (PARTITION BY campaign ORDER BY account_id) AS k FROM truth)
         SELECT account_id,
                CASE WHEN campaign = 'attack.hydra' AND k <= 3 THEN NULL
                     WHEN campaign = 'legit.campus_nat' AND k <= 2 THEN 'hydra-a'
                     ELSE farm_id END AS farm_id,
                CASE WHEN campaign = 'attack.hydra' AND k <= 3 THEN 0.2
                     WHEN campaign = 'legit.campus_nat' AND k <= 2 THEN 0.9
                     WHEN farm_id IS NULL THEN 0 ELSE 1 END AS score
         FROM ranked ORDER BY account_id
       ) TO '${damaged}' (HEADER)`,
    );
  });
});
afterAll(() => tmp.remove());

function evalJson(args: readonly string[]) {
  const result = runCli(['eval', '--truth', truth, ...args, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { text: result.stdout, json: JSON.parse(result.stdout) };
}

describe('farmscope eval', () => {
  it('has help with examples', () => {
    const help = runCli(['eval', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--truth <file>');
    expect(help.stdout).toContain('Examples:');
  });

  it('scores a perfect prediction 1 everywhere', () => {
    const { json } = evalJson(['--pred', perfect, '--events', events]);
    expect(json.accounts).toMatchObject({ inTruth: 223, inPredictions: 223, trueFarmMembers: 30, flagged: 30 });
    expect(json.accountLevel).toMatchObject({ precision: 1, recall: 1, f1: 1, auprc: 1 });
    for (const scope of ['withSingletons', 'farmMembersOnly']) {
      expect(json.partition[scope]).toMatchObject({ bcubed: { precision: 1, recall: 1, f1: 1 }, ari: 1, ami: 1 });
    }
    expect(json.trueFarms).toMatchObject({ total: 2, recovered: 2, recoveredShare: 1 });
    expect(json.attackRequests.share).toBe(1);
    expect(json.legitimatePopulations.every((p: { flagged: number }) => p.flagged === 0)).toBe(true);
  });

  it('prints the known errors of a damaged prediction, the same bytes every run', () => {
    const { text, json } = evalJson(['--pred', damaged]);
    expect(evalJson(['--pred', damaged]).text).toBe(text);
    // TP 27, FP 2, FN 3.
    expect(json.accountLevel).toMatchObject({ truePositives: 27, falsePositives: 2, falseNegatives: 3, precision: 0.931034, recall: 0.9 });
    expect(json.accountLevel.auprc).toBeLessThan(1);
    expect(json.legitimatePopulations.find((p: { campaign: string }) => p.campaign === 'legit.campus_nat')).toEqual({
      campaign: 'legit.campus_nat', accounts: 30, flagged: 2, share: 0.066667,
    });
    // hydra-a: 24 true, 23 predicted (21 + 2 NAT), 21 shared: Jaccard 21 / 26.
    expect(json.trueFarms.farms[0]).toMatchObject({ farmId: 'hydra-a', size: 24, flagged: 21, bestMatch: 'hydra-a', overlap: 21, jaccard: 0.807692 });
    expect(json.partition.withSingletons.bcubed.f1).toBeLessThan(1);
    expect(json.partition.withSingletons.ari).toBeLessThan(1);
    expect(json.attackRequests).toMatchObject({ share: null, reason: expect.stringMatching(/--events/) });

    const table = runCli(['eval', '--truth', truth, '--pred', damaged]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/precision\s+0\.9310\n/);
    expect(table.stdout).toMatch(/recall\s+0\.9000\n/);
    expect(table.stdout).toMatch(/legit\.campus_nat\s+30\s+2\s+0\.0667/);
    expect(table.stdout).toMatch(/hydra-a\s+attack\.hydra\s+24\s+21\s+hydra-a\s+23\s+21\s+0\.8077/);
  });

  it('reads account_farms and events from the case file given with --db', async () => {
    const db = tmp.path('case.duckdb');
    expect(runCli(['--db', db, '--quiet', 'ingest', '--events', events]).code).toBe(0);
    await withCaseFile(db, {}, (caseFile) =>
      caseFile.run(`CREATE TABLE account_farms AS SELECT account_id, farm_id, score::DOUBLE AS score FROM read_csv('${damaged}')`),
    );
    const result = runCli(['--db', db, 'eval', '--truth', truth, '--format', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.inputs.predictions).toMatch(/^table account_farms of case file /);
    expect(json.accountLevel.truePositives).toBe(27);
    expect(json.attackRequests.share).toBeGreaterThan(0.8);
    expect(json.attackRequests.share).toBeLessThan(1);
  });

  it('exits 2 with a clear message on bad input', () => {
    const missing = runCli(['eval', '--truth', tmp.path('nope.parquet'), '--pred', perfect]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`truth file not found: ${tmp.path('nope.parquet')}`);
    expect(missing.stdout).toBe('');

    const noColumns = runCli(['eval', '--truth', events, '--pred', perfect]);
    expect(noColumns.code).toBe(2);
    expect(noColumns.stderr).toMatch(/truth file .*events\.parquet has no columns "farm_id", "campaign"/);

    const bad = tmp.write('bad.csv', 'account_id,farm_id,score\nacct-1,,0.5\nacct-2,f,2\n');
    const outOfRange = runCli(['eval', '--truth', truth, '--pred', bad]);
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toContain(`predictions file ${bad} row 2 (account "acct-2"): score "2" is not a number in [0, 1]`);

    const noCaseFile = runCli(['--db', tmp.path('none.duckdb'), 'eval', '--truth', truth]);
    expect(noCaseFile.code).toBe(2);
    expect(noCaseFile.stderr).toMatch(/case file not found/);

    expect(runCli(['eval', '--truth', truth, '--pred', perfect, '--format', 'xml']).code).toBe(2);
    expect(runCli(['eval', '--pred', perfect]).code).toBe(2);
  });
});
