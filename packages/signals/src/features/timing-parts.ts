// Timing passes. `sequence`: one window pass over events sorted per account
// (lag, first_value and two RANGE-frame counts share the sort): gaps, sliding
// peaks, active days, first day against later days. `hours`: requests per
// hour of the day, pre-aggregated (a partial a replay carries from step to
// step), then laid out as a 24-slot histogram.
import type { FeaturePart } from './feature-definition.js';
import { entropyBits, longestCircularRun } from './sql-expressions.js';

/** A gap longer than this starts a new session (the usual web-analytics inactivity cut). */
export const SESSION_GAP_SECONDS = 30 * 60;

/** Two consecutive gaps are "near-regular" when they differ by at most this share (or 1 s). */
export const REGULAR_GAP_TOLERANCE = 0.1;

/** An hour of the day is "quiet" when it holds less than this share of the account's requests. */
export const QUIET_HOUR_SHARE = 0.01;

const DAY_MS = 86_400_000;

/** The gap and window columns of one request, from its time, the two before it, the account's first and its trailing counts. */
function sequenceColumns(x: { ts: string; lag1: string; lag2: string; first: string; inMinute: string; inHour: string }): string {
  return `(epoch_ms(${x.ts}) - epoch_ms(${x.lag1})) / 1000 AS gap,
      (epoch_ms(${x.ts}) - epoch_ms(${x.lag1}))::HUGEINT AS gap_ms,
      (epoch_ms(${x.lag1}) - epoch_ms(${x.lag2})) / 1000 AS prev_gap,
      ${x.ts}::DATE IS DISTINCT FROM (${x.lag1})::DATE AS new_date,
      (epoch_ms(${x.ts}) - epoch_ms(${x.first})) // ${DAY_MS} AS day_index,
      (epoch_ms(${x.lag1}) - epoch_ms(${x.first})) // ${DAY_MS} AS prev_day_index,
      ${x.inMinute} AS in_minute,
      ${x.inHour} AS in_hour`;
}

const MINUTE_FRAME = 'w RANGE BETWEEN INTERVAL 59 SECONDS PRECEDING AND CURRENT ROW';
const HOUR_FRAME = 'w RANGE BETWEEN INTERVAL 3599 SECONDS PRECEDING AND CURRENT ROW';
const HOUR_FRAME_SECONDS = 3600;

/**
 * The sequence rows of the requests at or after `coveredMs` alone (a
 * cumulative replay's new slice), equal to those of the full window pass:
 * each row reads only earlier requests of its account, and those are the
 * last hour before `coveredMs` (the trailing counts' frame), plus, from the
 * kept `edges` (as of `coveredMs`), each account's first request (the day
 * index) and its last two, for the lags, when they are older than that hour
 * (the hour's own requests are read from the events: no request twice).
 */
function sequenceRowsSince(coveredMs: number, relation: (name: string) => string): string {
  const covered = `make_timestamp(${coveredMs * 1000}::BIGINT)`;
  const hourBefore = `${covered} - INTERVAL ${HOUR_FRAME_SECONDS} SECOND`;
  return `WITH earlier AS (
      SELECT account_id, first_ts, list_filter(last_two, t -> t < ${hourBefore}) AS before_hour FROM ${relation('edges')}
    ),
    context AS (
      SELECT account_id, ts FROM events WHERE ts >= ${hourBefore}
      UNION ALL
      SELECT account_id, unnest(before_hour) AS ts FROM earlier
    ),
    framed AS (
      SELECT account_id, ts, lag(ts, 1) OVER w AS lag1, lag(ts, 2) OVER w AS lag2, first_value(ts) OVER w AS first_seen,
             count(*) OVER (${MINUTE_FRAME}) AS in_minute, count(*) OVER (${HOUR_FRAME}) AS in_hour
      FROM context
      WINDOW w AS (PARTITION BY account_id ORDER BY ts)
    )
    SELECT f.account_id,
      ${sequenceColumns({ ts: 'f.ts', lag1: 'f.lag1', lag2: 'f.lag2', first: 'coalesce(e.first_ts, f.first_seen)', inMinute: 'f.in_minute', inHour: 'f.in_hour' })}
    FROM framed f LEFT JOIN earlier e USING (account_id)
    WHERE f.ts >= ${covered}`;
}

export const SEQUENCE_PART: FeaturePart = {
  name: 'sequence',
  purpose: 'gaps, sliding peaks and active days per account (one window pass over events ordered by time)',
  needs: [],
  // Equal timestamps give a 0 s gap; the gaps do not depend on how ties sort.
  // Day k of an account is [first request + 24k h, first request + 24(k+1) h).
  // One row per request, a function of the requests before it: a replay
  // keeps them and appends the new requests' rows (rowsSince), which read
  // the kept `edges` of each account.
  partials: {
    relations: [{
      name: 'requests',
      keys: [],
      rows: (events) => `SELECT account_id,
      ${sequenceColumns({ ts: 'ts', lag1: 'lag(ts, 1) OVER w', lag2: 'lag(ts, 2) OVER w', first: 'first_value(ts) OVER w', inMinute: `count(*) OVER (${MINUTE_FRAME})`, inHour: `count(*) OVER (${HOUR_FRAME})` })}
    FROM ${events}
    WINDOW w AS (PARTITION BY account_id ORDER BY ts)`,
      rowsSince: sequenceRowsSince,
    }, {
      // Kept for the next run's new rows: each account's first request and its last two (newest first).
      name: 'edges',
      keys: ['account_id'],
      rows: (events) => `SELECT account_id, min(ts) AS first_ts, max(ts, 2) AS last_two FROM ${events} GROUP BY account_id`,
      merge: { first_ts: 'min(first_ts)', last_two: `list_sort(flatten(list(last_two)), 'DESC')[1:2]` },
    }],
    from: (relation) => `SELECT * FROM ${relation('requests')}`,
  },
  helpers: [
    { name: 'n', sql: 'count(*)' },
    { name: 'later_requests', sql: 'count_if(day_index > 0)' },
    { name: 'later_days', sql: 'count_if(day_index > 0 AND day_index IS DISTINCT FROM prev_day_index)' },
  ],
  features: [
    { name: 'active_days', group: 'volume', type: 'INTEGER', unit: 'days', meaning: 'UTC calendar days with at least one request', how: 'requests whose date differs from the previous request\'s', sql: 'count_if(new_date)' },
    { name: 'requests_per_active_day', group: 'volume', type: 'DOUBLE', unit: 'requests/day', meaning: 'mean requests on a day the account was active', how: 'requests / active_days', sql: 'n / active_days' },
    {
      name: 'peak_requests_per_minute', group: 'volume', type: 'INTEGER', unit: 'requests/minute',
      meaning: 'most requests in any 60 seconds', how: 'max over requests of the requests in [ts − 59 s, ts]', sql: 'max(in_minute)',
    },
    {
      name: 'peak_requests_per_hour', group: 'volume', type: 'INTEGER', unit: 'requests/hour',
      meaning: 'most requests in any 60 minutes', how: 'max over requests of the requests in [ts − 3599 s, ts]', sql: 'max(in_hour)',
    },
    { name: 'gap_median_seconds', group: 'timing', type: 'DOUBLE', unit: 'seconds', meaning: 'median time between consecutive requests', how: 'median of ts − previous ts', sql: 'median(gap)' },
    {
      name: 'gap_cv', group: 'timing', type: 'DOUBLE', unit: 'ratio',
      meaning: 'coefficient of variation of the gaps: ≈ 0 for a clockwork client, ≥ 1 for bursty human use',
      // In whole milliseconds, exactly: sqrt(n·Σg² − (Σg)²) / Σg = stddev_pop / mean. A floating-point
      // stddev_pop summed by several threads moved the last digits from run to run.
      how: 'stddev_pop(gap) / avg(gap)', sql: 'sqrt((count(gap_ms) * sum(gap_ms * gap_ms) - sum(gap_ms) * sum(gap_ms))::DOUBLE) / nullif(sum(gap_ms), 0)',
    },
    {
      name: 'regular_gap_share', group: 'timing', type: 'DOUBLE', unit: 'share 0–1',
      meaning: 'share of gaps within 10% (or 1 s) of the gap before: machine pacing',
      how: `|gap − previous gap| ≤ max(1 s, ${REGULAR_GAP_TOLERANCE} × previous gap), over pairs of consecutive gaps`,
      sql: `count_if(abs(gap - prev_gap) <= greatest(1, ${REGULAR_GAP_TOLERANCE} * prev_gap)) / nullif(count(prev_gap), 0)`,
    },
    { name: 'longest_gap_hours', group: 'timing', type: 'DOUBLE', unit: 'hours', meaning: 'longest silence between two requests', how: 'max gap / 3600', sql: 'max(gap) / 3600' },
    {
      name: 'session_count', group: 'timing', type: 'INTEGER', unit: 'sessions',
      meaning: 'bursts of activity separated by more than 30 minutes of silence', how: `1 + gaps > ${SESSION_GAP_SECONDS} s`,
      sql: `1 + count_if(gap > ${SESSION_GAP_SECONDS})`,
    },
    {
      name: 'first_day_requests', group: 'operator habits', type: 'BIGINT', unit: 'requests',
      meaning: 'requests in the account\'s first 24 hours (from its first request)', how: 'requests with ts < first_seen + 24 h',
      sql: 'count_if(day_index = 0)',
    },
    {
      name: 'first_day_ratio', group: 'operator habits', type: 'DOUBLE', unit: 'ratio',
      meaning: 'first-day throughput against later active days: ≈ 1 or more = full speed from day one, no human ramp-up (CISA AA26-251A); null with no later activity. The first day in the logs: it is the account\'s first day only when signup_to_first_request_hours is small',
      how: 'first_day_requests / (requests after day 0 / active 24-h days after day 0)',
      sql: 'first_day_requests / nullif(later_requests / nullif(later_days, 0), 0)',
    },
  ],
};

export const HOURS_PART: FeaturePart = {
  name: 'hours',
  purpose: 'hour-of-day histogram per account (events grouped by account and UTC hour, laid out in 24 slots)',
  needs: [],
  partials: {
    relations: [{ name: 'hours', rows: (events) => `SELECT account_id, hour(ts) AS hod, count(*) AS n FROM ${events} GROUP BY ALL`, keys: ['account_id', 'hod'], merge: { n: 'sum(n)::BIGINT' } }],
    from: (relation) => `SELECT account_id, hod, n FROM ${relation('hours')}`,
  },
  helpers: [{ name: 'n_total', sql: 'sum(n)' }],
  features: [
    {
      name: 'hour_histogram', group: 'timing', type: 'INTEGER[]', unit: 'requests per UTC hour 0–23',
      meaning: 'requests in each hour of the day (UTC), over the whole log', how: '24 counts of hour(ts)',
      sql: `[${Array.from({ length: 24 }, (_, h) => `coalesce(sum(n) FILTER (hod = ${h}), 0)`).join(', ')}]`,
    },
    {
      name: 'hour_entropy_bits', group: 'timing', type: 'DOUBLE', unit: 'bits (0–4.585)',
      meaning: 'spread of requests over the 24 hours: 4.585 = flat round the clock (machine-paced, CISA AA26-251A), low = a few hours',
      how: 'Shannon entropy of hour_histogram / requests', sql: entropyBits('hour_histogram', 'n_total'),
    },
    {
      name: 'quiet_hours', group: 'timing', type: 'INTEGER', unit: 'hours (0–24)',
      meaning: 'longest daily idle span: the longest run of consecutive hours of the day (wrapping past midnight) holding < 1% of its requests; 0 for an account that never sleeps',
      how: `longest circular run in hour_histogram of hours with count < ${QUIET_HOUR_SHARE} × requests`,
      sql: longestCircularRun('hour_histogram', `_c < ${QUIET_HOUR_SHARE} * n_total`),
    },
  ],
};
