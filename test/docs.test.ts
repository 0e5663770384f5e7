// The README's generated sections match the code they are generated from.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDictionaryMarkdown } from '@farmscope/ingest';
import { featureDictionaryMarkdown } from '@farmscope/signals';

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
