// evidence/: a BagIt package (RFC 8493) of what the report rests on. The
// payload (data/) holds the farms' tables exported by DuckDB as Parquet and
// CSV, the sample prompts (left out when redacting) and the report's
// manifest; manifest-sha256.txt lists every payload file's SHA-256 (in
// `sha256sum -c` form), tagmanifest-sha256.txt the tag files', bag-info.txt the
// Payload-Oxum, so anyone can verify that nothing changed.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { literal, type CaseFile } from '@farmscope/casefile';
import { digestFile } from './file-digest.js';
import { linkValueKind } from './redact-facts.js';
import type { Redactor } from './redaction.js';

export const BAG_DATA = 'data';
export const TABLES_DIR = 'tables';

/** The farm tables of the evidence package; each query reads the selected farms through report_members' tokens. */
function tableQueries(redact: boolean): Record<string, string> {
  return {
    farms: `SELECT r.farm_token AS farm_id, f.accounts, f.first_ts, f.last_ts, f.requests, f.input_tokens, f.output_tokens, f.score,
        f.significance, f.coactivity_p, f.links_p, f.behaviour_score
      FROM farms f JOIN report_farms r USING (farm_id) ORDER BY farm_id`,
    farm_members: `SELECT m.farm_token AS farm_id, m.account_token AS account_id, af.score, af.account_score, s.behaviour_score, s.operator_evidence,
        s.content, s.economics, s.automation, s.churn, s.coordination, s.infrastructure,
        f.requests, f.first_seen, f.last_seen, f.active_days, f.distinct_ips, f.input_tokens_total AS input_tokens,
        f.output_tokens_total AS output_tokens
      FROM report_members m JOIN account_farms af USING (account_id) LEFT JOIN account_scores s USING (account_id) LEFT JOIN account_features f USING (account_id)
      ORDER BY farm_id, account_id`,
    farm_significance: `SELECT r.farm_token AS farm_id, s.* EXCLUDE (group_id) FROM farm_significance s JOIN report_farms r ON r.farm_id = s.group_id ORDER BY 1`,
    farm_link_evidence: `SELECT r.farm_token AS farm_id, l.kind, l.pairs, l.accounts, l.distinct_values, l.min_holders, l.median_holders, l.max_weight,
        v.shown AS rarest_value
      FROM farm_link_evidence l JOIN report_farms r USING (farm_id) LEFT JOIN report_values v ON v.kind = l.kind AND v.raw = l.rarest_value
      ORDER BY farm_id, l.pairs DESC, l.kind`,
    farm_templates: `SELECT r.farm_token AS farm_id, t.template_id, t.requests, t.farm_accounts, t.total_accounts${redact ? '' : ', t.example_prompt, t.sample_prompts'}
      FROM farm_templates t JOIN report_farms r USING (farm_id) ORDER BY farm_id, t.requests DESC, t.template_id`,
    farm_signals: `SELECT r.farm_token AS farm_id, s."group", s.evidence, s.contribution FROM farm_signals s JOIN report_farms r USING (farm_id) ORDER BY farm_id, s."group"`,
  };
}

/**
 * Temp tables the exports join: report_farms (farm id → token) and
 * report_values (each farm's rarest shared values → what the report may show).
 */
export async function registerFarmTokens(caseFile: CaseFile, redactor: Redactor): Promise<void> {
  await caseFile.run(`CREATE OR REPLACE TEMP TABLE report_farms AS SELECT DISTINCT farm_id, farm_token FROM report_members`, 'report: farm tokens');
  const values = await caseFile.all<{ kind: string; raw: string }>(
    `SELECT DISTINCT kind, rarest_value AS raw FROM farm_link_evidence JOIN report_farms USING (farm_id) WHERE rarest_value IS NOT NULL ORDER BY ALL`,
    'report: shared values to show',
  );
  await caseFile.run(`CREATE OR REPLACE TEMP TABLE report_values (kind VARCHAR, raw VARCHAR, shown VARCHAR)`, 'report: shared values');
  for (let i = 0; i < values.length; i += 1000) {
    const rows = values.slice(i, i + 1000).map((v) => `(${literal(v.kind)}, ${literal(v.raw)}, ${literal(redactor.linkValue(linkValueKind(v.kind, v.raw), v.raw))})`);
    await caseFile.run(`INSERT INTO report_values VALUES ${rows.join(', ')}`, 'report: shared values');
  }
}

/** Writes data/tables/*.parquet|csv and, unless redacting, data/sample_prompts.jsonl. */
export async function writeEvidenceTables(caseFile: CaseFile, bagDir: string, redact: boolean): Promise<void> {
  const tables = join(bagDir, BAG_DATA, TABLES_DIR);
  mkdirSync(tables, { recursive: true });
  for (const [name, query] of Object.entries(tableQueries(redact))) {
    if (!(await caseFile.tableExists(name === 'farm_members' ? 'account_farms' : name))) continue;
    await caseFile.run(`COPY (${query}) TO ${literal(join(tables, `${name}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`, `report: export ${name}.parquet`);
    await caseFile.run(`COPY (${query}) TO ${literal(join(tables, `${name}.csv`))} (FORMAT csv, HEADER true)`, `report: export ${name}.csv`);
  }
  if (!redact && (await caseFile.tableExists('farm_templates'))) {
    await caseFile.run(
      `COPY (
         SELECT r.farm_token AS farm_id, t.template_id, p.prompt
         FROM farm_templates t JOIN report_farms r USING (farm_id),
           LATERAL (SELECT DISTINCT unnest(list_prepend(t.example_prompt, coalesce(t.sample_prompts, []))) AS prompt) p
         WHERE p.prompt IS NOT NULL
         ORDER BY farm_id, t.template_id, p.prompt
       ) TO ${literal(join(bagDir, BAG_DATA, 'sample_prompts.jsonl'))} (FORMAT json)`,
      'report: export sample prompts',
    );
  }
}

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Writes the tag files around an already written data/ folder. `baggingDate` is YYYY-MM-DD. */
export async function finishBag(bagDir: string, info: { software: string; baggingDate: string; description: string }): Promise<void> {
  const payload = filesUnder(join(bagDir, BAG_DATA)).map((p) => `${BAG_DATA}/${p}`);
  const lines: string[] = [];
  let bytes = 0;
  for (const p of payload) {
    const d = await digestFile(join(bagDir, p));
    bytes += d.size_bytes;
    lines.push(`${d.sha256}  ${p}`);
  }
  writeFileSync(join(bagDir, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  writeFileSync(join(bagDir, 'manifest-sha256.txt'), `${lines.join('\n')}\n`);
  writeFileSync(join(bagDir, 'bag-info.txt'), [
    `Bag-Software-Agent: ${info.software}`,
    `Bagging-Date: ${info.baggingDate}`,
    `External-Description: ${info.description}`,
    `Payload-Oxum: ${bytes}.${payload.length}`,
  ].join('\n') + '\n');
  const tags: string[] = [];
  for (const t of ['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt']) tags.push(`${(await digestFile(join(bagDir, t))).sha256}  ${t}`);
  writeFileSync(join(bagDir, 'tagmanifest-sha256.txt'), `${tags.join('\n')}\n`);
}

/** Checks a bag as RFC 8493 §3 says: declaration, every manifest entry's checksum, no payload file unlisted, the Payload-Oxum. */
export async function verifyBag(bagDir: string): Promise<string[]> {
  const problems: string[] = [];
  const read = (name: string) => readFileSync(join(bagDir, name), 'utf8');
  if (!/^BagIt-Version: 1\.0\nTag-File-Character-Encoding: UTF-8\n$/.test(read('bagit.txt'))) problems.push('bagit.txt: not a BagIt 1.0 declaration');
  for (const manifest of ['manifest-sha256.txt', 'tagmanifest-sha256.txt']) {
    for (const line of read(manifest).split('\n').filter(Boolean)) {
      const m = /^([0-9a-f]{64}) {1,2}(.+)$/.exec(line);
      if (!m) {
        problems.push(`${manifest}: bad line "${line}"`);
        continue;
      }
      const actual = await digestFile(join(bagDir, m[2]!)).catch(() => null);
      if (actual === null) problems.push(`${manifest}: ${m[2]} is missing`);
      else if (actual.sha256 !== m[1]) problems.push(`${manifest}: ${m[2]} has changed (SHA-256 ${actual.sha256}, listed ${m[1]})`);
    }
  }
  const listed = new Set(read('manifest-sha256.txt').split('\n').filter(Boolean).map((l) => l.replace(/^[0-9a-f]{64} {1,2}/, '')));
  const payload = filesUnder(join(bagDir, BAG_DATA)).map((p) => `${BAG_DATA}/${p}`);
  for (const p of payload) if (!listed.has(p)) problems.push(`${p}: in the payload but not in manifest-sha256.txt`);
  const oxum = /Payload-Oxum: (\d+)\.(\d+)/.exec(read('bag-info.txt'));
  const bytes = payload.reduce((s, p) => s + statSync(join(bagDir, p)).size, 0);
  if (!oxum || Number(oxum[1]) !== bytes || Number(oxum[2]) !== payload.length) problems.push(`bag-info.txt: Payload-Oxum does not match ${bytes}.${payload.length}`);
  return problems;
}
