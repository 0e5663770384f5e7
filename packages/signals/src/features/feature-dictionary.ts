// The feature dictionary as Markdown (README's generated:feature-dictionary
// section), generated from the feature definitions.
import { PROMPT_SAMPLE_CAP } from '../content/prompt-sample-stage.js';
import { DEFAULT_ENVIRONMENT } from './account-features-stage.js';
import { FEATURE_GROUPS, FEATURE_PARTS } from './feature-catalog.js';

const row = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;

export function featureDictionaryMarkdown(): string {
  const entries = FEATURE_PARTS.flatMap((part) => part.features.map((feature) => ({ part, feature })));
  const sections = FEATURE_GROUPS.map((group) => {
    const inGroup = entries.filter((e) => e.feature.group === group);
    return [
      `**${group[0]!.toUpperCase()}${group.slice(1)}**`,
      '',
      row(['feature', 'unit', 'meaning', 'how computed', 'needs']),
      row(['---', '---', '---', '---', '---']),
      ...inGroup.map(({ part, feature: f }) => {
        const needs = [...part.needs, ...(f.needs ?? [])];
        return row([`\`${f.name}\``, f.unit, f.meaning, f.how, needs.length ? needs.map((n) => `\`${n}\``).join(', ') : '—']);
      }),
    ].join('\n');
  });
  const passes = [
    '| pass | what it computes |',
    '| --- | --- |',
    ...FEATURE_PARTS.map((p) => row([`\`${p.name}\``, p.purpose])),
  ].join('\n');
  const settings = `Settings: content shares on the prompt_sample stage's about ${PROMPT_SAMPLE_CAP} sampled prompts per account; `
    + `requests counted for ${DEFAULT_ENVIRONMENT.afterBanHours} h after a related ban; without an accounts table, a request IP `
    + `relates accounts only when at most ${DEFAULT_ENVIRONMENT.relatedIpMaxAccounts} accounts use it (NAT, cloud egress and proxy pools relate nobody).`;
  return [...sections, 'Each feature is an aggregate of one pass over the case file, grouped by account:', passes, settings].join('\n\n');
}
