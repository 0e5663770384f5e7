// What the vendor log sources of a case lack, read from ingest's
// `source_capabilities` table (one row per loaded file, events column and
// provenance), turned into stage notes that name the signals left without
// input: "bedrock logs lack ip in 3 of 3 rows (…): distinct_ips, … unavailable
// for those accounts". Contract-shaped files record nothing there, and a case
// without the table gives no note.
import type { CaseFile } from '@farmscope/casefile';

export interface SourceGap {
  source: string;
  field: string;
  /** 'absent' (the source does not carry the field) or 'masked' (it carries a redacted value, not used). */
  provenance: string;
  note: string | null;
  /** Loaded rows of the source lacking the field, and all its loaded rows. */
  rows: number;
  sourceRows: number;
}

/** The (source, field) pairs absent or masked in some loaded rows; empty when no file came through a vendor adapter. */
export async function readSourceGaps(caseFile: CaseFile): Promise<SourceGap[]> {
  if (!(await caseFile.tableExists('source_capabilities'))) return [];
  return caseFile.all<SourceGap & Record<string, unknown>>(
    `WITH per_field AS (SELECT source, field, sum(rows) AS total FROM source_capabilities GROUP BY ALL)
     SELECT c.source, c.field, c.provenance, any_value(c.note) AS note, sum(c.rows)::BIGINT AS rows, any_value(p.total)::BIGINT AS "sourceRows"
     FROM source_capabilities c JOIN per_field p USING (source, field)
     WHERE c.provenance IN ('absent', 'masked')
     GROUP BY c.source, c.field, c.provenance
     ORDER BY c.source, c.field, c.provenance`,
    'reading what the vendor sources lack',
  );
}

/**
 * One note per gap whose field some signals need: `dependents(field)` names
 * those signals (features, link kinds); gaps no signal depends on are left out.
 */
export function sourceGapNotes(gaps: readonly SourceGap[], dependents: (field: string) => readonly string[]): string[] {
  const notes: string[] = [];
  for (const g of gaps) {
    const signals = dependents(g.field);
    if (signals.length === 0) continue;
    const share = g.rows === g.sourceRows ? `all ${g.rows}` : `${g.rows} of ${g.sourceRows}`;
    const why = g.note ? ` (${g.note})` : '';
    notes.push(`${g.source} logs: ${g.field} ${g.provenance} in ${share} rows${why}; unavailable for those accounts: ${signals.join(', ')}`);
  }
  return notes;
}
