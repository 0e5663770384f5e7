#!/usr/bin/env node
// Regenerates the parts of README.md that are derived from code (the data
// dictionary, the account feature dictionary, the link tables), between <!-- generated:NAME --> and <!-- /generated:NAME -->.
// `node scripts/docs.mjs` rewrites them; `--check` exits 1 if they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dataDictionaryMarkdown, supportedSourcesMarkdown } from '../packages/ingest/dist/index.js';
import { featureDictionaryMarkdown, linkTablesMarkdown } from '../packages/signals/dist/index.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));

export function renderReadme(text, sections) {
  let out = text;
  for (const [name, body] of Object.entries(sections)) {
    const re = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!re.test(out)) throw new Error(`README.md has no <!-- generated:${name} --> section`);
    out = out.replace(re, (_m, open, close) => `${open}${body}\n${close}`);
  }
  return out;
}

const current = readFileSync(readmePath, 'utf8');
const next = renderReadme(current, {
  'data-dictionary': dataDictionaryMarkdown(),
  'supported-sources': supportedSourcesMarkdown(),
  'feature-dictionary': featureDictionaryMarkdown(),
  'link-tables': linkTablesMarkdown().trimEnd(),
});
if (process.argv.includes('--check')) {
  if (next !== current) {
    process.stderr.write('README.md is out of date: run `pnpm docs`\n');
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(readmePath, next);
  process.stderr.write('README.md updated\n');
}
