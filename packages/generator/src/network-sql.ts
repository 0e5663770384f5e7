// Client addresses and user agents as SQL macros. Residential ranges are shared
// by casual users and residential-proxy pools (a /16 alone does not tell them
// apart); power developers, benchmark runners and small farms share a few cloud
// /24s; campus and corporate NATs put many accounts behind a handful of addresses.
import { literalList } from '@farmscope/casefile';
import { USER_AGENT_FAMILIES } from './vocabulary.js';

/** First two octets of consumer ISP ranges (residential users and residential proxies). */
const RESIDENTIAL = [
  '73.162', '98.207', '24.17', '71.58', '86.150', '91.64', '79.221', '84.143', '109.190', '176.24', '2.134', '5.29',
  '112.96', '114.240', '123.117', '39.110', '58.219', '121.165', '182.48', '1.32', '49.228', '110.76', '175.223',
  '187.58', '177.33', '201.17', '41.58', '105.112', '94.25', '95.31', '81.2', '90.112',
];
/** Public-cloud egress ranges. */
const CLOUD = ['3.80', '3.236', '13.56', '18.130', '34.120', '34.82', '35.190', '35.237', '52.14', '54.201', '20.42', '40.76', '104.196'];
/** Rented VPS and hosting ranges (relay gateways, scheduled farms). */
const DATACENTER = ['45.76', '149.28', '103.152', '185.220', '5.181', '46.101', '139.59', '167.172', '154.12', '38.54'];

export const IP_RANGE_CODES = { residential: 0, cloud: 1, campus: 2, corporate: 3, datacenter: 4 } as const;

export function networkMacros(): string[] {
  return [
    // ip_from_hash(range_code, x): an address in the range family, from a 64-bit hash.
    // Cloud hosts use only 8 third octets per /16, so independent developers
    // land in the same /24s; about one residential address in ten is IPv6.
    `CREATE OR REPLACE MACRO ip_from_hash(range_code, x) AS CASE range_code
      WHEN 0 THEN CASE WHEN (x >> 40) % 100 < 10
        THEN '2a02:' || lower(to_hex(((x >> 8) % 65536)::BIGINT)) || ':' || lower(to_hex(((x >> 24) % 65536)::BIGINT)) || '::' || lower(to_hex(((x >> 48) % 65536)::BIGINT))
        ELSE ${literalList(RESIDENTIAL)}[1 + (x % ${RESIDENTIAL.length})::BIGINT] || '.' || ((x >> 8) % 256)::BIGINT || '.' || (1 + (x >> 16) % 254)::BIGINT END
      WHEN 1 THEN ${literalList(CLOUD)}[1 + (x % ${CLOUD.length})::BIGINT] || '.' || (16 * ((x >> 8) % 8))::BIGINT || '.' || (1 + (x >> 16) % 254)::BIGINT
      WHEN 4 THEN ${literalList(DATACENTER)}[1 + (x % ${DATACENTER.length})::BIGINT] || '.' || ((x >> 8) % 256)::BIGINT || '.' || (1 + (x >> 16) % 254)::BIGINT
      ELSE NULL END`,
    // NATs: one /24 per key; campus in 166.111-style academic space, corporate in 12.x.
    `CREATE OR REPLACE MACRO ip_at(range_code, key, p) AS CASE range_code
      WHEN 2 THEN '166.' || (100 + h(key, 0, 0, 'nat') % 20)::BIGINT || '.' || (h(key, 0, 0, 'nat24') % 256)::BIGINT || '.' || (10 + p % 240)::BIGINT
      WHEN 3 THEN '12.' || (h(key, 0, 0, 'nat') % 256)::BIGINT || '.' || (h(key, 0, 0, 'nat24') % 256)::BIGINT || '.' || (20 + p % 230)::BIGINT
      ELSE ip_from_hash(range_code, h(key, p, 0, 'ip')) END`,
  ];
}

/**
 * user_agent_for(x, y): a client string from the family distribution, with
 * newer versions more common (the square of a uniform skews towards the newest).
 */
export function userAgentMacro(): string {
  const total = USER_AGENT_FAMILIES.reduce((a, f) => a + f.weight, 0);
  let running = 0;
  const whens = USER_AGENT_FAMILIES.map((f, i) => {
    running += f.weight / total;
    const minor = `(${f.minorMax} - floor(y * y * ${Math.ceil(f.minorMax * 0.5)}))::BIGINT`;
    const version = f.patchMax === 0 ? minor : `${minor} || '.' || floor(u(x, 7, 0, 'uap') * ${f.patchMax + 1})::BIGINT`;
    const guard = i === USER_AGENT_FAMILIES.length - 1 ? 'ELSE' : `WHEN u(x, 0, 0, 'uaf') < ${running.toFixed(6)} THEN`;
    return `${guard} '${f.prefix}' || (${version})`;
  });
  return `CREATE OR REPLACE MACRO user_agent_for(x, y) AS CASE ${whens.join('\n      ')} END`;
}
