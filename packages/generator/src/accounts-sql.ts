// The account table of a run (`gen_accounts`): one row per account with its
// signup record, its truth label, its active span (creation, hand-over, ban) and
// every behaviour parameter the request generator needs, inlined per population.
// Hydra farms are laid out as slots x generations: each generation of a slot is
// created in a signup wave, takes the slot's load from the moment the previous
// generation is banned, and is banned in turn (the last one survives).
import { literal, literalList } from '@farmscope/casefile';
import { cumulativeShares, numberList, weightedPickSql } from './random-sql.js';
import { IP_RANGE_CODES } from './network-sql.js';
import { CONSUMER_DOMAINS, EDU_DOMAINS, SYSTEM_PROMPTS, THROWAWAY_DOMAINS } from './vocabulary.js';
import { LANGUAGES, PROMPT_FAMILIES, isAttack, type PopulationParams, type Scenario } from './scenario.js';

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;

export const ACCOUNTS_TABLE = 'gen_accounts';

/** `CREATE TABLE gen_accounts AS ...` for every population of the scenario. */
export function createAccountsSql(scenario: Scenario): string {
  let offset = 0;
  const parts = scenario.populations.map((pop, index) => {
    const sql = populationAccountsSql(scenario, pop, index, offset);
    offset += pop.accounts;
    return sql;
  });
  return `CREATE OR REPLACE TABLE ${ACCOUNTS_TABLE} AS\n${parts.map((p) => `(${p})`).join('\nUNION ALL\n')}`;
}

/** A TIMESTAMP literal (naive UTC) from an ISO-8601 "...Z" time. */
export function timestampSql(iso: string): string {
  return `TIMESTAMP ${literal(iso.replace('T', ' ').replace('Z', ''))}`;
}
const ts = timestampSql;

function populationAccountsSql(scenario: Scenario, pop: PopulationParams, index: number, offset: number): string {
  const start = ts(scenario.window.start);
  const end = ts(scenario.window.end);
  const spanUs = Date.parse(scenario.window.end) * 1000 - Date.parse(scenario.window.start) * 1000;
  const attack = isAttack(pop.kind);
  const n = pop.accounts;
  const farms = pop.farms;
  // Farm key: identifies a farm's shared infrastructure in hash draws.
  const farmKey = `(${index} * 100000 + farm)`;
  const G = pop.generations;
  const periodUs = spanUs / G;

  // Ban time of generation g of a slot, jittered ±30% of a period around the next wave.
  const banAt = (g: string) =>
    `${start} + us((${g} + 1) * ${periodUs} + (u(${farmKey}, slot, ${g}, 'ban') - 0.5) * 0.6 * ${periodUs})`;
  const gapUs = Math.min(6 * HOUR_US, 0.1 * periodUs);
  const waveCreateUs = Math.min(DAY_US, 0.2 * periodUs);

  const signupAt = pop.signup.at
    ? ts(pop.signup.at)
    : pop.signup.inWindowShare > 0 || attack
      ? `${start} + us(u(${farmKey}, 0, 0, 'at') * 0.25 * ${spanUs})`
      : `${start} - INTERVAL 30 DAY`;
  const cr = `u(acct, 0, 0, 'created')`;
  const createdGeneric: Record<string, string> = {
    before: `CASE WHEN u(acct, 0, 0, 'in_window') < ${pop.signup.inWindowShare}
      THEN ${start} + us(${cr} * 0.9 * ${spanUs})
      ELSE ${start} - us((1 + ${cr} * ${pop.signup.spreadDays}) * ${DAY_US}) END`,
    burst: `${signupAt} + us(${cr} * ${pop.signup.spreadDays * DAY_US})`,
    spread: `${start} + us(${cr} * ${Math.min(pop.signup.spreadDays * DAY_US, 0.8 * spanUs)})`,
    waves: `${signupAt} + us(${cr} * ${pop.signup.spreadDays * DAY_US})`,
  };

  const timing =
    G > 1
      ? `
      ${start} + us(gen * ${periodUs} - 0.3 * ${periodUs} - u(${farmKey}, slot, gen, 'created') * ${waveCreateUs}) AS created_at,
      CASE WHEN gen = 0 THEN ${start} + us(u(${farmKey}, slot, 0, 'first') * 0.02 * ${periodUs})
           ELSE ${banAt('gen - 1')} + us(u(${farmKey}, slot, gen, 'gap') * ${gapUs}) END AS active_from,
      CASE WHEN last_of_slot THEN NULL ELSE ${banAt('gen')} END AS banned_at`
      : `
      ${createdGeneric[pop.signup.pattern]} AS created_at,
      greatest(${start}, created_at) AS active_from,
      CASE WHEN u(acct, 0, 0, 'banned') < ${pop.banShare}
        THEN active_from + us((0.5 + 0.5 * u(acct, 0, 0, 'ban_at')) * (epoch_us(${end}) - epoch_us(active_from))) END AS banned_at`;

  const modelsAtStart = scenario.models.filter((m) => m.releasedAt === null);
  const baseModel = weightedPickSql(modelsAtStart.map((m) => literal(m.name)), modelsAtStart.map((m) => m.share), `u(acct, 0, 0, 'model')`);
  const release = scenario.models.find((m) => m.releasedAt !== null);
  const newFrom = !release
    ? 'NULL::TIMESTAMP'
    : attack
      ? `${ts(release.releasedAt!)} + us(${pop.newModelDelayHours} * (0.5 + u(${farmKey}, 0, 0, 'new_delay')) * ${HOUR_US})`
      : `${ts(release.releasedAt!)} + us((${pop.newModelDelayHours} + u(acct, 0, 0, 'new_delay') * 48) * ${HOUR_US})`;
  const newShare = attack ? `${pop.newModelShare}` : `least(1.0, ${pop.newModelShare} * 2 * u(acct, 0, 0, 'new_share'))`;

  const ipMode = pop.ips.rotate ? 1 : pop.ips.dedicated ? 3 : pop.ips.pool > 0 ? 2 : 0;
  const ipKey = ipMode === 0 ? `(1000000000 + acct)` : farmKey;
  const offsetsMatchCountries = pop.utcOffsets.length === pop.countries.length;
  const zone = `floor(u(acct, 0, 0, 'zone') * ${pop.utcOffsets.length})::BIGINT`;
  const payment =
    pop.paymentPool > 0
      ? `'pm_' || hex16(h(${farmKey}, j % ${pop.paymentPool}, 0, 'pay'))`
      : `CASE WHEN u(${index}, idx // 2, 0, 'pay_pair') < ${pop.paymentSharedShare}
          THEN 'pm_' || hex16(h(${index}, idx // 2, 0, 'pay_pair'))
          ELSE 'pm_' || hex16(h(acct, 0, 0, 'pay')) END`;
  const email = pop.email.domain
    ? literal(pop.email.domain)
    : `CASE WHEN u(acct, 0, 0, 'email_kind') < ${pop.email.throwawayShare}
          THEN pick(${literalList(THROWAWAY_DOMAINS)}, u(acct, 0, 0, 'domain'))
        WHEN u(acct, 0, 0, 'email_kind') < ${pop.email.throwawayShare + pop.email.eduShare}
          THEN pick(${literalList(EDU_DOMAINS)}, u(acct, 0, 0, 'domain'))
        ELSE pick(${literalList(CONSUMER_DOMAINS)}, u(acct, 0, 0, 'domain')) END`;
  // Declared organisations: teams of a few accounts (farms: about 20) share one.
  const org = pop.orgId
    ? literal(pop.orgId)
    : pop.orgShare > 0
      ? `CASE WHEN u(${index}, j // ${attack ? 20 : 3}, farm, 'org') < ${pop.orgShare}
          THEN 'org_' || left(hex16(h(${farmKey}, j // ${attack ? 20 : 3}, 0, 'org')), 12) END`
      : 'NULL::VARCHAR';
  const uaKey = pop.userAgents === 'fixed' ? farmKey : 'acct';
  const slotHours = Array.from({ length: Math.max(1, Math.ceil(pop.burstsPerDay)) }, (_, k) => `u(${farmKey}, ${k}, 0, 'slot') * 24`);
  const fixedTemplates = pop.templateSpan > 0;

  return `
SELECT *,
  ip_at(ip_code, ip_key, ${ipPoolIndexSql(`u(acct, 0, 0, 'signup_ip')`)}) AS signup_ip,
  greatest(1, round(${pop.requestsPerDay} * lognormal(1.0, ${pop.volumeSigma}, u(acct, 0, 0, 'vol1'), u(acct, 0, 0, 'vol2'))
    * (epoch_us(active_until) - epoch_us(active_from)) / ${DAY_US}))::BIGINT AS n_events,
  CASE WHEN u(acct, 0, 0, 'suspend') < ${pop.suspendShare}
    THEN active_from + us(u(acct, 0, 0, 'suspend_at') * 0.8 * (epoch_us(active_until) - epoch_us(active_from))) END AS suspended_at
FROM (
  SELECT *, coalesce(banned_at, ${end}) AS active_until
  FROM (
    SELECT *,${timing}
    FROM (
      SELECT
        ${index} AS pop,
        ${offset} + r AS acct,
        r AS idx,
        r % ${farms} AS farm,
        r // ${farms} AS j,
        ${n} // ${farms} + CASE WHEN r % ${farms} < ${n} % ${farms} THEN 1 ELSE 0 END AS farm_size,
        ceil(farm_size / ${G})::BIGINT AS slots,
        j % slots AS slot,
        j // slots AS gen,
        j + slots >= farm_size AS last_of_slot,
        'acct_' || hex16(h(${offset} + r, 0, 0, 'account_id')) AS account_id,
        ${attack ? (farms > 1 ? `${literal(pop.id + '-')} || (farm + 1)` : literal(pop.id)) : 'NULL::VARCHAR'} AS farm_id,
        ${literal(pop.label)} AS campaign,
        ${email} AS email_domain,
        hex16(h(acct, 0, 0, 'email_local')) AS email_local_hash,
        ${payment} AS payment_fingerprint,
        ${offsetsMatchCountries ? `${literalList(pop.countries)}[1 + ${zone}]` : `pick(${literalList(pop.countries)}, u(acct, 0, 0, 'country'))`} AS country,
        ${org} AS org_id,
        ${numberList(pop.utcOffsets)}[1 + ${zone}] AS utc_offset,
        ${literal(pop.hours)} AS hours,
        -- Legitimate newcomers ramp up; farm accounts run at full rate from their first day.
        ${!attack} AS ramps_up,
        ${pop.activeHours[0]}::DOUBLE AS active_lo,
        ${pop.activeHours[1]}::DOUBLE AS active_hi,
        ${pop.offHoursShare}::DOUBLE AS off_share,
        ${pop.weekendFactor}::DOUBLE AS weekend_keep,
        [${slotHours.join(', ')}]::DOUBLE[] AS slot_hours,
        ${pop.burstsPerDay}::DOUBLE AS bursts_per_day,
        ${pop.burstMinutes}::DOUBLE AS burst_minutes,
        ${IP_RANGE_CODES[pop.ips.range]} AS ip_code,
        ${ipKey}::BIGINT AS ip_key,
        ${ipMode} AS ip_mode,
        ${pop.ips.pool}::BIGINT AS ip_pool,
        ${pop.ips.perAccount}::BIGINT AS ip_per,
        ${pop.mobileShare}::DOUBLE AS mobile_share,
        user_agent_for(${uaKey}, u(${uaKey}, 0, 0, 'ua_version')) AS user_agent,
        ${pop.userAgents === 'varied' ? `user_agent_for(acct + 1000000000000, u(acct, 1, 0, 'ua_version'))` : 'NULL::VARCHAR'} AS user_agent2,
        ${numberList(cumulativeShares(PROMPT_FAMILIES, pop.promptMix))} AS mix_cum,
        ${numberList(cumulativeShares(LANGUAGES, pop.languages))} AS lang_cum,
        ${fixedTemplates ? `floor(u(${farmKey}, 0, 0, 'templates') * 1000)::BIGINT` : '0::BIGINT'} AS tpl_off,
        ${pop.templateSpan}::BIGINT AS tpl_span,
        ${attack} AS curriculum,
        ${literal(pop.systemPrompt)} AS sys_mode,
        pick(${literalList(SYSTEM_PROMPTS)}, u(${farmKey}, 0, 0, 'system_prompt')) AS sys_fixed,
        ${pop.tokens.inputMean}::DOUBLE AS in_mean,
        ${pop.tokens.outputMean}::DOUBLE AS out_mean,
        ${pop.tokens.sigma}::DOUBLE AS tok_sigma,
        ${pop.habits === 'fixed'} AS habits_fixed,
        ${numberList(pop.maxTokens)} AS max_tokens_list,
        pick(max_tokens_list, u(${pop.habits === 'fixed' ? farmKey : 'acct'}, 0, 0, 'max_tokens')) AS max_tokens_pref,
        ${numberList(pop.temperatures)} AS temperature_list,
        pick(temperature_list, u(${pop.habits === 'fixed' ? farmKey : 'acct'}, 0, 0, 'temperature')) AS temperature_pref,
        ${pop.status429Share}::DOUBLE AS p429,
        ${pop.status400Share}::DOUBLE AS p400,
        ${pop.status5xxShare}::DOUBLE AS p5xx,
        ${pop.endUsers}::BIGINT AS end_users,
        ${pop.sessionMinutes}::DOUBLE AS session_minutes,
        ${pop.keysPerAccount}::BIGINT AS keys,
        ${baseModel} AS base_model,
        ${newFrom} AS new_from,
        ${newShare}::DOUBLE AS new_share,
        ${Math.max(pop.newModelRampHours, 0.01)}::DOUBLE AS new_ramp_hours
      FROM range(${n}) AS t(r)
    )
  )
)`;
}

/**
 * The pool index of a request's (or the signup's) address, given a uniform draw
 * `x`: rotate = any address of the farm's pool per request; sticky = one of the
 * account's `ip_per` addresses drawn from the pool; dedicated = addresses no
 * other account uses; own = the account's private addresses.
 */
export function ipPoolIndexSql(x: string): string {
  return `CASE ip_mode
    WHEN 1 THEN floor(${x} * ip_pool)::BIGINT
    WHEN 2 THEN (h(acct, floor(${x} * ip_per)::BIGINT, 0, 'ip_slot') % ip_pool)::BIGINT
    WHEN 3 THEN j * ip_per + floor(${x} * ip_per)::BIGINT
    ELSE floor(${x} * ip_per)::BIGINT END`;
}
