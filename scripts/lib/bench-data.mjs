// Synthetic usage logs (the contract's `events` table, every column) for the
// benchmarks, generated entirely in DuckDB SQL from range() and hash(), so the
// same row count always gives the same content. Files are cached: built once
// under .cache/bench/ and rebuilt only if missing (bump DATA_VERSION when the
// generator changes, so stale caches are not reused).
//
//   const f = await ensureEventFile({ rows: 1_000_000, format: 'parquet' });
//   // -> { path, rows, format, bytes, built, seconds }
//
// Content: ~50k accounts with a heavy-tailed request share; request_id unique;
// ts over 30 days (roughly in file order, as exported logs are); 1-3 API keys
// per account; org_id for most accounts; 1-4 IPs per account, ~10% IPv6;
// a dozen SDK / browser / curl user agents; prompts of 100-2,000 characters
// assembled from a pool of 50k generated sentences; per-account system prompts
// for about a third of accounts; tokens consistent with the text lengths;
// max_tokens, temperature (sometimes null); status mostly 200, some 429/400/500;
// a FLOAT[] prompt_embedding of fixed length; end_user and session_id for some
// accounts only (null otherwise). JSONL files have `ts` as ISO-8601 with `Z`.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { openDuckDB, sqlString } from './duckdb.mjs';

export const DATA_VERSION = 1;
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CACHE_DIR = join(ROOT, '.cache', 'bench');
export const FORMATS = ['parquet', 'jsonl.gz'];
export const EMBEDDING_DIM = 32;
export const ACCOUNTS = 50_000;
const START = '2026-10-01 00:00:00';
const SPAN_MS = 30 * 86_400_000;
const POOL = 50_000; // sentences
const SYSTEM_POOL = 400; // system prompts

/** "1M" -> 1000000, "200k" -> 200000, "10000000" -> 10000000. */
export function parseRowCount(text) {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(String(text).trim());
  if (!m) throw new Error(`not a row count: ${text} (e.g. 200k, 1M, 10M)`);
  const mult = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[m[2]];
  return Math.round(Number(m[1]) * mult);
}

/** 1000000 -> "1M", 200000 -> "200k". */
export function rowLabel(rows) {
  if (rows % 1e6 === 0) return `${rows / 1e6}M`;
  if (rows % 1e3 === 0) return `${rows / 1e3}k`;
  return String(rows);
}

export function eventFilePath(rows, format, dir = CACHE_DIR, embeddingDim = EMBEDDING_DIM) {
  const emb = embeddingDim === EMBEDDING_DIM ? '' : `-emb${embeddingDim}`;
  return join(dir, `events-v${DATA_VERSION}-${rowLabel(rows)}${emb}.${format}`);
}

const WORDS = `the a of to and in is for that with on as be this it by are or from an at which we can not have
your but how what when why where who explain write code function python rust typescript sql data model list into each
step about given following return value use example using number more than only other all also should make between
these show output input case test string error file class method table query result user text language compare
summarize translate describe analyze generate implement optimize refactor debug review convert classify extract
rewrite outline draft calculate prove derive estimate evaluate design plan build train deploy monitor secure scale
cache index parse render stream batch retry timeout network server client request response token prompt context
memory thread process kernel compiler runtime library framework database schema migration transaction lock queue
worker scheduler pipeline dataset feature label gradient loss accuracy precision recall matrix vector tensor layer
attention embedding sentence paragraph essay story poem letter email report summary abstract chapter section history
science physics chemistry biology economics finance law medicine music art philosophy mathematics geometry algebra
calculus probability statistics theorem lemma proof equation integral derivative limit series sequence graph tree
node edge path cycle sort search hash map set stack heap array pointer reference type interface generic module
package version release bug patch issue ticket customer product market price revenue growth strategy team project
deadline meeting please carefully briefly detailed simple complex first second final previous next above below
without within across because therefore however although while since until unless whether either neither both
Berlin Tokyo Lagos Lima Oslo Mumbai Toronto Nairobi Jakarta Sydney JSON YAML HTTP GPU CPU API SDK CSV 2024 2025 42
100 3.14 O(n) log(n) x y z f(x) n+1 i++ -> => != == <= >= {} [] () 'quoted' "double" #tag @user 10% $20`
  .split(/\s+/)
  .filter(Boolean);

const ROLES = [
  'a helpful assistant', 'a senior software engineer', 'a customer support agent for an online shop',
  'a tutor for high-school mathematics', 'a legal research assistant', 'a translator between English and German',
  'an expert data analyst', 'a concise technical writer', 'a medical information assistant (not a doctor)',
  'a coding assistant that answers only with code', 'a friendly travel planner', 'a financial report summarizer',
];

const USER_AGENTS = [
  `'anthropic-python/0.' || (40 + ha % 30) || '.' || ((ha >> 8) % 5)`,
  `'anthropic-typescript/0.' || (30 + ha % 40) || '.' || ((ha >> 8) % 4)`,
  `'OpenAI/Python 1.' || (ha % 60) || '.' || ((ha >> 8) % 3)`,
  `'python-requests/2.' || (25 + ha % 8) || '.0'`,
  `'python-httpx/0.2' || (ha % 8) || '.0'`,
  `'curl/8.' || (ha % 12) || '.' || ((ha >> 8) % 2)`,
  `'Go-http-client/2.0'`,
  `'axios/1.' || (ha % 8) || '.' || ((ha >> 8) % 5)`,
  `'langchain-core/0.3.' || (ha % 40) || ' python/3.1' || ((ha >> 8) % 3)`,
  `'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/1' || (20 + ha % 12) || '.0.0.0 Safari/537.36'`,
  `'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/1' || (6 + ha % 3) || '.' || ((ha >> 8) % 6) || ' Safari/605.1.15'`,
  `'okhttp/4.' || (9 + ha % 4) || '.' || ((ha >> 8) % 3)`,
];

const MODELS = [
  // [name, cumulative percent]
  ['atlas-3-large', 30], ['atlas-3-medium', 62], ['atlas-3-small', 82], ['atlas-2.5-large', 92], ['atlas-3-large-thinking', 100],
];

const list = (items) => `[${items.map(sqlString).join(', ')}]`;

/** The SELECT producing `rows` contract `events` rows, in contract column order. */
export function eventsSelectSql(rows, embeddingDim = EMBEDDING_DIM) {
  const modelCase = `CASE ${MODELS.map(([name, cum]) => `WHEN mh < ${cum} THEN ${sqlString(name)}`).join(' ')} END`;
  const uaCase = `CASE ua_idx ${USER_AGENTS.map((expr, k) => `WHEN ${k} THEN ${expr}`).join(' ')} END`;
  const embedding =
    embeddingDim > 0
      ? `, list_transform(range(${embeddingDim}), j -> ((hash(i, j, 'emb') % 20001)::INTEGER / 10000.0 - 1.0)::FLOAT) AS prompt_embedding`
      : '';
  return `
WITH base AS (
  SELECT i,
    -- heavy-tailed account activity: account 0 is the busiest
    least(${ACCOUNTS - 1}, floor(${ACCOUNTS} * pow((hash(i, 'acct') % 1000000007) / 1000000007.0, 2.2)))::BIGINT AS a,
    (i * ${SPAN_MS}::HUGEINT // ${rows})::BIGINT + (hash(i, 'jit') % 5000)::BIGINT AS t_ms
  FROM range(${rows}) r(i)
), acc AS (
  SELECT *, hash(a, 'acct-salt') AS ha, hash(i, 'row') AS h FROM base
), ev AS (
  SELECT
    lpad(to_hex(hash(i, 'rid') >> 8), 14, '0') || lpad(to_hex(i), 8, '0') AS rid,
    TIMESTAMP '${START}' + to_milliseconds(t_ms) AS ts,
    'acct_' || lpad(to_hex(hash(a, 'acct-id') >> 16), 12, '0') AS account_id,
    'key_' || lpad(to_hex(hash(a, hash(i, 'k') % (1 + ha % 3), 'key') >> 24), 10, '0') AS api_key_id,
    CASE WHEN ha % 10 < 3 THEN NULL ELSE 'org_' || lpad(to_hex(hash(hash(a, 'org') % 12000) >> 32), 8, '0') END AS org_id,
    ${modelCase} AS model,
    hash(a, hash(i, 'ip') % (1 + (ha >> 4) % 4), 'ip') AS hip,
    CASE WHEN h % 100 < 85 THEN ha % ${USER_AGENTS.length} ELSE (h >> 8) % ${USER_AGENTS.length} END AS ua_idx,
    ha, h, a, i, t_ms
  FROM (SELECT *, CASE WHEN hash(i, 'm') % 10 < 7 THEN ha % 100 ELSE hash(i, 'm2') % 100 END AS mh FROM acc)
), txt AS (
  SELECT ev.*,
    'req_' || rid AS request_id,
    CASE WHEN hip % 100 < 10
      THEN printf('2a0%x:%x:%x:%x::%x', hip % 10, (hip >> 8) % 65536, (hip >> 24) % 65536, (hip >> 40) % 65536, 1 + h % 65535)
      ELSE printf('%d.%d.%d.%d', 1 + hip % 223, (hip >> 8) % 256, (hip >> 16) % 256, 1 + (hip >> 24) % 254)
    END AS ip,
    CASE WHEN h % 1000 < 5 THEN NULL ELSE ${uaCase} END AS user_agent,
    left(${list(['', 'Question: ', 'Task: ', 'Please help. ', 'Context follows. ', '### Instruction\n', 'Hi! ', 'Translate: '])}[(1 + (h >> 16) % 8)::BIGINT]
      || array_to_string(list_transform(range(2 + (hash(i, 'k') % 17)::BIGINT), j -> pool.p[1 + (hash(i, j, 'sent') % ${POOL})::BIGINT]), ' ')
      || ' (ref ' || (h % 100000) || ')', 2000) AS prompt,
    CASE WHEN ha % 100 < 35 AND (h >> 24) % 10 < 9 THEN sys.p[1 + (hash(a, 'sys') % ${SYSTEM_POOL})::BIGINT] END AS system_prompt,
    CASE WHEN (h >> 32) % 1000 < 940 THEN 200 WHEN (h >> 32) % 1000 < 980 THEN 429 WHEN (h >> 32) % 1000 < 995 THEN 400 ELSE 500 END::INTEGER AS status,
    CASE WHEN (ha >> 12) % 20 = 0 THEN NULL ELSE [256, 512, 1024, 2048, 4096, 8192][(1 + ((ha >> 16) + (h >> 40) % 2) % 6)::BIGINT] END::BIGINT AS max_tokens,
    CASE WHEN (ha >> 20) % 10 = 0 THEN NULL
         WHEN (ha >> 20) % 10 < 4 THEN [0.0, 0.2, 0.5, 0.7, 1.0][(1 + (ha >> 28) % 5)::BIGINT]
         ELSE round(((h >> 44) % 101) / 100.0, 2) END::DOUBLE AS temperature,
    CASE WHEN ha % 100 < 45 THEN 'eu_' || lpad(to_hex(hash(a, (h >> 48) % (1 + (ha >> 32) % 200), 'eu') >> 24), 10, '0') END AS end_user,
    CASE WHEN (ha >> 36) % 100 < 60 THEN 'sess_' || lpad(to_hex(hash(a, t_ms // 1800000, 'sess') >> 16), 12, '0') END AS session_id
  FROM ev, pool, sys
)
SELECT
  request_id, ts, account_id, api_key_id, org_id, model, ip, user_agent, prompt, system_prompt,
  CASE WHEN status IN (429, 400) THEN 0 ELSE ((length(prompt) + coalesce(length(system_prompt), 0)) // 4 + 8 + h % 7)::BIGINT END AS input_tokens,
  CASE WHEN status = 200 THEN least(coalesce(max_tokens, 4096), 16 + (hash(i, 'out') % 1800))::BIGINT ELSE 0 END::BIGINT AS output_tokens,
  max_tokens, temperature, status${embedding}, end_user, session_id
FROM txt`;
}

/** Creates the temp tables the SELECT needs: `pool` (sentences) and `sys` (system prompts), one list row each. */
function poolsSql() {
  const V = WORDS.length;
  return `
CREATE OR REPLACE TEMP TABLE pool AS
SELECT list(s ORDER BY id)[1:${POOL}] AS p FROM (
  SELECT id, upper(s[1]) || s[2:] || ${list(['.', '.', '.', '?', '!', ':', '.', ';'])}[1 + (hash(id, 'punct') % 8)::BIGINT] AS s
  FROM (
    SELECT id, array_to_string(list_transform(range(6 + (hash(id, 'len') % 24)::BIGINT),
                               j -> words[1 + (hash(id, j, 'w') % ${V})::BIGINT]), ' ') AS s
    FROM range(${Math.round(POOL * 1.3)}) r(id), (SELECT ${list(WORDS)} AS words)
  )
  WHERE length(s) >= 45
);
CREATE OR REPLACE TEMP TABLE sys AS
SELECT list(s ORDER BY id) AS p FROM (
  SELECT id, 'You are ' || ${list(ROLES)}[1 + (hash(id, 'role') % ${ROLES.length})::BIGINT] || '. '
    || array_to_string(list_transform(range(1 + (hash(id, 'n') % 6)::BIGINT), j -> pool.p[1 + (hash(id, j, 'sys') % ${POOL})::BIGINT]), ' ') AS s
  FROM range(${SYSTEM_POOL}) r(id), pool
);`;
}

function fileSize(path) {
  return statSync(path).size;
}

/**
 * Makes sure the events file for `rows` × `format` exists (building it, and
 * for jsonl.gz the Parquet file it is converted from, if missing).
 * @param {{rows:number, format:'parquet'|'jsonl.gz', dir?:string, embeddingDim?:number, log?:(msg:string)=>void, memoryLimit?:string}} o
 */
export async function ensureEventFile(o) {
  const dir = o.dir ?? CACHE_DIR;
  const dim = o.embeddingDim ?? EMBEDDING_DIM;
  const log = o.log ?? (() => {});
  const path = eventFilePath(o.rows, o.format, dir, dim);
  if (existsSync(path)) return { path, rows: o.rows, format: o.format, bytes: fileSize(path), built: false, seconds: 0 };
  if (!FORMATS.includes(o.format)) throw new Error(`unknown format ${o.format} (expected ${FORMATS.join(', ')})`);
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  let parquet = eventFilePath(o.rows, 'parquet', dir, dim);
  if (o.format === 'jsonl.gz' && !existsSync(parquet)) {
    await ensureEventFile({ ...o, format: 'parquet' });
  }
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const db = await openDuckDB(':memory:', {
    memory_limit: o.memoryLimit ?? '4GB',
    temp_directory: join(dir, 'duckdb-tmp'),
  });
  try {
    // Not in the open config: with @duckdb/node-api 1.5 that fails ("icu extension ... could not be autoloaded").
    await db.connection.run(`SET TimeZone = 'UTC'`);
    if (o.format === 'parquet') {
      log(`building ${path} (${o.rows.toLocaleString('en-US')} rows) ...`);
      await db.connection.run(poolsSql());
      await db.connection.run(
        `COPY (${eventsSelectSql(o.rows, dim)}) TO ${sqlString(partial)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
      );
    } else {
      log(`building ${path} from ${parquet} ...`);
      await db.connection.run(
        `COPY (SELECT * REPLACE (strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts) FROM read_parquet(${sqlString(parquet)}))
         TO ${sqlString(partial)} (FORMAT json, COMPRESSION gzip)`,
      );
    }
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  renameSync(partial, path);
  const seconds = (Date.now() - started) / 1000;
  const bytes = fileSize(path);
  log(`built ${path}: ${(bytes / 2 ** 20).toFixed(0)} MiB in ${seconds.toFixed(1)} s`);
  return { path, rows: o.rows, format: o.format, bytes, built: true, seconds };
}
