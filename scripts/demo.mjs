#!/usr/bin/env node
// The README's first command: a real investigation on generated logs. It
// generates the `mixed` scenario at 5% scale (about 1,100 accounts, 140k
// requests: casual users, a campus NAT, cloud developers, an enterprise
// integration, benchmark runners, and five farms of different kinds), runs
// `investigate` on it, lists the farms found, explains the largest one, and
// scores the findings against the generator's ground truth. Everything is
// written under the git-ignored .cache/demo.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}packages/cli/dist/bin.js`;
const dir = `${root}.cache/demo`;
const data = `${dir}/data`;
const out = `${dir}/findings`;
const db = `${out}/case.duckdb`;

function farmscope(...args) {
  process.stderr.write(`\n$ farmscope ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

rmSync(dir, { recursive: true, force: true });
farmscope('generate', '--scenario', 'mixed', '--scale', '0.05', '--seed', '1', '--out', data);
farmscope(
  'investigate',
  '--events', `${data}/events.parquet`,
  '--accounts', `${data}/accounts.parquet`,
  '--enforcement', `${data}/enforcement.parquet`,
  '--out', out,
);
farmscope('--db', db, 'farms');
const farms = JSON.parse(readFileSync(`${out}/farms.json`, 'utf8'));
const largest = [...farms].sort((a, b) => b.accountCount - a.accountCount || a.id.localeCompare(b.id))[0];
if (largest) farmscope('--db', db, 'explain', String(largest.id));
farmscope('eval', '--truth', `${data}/truth.parquet`, '--pred', `${out}/account_farms.csv`, '--events', `${data}/events.parquet`);
process.stderr.write(
  `\nFindings: ${out} (${readdirSync(out).filter((f) => f !== 'case.duckdb' && !f.startsWith('case.duckdb.')).sort().join(', ')}).\n` +
    `Open ${out}/report.html in a browser for the report.\n` +
    `Explore the case file with: pnpm farmscope --db ${db} query "<SQL>"\n`,
);

