import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'fs';
const N = process.argv[2]||2000000;
const f = `/tmp/fx/ev${N}.parquet`;
for (const p of ['/tmp/b.duckdb','/tmp/b.duckdb.wal']) fs.rmSync(p,{force:true});
const inst = await DuckDBInstance.create('/tmp/b.duckdb');
const c = await inst.connect();
const time = async (label, sql) => { const t=Date.now(); await c.run(sql); console.log(label, Date.now()-t, 'ms'); };
const ipv4 = `'^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$'`;
await time('bare', `CREATE TABLE bare AS SELECT * FROM read_parquet('${f}')`);
await c.run(`CREATE TABLE events (request_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, account_id VARCHAR NOT NULL, api_key_id VARCHAR, org_id VARCHAR, model VARCHAR, ip VARCHAR, user_agent VARCHAR, prompt VARCHAR, system_prompt VARCHAR, input_tokens BIGINT, output_tokens BIGINT, max_tokens BIGINT, temperature DOUBLE, status INTEGER, prompt_embedding FLOAT[], end_user VARCHAR, session_id VARCHAR, extra JSON, source_file_id INTEGER, source_row BIGINT)`);
const reason = `concat_ws('; ',
  CASE WHEN request_id IS NULL OR request_id = '' THEN 'request_id missing' END,
  CASE WHEN account_id IS NULL OR account_id = '' THEN 'account_id missing' END,
  CASE WHEN ts IS NULL THEN 'ts missing' WHEN ts < TIMESTAMP '2000-01-01' THEN 'ts before 2000' END,
  CASE WHEN ip IS NOT NULL AND NOT regexp_full_match(ip, ${ipv4}) AND NOT (ip LIKE '%:%' AND regexp_full_match(ip, '[0-9a-fA-F:.]+')) THEN 'ip malformed' END,
  CASE WHEN input_tokens < 0 THEN 'input_tokens negative' END,
  CASE WHEN output_tokens < 0 THEN 'output_tokens negative' END,
  CASE WHEN status NOT BETWEEN 100 AND 599 THEN 'status out of range' END)`;
await time('stage', `CREATE TEMP TABLE stage AS SELECT file_row_number AS source_row, *, nullif(${reason}, '') AS reason FROM read_parquet('${f}')`);
await time('insert-from-stage', `INSERT INTO events BY NAME SELECT * EXCLUDE (reason) FROM stage WHERE reason IS NULL`);
await time('rej-from-stage', `CREATE TABLE rej AS SELECT source_row, reason FROM stage WHERE reason IS NOT NULL`);
await time('dupcheck', `SELECT count(*) - count(DISTINCT request_id) FROM events`);
await c.run(`DELETE FROM events`); await c.run('CHECKPOINT');
await time('direct-insert', `INSERT INTO events BY NAME SELECT file_row_number AS source_row, * FROM read_parquet('${f}') WHERE ${reason} = ''`);
await time('direct-rej', `CREATE TABLE rej2 AS SELECT file_row_number AS source_row, ${reason} AS reason FROM read_parquet('${f}') WHERE ${reason} <> ''`);
await time('dupcheck-src', `SELECT count(*) - count(DISTINCT request_id) FROM read_parquet('${f}')`);
