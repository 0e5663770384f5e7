#!/usr/bin/env node
// The README's first command: generate the `tiny` scenario, load it into a
// case file, and take a first look — all under the git-ignored .cache/demo.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}packages/cli/dist/bin.js`;
const dir = `${root}.cache/demo`;
const db = `${dir}/case.duckdb`;

function farmscope(...args) {
  process.stderr.write(`\n$ farmscope ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

for (const p of [db, `${db}.wal`, `${db}.tmp`]) rmSync(p, { recursive: true, force: true });
farmscope('generate', '--scenario', 'tiny', '--seed', '1', '--out', `${dir}/data`, '--force');
farmscope(
  '--db', db, 'ingest',
  '--events', `${dir}/data/events.parquet`,
  '--accounts', `${dir}/data/accounts.parquet`,
  '--enforcement', `${dir}/data/enforcement.parquet`,
);
farmscope(
  '--db', db, 'query',
  `SELECT account_id, count(*) AS requests, count(DISTINCT ip) AS ips,
          round(sum(output_tokens) / nullif(sum(input_tokens), 0), 2) AS out_per_in,
          min(ts)::DATE AS first_day, max(ts)::DATE AS last_day
   FROM events GROUP BY ALL ORDER BY requests DESC, account_id LIMIT 15`,
);
farmscope(
  '--db', db, 'query',
  `SELECT a.payment_fingerprint, count(DISTINCT a.account_id) AS accounts, count(e.request_id) AS requests
   FROM accounts a JOIN events e USING (account_id)
   GROUP BY ALL HAVING count(DISTINCT a.account_id) > 1 ORDER BY accounts DESC, 1 LIMIT 10`,
);
process.stderr.write(`\nThe case file is ${db}; explore it with: pnpm farmscope --db ${db} query "<SQL>"\n`);
