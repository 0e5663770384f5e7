// The request log as one query over `gen_accounts`. Stage 1 expands every
// account into its requests and places each in time (narrow rows: account,
// request number, ts), sorted by time; stage 2 joins the account back and
// computes the wide columns (prompt, tokens, address, ...) after the sort, so
// the sort only ever moves 24-byte rows. Every value is a hash of
// (seed, account, request number), so the file is the same on every run.
import { EVENTS, literal } from '@farmscope/casefile';
import { weightedPickSql } from './random-sql.js';
import type { ModelSpec } from './scenario.js';
import { ACCOUNTS_TABLE, ipPoolIndexSql } from './accounts-sql.js';
import { familyIndexSql, languageIndexSql, systemPromptSql, withPromptSql } from './prompt-sql.js';

const HOUR_US = 3_600_000_000;
/** Addresses of the mobile carriers' NAT pool. */
const MOBILE_POOL = 3000;

export const REQUESTS_TABLE = 'gen_requests';

/** Requests placed in time: table (acct, i, ts), stored in ts order. */
export function createRequestsSql(): string {
  return `CREATE OR REPLACE TABLE ${REQUESTS_TABLE} AS
SELECT acct, i,
  -- A placed time outside the account's span (its first or last partial day)
  -- moves a day inwards; only if that fails does the request keep its raw time.
  CASE WHEN t1 >= active_from AND t1 < active_until THEN t1
       WHEN t1 >= active_until AND t1 - INTERVAL 1 DAY >= active_from AND t1 - INTERVAL 1 DAY < active_until THEN t1 - INTERVAL 1 DAY
       WHEN t1 < active_from AND t1 + INTERVAL 1 DAY >= active_from AND t1 + INTERVAL 1 DAY < active_until THEN t1 + INTERVAL 1 DAY
       ELSE t0 END AS ts
FROM (
  SELECT acct, i, t0, active_from, active_until,
    CASE hours
      WHEN 'always' THEN t0
      WHEN 'bursts' THEN date_trunc('day', t0)
        + us(slot_hours[1 + floor(x1 * len(slot_hours))::BIGINT] * ${HOUR_US} + x2 * burst_minutes * 60e6)
      WHEN 'runs' THEN active_from
        + us(u(acct, floor(x1 * greatest(1, round(span_us / 86400e6 * bursts_per_day)))::BIGINT, 0, 'run') * span_us
             + x2 * burst_minutes * 60e6)
      ELSE local_day - us(utc_offset * ${HOUR_US})
        + us(CASE WHEN x1 < off_share THEN x2 * 24
                  WHEN hours = 'diurnal' THEN active_lo + (active_hi - active_lo) * (x2 + x3) / 2
                  ELSE active_lo + (active_hi - active_lo) * x2 END * ${HOUR_US})
    END AS t1
  FROM (
    SELECT *,
      -- Local calendar day of t0; weekend days are kept with probability
      -- weekend_keep, otherwise moved to a weekday of the same week.
      CASE WHEN isodow(local_t0) >= 6 AND x4 >= weekend_keep
        THEN date_trunc('day', local_t0) - to_days((isodow(local_t0) - 5 + floor(x5 * 5))::INTEGER)
        ELSE date_trunc('day', local_t0) END AS local_day
    FROM (
      SELECT a.acct, e.i, a.hours, a.active_from, a.active_until, a.utc_offset, a.active_lo, a.active_hi,
        a.off_share, a.weekend_keep, a.slot_hours, a.burst_minutes, a.bursts_per_day,
        epoch_us(a.active_until) - epoch_us(a.active_from) AS span_us,
        -- A legitimate account that signed up inside the window ramps up: the
        -- density of its requests grows linearly over its span (sqrt of a uniform).
        a.active_from + us((CASE WHEN a.ramps_up AND a.created_at >= a.active_from
                                 THEN sqrt(u(a.acct, e.i, 0, 't0')) ELSE u(a.acct, e.i, 0, 't0') END) * span_us) AS t0,
        t0 + us(a.utc_offset * ${HOUR_US}) AS local_t0,
        u(a.acct, e.i, 1, 't') AS x1, u(a.acct, e.i, 2, 't') AS x2, u(a.acct, e.i, 3, 't') AS x3,
        u(a.acct, e.i, 4, 't') AS x4, u(a.acct, e.i, 5, 't') AS x5
      FROM ${ACCOUNTS_TABLE} a, range(a.n_events) AS e(i)
    )
  )
)
ORDER BY ts, acct, i`;
}

/**
 * Every contract column of `events`, computed from a request (acct, i, ts) and
 * its account. The join keeps the requests' time order only when it runs on
 * one thread (see generate.ts).
 */
export function eventsSql(models: readonly ModelSpec[], embeddingDim = 0): string {
  const release = models.find((m) => m.releasedAt !== null);
  const atStart = models.filter((m) => m.releasedAt === null);
  const anyModel = weightedPickSql(atStart.map((m) => literal(m.name)), atStart.map((m) => m.share), `u(acct, i, 1, 'model_switch')`);
  const expressions: Record<string, string> = {
    request_id: `'req_' || hex16(h(acct, i, 0, 'request_id'))`,
    ts: 'ts',
    account_id: 'account_id',
    api_key_id: `'key_' || left(hex16(h(acct, floor(u(acct, i, 0, 'key') * keys)::BIGINT, 0, 'api_key')), 12)`,
    org_id: 'org_id',
    model: 'model',
    // Mobile requests come from one carrier NAT pool (key -1) shared by everyone with a
    // mobileShare; a phone keeps its carrier address for the day.
    ip: `CASE WHEN mobile_share > 0 AND u(acct, i, 0, 'mobile') < mobile_share
      THEN ip_at(0, -1, (h(acct, (epoch(ts) // 86400)::BIGINT, 0, 'mobile') % ${MOBILE_POOL})::BIGINT)
      ELSE ip_at(ip_code, ip_key, ${ipPoolIndexSql(`u(acct, i, 0, 'ip')`)}) END`,
    user_agent: `CASE WHEN user_agent2 IS NOT NULL AND u(acct, i, 0, 'ua') < 0.15 THEN user_agent2 ELSE user_agent END`,
    prompt: 'prompt',
    system_prompt: 'system_prompt',
    input_tokens: `CASE WHEN status = 200
      THEN round(length(prompt) / 3.6 + coalesce(length(system_prompt), 0) / 3.6
                 + lognormal(in_mean, tok_sigma, u(acct, i, 0, 'in1'), u(acct, i, 0, 'in2')))
      ELSE 0 END`,
    output_tokens: `CASE WHEN status = 200
      THEN least(max_tokens, greatest(1, round(lognormal(out_mean, tok_sigma, u(acct, i, 0, 'out1'), u(acct, i, 0, 'out2')))))
      ELSE 0 END`,
    max_tokens: 'max_tokens',
    temperature: 'temperature',
    status: 'status',
    prompt_embedding: embeddingSql(embeddingDim),
    end_user: `CASE WHEN end_users > 0
      THEN 'eu_' || left(hex16(h(acct, floor(pow(u(acct, i, 0, 'end_user'), 1.6) * end_users)::BIGINT, 0, 'end_user')), 12) END`,
    session_id: `'ses_' || left(hex16(CASE WHEN session_minutes > 0
      THEN h(acct, (epoch(ts) // (session_minutes * 60))::BIGINT, 0, 'session')
      ELSE h(acct, i, 0, 'session') END), 16)`,
  };
  const columns = EVENTS.columns.map((c) => `CAST(${expressions[c.name]} AS ${c.sqlType}) AS ${c.name}`);
  return `
SELECT
  ${columns.join(',\n  ')}
FROM (
  SELECT *, ${systemPromptSql} AS system_prompt
  FROM (${withPromptSql(`(
    SELECT *,
      CASE WHEN new_from IS NOT NULL AND ts >= new_from
             AND u(acct, i, 0, 'new_model') < new_share * least(1.0, (epoch_us(ts) - epoch_us(new_from)) / (new_ramp_hours * ${HOUR_US}))
           THEN ${release ? literal(release.name) : 'NULL'}
           WHEN u(acct, i, 0, 'model_switch') < 0.8 THEN base_model
           ELSE ${anyModel} END AS model,
      CASE WHEN u(acct, i, 0, 'status') < p429 THEN 429
           WHEN u(acct, i, 0, 'status') < p429 + p400 THEN 400
           WHEN u(acct, i, 0, 'status') < p429 + p400 + p5xx THEN CASE WHEN u(acct, i, 1, 'status') < 0.7 THEN 529 ELSE 500 END
           ELSE 200 END AS status,
      CASE WHEN habits_fixed OR u(acct, i, 0, 'habit') < 0.7 THEN max_tokens_pref
           ELSE pick(max_tokens_list, u(acct, i, 1, 'habit')) END AS max_tokens,
      CASE WHEN habits_fixed OR u(acct, i, 2, 'habit') < 0.7 THEN temperature_pref
           ELSE pick(temperature_list, u(acct, i, 3, 'habit')) END AS temperature,
      ${familyIndexSql} AS family,
      ${languageIndexSql} AS lang
    FROM ${REQUESTS_TABLE} k
    JOIN ${ACCOUNTS_TABLE} USING (acct)
  )`)})
)`;
}

/**
 * A synthetic prompt embedding of `dim` floats: a direction per prompt family,
 * a smaller one per language, and a per-text component, so identical prompts
 * get identical vectors and families form clusters that attacks and
 * legitimate users share. Not a language model's embedding; a stand-in with
 * the same geometry for detectors that compare distributions of embeddings.
 */
function embeddingSql(dim: number): string {
  if (dim === 0) return 'NULL';
  const signed = (a: string, salt: string) => `(2 * u(${a}, k, 0, '${salt}') - 1)`;
  return `list_transform(range(${dim}), lambda k: ${signed('family', 'emb_family')} + 0.35 * ${signed('100 + lang', 'emb_lang')} + 0.5 * ${signed('hash(prompt)', 'emb_text')})`;
}
