// The README's generated sections match the code they are generated from.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDictionaryMarkdown } from '@farmscope/ingest';
import { featureDictionaryMarkdown, linkTablesMarkdown } from '@farmscope/signals';

describe('README', () => {
  it('has an up-to-date data dictionary (run `pnpm docs` if this fails)', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
    const section = /<!-- generated:data-dictionary -->\n([\s\S]*?)\n<!-- \/generated:data-dictionary -->/.exec(readme);
    expect(section?.[1]).toBe(dataDictionaryMarkdown());
  });

  it('has an up-to-date account feature dictionary (run `pnpm docs` if this fails)', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
    const section = /<!-- generated:feature-dictionary -->\n([\s\S]*?)\n<!-- \/generated:feature-dictionary -->/.exec(readme);
    expect(section?.[1]).toBe(featureDictionaryMarkdown());
  });
});

describe('README link tables', () => {
  it('are up to date (run `pnpm docs` if this fails)', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
    const section = /<!-- generated:link-tables -->\n([\s\S]*?)\n<!-- \/generated:link-tables -->/.exec(readme);
    expect(section?.[1]).toBe(linkTablesMarkdown().trimEnd());
  });
});

describe('README scenario example', () => {
  it('is a valid scenario once its // comments are removed', async () => {
    const { parseScenario } = await import('@farmscope/generator');
    const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
    const block = /## Synthetic logs[\s\S]*?```jsonc\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const json = block!.replace(/\/\/[^\n]*/g, '');
    const scenario = parseScenario(json, 'README.md', 1);
    expect(scenario.populations.map((p) => p.kind)).toEqual(['legit.casual', 'legit.campus_nat', 'attack.hydra', 'attack.small_farm']);
  });
});
