// The case-wide facts of a report, each one small DuckDB aggregate over the
// case file: what was analysed (events, accounts, time span, tokens), what
// was rejected at ingest, the score distribution, the benign clusters, and the
// notes on what could not be computed. Nothing here holds more than a few
// hundred rows.
import type { CaseFile } from '@farmscope/casefile';

export interface IngestedFile {
  fileId: number;
  table: string;
  path: string;
  sha256: string;
  sizeBytes: number;
  format: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsDuplicate: number;
  textsTruncated: number;
}

export interface ScoreBin {
  /** Lower edge of a 0.05-wide score bin. */
  from: number;
  inFarm: boolean;
  accounts: number;
}

export interface CaseFacts {
  events: number;
  accounts: number;
  flaggedAccounts: number;
  farms: number;
  inputTokens: number;
  outputTokens: number;
  firstEvent: string | null;
  lastEvent: string | null;
  scoreBins: ScoreBin[];
  ingestedFiles: IngestedFile[];
  rejected: { table: string; reasonCode: string; rows: number }[];
  benignClusters: { clusterId: string; accounts: number; reason: string }[];
  /** Features that could not be computed from the case's inputs, with what they need. */
  unavailableFeatures: { feature: string; needs: string }[];
  /** Optional inputs absent from the case file. */
  missingTables: string[];
  /** The farm parameters the analysis ran with, flattened to dotted names (empty for a case analysed before they were recorded). */
  farmParameters: [string, string][];
  enforcementActions: { action: string; accounts: number; actions: number }[];
}

const SCORE_BIN = 0.05;

/** Timestamps arrive as ISO-8601 strings (casefile's plain values). */
const iso = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function caseFacts(caseFile: CaseFile): Promise<CaseFacts> {
  const has = async (t: string) => caseFile.tableExists(t);
  const totals = await caseFile.one<{ events: number; input_tokens: number; output_tokens: number; first_ts: unknown; last_ts: unknown }>(
    `SELECT count(*)::DOUBLE AS events, coalesce(sum(input_tokens), 0)::DOUBLE AS input_tokens, coalesce(sum(output_tokens), 0)::DOUBLE AS output_tokens,
       min(ts) AS first_ts, max(ts) AS last_ts FROM events`,
    'report: totals of the events',
  );
  const analysed = await has('account_farms');
  const accounts = analysed
    ? await caseFile.one<{ accounts: number; flagged: number; farms: number }>(
        `SELECT count(*)::DOUBLE AS accounts, count(farm_id)::DOUBLE AS flagged, count(DISTINCT farm_id)::DOUBLE AS farms FROM account_farms`,
        'report: accounts and farms',
      )
    : undefined;
  const scoreBins = analysed
    ? await caseFile.all<{ from: number; in_farm: boolean; accounts: number }>(
        `SELECT least(floor(score / ${SCORE_BIN}), ${1 / SCORE_BIN - 1}) * ${SCORE_BIN} AS "from", farm_id IS NOT NULL AS in_farm, count(*)::DOUBLE AS accounts
         FROM account_farms GROUP BY ALL ORDER BY "from", in_farm`,
        'report: score distribution',
      )
    : [];
  const files = (await has('ingested_files'))
    ? await caseFile.all<Record<string, unknown>>(
        `SELECT file_id, table_name, path, sha256, size_bytes::DOUBLE AS size_bytes, format, rows_read::DOUBLE AS rows_read,
           rows_loaded::DOUBLE AS rows_loaded, rows_rejected::DOUBLE AS rows_rejected, rows_duplicate::DOUBLE AS rows_duplicate,
           texts_truncated::DOUBLE AS texts_truncated
         FROM ingested_files ORDER BY file_id`,
        'report: ingested files',
      )
    : [];
  const rejected = (await has('rejected_rows'))
    ? await caseFile.all<{ table_name: string; reason_code: string; rows: number }>(
        `SELECT table_name, reason_code, count(*)::DOUBLE AS rows FROM rejected_rows GROUP BY ALL ORDER BY table_name, reason_code`,
        'report: rejected rows',
      )
    : [];
  const benign = (await has('benign_clusters'))
    ? await caseFile.all<{ cluster_id: string; accounts: number; reason: string }>(
        `SELECT cluster_id, accounts, reason FROM benign_clusters ORDER BY accounts DESC, cluster_id`,
        'report: benign clusters',
      )
    : [];
  const unavailable = (await has('account_feature_dictionary'))
    ? await caseFile.all<{ feature: string; needs: string }>(
        `SELECT feature, needs FROM account_feature_dictionary WHERE NOT available ORDER BY feature`,
        'report: features not computed',
      )
    : [];
  const enforcement = (await has('enforcement'))
    ? await caseFile.all<{ action: string; accounts: number; actions: number }>(
        `SELECT action, count(DISTINCT account_id)::DOUBLE AS accounts, count(*)::DOUBLE AS actions FROM enforcement GROUP BY ALL ORDER BY action`,
        'report: enforcement actions',
      )
    : [];
  const farmConfig = (await has('analysis_parameters'))
    ? await caseFile.value<string | null>(`SELECT farm_config::VARCHAR FROM analysis_parameters LIMIT 1`, 'report: farm parameters')
    : null;
  const missingTables: string[] = [];
  for (const t of ['accounts', 'enforcement']) if (!(await has(t))) missingTables.push(t);
  return {
    events: totals?.events ?? 0,
    accounts: accounts?.accounts ?? 0,
    flaggedAccounts: accounts?.flagged ?? 0,
    farms: accounts?.farms ?? 0,
    inputTokens: totals?.input_tokens ?? 0,
    outputTokens: totals?.output_tokens ?? 0,
    firstEvent: iso(totals?.first_ts),
    lastEvent: iso(totals?.last_ts),
    scoreBins: scoreBins.map((b) => ({ from: Math.round(b.from * 100) / 100, inFarm: b.in_farm, accounts: b.accounts })),
    ingestedFiles: files.map((f) => ({
      fileId: f.file_id as number, table: f.table_name as string, path: f.path as string, sha256: f.sha256 as string,
      sizeBytes: f.size_bytes as number, format: f.format as string, rowsRead: f.rows_read as number, rowsLoaded: f.rows_loaded as number,
      rowsRejected: f.rows_rejected as number, rowsDuplicate: f.rows_duplicate as number, textsTruncated: f.texts_truncated as number,
    })),
    rejected: rejected.map((r) => ({ table: r.table_name, reasonCode: r.reason_code, rows: r.rows })),
    benignClusters: benign.map((b) => ({ clusterId: b.cluster_id, accounts: b.accounts, reason: b.reason })),
    unavailableFeatures: unavailable,
    missingTables,
    farmParameters: farmConfig ? flatten(JSON.parse(farmConfig) as unknown) : [],
    enforcementActions: enforcement,
  };
}

/** A nested JSON value as (dotted name, value) rows, in the object's own key order. */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, JSON.stringify(value)]];
}
