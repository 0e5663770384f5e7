// Regenerates the generated sections of packages/farms/README.md from the
// built package (run `npx tsc --build` first).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderFarmReadme } from '../dist/index.js';

const path = resolve(import.meta.dirname, '../README.md');
writeFileSync(path, renderFarmReadme(readFileSync(path, 'utf8')));
