// Every threshold, weight and range of farm reconstruction and scoring, with
// its default and why, in one object: `--config file.json` overrides any of
// them field by field, and investigate records the whole object in its
// manifest.
import { readFile } from 'node:fs/promises';
import { InputError } from '@farmscope/casefile';

/** The interpretable groups an account's distillation score is built from. */
export const SIGNAL_GROUPS = ['content', 'economics', 'automation', 'churn', 'coordination', 'infrastructure'] as const;
export type SignalGroup = (typeof SIGNAL_GROUPS)[number];

export interface FarmConfig {
  score: {
    /** Robust z (against the whole case) at which a feature starts to count as evidence. */
    zStart: number;
    /** Robust z at which a feature is full evidence (1). */
    zFull: number;
    /** Per-request statistics over n requests (or prompts) count n / (n + this × the case's median n) of their evidence. */
    reliabilityScale: number;
    /** A group's evidence is the mean of its this many strongest features. */
    topFeatures: number;
    /** Weight of each signal group in the account score (normalised to sum 1). */
    groupWeights: Record<SignalGroup, number>;
    /** Co-activity surprise (−log10 p, links stage) that counts as full coordination evidence. */
    coordinationSurpriseFull: number;
    /** Strongest shared-infrastructure link weight (templates excluded) that counts as full evidence. */
    infrastructureWeightFull: number;
  };
  graph: {
    /** Accounts whose own score (before the graph groups) is below this are left out of the farm graph. */
    suspectMinScore: number;
    /** Edges weaker than this are dropped before the community search. */
    minPairScore: number;
    /** Each account keeps at most its this many strongest edges (bounds the similarity join). */
    neighbourCap: number;
    /** SCAN: an edge is kept when the weighted structural similarity of its ends is at least this. */
    scanEpsilon: number;
    /** An edge whose operator part (infrastructure, co-activity, hand-off) is at least this is kept whatever its similarity or behaviour clusters (a shared card). */
    strongPairScore: number;
    /** Two accounts of one behaviour cluster: their edge weight is raised as noisy-or with this. */
    clusterAgreement: number;
    /** Between suspects, use account_links.raw_weight (no same-organisation discount): an operator can declare an organisation too. */
    undoSameOrgDiscount: boolean;
    /** Co-activity with surprise below this (−log10 of the chance bound) is not coordination. */
    coordinationMinSurprise: number;
    /** Co-activity surprise at which the coordination part of a pair score is 1 − 1/e. */
    coordinationSurpriseScale: number;
    /** Pair score of a hand-off (one account taking over from another on shared infrastructure). */
    handoffScore: number;
    /** Content part of a pair score: this × how far the template-profile cosine is above contentFloor (rescaled to 0–1). */
    contentWeight: number;
    /** Template-profile cosine below which sharing templates says nothing (common task mixes). */
    contentFloor: number;
    /** Templates per account in its profile (its heaviest by TF-IDF weight). */
    contentTopTemplates: number;
    /** A template held by at most this many suspects of one behaviour cluster pairs all of them ... */
    contentPairCap: number;
    /** ... above, each holder is paired with its next this many holders in a global hash order. */
    contentRing: number;
    /** Rhythm part of a pair score (for pairs that share something): this × the correlation of their hour-of-day histograms, when positive. */
    rhythmWeight: number;
    /** Two communities of one behaviour cluster merge when the edges between them number at least this × the smaller one's size. */
    mergeEdgesPerAccount: number;
    /** ... and their mean score is at least this × the mean score of the edges inside the weaker-tied of the two. */
    mergeScoreRatio: number;
    /** Label propagation rounds at most (components over the kept edges). */
    maxRounds: number;
  };
  clusters: {
    /** k is chosen from 2 to this, by silhouette, at each level. */
    kMax: number;
    /** A level-1 cluster is clustered again, and split only when its own best silhouette is at least this. */
    splitMinSilhouette: number;
    /** Clusters smaller than this are not split. */
    minSplitSize: number;
    /** Features null for more than this share of the suspects are left out (a missing value is not a behaviour). */
    maxNullShare: number;
    /** Seed of k-means++ (fixed: the same input gives the same clusters). */
    seed: number;
    /** Accounts each 2-means is fitted on at most (a deterministic sample of the cluster; the rest join their nearest centroid). */
    sampleSize: number;
    /** Accounts each split's silhouette is computed on at most. */
    silhouetteSample: number;
    maxIterations: number;
    /** Weight of the embedding block against the behaviour block (both about unit-scaled). */
    embeddingWeight: number;
    /** Weight of the day-phase block (where on the 24-hour clock the account's requests fall). */
    phaseWeight: number;
  };
  nullModel: {
    /** Circular day-shift replicates per farm (the p-value's resolution is 1 / (replicates + 1)). */
    replicates: number;
    /** Seed of the deterministic shifts. */
    seed: number;
    /** Co-activity bucket, in minutes. */
    bucketMinutes: number;
    /** Members per farm used at most (deterministic hash sample). */
    maxMembers: number;
  };
  pools: {
    /** Join farms that share a pool of private client addresses (address-pools.ts). */
    enabled: boolean;
    /** MinHash buckets per farm (one-permutation hashing). */
    slots: number;
    /** Estimated Jaccard of two farms' private address sets at which they are joined. */
    minJaccard: number;
    /** Non-empty buckets each farm needs (about that many private addresses) to be compared. */
    minSlots: number;
  };
  farm: {
    /** Fewest accounts a farm has. */
    minAccounts: number;
    /** A community is a distillation farm when its members' mean distillation score is at least this. */
    minScore: number;
    /**
     * ... and their mean harvest evidence (each member's stronger of the
     * content and economics groups: elicitation prompts or output-heavy
     * buying) is at least this ...
     */
    minHarvestEvidence: number;
    /**
     * ... and their mean operator evidence (each member's strongest evidence
     * among OPERATOR_FEATURES: fresh accounts, rotating addresses, banned
     * relatives, hand-offs, co-activity, rare shared infrastructure) is at least this.
     */
    minOperatorEvidence: number;
    /**
     * When true, a community whose kept edges all lie inside one declared
     * organisation is a benign cluster whatever its behaviour. Off by
     * default: farms declare organisations too (the behaviour verdict already
     * clears an ordinary enterprise integration).
     */
    sameOrgIsBenign: boolean;
  };
  evidence: {
    /** Top templates kept per farm, and sample prompts per template. */
    topTemplates: number;
    samplePrompts: number;
  };
}

export const DEFAULT_FARM_CONFIG: FarmConfig = {
  score: {
    zStart: 1,
    zFull: 4,
    reliabilityScale: 1,
    topFeatures: 2,
    groupWeights: { content: 0.25, economics: 0.25, automation: 0.15, churn: 0.15, coordination: 0.1, infrastructure: 0.1 },
    coordinationSurpriseFull: 10,
    infrastructureWeightFull: 0.8,
  },
  graph: {
    suspectMinScore: 0.35,
    minPairScore: 0.05,
    neighbourCap: 30,
    scanEpsilon: 0.4,
    strongPairScore: 0.5,
    clusterAgreement: 0,
    undoSameOrgDiscount: true,
    coordinationMinSurprise: 3,
    coordinationSurpriseScale: 10,
    handoffScore: 0.6,
    contentWeight: 0.6,
    contentFloor: 0.3,
    contentTopTemplates: 24,
    contentPairCap: 50,
    contentRing: 6,
    rhythmWeight: 0.3,
    mergeEdgesPerAccount: 2,
    mergeScoreRatio: 0.5,
    maxRounds: 60,
  },
  clusters: {
    kMax: 12,
    splitMinSilhouette: 0.5,
    minSplitSize: 8,
    maxNullShare: 0.2,
    seed: 20260526,
    sampleSize: 6000,
    silhouetteSample: 800,
    maxIterations: 60,
    embeddingWeight: 0.5,
    phaseWeight: 1.5,
  },
  nullModel: { replicates: 49, seed: 7, bucketMinutes: 60, maxMembers: 60 },
  pools: { enabled: true, slots: 128, minJaccard: 0.2, minSlots: 16 },
  farm: { minAccounts: 2, minScore: 0.4, minHarvestEvidence: 0.6, minOperatorEvidence: 0.7, sameOrgIsBenign: false },
  evidence: { topTemplates: 5, samplePrompts: 3 },
};

/** The config's defaults with `overrides` applied, checked field by field against the defaults' shape. */
export function mergeFarmConfig(overrides: unknown, source = 'config'): FarmConfig {
  return mergeInto(DEFAULT_FARM_CONFIG, overrides, source, '') as FarmConfig;
}

/** Reads a JSON config file (defaults when no path); unknown keys and wrong types are input errors naming the key. */
export async function loadFarmConfig(path?: string): Promise<FarmConfig> {
  if (!path) return structuredClone(DEFAULT_FARM_CONFIG);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read config ${path}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`config ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return mergeFarmConfig(parsed, path);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function mergeInto(defaults: unknown, value: unknown, source: string, path: string): unknown {
  const where = path || '(top level)';
  const expected = kindOf(defaults);
  const got = kindOf(value);
  if (expected !== got) throw new InputError(`${source}: ${where} must be ${expected === 'object' ? 'an object' : `a ${expected}`}, got ${got}`);
  if (expected === 'number' && !Number.isFinite(value as number)) throw new InputError(`${source}: ${where} must be a finite number`);
  if (expected !== 'object') return value;
  const base = defaults as Record<string, unknown>;
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const keyPath = path ? `${path}.${key}` : key;
    if (!Object.hasOwn(base, key)) {
      const known = Object.keys(base).join(', ');
      throw new InputError(`${source}: unknown key ${keyPath} (known here: ${known})`);
    }
    out[key] = mergeInto(base[key], v, source, keyPath);
  }
  return out;
}
