// Bad scenarios and bad options fail before anything is written, with errors
// that name the field; a non-empty output folder needs --force.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { InputError } from '@farmscope/casefile';
import { generate } from '@farmscope/generator';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';

let temp: TempFolder;

beforeAll(() => {
  temp = createTempFolder('farmscope-generator-bad-');
});

afterAll(() => temp?.remove());

const tiny = () => JSON.parse(readFileSync(new URL('../../../datasets/scenarios/tiny.json', import.meta.url), 'utf8')) as {
  window: { start: string; end: string };
  populations: Array<Record<string, unknown>>;
};

/** Writes a broken copy of tiny.json, generates, and returns the error. */
async function failure(name: string, breakIt: (s: ReturnType<typeof tiny>) => void): Promise<InputError> {
  const scenario = tiny();
  breakIt(scenario);
  const file = temp.write(`${name}.json`, JSON.stringify(scenario));
  const out = temp.path(`${name}-out`);
  const error = await generate({ scenario: file, seed: 1, out }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect(existsSync(out)).toBe(false); // nothing written
  return error as InputError;
}

describe('bad scenarios', () => {
  it('names an unknown population kind and suggests the right one', async () => {
    const e = await failure('kind', (s) => (s.populations[0]!.kind = 'legit.casul'));
    expect(e.message).toContain('populations[0].kind: must be one of');
    expect(e.message).toContain('got "legit.casul" (did you mean "legit.casual"?)');
  });

  it('names a negative count', async () => {
    const e = await failure('negative', (s) => (s.populations[3]!.accounts = -5));
    expect(e.message).toContain('populations[3].accounts: must be ≥ 1, got -5');
  });

  it('names a window that ends before it starts, together with other problems', async () => {
    const e = await failure('window', (s) => (s.window.end = '2026-05-01T00:00:00Z'));
    expect(e.message).toContain('window.end: must be after window.start');
    const both = await failure('window-and-kind', (s) => {
      s.window.end = '2026-05-01T00:00:00Z';
      s.populations[0]!.kind = 'legit.nobody';
    });
    expect(both.message).toContain('window.end: must be after window.start');
    expect(both.message).toContain('populations[0].kind: must be one of');
  });

  it('names a typo\'d field and suggests the right one', async () => {
    const e = await failure('typo', (s) => {
      s.populations[0]!.acounts = s.populations[0]!.accounts;
      delete s.populations[0]!.accounts;
    });
    expect(e.message).toContain('populations[0].acounts: unknown field (did you mean "accounts"?)');
    expect(e.message).toContain('populations[0].accounts: is required');
  });

  it('names bad nested fields and reports every problem at once', async () => {
    const e = await failure('nested', (s) => {
      s.populations[1]!.ips = { pool: 2.5, rotat: true };
      s.populations[2]!.promptMix = { cot: -1 };
    });
    expect(e.message).toContain('populations[1].ips.pool: must be a whole number, got 2.5');
    expect(e.message).toContain('populations[1].ips.rotat: unknown field (did you mean "rotate"?)');
    expect(e.message).toContain('populations[2].promptMix.cot: must be ≥ 0, got -1');
  });

  it('names parameters that contradict each other', async () => {
    const e = await failure('contradiction', (s) => {
      s.populations[5]!.ips = { pool: 0 }; // the hydra farm rotates over its pool
      s.populations[1]!.activeHours = [20, 8];
    });
    expect(e.message).toContain('populations[5].ips.pool: must be ≥ 1 when ips.rotate is true, got 0');
    expect(e.message).toContain('populations[1].activeHours: must be [from, to) with from < to, got [20,8]');
  });

  it('rejects a file that is not JSON', async () => {
    const file = temp.write('broken.json', '{ "name": ');
    await expect(generate({ scenario: file, seed: 1, out: temp.path('broken-out') })).rejects.toThrow(/not valid JSON/);
    expect(existsSync(temp.path('broken-out'))).toBe(false);
  });

  it('suggests a shipped scenario for a misspelt name', async () => {
    await expect(generate({ scenario: 'tinny', seed: 1, out: temp.path('x') })).rejects.toThrow(/unknown scenario "tinny" \(did you mean "tiny"\?\)/);
  });
});

describe('options and output folder', () => {
  it('rejects a bad seed or scale', async () => {
    await expect(generate({ scenario: 'tiny', seed: -1, out: temp.path('s') })).rejects.toThrow(/invalid seed/);
    await expect(generate({ scenario: 'tiny', seed: 1, scale: 0, out: temp.path('s') })).rejects.toThrow(/invalid scale/);
    expect(existsSync(temp.path('s'))).toBe(false);
  });

  it('refuses a non-empty output folder without force, and replaces only its own files with it', async () => {
    const out = temp.path('occupied');
    temp.write('occupied/notes.txt', 'keep me');
    await expect(generate({ scenario: 'tiny', seed: 1, out })).rejects.toThrow(/not empty.*--force/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
    await generate({ scenario: 'tiny', seed: 1, out, force: true });
    expect(readdirSync(out).sort()).toEqual(
      ['accounts.parquet', 'enforcement.parquet', 'events.parquet', 'notes.txt', 'scenario.json', 'truth.parquet'],
    );
  });
});
