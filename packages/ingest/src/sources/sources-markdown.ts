// The README's "Supported sources" tables, generated from the adapters: what
// each source reads and how it is recognised, where each contract column comes
// from in it, and what it lacks.
import { CONTRACT_TABLES } from '@farmscope/casefile';
import { SOURCE_ADAPTERS } from './source-registry.js';
import type { EventColumn } from './source-adapter.js';

const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;

export function supportedSourcesMarkdown(): string {
  const overview = [
    row(['`--source`', 'log', 'files', 'recognised by']),
    row(['---', '---', '---', '---']),
    ...SOURCE_ADAPTERS.map((a) => row([`\`${a.name}\``, `${a.title} ([docs](${a.docs[0]}))`, a.formats.join(', '), a.signature])),
    row(['`cloudtrail`', 'AWS CloudTrail bedrock-runtime events, joined to Bedrock logs on `requestID`', 'jsonl (`Records` documents too)', '`eventSource` + `eventName` + `eventTime`/`Records`']),
  ];
  const columns = CONTRACT_TABLES.events.columns.map((c) => c.name as EventColumn).filter((c) => (c as string) !== 'prompt_embedding');
  const fieldMap = [
    row(['column', ...SOURCE_ADAPTERS.map((a) => `\`${a.name}\``)]),
    row(['---', ...SOURCE_ADAPTERS.map(() => '---')]),
    ...columns.map((c) =>
      row([`\`${c}\``, ...SOURCE_ADAPTERS.map((a) => {
        const field = a.fields[c];
        if (!field) return '—';
        const provenance = (a.identity as Partial<Record<string, unknown>>)[c];
        if (provenance === 'caller_claimed') return `${field} *(caller-claimed)*`;
        return typeof provenance === 'object' ? `${field} *(caller-claimed or server-observed, per record)*` : field;
      })]),
    ),
  ];
  const lacks = SOURCE_ADAPTERS.map((a) =>
    `- **${a.name}**: ${Object.entries(a.lacks).map(([column, why]) => `\`${column}\`: ${why}`).join('; ')}.`,
  );
  return [
    overview.join('\n'),
    'Where each events column comes from (— = the source does not have it):',
    fieldMap.join('\n'),
    'What each source lacks or cannot vouch for:',
    lacks.join('\n'),
  ].join('\n\n');
}
