// The input formats ingest reads, and how a format is told from a file name.
import { InputError } from '@farmscope/casefile';

export const SOURCE_FORMATS = ['parquet', 'arrow', 'jsonl', 'csv'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export interface DetectedFormat {
  format: SourceFormat;
  /** The file is gzip-compressed (name ends in .gz). */
  gzip: boolean;
  /** Field delimiter for CSV-like files (tab for .tsv). */
  delimiter?: string;
}

const BY_EXTENSION: Record<string, Omit<DetectedFormat, 'gzip'>> = {
  parquet: { format: 'parquet' },
  pq: { format: 'parquet' },
  arrow: { format: 'arrow' },
  arrows: { format: 'arrow' },
  feather: { format: 'arrow' },
  ipc: { format: 'arrow' },
  jsonl: { format: 'jsonl' },
  ndjson: { format: 'jsonl' },
  json: { format: 'jsonl' },
  csv: { format: 'csv' },
  tsv: { format: 'csv', delimiter: '\t' },
};

/** The format a file name implies (`events.jsonl.gz` → jsonl, gzip), or undefined. */
export function formatFromName(path: string): DetectedFormat | undefined {
  const name = path.toLowerCase();
  const gzip = name.endsWith('.gz');
  const stem = gzip ? name.slice(0, -3) : name;
  const ext = stem.slice(stem.lastIndexOf('.') + 1);
  const known = BY_EXTENSION[ext];
  return known ? { ...known, gzip } : undefined;
}

/** Parses a --format value ("parquet", "jsonl", "csv.gz", ...). */
export function parseFormatOption(value: string): DetectedFormat {
  const detected = formatFromName(`x.${value}`);
  if (!detected) {
    throw new InputError(
      `invalid --format "${value}" for input files (expected one of ${SOURCE_FORMATS.join(', ')}, optionally with .gz)`,
    );
  }
  return detected;
}
