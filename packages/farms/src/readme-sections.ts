// The README's generated sections (the tables' data dictionary and the
// default config), so documentation comes from the definitions; a test
// fails when README.md is stale.
import { DEFAULT_FARM_CONFIG } from './farm-config.js';
import { farmTablesMarkdown } from './farm-tables.js';

const SECTIONS: Record<string, () => string> = {
  'farm-tables': farmTablesMarkdown,
  'farm-config': () => ['```json', JSON.stringify(DEFAULT_FARM_CONFIG, null, 2), '```'].join('\n'),
};

/** The README text with every `<!-- generated:NAME -->` … `<!-- /generated:NAME -->` block regenerated. */
export function renderFarmReadme(text: string): string {
  let out = text;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const open = `<!-- generated:${name} -->`;
    const close = `<!-- /generated:${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) throw new Error(`README has no generated:${name} block`);
    out = `${out.slice(0, start + open.length)}\n${render()}\n${out.slice(end)}`;
  }
  return out;
}
