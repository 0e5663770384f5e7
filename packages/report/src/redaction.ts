// Redaction (`--redact`): what a report may show to someone who must not see
// users' prompts or identities. Account, key, farm and other opaque ids become
// keyed tokens (HMAC-SHA256 with the analyst's key: the same id gives the same
// token in every report made with that key, and nobody without the key can
// test a guess); IPv4 addresses are cut to their /24 and IPv6 to their /48;
// e-mail domains are kept only when they are disposable-mail services; prompt
// text is dropped (template ids and counts stay). Without --redact the
// identity redactor shows everything as it is.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '@farmscope/casefile';
import { DEFAULT_LINK_PARAMS } from '@farmscope/signals';

/** Disposable-mail domains kept in redacted reports: the list the links stage uses (packages/signals link-params.ts). */
export const THROWAWAY_DOMAINS: ReadonlySet<string> = new Set(DEFAULT_LINK_PARAMS.throwawayDomains.map((d) => d.toLowerCase()));

/** Environment variable holding the redaction key when --redact-key-file is not given. */
export const REDACT_KEY_ENV = 'FARMSCOPE_REDACT_KEY';

/** Fewest bytes of key accepted: an HMAC key shorter than this is guessable. */
const MIN_KEY_BYTES = 16;

export interface Redactor {
  readonly active: boolean;
  account(id: string): string;
  apiKey(id: string): string;
  farm(id: string): string;
  /** An opaque value that is not an IP or a domain (payment fingerprint, e-mail local hash, organisation, system-prompt hash). */
  opaque(value: string): string;
  ip(address: string): string;
  emailDomain(domain: string): string;
  /** Prompt text, or null when prompts may not be shown. */
  prompt(text: string): string | null;
  /** A shared value of an account_links kind (payment, ip, ip_net, template, ...). */
  linkValue(kind: string, value: string): string;
}

export const SHOW_EVERYTHING: Redactor = {
  active: false,
  account: (id) => id,
  apiKey: (id) => id,
  farm: (id) => id,
  opaque: (v) => v,
  ip: (a) => a,
  emailDomain: (d) => d,
  prompt: (t) => t,
  linkValue: (_k, v) => v,
};

export function keyedRedactor(key: Buffer): Redactor {
  if (key.length < MIN_KEY_BYTES) throw new InputError(`redaction key: ${key.length} bytes, expected at least ${MIN_KEY_BYTES}`);
  const cache = new Map<string, string>();
  const token = (prefix: string, value: string) => {
    const k = `${prefix}\u0000${value}`;
    let t = cache.get(k);
    if (t === undefined) {
      t = `${prefix}-${createHmac('sha256', key).update(k).digest('hex').slice(0, 16)}`;
      cache.set(k, t);
    }
    return t;
  };
  const redactor: Redactor = {
    active: true,
    account: (id) => token('racct', id),
    apiKey: (id) => token('rkey', id),
    farm: (id) => token('rfarm', id),
    opaque: (v) => token('rval', v),
    ip: truncateIp,
    emailDomain: (d) => (THROWAWAY_DOMAINS.has(d.toLowerCase()) ? d.toLowerCase() : '(other domain)'),
    prompt: () => null,
    linkValue: (kind, v) => {
      if (kind === 'ip' || kind === 'signup_ip') return truncateIp(v);
      if (kind === 'ip_net') return v.includes('/') ? v : truncateIp(v);
      if (kind === 'template') return v;
      if (kind === 'email_throwaway') return redactor.emailDomain(v);
      if (kind === 'user_agent') return v;
      return redactor.opaque(v);
    },
  };
  return redactor;
}

/** IPv4 to its /24 (`203.0.113.0/24`), IPv6 to its /48 (`2001:db8:1::/48`); anything else to a note. */
export function truncateIp(address: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(address);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (address.includes(':')) {
    const groups = expandIpv6(address);
    if (groups) return `${groups.slice(0, 3).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/48`;
  }
  return '(address)';
}

function expandIpv6(address: string): string[] | null {
  const [head, tail, ...rest] = address.toLowerCase().split('::');
  if (rest.length > 0) return null;
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  if (tail === undefined && left.length !== 8) return null;
  const fill = 8 - left.length - right.length;
  if (fill < 0) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : fill).fill('0'), ...right];
  return groups.every((g) => /^[0-9a-f]{1,4}$/.test(g)) ? groups : null;
}

/**
 * The redaction key: the file's bytes (--redact-key-file), else the
 * FARMSCOPE_REDACT_KEY variable. Missing either with --redact is a usage
 * error (exit 2): a key made up on the spot would give tokens no later report
 * could match.
 */
export function loadRedactionKey(keyFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (keyFile !== undefined) {
    if (!existsSync(keyFile)) throw new InputError(`--redact-key-file ${keyFile}: file not found`);
    return readFileSync(keyFile);
  }
  const fromEnv = env[REDACT_KEY_ENV];
  if (fromEnv) return Buffer.from(fromEnv, 'utf8');
  throw new InputError(
    `--redact needs a key: --redact-key-file <path> or the ${REDACT_KEY_ENV} variable ` +
      '(keep it outside the report folder; e.g. "head -c 32 /dev/urandom > ~/.farmscope-redact.key")',
  );
}
