/**
 * Write a table (Polars DataFrame) to .csv, .csv.gz, .parquet, .json or .ndjson, atomically
 * (temp file in the same folder + rename, see ./atomic).
 */
import { promises as fsp } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import { withAtomicOutput } from './atomic';

export interface WriteTableOptions {
  /** Override the format implied by the extension. */
  format?: 'csv' | 'csv.gz' | 'parquet' | 'json' | 'ndjson';
  /** Datetime layout in CSV. Default ISO `%Y-%m-%dT%H:%M:%S`. */
  datetimeFormat?: string;
  /** Parquet compression. Default 'zstd'. */
  compression?: 'uncompressed' | 'snappy' | 'zstd' | 'gzip' | 'lz4';
}

function formatOf(file: string, given?: WriteTableOptions['format']): NonNullable<WriteTableOptions['format']> {
  if (given) return given;
  const f = file.toLowerCase();
  if (f.endsWith('.csv.gz')) return 'csv.gz';
  if (f.endsWith('.csv')) return 'csv';
  if (f.endsWith('.parquet') || f.endsWith('.pq')) return 'parquet';
  if (f.endsWith('.ndjson') || f.endsWith('.jsonl')) return 'ndjson';
  if (f.endsWith('.json')) return 'json';
  throw new SegkitError('io', 'unsupported_format', `cannot tell which format to write from "${file}"`, {
    where: file,
    hint: 'end the output name in .csv, .csv.gz, .parquet, .json or .ndjson',
  });
}

/** Write `df` to `file` atomically; the format follows the extension (.csv, .csv.gz, .parquet, .json, .ndjson). */
export async function writeTable(df: pl.DataFrame, file: string, options: WriteTableOptions = {}): Promise<void> {
  const format = formatOf(file, options.format);
  const csvOpts = { datetimeFormat: options.datetimeFormat ?? '%Y-%m-%dT%H:%M:%S' };
  await withAtomicOutput(file, async (tmp) => {
    switch (format) {
      case 'csv':
        df.writeCSV(tmp, csvOpts);
        break;
      case 'csv.gz':
        await fsp.writeFile(tmp, gzipSync(df.writeCSV(csvOpts)));
        break;
      case 'parquet':
        df.writeParquet(tmp, { compression: options.compression ?? 'zstd' });
        break;
      case 'json':
        await fsp.writeFile(tmp, df.writeJSON({ format: 'json' }));
        break;
      case 'ndjson':
        await fsp.writeFile(tmp, df.writeJSON({ format: 'lines' }));
        break;
    }
  });
}
