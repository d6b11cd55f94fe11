/**
 * The flags shared by the commands that read transactions (eda, rfm, report, …), and the checks that
 * need no data: this module loads no Polars, so `segkit --help` and a bad flag stay fast (the commands
 * load the analysis modules in their actions; see ./common for reading and cleaning with these flags).
 *
 *   addInputOptions(cmd)            --input, --customer-col … --country-col, --columns, --date-format,
 *                                   --delimiter, --header/--no-header, --decimal-comma, --format
 *   readOptionsFromFlags(opts)      → readTransactions' path and options
 *   addCleanOptions(cmd)            --skip-rule, --exclude-non-products, --exclude-outliers, --date-from, --date-to
 *   checkDayFlag, checkTableOut, checkOutDir: flag checks before any data is read
 */
import { Option, type Command } from 'commander';
import { SegkitError } from '../../errors';
import type { OutlierOptions } from '../../clean/rules';
import type { ReadOptions } from '../../io/read';
import type { FileFormat } from '../../io/detect';
import type { ColumnsOption } from '../../io/mapping';
import { checkOutputPlace } from '../../io/place';
import { tableFormatOf } from '../../io/table-format';
import { parseDay } from '../../rfm/options';
import { isSourceUrl, redact } from '../../source/url';
import type { Role } from '../../types';

/**
 * The default cleaning rules, named in the help of --skip-rule: the first five of RULE_ORDER in
 * src/clean/rules.ts (which loads Polars); test/cli/lazy-commands.test.ts keeps the two equal.
 */
export const DEFAULT_RULE_NAMES: readonly string[] = ['missing_customer_id', 'cancelled_invoice', 'nonpositive_quantity', 'nonpositive_unit_price', 'duplicate_row'];

/** The flags added by {@link addInputOptions}, as commander parses them. */
export interface InputFlags {
  input?: string;
  /** A database table URL (postgres://…?table=…, clickhouse://…?table=…), instead of --input. */
  source?: string;
  customerCol?: string;
  invoiceCol?: string;
  dateCol?: string;
  quantityCol?: string;
  priceCol?: string;
  amountCol?: string;
  productCol?: string;
  descriptionCol?: string;
  countryCol?: string;
  columns?: string;
  dateFormat?: string;
  delimiter?: string;
  header?: boolean;
  decimalComma?: boolean;
  format?: string;
}

export const ROLE_OF_FLAG: Array<[keyof InputFlags, Role, string]> = [
  ['customerCol', 'customer', '--customer-col <name>'],
  ['invoiceCol', 'invoice', '--invoice-col <name>'],
  ['dateCol', 'date', '--date-col <name>'],
  ['quantityCol', 'quantity', '--quantity-col <name>'],
  ['priceCol', 'unitPrice', '--price-col <name>'],
  ['amountCol', 'amount', '--amount-col <name>'],
  ['productCol', 'product', '--product-col <name>'],
  ['descriptionCol', 'description', '--description-col <name>'],
  ['countryCol', 'country', '--country-col <name>'],
];

const ROLE_HELP: Record<Role, string> = {
  customer: 'customer id column',
  invoice: 'invoice/order column ("none": no invoice; then an order = customer × day)',
  date: 'transaction date column',
  quantity: 'quantity column ("none": every line counts 1)',
  unitPrice: 'unit price column',
  amount: 'line amount column (instead of quantity × price)',
  product: 'product / stock code column',
  description: 'product description column',
  country: 'country column',
};

/**
 * Add the input options to a command. `--input` is required unless `{ inputRequired: false }`.
 * Column flags override detection; unset roles are detected (UCI Online Retail I/II, snake_case names…).
 */
export function addInputOptions(cmd: Command, opts: { inputRequired?: boolean } = {}): Command {
  const input = new Option('-i, --input <file>', 'transactions file: .csv, .csv.gz, .tsv, .txt (fixed-width/whitespace), .parquet, .json, .ndjson');
  cmd.addOption(input);
  if (opts.inputRequired !== false) {
    cmd.option(
      '--source <url>',
      'a database table instead of a file: postgres://user@host:5432/db?table=tx or clickhouse://user@host:8123/db?table=tx (password from PGPASSWORD / CLICKHOUSE_PASSWORD)',
    );
  }
  for (const [, role, flag] of ROLE_OF_FLAG) cmd.option(flag, `${ROLE_HELP[role]} (default: detected)`);
  cmd
    .option('--columns <roles>', 'positional roles for a headerless file, comma-separated, "_" skips a column (e.g. customer,date,quantity,amount)')
    .option('--date-format <fmt>', 'date layout: ISO, YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY or a strftime format (default: detected; required for ambiguous slash dates)')
    .option('--delimiter <d>', 'field delimiter: a character, or comma, semicolon, tab, pipe, whitespace, fixed (default: detected)')
    .option('--header', 'the first line is a header (default: detected)')
    .option('--no-header', 'the file has no header line (use with --columns)')
    .option('--decimal-comma', 'numbers use a decimal comma, e.g. 2,55 (default: detected for ;-separated files)')
    .option('--no-decimal-comma', 'numbers use a decimal point, even in a ;-separated file')
    .addOption(new Option('--format <format>', 'override the format implied by the extension').choices(['csv', 'parquet', 'json', 'ndjson']));
  return cmd;
}

/** Turn parsed flags into readTransactions' path and options. */
export function readOptionsFromFlags(flags: InputFlags): { path: string; options: ReadOptions } {
  if (flags.input && flags.source) {
    throw new SegkitError('cli', 'conflicting_options', '--input and --source were both given', { where: '--input / --source', hint: 'read a file with --input FILE, or a database table with --source URL' });
  }
  if (!flags.input && !flags.source) {
    throw new SegkitError('cli', 'missing_input', 'no input file given', {
      where: '--input',
      hint: 'pass --input FILE (a transactions CSV, Parquet or JSON file), or --source URL for a database table (postgres://…?table=…, clickhouse://…?table=…)',
    });
  }
  if (flags.source && !isSourceUrl(flags.source)) {
    throw new SegkitError('cli', 'bad_option', `--source takes a database URL, got ${JSON.stringify(redact(flags.source))}`, {
      where: '--source',
      hint: 'use --input for a file; --source postgres://user@host:5432/db?table=tx or clickhouse://host:8123/db?table=tx',
    });
  }
  const options: ReadOptions = {};
  const explicit: ColumnsOption = {};
  for (const [key, role] of ROLE_OF_FLAG) {
    const v = flags[key] as string | undefined;
    if (v === undefined) continue;
    explicit[role] = v.toLowerCase() === 'none' ? null : v;
  }
  if (flags.columns) {
    if (Object.keys(explicit).length) {
      throw new SegkitError('cli', 'conflicting_options', '--columns (positional roles) cannot be combined with --customer-col and the other column flags', {
        where: '--columns',
        hint: 'use --columns for headerless files, or the --*-col flags to name columns of a file with a header',
      });
    }
    options.columns = flags.columns.split(',').map((s) => s.trim()).map((s) => (s === '_' || s === '' ? null : s));
    if (flags.header === undefined) options.header = false;
  } else if (Object.keys(explicit).length) options.columns = explicit;
  if (flags.dateFormat) options.dateFormat = flags.dateFormat;
  if (flags.delimiter) options.delimiter = flags.delimiter;
  if (flags.header !== undefined) options.header = flags.header;
  if (flags.decimalComma !== undefined) options.decimalComma = flags.decimalComma;
  if (flags.format) options.format = flags.format as FileFormat;
  if (flags.source && Array.isArray(options.columns)) {
    throw new SegkitError('cli', 'bad_option', '--columns (positional roles) is for headerless files, not database tables', { where: '--columns', hint: 'name the table\'s columns with --customer-col, --date-col, …' });
  }
  return { path: (flags.source ?? flags.input)!, options };
}

/** The flags added by {@link addCleanOptions}. */
export interface CleanFlags {
  skipRule?: string[];
  excludeNonProducts?: boolean;
  excludeOutliers?: string | boolean;
  dateFrom?: string;
  dateTo?: string;
}

/** Add cleaning options (defaults: the five RFM rules). */
export function addCleanOptions(cmd: Command): Command {
  return cmd
    .option('--skip-rule <rule...>', `turn off cleaning rules (${DEFAULT_RULE_NAMES.join(', ')})`)
    .option('--exclude-non-products', 'also remove non-product stock codes (POST, DOT, M, BANK CHARGES, …)')
    .option('--exclude-outliers [spec]', 'also remove outlier lines: "amount" or "quantity", optionally ":iqr" or ":q=0.999" (default amount:q=0.999)')
    .option('--date-from <date>', 'keep lines on or after this day (YYYY-MM-DD)')
    .option('--date-to <date>', 'keep lines on or before this day (YYYY-MM-DD)');
}

/** Parse "amount", "quantity:iqr", "amount:q=0.995", "amount:iqr:k=1.5" into outlier options. */
export function parseOutlierSpec(spec: string | boolean | undefined): OutlierOptions | undefined {
  if (spec === undefined || spec === false) return undefined;
  if (spec === true || spec === '') return {};
  const out: OutlierOptions = {};
  for (const part of spec.split(':').map((s) => s.trim()).filter(Boolean)) {
    if (part === 'amount' || part === 'quantity') out.by = part;
    else if (part === 'iqr' || part === 'quantile') out.method = part;
    else if (part === 'both' || part === 'upper') out.side = part;
    else if (/^q=/.test(part)) out.upper = outlierNumber(part, spec, (q) => q > 0.5 && q < 1, 'q is the upper quantile kept, above 0.5 and below 1: e.g. amount:q=0.999');
    else if (/^k=/.test(part)) out.k = outlierNumber(part, spec, (k) => k > 0, 'k is the IQR multiplier, a positive number: e.g. amount:iqr:k=1.5');
    else {
      throw new SegkitError('cli', 'bad_option', `cannot read "${part}" in --exclude-outliers ${spec}`, {
        where: '--exclude-outliers',
        hint: 'use e.g. amount, quantity:iqr, amount:q=0.995, amount:iqr:k=1.5:both',
      });
    }
  }
  return out;
}

function outlierNumber(part: string, spec: string, ok: (n: number) => boolean, hint: string): number {
  const text = part.slice(2).trim();
  const n = text === '' ? NaN : Number(text);
  if (!Number.isFinite(n) || !ok(n)) {
    const what = Number.isFinite(n) ? 'is out of range' : 'is not a number';
    throw new SegkitError('cli', 'bad_option', `--exclude-outliers ${JSON.stringify(spec)}: "${part}" ${what}`, { where: '--exclude-outliers', hint });
  }
  return n;
}

/** Check a day flag (--as-of, --holdout-from) before any data is read: YYYY-MM-DD and a real calendar day. */
export function checkDayFlag(value: string | undefined, flag: string): void {
  if (value === undefined) return;
  try {
    parseDay(value, flag);
  } catch {
    throw new SegkitError('cli', 'bad_option', `${flag} ${JSON.stringify(value)} is not a calendar date`, { where: flag, hint: `write the day as YYYY-MM-DD, e.g. ${flag} 2011-12-10` });
  }
}

/** The help of --csv-raw, one wording for every command that writes CSV. */
export const CSV_RAW_HELP =
  "write CSV cells exactly as they are: by default a text cell starting with = + - @, tab or CR gets a leading ' so spreadsheets show it instead of running it as a formula";

/** Add --csv-raw (see {@link CSV_RAW_HELP}). */
export function addCsvRawOption(cmd: Command): Command {
  return cmd.option('--csv-raw', CSV_RAW_HELP);
}

/** A SegkitError about an output path, re-located to the flag that gave it. */
function atFlag(e: unknown, flag: string, value: string): never {
  if (e instanceof SegkitError) throw new SegkitError(e.stage, e.code, e.message, { where: `${flag} ${value}`, hint: e.hint, cause: e.cause });
  throw e;
}

/**
 * Check a table output (--out, --summary-out) before any data is read: a known extension
 * (.csv, .csv.gz, .parquet, .json, .ndjson) and a place that can be written (see io/place).
 */
export function checkTableOut(file: string | undefined, flag: string): void {
  if (file === undefined) return;
  try {
    tableFormatOf(file);
    checkOutputPlace(file);
  } catch (e) {
    atFlag(e, flag, file);
  }
}

/** Check an output folder (--out-dir, --charts-dir) before any data is read. */
export function checkOutDir(dir: string | undefined, flag: string): void {
  if (dir === undefined) return;
  try {
    checkOutputPlace(dir, { kind: 'folder' });
  } catch (e) {
    atFlag(e, flag, dir);
  }
}
