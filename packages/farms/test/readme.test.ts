// The README's generated sections match the table definitions and the
// default config.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderFarmReadme } from '@farmscope/farms';

describe('packages/farms/README.md', () => {
  it('has up-to-date generated sections (refresh: node packages/farms/scripts/update-readme.mjs)', () => {
    const path = resolve(import.meta.dirname, '../README.md');
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(renderFarmReadme(text));
  });
});
