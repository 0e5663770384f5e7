// The objects of the contract's farms.json (section 5): one per farm, sorted
// by farm id, read from the farm tables the analysis wrote.
import type { CaseFile } from '@farmscope/casefile';
import { SIGNAL_GROUP_MEANING } from './signal-features.js';
import type { SignalGroup } from './farm-config.js';

export interface FarmLinkEvidence {
  /** account_links kind (payment, ip, template, ...), `coactivity` or `handoff`. */
  kind: string;
  pairs: number;
  accounts: number;
  distinctValues: number;
  /** Fewest accounts holding one of the shared values: how rare the rarest is. */
  minHolders: number | null;
  medianHolders: number | null;
  maxWeight: number | null;
  rarestValue: string | null;
}

export interface FarmTemplateEvidence {
  templateId: number;
  requests: number;
  farmAccounts: number;
  totalAccounts: number;
  examplePrompt: string | null;
  samplePrompts: string[];
}

export interface FarmSignal {
  group: SignalGroup;
  meaning: string;
  /** Members' mean evidence for the group, 0–1. */
  evidence: number;
  /** Members' mean contribution to the account score. */
  contribution: number;
}

export interface FarmDocument {
  id: string;
  accounts: string[];
  accountCount: number;
  firstActivity: string;
  lastActivity: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  score: number;
  significance: { pValue: number | null; coactivityP: number | null; linksP: number | null; method: string };
  evidence: { links: FarmLinkEvidence[]; templates: FarmTemplateEvidence[]; signals: FarmSignal[] };
}

interface FarmRow extends Record<string, unknown> {
  farm_id: string; accounts: number; first_ts: string; last_ts: string; requests: number; input_tokens: number;
  output_tokens: number; score: number; significance: number | null; coactivity_p: number | null; links_p: number | null; members: string[];
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));

export async function farmDocuments(caseFile: CaseFile): Promise<FarmDocument[]> {
  if (!(await caseFile.tableExists('farms'))) return [];
  const farms = await caseFile.all<FarmRow>(
    `SELECT f.farm_id, f.accounts, f.first_ts, f.last_ts, f.requests::DOUBLE AS requests, f.input_tokens::DOUBLE AS input_tokens,
       f.output_tokens::DOUBLE AS output_tokens, f.score, f.significance, f.coactivity_p, f.links_p,
       (SELECT list(account_id ORDER BY account_id) FROM account_farms a WHERE a.farm_id = f.farm_id) AS members
     FROM farms f ORDER BY f.farm_id`,
    'farms.json: farms',
  );
  const links = groupBy(await caseFile.all(`FROM farm_link_evidence ORDER BY farm_id, pairs DESC, kind`), 'farm_id');
  const templates = groupBy(await caseFile.all(`FROM farm_templates ORDER BY farm_id, requests DESC, template_id`), 'farm_id');
  const signals = groupBy(await caseFile.all(`FROM farm_signals ORDER BY farm_id, contribution DESC, "group"`), 'farm_id');
  const method = await significanceMethod(caseFile);
  return farms.map((f) => ({
    id: f.farm_id,
    accounts: f.members,
    accountCount: f.accounts,
    firstActivity: iso(f.first_ts),
    lastActivity: iso(f.last_ts),
    requests: f.requests,
    inputTokens: f.input_tokens,
    outputTokens: f.output_tokens,
    score: f.score,
    significance: { pValue: f.significance, coactivityP: f.coactivity_p, linksP: f.links_p, method },
    evidence: {
      links: (links.get(f.farm_id) ?? []).map((l) => ({
        kind: l.kind as string, pairs: l.pairs as number, accounts: l.accounts as number, distinctValues: l.distinct_values as number,
        minHolders: (l.min_holders as number | null) ?? null, medianHolders: (l.median_holders as number | null) ?? null,
        maxWeight: (l.max_weight as number | null) ?? null, rarestValue: (l.rarest_value as string | null) ?? null,
      })),
      templates: (templates.get(f.farm_id) ?? []).map((t) => ({
        templateId: t.template_id as number, requests: Number(t.requests), farmAccounts: t.farm_accounts as number,
        totalAccounts: t.total_accounts as number, examplePrompt: (t.example_prompt as string | null) ?? null,
        samplePrompts: (t.sample_prompts as string[] | null) ?? [],
      })),
      signals: (signals.get(f.farm_id) ?? []).map((s) => ({
        group: s.group as SignalGroup, meaning: SIGNAL_GROUP_MEANING[s.group as SignalGroup],
        evidence: s.evidence as number, contribution: s.contribution as number,
      })),
    },
  }));
}

async function significanceMethod(caseFile: CaseFile): Promise<string> {
  return (await caseFile.tableExists('farm_significance'))
    ? 'the smaller, doubled, of two one-sided p-values: co-active member pairs against circular whole-day shifts of each member\'s activity, and operator links (shared infrastructure, co-activity, hand-offs) inside the farm against random placement among the suspects'
    : 'not computed';
}

function groupBy<T extends Record<string, unknown>>(rows: T[], key: string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = String(r[key]);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}
