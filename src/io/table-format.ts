/**
 * Which table format an output file name asks for (.csv, .csv.gz, .parquet, .json, .ndjson). Kept apart
 * from ./write (which loads Polars) so the CLI can check an output name before it loads anything heavy.
 */
import { SegkitError } from '../errors';

export type TableFormat = 'csv' | 'csv.gz' | 'parquet' | 'json' | 'ndjson';

export const TABLE_EXTENSIONS = '.csv, .csv.gz, .parquet, .json or .ndjson';

/** The format implied by an output file name; throws SegkitError('io', 'unsupported_format') for others. */
export function tableFormatOf(file: string, given?: TableFormat, where: string = file): TableFormat {
  if (given) return given;
  const f = file.toLowerCase();
  if (f.endsWith('.csv.gz')) return 'csv.gz';
  if (f.endsWith('.csv')) return 'csv';
  if (f.endsWith('.parquet') || f.endsWith('.pq')) return 'parquet';
  if (f.endsWith('.ndjson') || f.endsWith('.jsonl')) return 'ndjson';
  if (f.endsWith('.json')) return 'json';
  throw new SegkitError('io', 'unsupported_format', `cannot tell which format to write from "${file}"`, {
    where,
    hint: `end the output name in ${TABLE_EXTENSIONS}`,
  });
}
