// regulator-summary.md: the filing a provider hands to a regulator or a
// partner (the structure of serious-incident reports: what happened, when it
// started and when it was detected, scope, detection and confidence, what was
// done, indicators, contact), written from the case file's data alone. The
// only placeholder is the contact, which the data cannot know.
import { mdTable } from './report-markdown.js';
import { confidence, farmsByRequests, farmTotals, fmt, type ReportData } from './report-model.js';

export function regulatorSummary(data: ReportData): string {
  const farms = farmsByRequests(data.farms);
  const t = farmTotals(farms);
  const f = data.facts;
  const out: string[] = [];
  const enforcement = farms.flatMap((x) => x.enforcement);
  const firstAction = enforcement.map((x) => x.first).sort()[0] ?? null;
  const models = new Map<string, number>();
  for (const x of farms) for (const m of x.targets) models.set(m.model, (models.get(m.model) ?? 0) + m.requests);
  const topModels = [...models].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
  const signalTotals = new Map<string, { evidence: number; meaning: string }>();
  for (const x of farms) {
    for (const s of x.doc.evidence.signals) {
      const cur = signalTotals.get(s.group) ?? { evidence: 0, meaning: s.meaning };
      cur.evidence += s.evidence * x.doc.accountCount;
      signalTotals.set(s.group, cur);
    }
  }
  const signals = [...signalTotals].map(([group, v]) => ({ group, meaning: v.meaning, evidence: t.accounts > 0 ? v.evidence / t.accounts : 0 }))
    .sort((a, b) => b.evidence - a.evidence || a.group.localeCompare(b.group));
  const byConfidence = (level: string) => farms.filter((x) => confidence(x.doc.score, x.doc.significance.pValue) === level);

  out.push(`# Incident summary: suspected model-distillation account farms`, '');
  out.push(`Marking: TLP:${data.params.tlp.toUpperCase()}${data.params.redact ? '. Redacted: identifiers are keyed tokens, addresses are networks, no prompt text.' : '.'}`, '');
  out.push('## What happened', '');
  if (t.farms === 0) {
    out.push(`The analysis of ${fmt.int(f.events)} API requests from ${fmt.int(f.accounts)} accounts found no coordinated account farm harvesting model outputs.`, '');
  } else {
    out.push(`${fmt.int(t.accounts)} accounts, in ${fmt.int(t.farms)} coordinated group${t.farms === 1 ? '' : 's'} ("farms"), sent ${fmt.int(t.requests)} requests to the provider's models and received ${fmt.int(t.outputTokens)} output tokens, in a pattern consistent with harvesting model outputs to train another model (distillation). Each farm's accounts share operator infrastructure or act in concert, and their traffic looks like harvesting: ${signals.slice(0, 3).map((s) => `${s.group} (${s.meaning})`).join('; ')}.`, '');
  }
  out.push('## When', '');
  out.push(mdTable(['', 'UTC'], [
    ['first farm activity (start)', fmt.time(t.first)],
    ['last farm activity', fmt.time(t.last)],
    ['first enforcement action on a farm account (provider\u2019s first detection on record)', firstAction ? fmt.time(firstAction) : 'none on record'],
    ['logs analysed', f.firstEvent && f.lastEvent ? `${fmt.time(f.firstEvent)} – ${fmt.time(f.lastEvent)}` : '—'],
  ]));
  out.push('## Scope', '');
  out.push(mdTable(['', 'value'], [
    ['accounts involved', t.accounts],
    ['share of accounts analysed', f.accounts > 0 ? `${((100 * t.accounts) / f.accounts).toFixed(2)}%` : '—'],
    ['requests', t.requests],
    ['share of requests analysed', f.events > 0 ? `${((100 * t.requests) / f.events).toFixed(2)}%` : '—'],
    ['input tokens', t.inputTokens],
    ['output tokens', t.outputTokens],
    ['models targeted', topModels.length === 0 ? '—' : topModels.map(([m, n]) => `${m} (${fmt.int(n)} requests)`).join(', ')],
  ]));
  if (signals.length > 0) {
    out.push('What was targeted, by the evidence behind the farms (accounts\u2019 mean evidence 0–1, weighted by farm size):', '');
    out.push(mdTable(['signal', 'evidence', 'meaning'], signals.map((s) => [s.group, s.evidence, s.meaning])));
  }
  out.push('## How it was detected, and with what confidence', '');
  out.push('Offline analysis of the provider\u2019s API usage logs with Farmscope: per-account behaviour, economics, content and infrastructure signals against the case\u2019s own baseline; links between accounts through shared rare infrastructure, co-activity beyond chance and hand-offs after bans; communities called farms only when their members both look like harvesting and show signs of one operator; each farm tested against a chance model.', '');
  out.push(mdTable(['confidence', 'farms', 'accounts', 'requests'], ['high', 'moderate', 'low'].map((level) => {
    const xs = byConfidence(level);
    return [level, xs.length, xs.reduce((s, x) => s + x.doc.accountCount, 0), xs.reduce((s, x) => s + x.doc.requests, 0)];
  })));
  out.push('Every farm passed the farm bars (its members look like harvesting and show signs of one operator). Confidence: high when its linkage has a p-value against chance ≤ 0.01, moderate ≤ 0.05, low otherwise.', '');
  out.push('## What was done', '');
  const actions = new Map<string, number>();
  for (const x of enforcement) actions.set(x.action, (actions.get(x.action) ?? 0) + x.accounts);
  out.push(actions.size === 0
    ? 'No enforcement action on these accounts is recorded in the case file.'
    : `Enforcement recorded on farm accounts: ${[...actions].sort((a, b) => a[0].localeCompare(b[0])).map(([a, n]) => `${a} on ${fmt.int(n)} accounts`).join(', ')}.`, '');
  out.push('Evidence preserved: the case file\u2019s inputs are hashed (SHA-256) in the manifest; the farms\u2019 tables, the sample prompts and the manifest are in a BagIt package (evidence/) that anyone can verify.', '');
  out.push('## Indicators', '');
  const addresses = farms.flatMap((x) => x.addresses.slice(0, 5).map((a) => [x.doc.id, a.address, a.accounts, a.requests]));
  out.push(`The indicators (client addresses, shared infrastructure) are in stix-bundle.json (STIX 2.1, TLP:${data.params.tlp.toUpperCase()}). The most used addresses of each farm:`, '');
  out.push(mdTable(['farm', 'address', 'member accounts', 'requests'], addresses.slice(0, 50)));
  if (addresses.length > 50) out.push(`… and ${fmt.int(addresses.length - 50)} more in stix-bundle.json.`, '');
  out.push('## Farms', '');
  out.push(mdTable(['farm', 'accounts', 'requests', 'output tokens', 'start', 'end', 'confidence'],
    farms.map((x) => [x.doc.id, x.doc.accountCount, x.doc.requests, x.doc.outputTokens, fmt.time(x.doc.firstActivity), fmt.time(x.doc.lastActivity), confidence(x.doc.score, x.doc.significance.pValue)])));
  out.push('## Contact', '');
  out.push('[Name, role, organisation, e-mail and telephone of the contact point for this report]', '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
