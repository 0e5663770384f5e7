// The farm config: defaults, JSON overrides merged field by field, and input
// errors (exit 2) naming the key for unknown keys, wrong types and bad files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@farmscope/casefile';
import { DEFAULT_FARM_CONFIG, loadFarmConfig } from '@farmscope/farms';
import { createTempFolder, type TempFolder } from '../../../test/support/temp-folder.js';

let tmp: TempFolder;
beforeAll(() => {
  tmp = createTempFolder();
});
afterAll(() => tmp.remove());

const load = (json: string) => loadFarmConfig(tmp.write(`c-${Math.random().toString(36).slice(2)}.json`, json));

async function failure(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).exitCode).toBe(2);
  return error as InputError;
}

describe('loadFarmConfig', () => {
  it('returns the defaults without a path, as a copy', async () => {
    const config = await loadFarmConfig();
    expect(config).toEqual(DEFAULT_FARM_CONFIG);
    config.graph.scanEpsilon = 0.9;
    expect(DEFAULT_FARM_CONFIG.graph.scanEpsilon).not.toBe(0.9);
  });

  it('overrides only the fields given', async () => {
    const config = await load('{"graph": {"scanEpsilon": 0.6}, "score": {"groupWeights": {"content": 0.5}}}');
    expect(config.graph.scanEpsilon).toBe(0.6);
    expect(config.graph.minPairScore).toBe(DEFAULT_FARM_CONFIG.graph.minPairScore);
    expect(config.score.groupWeights.content).toBe(0.5);
    expect(config.score.groupWeights.economics).toBe(DEFAULT_FARM_CONFIG.score.groupWeights.economics);
  });

  it('names an unknown key with its path', async () => {
    const e = await failure(load('{"graph": {"scanEpsilion": 0.6}}'));
    expect(e.message).toContain('unknown key graph.scanEpsilion');
  });

  it('names a key of the wrong type', async () => {
    expect((await failure(load('{"clusters": {"kMax": "12"}}'))).message).toContain('clusters.kMax must be a number, got string');
    expect((await failure(load('{"farm": {"sameOrgIsBenign": 1}}'))).message).toContain('farm.sameOrgIsBenign must be a boolean');
    expect((await failure(load('{"score": 3}'))).message).toContain('score must be an object, got number');
    expect((await failure(load('[]'))).message).toContain('(top level) must be an object, got array');
  });

  it('refuses a file that is missing or not JSON', async () => {
    expect((await failure(loadFarmConfig(tmp.path('missing.json')))).message).toContain('cannot read config');
    expect((await failure(load('{"graph": '))).message).toContain('is not valid JSON');
  });
});
