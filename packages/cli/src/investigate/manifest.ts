// manifest.json (contract §5): what produced the outputs and from what, so a
// run can be reproduced and its inputs and outputs verified. It holds the
// tool and DuckDB versions, the exact parameters (CLI options, the column
// mapping, the full effective farm config), SHA-256 and size of every input
// file and of every output file written before it. No clock times and no
// output folder, so the same inputs and parameters give the same bytes;
// timings go to run.json, which the manifest does not cover.
import { createRequire } from 'node:module';
import type { CaseFile } from '@farmscope/casefile';
import { canonicalJson } from './canonical-json.js';
import type { FileDigest } from './file-digest.js';
import type { LoadedFile, RejectedCount } from './loaded-inputs.js';

const require = createRequire(import.meta.url);

export interface ManifestInput {
  /** Where the file went: events, accounts, enforcement, or the role of a side file (farm_config, column_mapping). */
  role: string;
  path: string;
  size_bytes: number;
  sha256: string;
  /** Ingest's counts, for data files. */
  format?: string;
  rows_read?: number;
  rows_loaded?: number;
  rows_rejected?: number;
  rows_duplicate?: number;
  texts_truncated?: number;
}

export interface ManifestParts {
  /** CLI options that bear on the result (as given), without --out. */
  options: Record<string, unknown>;
  columnMapping: unknown;
  farmConfig: unknown;
  loaded: readonly LoadedFile[];
  sideFiles: readonly ManifestInput[];
  failedInputs: readonly { table: string; path: string; error: string }[];
  rejected: readonly RejectedCount[];
  outputs: Readonly<Record<string, FileDigest>>;
  /** Files written into the output folder that the manifest does not hash, with why. */
  notHashed: readonly { file: string; why: string }[];
}

/** The CLI's version (packages/cli/package.json). */
export function toolVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

export async function buildManifest(caseFile: CaseFile, parts: ManifestParts): Promise<string> {
  const version = toolVersion();
  const duckdb = await caseFile.value<string>('SELECT library_version FROM pragma_version()', 'read the DuckDB version');
  const nodeApi = (require('@duckdb/node-api/package.json') as { version: string }).version;
  const inputs: ManifestInput[] = [
    ...parts.loaded.map(({ table, ...file }) => ({ role: table, ...file })),
    ...parts.sideFiles,
  ];
  return canonicalJson({
    manifest_version: 1,
    tool: { name: 'farmscope', command: 'investigate', version },
    duckdb: { library: duckdb, node_api: nodeApi },
    parameters: { options: parts.options, column_mapping: parts.columnMapping, farm_config: parts.farmConfig },
    inputs,
    failed_inputs: parts.failedInputs,
    rejected_rows: parts.rejected,
    outputs: Object.entries(parts.outputs).map(([file, digest]) => ({ file, ...digest })),
    not_hashed: parts.notHashed,
  });
}
