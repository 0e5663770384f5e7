// The sources ingest knows, how `--source` is parsed, and how a file's source
// is chosen: forced by --source, else recognised by its signature keys. A file
// in the contract's own shape (its required columns present, after any
// mapping) loads as before; a file that is neither fails (alone) with an error
// naming the keys seen.
import { CaseFile, InputError } from '@farmscope/casefile';
import type { SourceFile } from '../source-files.js';
import { azureOpenAi } from './azure-openai.js';
import { bedrock } from './bedrock.js';
import { isCloudTrail } from './cloudtrail.js';
import { langfuse } from './langfuse.js';
import { litellm } from './litellm.js';
import { otelGenAi } from './otel-genai.js';
import { peekKeys } from './peek-keys.js';
import type { SourceAdapter } from './source-adapter.js';

export const SOURCE_ADAPTERS: readonly SourceAdapter[] = [bedrock, litellm, otelGenAi, langfuse, azureOpenAi];

/** `contract` = the data contract's own columns; `cloudtrail` = CloudTrail events for the Bedrock join. */
export const SOURCE_NAMES = ['contract', 'cloudtrail', ...SOURCE_ADAPTERS.map((a) => a.name)] as const;
export type SourceChoice = 'auto' | string;

export function parseSourceOption(value: string): SourceChoice {
  if (value === 'auto' || (SOURCE_NAMES as readonly string[]).includes(value)) return value;
  throw new InputError(`invalid --source "${value}" (expected auto or one of ${SOURCE_NAMES.join(', ')})`);
}

export function sourceAdapter(name: string): SourceAdapter | undefined {
  return SOURCE_ADAPTERS.find((a) => a.name === name);
}

/**
 * The source of one events file.
 * @param requiredNames the file's names for the contract's required columns (after --map)
 */
export async function chooseSource(caseFile: CaseFile, file: SourceFile, choice: SourceChoice, requiredNames: readonly string[]): Promise<string> {
  if (choice === 'bedrock' && file.format === 'jsonl' && isCloudTrail(await peekKeys(caseFile, file))) {
    return 'cloudtrail'; // given alongside the invocation logs for the join
  }
  if (choice !== 'auto') {
    const adapter = sourceAdapter(choice);
    if (adapter && !adapter.formats.includes(file.format)) {
      throw new InputError(`${file.path}: --source ${choice} reads ${adapter.formats.join(', ')} files, not ${file.format}`);
    }
    return choice;
  }
  if (file.format === 'arrow') return 'contract';
  const seen = await peekKeys(caseFile, file);
  if (seen.keys.size === 0) return 'contract'; // nothing parseable to look at: the contract reader reports why
  if (requiredNames.every((k) => seen.keys.has(k))) return 'contract';
  if (isCloudTrail(seen)) return 'cloudtrail';
  const adapter = SOURCE_ADAPTERS.find((a) => a.formats.includes(file.format) && a.matches(seen));
  if (adapter) return adapter.name;
  // Some contract columns but not all: the contract reader names the missing one.
  if (requiredNames.some((k) => seen.keys.has(k))) return 'contract';
  const keys = [...seen.keys].slice(0, 30).join(', ');
  throw new InputError(
    `cannot tell the source of ${file.path}: keys seen: ${keys}${seen.keys.size > 30 ? ', …' : ''}; ` +
      `expected the contract columns (${requiredNames.join(', ')}) or a known log format; ` +
      `pass --source ${SOURCE_NAMES.join('|')} (or --map for renamed contract columns)`,
  );
}
