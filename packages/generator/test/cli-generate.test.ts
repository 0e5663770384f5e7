// `farmscope generate` as a user runs it (the built CLI): files written, exit
// code 2 with a message naming the field for a bad scenario or a used folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { runCli } from '../../../test/support/run-cli.js';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';

let temp: TempFolder;

beforeAll(() => {
  temp = createTempFolder('farmscope-generate-cli-');
});

afterAll(() => temp?.remove());

describe('farmscope generate', () => {
  it('writes the four tables and scenario.json', () => {
    const out = temp.path('tiny');
    const r = runCli(['generate', '--scenario', 'tiny', '--seed', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['accounts.parquet', 'enforcement.parquet', 'events.parquet', 'scenario.json', 'truth.parquet']);
    expect(r.stderr).toMatch(/events\.parquet: [\d,]+ rows/);
  });

  it('refuses the same folder again without --force (exit 2)', () => {
    const r = runCli(['generate', '--scenario', 'tiny', '--seed', '1', '--out', temp.path('tiny')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass --force');
  });

  it('names the bad field of a scenario file and writes nothing (exit 2)', () => {
    const file = temp.write('bad.json', JSON.stringify({
      name: 'bad', window: { start: '2026-05-01', end: '2026-05-02' }, models: [{ name: 'm' }],
      populations: [{ kind: 'attack.hydra', acounts: 10 }],
    }));
    const r = runCli(['generate', '--scenario', file, '--seed', '1', '--out', temp.path('bad-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('populations[0].acounts: unknown field (did you mean "accounts"?)');
    expect(existsSync(temp.path('bad-out'))).toBe(false);
  });

  it('rejects a seed that is not a whole number (exit 2)', () => {
    const r = runCli(['generate', '--scenario', 'tiny', '--seed', '1.5', '--out', temp.path('s')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid value for --seed');
  });

  it('ends its help with examples', () => {
    const r = runCli(['generate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--scenario <name|file>');
  });
});
