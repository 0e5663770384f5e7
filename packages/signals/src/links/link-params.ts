// Parameters of the shared-infrastructure and coordination stages, with their
// defaults and why. One object, so the farm stage (and a later --config) can
// record and override them in one place.

/** The kinds of shared thing that link two accounts. */
export type LinkKind =
  | 'payment'
  | 'email_local'
  | 'signup_ip'
  | 'template'
  | 'system_prompt'
  | 'ip'
  | 'ip_net'
  | 'email_throwaway'
  | 'user_agent';

export interface LinkParams {
  /**
   * How much sharing one value of the kind says about common control, before
   * rarity: a payment card is personal, an address is shared by design (NAT,
   * proxies, cloud egress), a user agent is shared by every user of an SDK.
   */
  kindStrength: Record<LinkKind, number>;
  /** Values held by at most this many accounts link every pair of holders. */
  pairCap: number;
  /** Above `pairCap`, each holder links to this many successors in a deterministic ring. */
  ringNeighbours: number;
  /** Values held by more than this share of all accounts link nobody (SDK defaults, big webmail). */
  ubiquitousShare: number;
  /** Per kind, values held by more accounts than this link nobody (an "uncommon" client is one few use). */
  kindMaxHolders: Partial<Record<LinkKind, number>>;
  /** Event kinds: an account holds a value only after this many requests with it (sticky use, not a proxy's rotation). */
  minRequests: number;
  /** Event-based kinds link only when the two accounts' use of the value overlaps within this slack. */
  overlapSlackHours: number;
  /** Pairs inside one declared organisation: their links are multiplied by this. */
  sameOrgFactor: number;
  /** Known disposable e-mail domains (the `email_throwaway` kind). */
  throwawayDomains: readonly string[];
  /** Coordination: bucket width for co-activity, in minutes (SynchroTrap's matching window). */
  bucketMinutes: number;
  /** Coordination: an (address, bucket) with more active accounts than this is a crowd: ring-sampled. */
  bucketCap: number;
  /** Coordination: pairs must share at least this many (address, bucket) units. */
  minSharedBuckets: number;
  /** Hand-offs: the successor starts at most this many hours after the predecessor ends. */
  handoffHours: number;
  /** Hand-offs: only values held by at most this many accounts count as shared infrastructure. */
  handoffCap: number;
}

export const DEFAULT_LINK_PARAMS: LinkParams = {
  kindStrength: {
    payment: 1.0,
    email_local: 0.8,
    template: 0.2,
    signup_ip: 0.3,
    system_prompt: 0.3,
    ip: 0.25,
    email_throwaway: 0.15,
    ip_net: 0.1,
    user_agent: 0.1,
  },
  pairCap: 100,
  ringNeighbours: 8,
  ubiquitousShare: 0.2,
  kindMaxHolders: { user_agent: 25 },
  minRequests: 3,
  overlapSlackHours: 1,
  sameOrgFactor: 0.1,
  // Widely listed disposable-mail services; extend through the parameters.
  throwawayDomains: [
    'mailinator.com', 'guerrillamail.com', 'guerrillamail.net', 'sharklasers.com', 'grr.la', '10minutemail.com',
    'temp-mail.org', 'tempmail.plus', 'tempmail.com', 'yopmail.com', 'yopmail.net', 'dispostable.com',
    'trashmail.com', 'maildrop.cc', 'getnada.com', 'mail.tm', 'throwawaymail.com', 'fakeinbox.com',
    'mintemail.com', 'mohmal.com', 'emailondeck.com', 'burnermail.io', 'spamgourmet.com', 'mailnesia.com',
  ],
  bucketMinutes: 10,
  bucketCap: 50,
  minSharedBuckets: 3,
  handoffHours: 12,
  handoffCap: 200,
};
