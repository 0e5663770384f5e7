// The first pass: plain aggregates of `events` per account over its narrow
// columns only (no DISTINCT, no per-group maps, no text columns, which cost a
// hash table per account or a full read of the text): volume, token
// economics, rate limiting.
import type { FeaturePart } from './feature-definition.js';

export const ACTIVITY_PART: FeaturePart = {
  name: 'activity',
  purpose: 'volume, token economics and rate limiting per account (one hash aggregate over events)',
  needs: [],
  from: () => 'SELECT * FROM events',
  helpers: [
    { name: 'sum_input_tokens', sql: 'sum(input_tokens)' },
    { name: 'sum_output_tokens', sql: 'sum(output_tokens)' },
  ],
  features: [
    { name: 'requests', group: 'volume', type: 'BIGINT', unit: 'requests', meaning: 'requests made by the account', how: 'count of its events', sql: 'count(*)' },
    { name: 'first_seen', group: 'volume', type: 'TIMESTAMP', unit: 'UTC time', meaning: 'first request', how: 'min(ts)', sql: 'min(ts)' },
    { name: 'last_seen', group: 'volume', type: 'TIMESTAMP', unit: 'UTC time', meaning: 'last request', how: 'max(ts)', sql: 'max(ts)' },
    { name: 'lifetime_hours', group: 'volume', type: 'DOUBLE', unit: 'hours', meaning: 'time from first to last request', how: 'last_seen − first_seen', sql: '(epoch_ms(last_seen) - epoch_ms(first_seen)) / 3600000' },
    { name: 'weekday_share', group: 'timing', type: 'DOUBLE', unit: 'share 0–1', meaning: 'share of requests made Monday–Friday (UTC)', how: 'requests with isodow(ts) ≤ 5 / requests', sql: 'count_if(isodow(ts) <= 5) / requests' },
    { name: 'input_tokens_mean', group: 'economics', type: 'DOUBLE', unit: 'tokens', meaning: 'mean billed input tokens per request', how: 'avg(input_tokens)', sql: 'avg(input_tokens)', needs: ['input_tokens'] },
    { name: 'output_tokens_mean', group: 'economics', type: 'DOUBLE', unit: 'tokens', meaning: 'mean billed output tokens per request', how: 'avg(output_tokens)', sql: 'avg(output_tokens)', needs: ['output_tokens'] },
    { name: 'input_tokens_total', group: 'economics', type: 'BIGINT', unit: 'tokens', meaning: 'billed input tokens over all requests (the figure farm totals and reports add up)', how: 'sum(input_tokens)', sql: 'sum_input_tokens', needs: ['input_tokens'] },
    { name: 'output_tokens_total', group: 'economics', type: 'BIGINT', unit: 'tokens', meaning: 'billed output tokens over all requests: what the account took', how: 'sum(output_tokens)', sql: 'sum_output_tokens', needs: ['output_tokens'] },
    {
      name: 'output_input_ratio', group: 'economics', type: 'DOUBLE', unit: 'ratio',
      meaning: 'output tokens bought per input token; harvesting buys long outputs for short prompts',
      how: 'sum(output_tokens) / sum(input_tokens)', sql: 'sum_output_tokens / nullif(sum_input_tokens, 0)', needs: ['input_tokens', 'output_tokens'],
    },
    { name: 'status_429_share', group: 'economics', type: 'DOUBLE', unit: 'share 0–1', meaning: 'share of requests refused for rate limiting (HTTP 429): running at the limit', how: 'status = 429 / requests with a status', sql: 'count_if(status = 429) / count(status)', needs: ['status'] },
  ],
};
