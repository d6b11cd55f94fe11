/**
 * Options of the synthetic transaction generator: types, defaults and validation.
 *
 * Every default lives in {@link DEFAULTS}. {@link resolveOptions} fills the gaps and throws a
 * `SegkitError('generate', CODE, …)` for anything that would make the output meaningless.
 */
import { closest, Progress, SegkitError } from '../errors';

/** Rates of the real-world faults the generator injects (see faults.ts for what each one does). */
export interface FaultOptions {
  /** Probability that a customer's invoice is later (partly) cancelled by a `C` invoice. Default 0.04. */
  cancelRate?: number;
  /** Target share of rows without a CustomerID (guest invoices). Default 0.04. */
  missingCustomerRate?: number;
  /** Probability that a product line is priced 0.0. Default 0.01. */
  zeroPriceRate?: number;
  /** Probability that a row is followed by an exact copy of itself. Default 0.01. */
  duplicateRate?: number;
  /** Number of extreme outliers: a huge-quantity line and, minutes later, its cancellation. Default 2. */
  outliers?: number;
}

export interface GenerateOptions {
  /** Seed of every random choice (an integer). Default 42. */
  seed?: number;
  /** Number of customers. Default: rows / 20, at most 100,000 (or 2,000 when rows is not given either). */
  customers?: number;
  /** Approximate number of data lines. Default: customers × 20 (or 40,000 when customers is not given either). */
  rows?: number;
  /** First day, `YYYY-MM-DD` (UTC). Default '2010-12-01'. */
  start?: string;
  /** Last day, inclusive, `YYYY-MM-DD` (UTC). Default '2011-12-09'. */
  end?: string;
  /** Number of product StockCodes (the non-product codes POST, DOT, M, D, BANK CHARGES come on top). Default 400. */
  products?: number;
  /** Fault rates; missing keys take their defaults. Pass all zeros for clean data. */
  faults?: FaultOptions;
  /** Called about every 4,000 rows with (rows written, target rows, 'rows'). */
  onProgress?: Progress;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  seed: number;
  customers: number;
  rows: number;
  start: string;
  end: string;
  products: number;
  faults: Required<FaultOptions>;
  onProgress?: Progress;
}

/** Defaults of {@link GenerateOptions}. `customers` and `rows` are used only when neither is given. */
export const DEFAULTS = {
  seed: 42,
  customers: 2000,
  rows: 40000,
  /** Rows per customer used to derive one of `customers`/`rows` from the other. */
  rowsPerCustomer: 20,
  /** Upper bound of the customers derived from `rows` (invoice numbers have 6 digits). */
  maxDerivedCustomers: 100000,
  start: '2010-12-01',
  end: '2011-12-09',
  products: 400,
  faults: {
    cancelRate: 0.04,
    missingCustomerRate: 0.04,
    zeroPriceRate: 0.01,
    duplicateRate: 0.01,
    outliers: 2,
  } as Required<FaultOptions>,
} as const;

/** Fault options that switch every fault off. */
export const NO_FAULTS: Required<FaultOptions> = {
  cancelRate: 0,
  missingCustomerRate: 0,
  zeroPriceRate: 0,
  duplicateRate: 0,
  outliers: 0,
};

const OPTION_KEYS = ['seed', 'customers', 'rows', 'start', 'end', 'products', 'faults', 'onProgress'];
const FAULT_KEYS = Object.keys(DEFAULTS.faults);

function fail(code: string, message: string, name: string, hint: string): never {
  throw new SegkitError('generate', code, message, { where: `option ${name}`, hint });
}

function checkKeys(obj: object, allowed: string[], prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      const near = closest(key, allowed, 1);
      fail('unknown_option', `unknown option "${prefix}${key}" (did you mean "${prefix}${near[0]}"?)`, prefix + key, `use one of: ${allowed.join(', ')}`);
    }
  }
}

function checkCount(value: number, name: string, code: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    fail(code, `${name} must be a whole number ${range}, got ${String(value)}`, name, `pass ${name} as a whole number ${range}`);
  }
  return value;
}

/** Parses `YYYY-MM-DD` to UTC milliseconds at midnight, or throws date_invalid. */
export function parseDay(text: string, name: string): number {
  const m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== text) {
    fail('date_invalid', `${name} must be a calendar date YYYY-MM-DD, got "${String(text)}"`, name, `write it like '2011-12-09'`);
  }
  return ms;
}

/** Fills in defaults and validates. Throws SegkitError('generate', CODE) with `where: 'option NAME'`. */
export function resolveOptions(options: GenerateOptions = {}): ResolvedOptions {
  checkKeys(options, OPTION_KEYS, '');
  const seed = options.seed ?? DEFAULTS.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    fail('seed_invalid', `seed must be an integer, got ${String(seed)}`, 'seed', 'pass a whole number such as 42');
  }
  let { customers, rows } = options;
  if (customers === undefined && rows === undefined) {
    customers = DEFAULTS.customers;
    rows = DEFAULTS.rows;
  } else if (customers === undefined) {
    checkCount(rows as number, 'rows', 'rows_invalid', 1);
    customers = Math.min(DEFAULTS.maxDerivedCustomers, Math.max(1, Math.round((rows as number) / DEFAULTS.rowsPerCustomer)));
  } else if (rows === undefined) {
    checkCount(customers, 'customers', 'customers_invalid', 1);
    rows = customers * DEFAULTS.rowsPerCustomer;
  }
  checkCount(customers as number, 'customers', 'customers_invalid', 1);
  checkCount(rows as number, 'rows', 'rows_invalid', 1);
  if ((rows as number) < (customers as number)) {
    fail('rows_below_customers', `rows (${rows}) is below customers (${customers}): every customer needs at least one row`, 'rows',
      `ask for at least ${customers} rows (about ${DEFAULTS.rowsPerCustomer} per customer looks realistic), or fewer customers`);
  }
  const start = options.start ?? DEFAULTS.start;
  const end = options.end ?? DEFAULTS.end;
  if (parseDay(end, 'end') < parseDay(start, 'start')) {
    fail('end_before_start', `end ${end} is before start ${start}`, 'end', 'swap the two dates, or pick a later end');
  }
  const products = checkCount(options.products ?? DEFAULTS.products, 'products', 'products_invalid', 10, 5000);
  const given = options.faults ?? {};
  checkKeys(given, FAULT_KEYS, 'faults.');
  const faults = { ...DEFAULTS.faults, ...given };
  for (const key of ['cancelRate', 'missingCustomerRate', 'zeroPriceRate', 'duplicateRate'] as const) {
    const v = faults[key];
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
      fail('rate_out_of_range', `faults.${key} must be in [0, 1), got ${String(v)}`, `faults.${key}`, 'rates are fractions: 0.02 means 2 %');
    }
  }
  checkCount(faults.outliers, 'faults.outliers', 'outliers_invalid', 0, 1000);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    fail('progress_invalid', 'onProgress must be a function', 'onProgress', 'pass (done, total) => { … } or leave it out');
  }
  return { seed, customers: customers as number, rows: rows as number, start, end, products, faults, onProgress: options.onProgress };
}
