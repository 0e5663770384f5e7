// Applies a redactor to the facts a report is written from, once, before any
// renderer sees them: every output (HTML, Markdown, STIX, regulator summary)
// then shows the same tokens and no renderer can leak what was redacted.
// Member tokens are already in place (report_members holds them); here the
// farm documents, shared values, addresses, e-mail domains and prompts.
import type { FarmDocument } from '@farmscope/farms';
import type { CaseFacts } from './case-facts.js';
import type { AddressRow, FarmFacts } from './farm-facts.js';
import type { Redactor } from './redaction.js';

export function redactFarmDocument(doc: FarmDocument, r: Redactor): FarmDocument {
  if (!r.active) return doc;
  return {
    ...doc,
    id: r.farm(doc.id),
    accounts: doc.accounts.map((a) => r.account(a)).sort(),
    evidence: {
      links: doc.evidence.links.map((l) => ({ ...l, rarestValue: l.rarestValue === null ? null : r.linkValue(linkValueKind(l.kind, l.rarestValue), l.rarestValue) })),
      templates: doc.evidence.templates.map((t) => ({
        ...t,
        examplePrompt: t.examplePrompt === null ? null : r.prompt(t.examplePrompt),
        samplePrompts: t.samplePrompts.flatMap((p) => r.prompt(p) ?? []),
      })),
      signals: doc.evidence.signals,
    },
  };
}

/** Hand-offs and co-activity carry the value of another kind; guess it from its shape. */
export function linkValueKind(kind: string, value: string): string {
  if (kind !== 'handoff' && kind !== 'coactivity') return kind;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value) || (value.includes(':') && /^[0-9a-f:]+$/i.test(value))) return 'ip';
  if (value.startsWith('tpl:')) return 'template';
  if (value.includes('/')) return 'ip_net';
  return 'opaque';
}

export function redactFarmFacts(facts: FarmFacts, r: Redactor): FarmFacts {
  if (!r.active) return facts;
  return {
    ...facts,
    doc: redactFarmDocument(facts.doc, r),
    adjacency: facts.adjacency.map((c) => ({ ...c, value: r.linkValue(c.kind, c.value) })),
    members: facts.members.map((m) => ({ ...m, emailDomain: m.emailDomain === null ? null : r.emailDomain(m.emailDomain) })),
    addresses: mergeAddresses(facts.addresses.map((a) => ({ ...a, address: r.ip(a.address) }))),
  };
}

/**
 * Addresses cut to one network are merged: requests add up, the span widens,
 * and accounts becomes the largest count of one address (a lower bound: the
 * same account may have used several).
 */
function mergeAddresses(rows: readonly AddressRow[]): AddressRow[] {
  const merged = new Map<string, AddressRow>();
  for (const row of rows) {
    const seen = merged.get(row.address);
    merged.set(row.address, seen === undefined ? { ...row } : {
      address: row.address,
      accounts: Math.max(seen.accounts, row.accounts),
      requests: seen.requests + row.requests,
      firstSeen: [seen.firstSeen, row.firstSeen].filter((t) => t !== null).sort()[0] ?? null,
      lastSeen: [seen.lastSeen, row.lastSeen].filter((t) => t !== null).sort().at(-1) ?? null,
    });
  }
  return [...merged.values()].sort((a, b) => b.accounts - a.accounts || b.requests - a.requests || a.address.localeCompare(b.address));
}

export function redactCaseFacts(facts: CaseFacts, r: Redactor): CaseFacts {
  if (!r.active) return facts;
  return { ...facts, benignClusters: facts.benignClusters.map((b) => ({ ...b, clusterId: r.farm(b.clusterId) })) };
}
