// What the case file holds after ingest, read back from ingest's own tables:
// every file loaded (with its SHA-256 and row counts) and the rejected rows
// by table and reason. Only deterministic columns: no load times.
import type { CaseFile } from '@farmscope/casefile';

export type LoadedFile = {
  table: string;
  path: string;
  format: string;
  size_bytes: number;
  sha256: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rows_duplicate: number;
  texts_truncated: number;
};

export type RejectedCount = {
  table: string;
  reason_code: string;
  rows: number;
};

export interface LoadedInputs {
  files: LoadedFile[];
  rejected: RejectedCount[];
  /** Rows in events (0 when nothing was loaded). */
  events: number;
}

export async function loadedInputs(caseFile: CaseFile): Promise<LoadedInputs> {
  const files = (await caseFile.tableExists('ingested_files'))
    ? await caseFile.all<LoadedFile>(
        `SELECT table_name AS "table", path, format, size_bytes, sha256, rows_read, rows_loaded, rows_rejected, rows_duplicate, texts_truncated
         FROM ingested_files ORDER BY table_name, path, sha256`,
        'list the ingested files',
      )
    : [];
  const rejected = (await caseFile.tableExists('rejected_rows'))
    ? await caseFile.all<RejectedCount>(
        `SELECT table_name AS "table", reason_code, count(*)::BIGINT AS rows FROM rejected_rows GROUP BY ALL ORDER BY ALL`,
        'count the rejected rows',
      )
    : [];
  const events = (await caseFile.tableExists('events'))
    ? await caseFile.value<number>('SELECT count(*)::BIGINT FROM events', 'count the events')
    : 0;
  return { files, rejected, events };
}
