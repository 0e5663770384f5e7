// stix-bundle.json: the farms as STIX 2.1 for sharing with other providers.
// Per farm a `grouping` (context suspicious-activity) of a `threat-actor`
// placeholder (the operator, unattributed), `indicator`s for its client
// addresses and other shareable observables (a rare client string, a
// disposable e-mail domain), the address SCOs, one `observed-data` and the
// `indicates` relationships; an `identity` for the producer and the TLP
// marking on every object. Ids are UUIDv5 of the farm and the observable
// (SCOs: the STIX namespace over their id-contributing properties), and the
// timestamps come from the data (the end of the analysed logs), so the same
// case gives the same bundle.
import { v5 as uuidv5 } from 'uuid';
import type { FarmFacts } from './farm-facts.js';
import { farmsByRequests, type ReportData, type Tlp } from './report-model.js';

/** STIX 2.1 §2.9: namespace for deterministic SCO identifiers. */
const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** Farmscope's own namespace for the SDO ids it derives from farm ids. */
const FARMSCOPE_NAMESPACE = '6c0e7c1e-3d0b-5b8e-9f57-1a2f0c9d4e21';

/** STIX 2.1 §7.2.1.4: the predefined TLP marking definitions. */
export const TLP_MARKINGS: Record<Tlp, { id: string; created: string }> = {
  white: { id: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', created: '2017-01-20T00:00:00.000Z' },
  green: { id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', created: '2017-01-20T00:00:00.000Z' },
  amber: { id: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', created: '2017-01-20T00:00:00.000Z' },
  red: { id: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', created: '2017-01-20T00:00:00.000Z' },
};

type StixObject = Record<string, unknown> & { type: string; id: string };

const sdoId = (type: string, ...parts: string[]) => `${type}--${uuidv5(parts.join('\u0000'), FARMSCOPE_NAMESPACE)}`;
const scoId = (type: string, contributing: Record<string, string>) => `${type}--${uuidv5(JSON.stringify(contributing), STIX_SCO_NAMESPACE)}`;

/** STIX timestamps: RFC 3339 in UTC with milliseconds. */
const stixTime = (iso: string) => new Date(iso).toISOString();

export function stixBundle(data: ReportData): Record<string, unknown> {
  const marking = TLP_MARKINGS[data.params.tlp];
  const asOf = stixTime(data.facts.lastEvent ?? '1970-01-01T00:00:00Z');
  const identity = {
    type: 'identity', spec_version: '2.1', id: sdoId('identity', 'producer'), created: asOf, modified: asOf,
    name: 'Reporting provider (Farmscope analysis)', identity_class: 'organization',
    object_marking_refs: [marking.id],
  };
  const common = { spec_version: '2.1', created: asOf, modified: asOf, created_by_ref: identity.id, object_marking_refs: [marking.id] };
  const objects: StixObject[] = [
    { type: 'marking-definition', spec_version: '2.1', id: marking.id, created: marking.created, name: `TLP:${data.params.tlp.toUpperCase()}`, definition_type: 'tlp', definition: { tlp: data.params.tlp } },
    identity,
  ];
  for (const farm of farmsByRequests(data.farms)) objects.push(...farmObjects(farm, common));
  const farmIds = data.farms.map((f) => f.doc.id).sort();
  return { type: 'bundle', id: `bundle--${uuidv5(`bundle\u0000${data.params.tlp}\u0000${farmIds.join(',')}`, FARMSCOPE_NAMESPACE)}`, objects };
}

function farmObjects(farm: FarmFacts, common: Record<string, unknown>): StixObject[] {
  const d = farm.doc;
  const first = stixTime(d.firstActivity);
  const last = stixTime(d.lastActivity);
  const actor: StixObject = {
    type: 'threat-actor', ...common, id: sdoId('threat-actor', d.id),
    name: `Unattributed distillation operator of ${d.id}`,
    description: `Placeholder for the operator of farm ${d.id}: ${d.accountCount} accounts, ${d.requests} requests. Attribution is not established by this analysis.`,
    threat_actor_types: ['unknown'], first_seen: first, last_seen: last,
  };
  const addresses = farm.addresses.map((a) => {
    const type = a.address.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
    return { row: a, sco: { type, spec_version: '2.1', id: scoId(type, { value: a.address }), value: a.address } as StixObject };
  });
  const indicators: StixObject[] = addresses.map(({ row, sco }) => ({
    type: 'indicator', ...common, id: sdoId('indicator', d.id, sco.id),
    name: `Client address of farm ${d.id}`,
    description: row.firstSeen === null
      ? `Signup address shared by ${row.accounts} accounts of the farm.`
      : `Shared by ${row.accounts} accounts of the farm, ${row.requests} requests (${row.firstSeen} – ${row.lastSeen}).`,
    indicator_types: ['malicious-activity'],
    pattern: addressPattern(sco.type, row.address), pattern_type: 'stix', valid_from: first,
  }));
  for (const link of d.evidence.links) {
    if (link.rarestValue === null) continue;
    const pattern = link.kind === 'user_agent'
      ? `[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = ${stixString(link.rarestValue)}]`
      : link.kind === 'email_throwaway' ? `[email-addr:value LIKE ${stixString(`%@${link.rarestValue}`)}]`
      : link.kind === 'ip_net' && link.rarestValue.includes('/') ? addressPattern(link.rarestValue.includes(':') ? 'ipv6-addr' : 'ipv4-addr', link.rarestValue) : null;
    if (pattern === null) continue;
    indicators.push({
      type: 'indicator', ...common, id: sdoId('indicator', d.id, link.kind, link.rarestValue),
      name: `${LINK_NAMES[link.kind] ?? link.kind} shared in farm ${d.id}`,
      description: `Shared by ${link.accounts} accounts of the farm (${link.pairs} member pairs).`,
      indicator_types: ['anomalous-activity'], pattern, pattern_type: 'stix', valid_from: first,
    });
  }
  const observed: StixObject[] = addresses.length === 0 ? [] : [{
    type: 'observed-data', ...common, id: sdoId('observed-data', d.id),
    first_observed: first, last_observed: last, number_observed: Math.max(1, d.requests),
    object_refs: addresses.map((a) => a.sco.id),
  }];
  const relationships: StixObject[] = indicators.map((i) => ({
    type: 'relationship', ...common, id: sdoId('relationship', i.id, actor.id), relationship_type: 'indicates', source_ref: i.id, target_ref: actor.id,
  }));
  const members = [actor, ...indicators, ...addresses.map((a) => a.sco), ...observed, ...relationships];
  const grouping: StixObject = {
    type: 'grouping', ...common, id: sdoId('grouping', d.id),
    name: `Distillation farm ${d.id}`,
    description: `${d.accountCount} accounts, ${d.requests} requests, ${d.inputTokens} input and ${d.outputTokens} output tokens, ${d.firstActivity} – ${d.lastActivity}; farm score ${d.score.toFixed(3)}, p-value against chance ${d.significance.pValue ?? 'not computed'}.`,
    context: 'suspicious-activity',
    object_refs: members.map((m) => m.id),
  };
  return [grouping, ...members];
}

const LINK_NAMES: Record<string, string> = { user_agent: 'Client string', email_throwaway: 'Disposable e-mail domain', ip_net: 'Client network' };

function addressPattern(type: string, value: string): string {
  return value.includes('/') ? `[${type}:value ISSUBSET ${stixString(value)}]` : `[${type}:value = ${stixString(value)}]`;
}

/** A STIX pattern string literal: quotes and backslashes escaped. */
function stixString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
