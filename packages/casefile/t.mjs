import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
const N = Number(process.argv[2]||2000000);
const t0=Date.now();
await c.run(`COPY (SELECT 'req-' || i AS request_id,
  TIMESTAMP '2026-01-01' + to_milliseconds(i*37) AS ts,
  'acct-' || (hash(i) % 50000) AS account_id,
  'key-' || (hash(i) % 90000) AS api_key_id,
  'claude-x' AS model,
  ((hash(i)>>8)%223+1) || '.' || ((hash(i)>>16)%256) || '.' || ((hash(i)>>24)%256) || '.' || ((hash(i)>>32)%256) AS ip,
  'anthropic-python/0.' || (i%40) AS user_agent,
  'Explain step by step how to solve problem number ' || i || ' in the domain of ' || (i%97) || '. Show your full reasoning.' AS prompt,
  (hash(i)%2000)::BIGINT AS input_tokens, (hash(i*7)%4000)::BIGINT AS output_tokens, 4096::BIGINT AS max_tokens, 0.7::DOUBLE AS temperature, 200::INTEGER AS status
  FROM range(${N}) t(i)) TO '/tmp/fx/ev${N}.parquet' (FORMAT parquet)`);
console.log('parquet', Date.now()-t0);
const t1=Date.now();
await c.run(`COPY (SELECT * REPLACE (strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts) FROM '/tmp/fx/ev${N}.parquet') TO '/tmp/fx/ev${N}.jsonl.gz' (FORMAT json)`);
console.log('jsonl', Date.now()-t1);
