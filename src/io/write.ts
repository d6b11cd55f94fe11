/**
 * Write a table (Polars DataFrame) to .csv, .csv.gz, .parquet, .json or .ndjson, atomically
 * (temp file in the same folder + rename, see ./atomic).
 *
 * CSV is for people and spreadsheets, so by default:
 * - text cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
 *   return) get a leading apostrophe, as OWASP recommends against CSV injection; numeric columns
 *   (negative amounts included) are never touched. `csvRaw: true` writes the cells as they are.
 * - money columns ({@link MONEY_COLUMN}) are rounded to the currency's minor unit (`moneyDecimals`,
 *   default 2), so exact sums are not written with float noise such as 15.299999999999999.
 * Parquet and JSON keep every value as it is.
 *
 * The table is serialised in memory and written by Node (not by Polars' native file writer), so a write
 * error is one SegkitError and never a Rust panic.
 */
import { promises as fsp } from 'node:fs';
import { gzipSync } from 'node:zlib';
import pl, { type DataType } from 'nodejs-polars';
import { SegkitError } from '../errors';
import { withAtomicOutput } from './atomic';
import { tableFormatOf, type TableFormat } from './table-format';

export { tableFormatOf, type TableFormat } from './table-format';

export interface WriteTableOptions {
  /** Override the format implied by the extension. */
  format?: TableFormat;
  /** Datetime layout in CSV. Default ISO `%Y-%m-%dT%H:%M:%S`. */
  datetimeFormat?: string;
  /** Parquet compression. Default 'zstd'. */
  compression?: 'uncompressed' | 'snappy' | 'zstd' | 'gzip' | 'lz4';
  /**
   * CSV only: write text cells exactly as they are, without the apostrophe before cells that start with
   * = + - @, tab or CR (for programs that read the CSV, not spreadsheets). Default false.
   */
  csvRaw?: boolean;
  /** CSV only: decimals of money columns (the currency's minor unit: 2 for GBP/EUR/USD, 0 for JPY). Default 2. */
  moneyDecimals?: number;
  /** CSV only: the money columns to round. Default: the columns whose names match {@link MONEY_COLUMN}. */
  moneyColumns?: string[];
}

/** Defaults of {@link writeTable}. */
export const WRITE_DEFAULTS = { datetimeFormat: '%Y-%m-%dT%H:%M:%S', compression: 'zstd' as const, csvRaw: false, moneyDecimals: 2 };

/** Columns segkit writes that hold money: rounded to the currency's minor unit in CSV. */
export const MONEY_COLUMN =
  /^(monetary|avg_order_value|amount|unit_price|revenue|sales|cancelled_amount|expected_spend|clv|clv_per_customer|holdout_value|spend)(_(before|after|\d+))?$/;

/** A cell starting with one of these is run as a formula by Excel, LibreOffice Calc and Google Sheets. */
export const FORMULA_START = /^[=+\-@\t\r]/;

const isText = (dt: DataType): boolean => ['Utf8', 'String', 'Categorical', 'Enum'].includes(dt.variant);
const isFloat = (dt: DataType): boolean => /^Float/.test(dt.variant);

/**
 * Text columns with every cell that starts with = + - @, tab or CR prefixed with an apostrophe (OWASP
 * "CSV injection"), so a spreadsheet shows it as text. Numeric and other columns are unchanged; a cell
 * already starting with an apostrophe is left alone, so applying it twice changes nothing more.
 */
export function neutraliseFormulas(df: pl.DataFrame): pl.DataFrame {
  const text = df.columns.filter((_, i) => isText(df.dtypes[i]));
  if (!text.length) return df;
  return df.withColumns(
    ...text.map((c) => {
      const v = pl.col(c).cast(pl.Utf8);
      return pl.when(v.str.contains(FORMULA_START.source)).then(pl.concatString([pl.lit("'"), v], '')).otherwise(v).alias(c);
    }),
  );
}

/** Float money columns rounded to `decimals` (see {@link MONEY_COLUMN}). */
export function roundMoney(df: pl.DataFrame, decimals = WRITE_DEFAULTS.moneyDecimals, columns?: string[]): pl.DataFrame {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) {
    throw new SegkitError('io', 'bad_option', `moneyDecimals must be a whole number from 0 to 6, got ${String(decimals)}`, { where: 'option moneyDecimals', hint: '2 for most currencies, 0 for JPY, 3 for KWD' });
  }
  const money = df.columns.filter((c, i) => isFloat(df.dtypes[i]) && (columns ? columns.includes(c) : MONEY_COLUMN.test(c)));
  if (!money.length) return df;
  return df.withColumns(...money.map((c) => pl.col(c).round(decimals).alias(c)));
}

/** The table as written to CSV: formulas neutralised (unless `csvRaw`) and money rounded. */
export function csvReady(df: pl.DataFrame, options: Pick<WriteTableOptions, 'csvRaw' | 'moneyDecimals' | 'moneyColumns'> = {}): pl.DataFrame {
  const rounded = roundMoney(df, options.moneyDecimals ?? WRITE_DEFAULTS.moneyDecimals, options.moneyColumns);
  return options.csvRaw ? rounded : neutraliseFormulas(rounded);
}

/** CSV text of a table as segkit writes it (see {@link csvReady}); for printing to stdout. */
export function tableCsv(df: pl.DataFrame, options: WriteTableOptions = {}): Buffer {
  return csvReady(df, options).writeCSV({ datetimeFormat: options.datetimeFormat ?? WRITE_DEFAULTS.datetimeFormat });
}

/** Write `df` to `file` atomically; the format follows the extension (.csv, .csv.gz, .parquet, .json, .ndjson). See {@link WriteTableOptions}. */
export async function writeTable(df: pl.DataFrame, file: string, options: WriteTableOptions = {}): Promise<void> {
  const format = tableFormatOf(file, options.format);
  await withAtomicOutput(file, async (tmp) => {
    let bytes: Buffer;
    switch (format) {
      case 'csv':
        bytes = tableCsv(df, options);
        break;
      case 'csv.gz':
        bytes = gzipSync(tableCsv(df, options));
        break;
      case 'parquet':
        bytes = df.writeParquet({ compression: options.compression ?? WRITE_DEFAULTS.compression });
        break;
      case 'json':
        bytes = df.writeJSON({ format: 'json' });
        break;
      case 'ndjson':
        bytes = df.writeJSON({ format: 'lines' });
        break;
    }
    await fsp.writeFile(tmp, bytes);
  });
}
