/**
 * Recency, frequency and monetary value per customer, computed in Polars: one scan for the counts, dates
 * and checks, then one group_by over the rows on Polars' streaming engine (see sumsOf for its sums).
 *
 * - recency_days = asOf − calendar date of the last purchase (whole days; times of day are ignored)
 * - frequency    = distinct orders: invoices, or (customer, calendar day) when there is no invoice column
 * - monetary     = Σ amount (= quantity × unit price) over purchases, minus returns under `returns: 'net'`
 * - also first_purchase, last_purchase, tenure_days (asOf − first purchase), avg_order_value, items (Σ quantity)
 */
import pl, { type DataType } from 'nodejs-polars';
import { SegkitError, closest, warn, type SegkitWarning } from '../errors';
import type { TransactionTable } from '../types';
import {
  DEFAULTS,
  ROLE_COLUMNS,
  dayString,
  parseDay,
  type ComputeOptions,
  type CustomerRfm,
  type RfmCounts,
  type RfmRole,
} from './options';
import { fromCustomerTable } from './customers';
import { memo } from './exprs';
import { RFM_NOTES } from './notes';

/** Output columns of computeRfm, in order. */
export const CUSTOMER_COLUMNS = [
  'customer_id',
  'recency_days',
  'frequency',
  'monetary',
  'first_purchase',
  'last_purchase',
  'tenure_days',
  'avg_order_value',
  'items',
] as const;

export function isTransactionTable(x: unknown): x is TransactionTable {
  return typeof x === 'object' && x !== null && 'df' in x && 'orders' in x && 'source' in x;
}

/** Where an input column lives, for messages. */
function whereOf(input: TransactionTable | pl.DataFrame, column?: string): string {
  const file = isTransactionTable(input) ? `${input.source.path}, ` : '';
  return column ? `${file}column "${column}"` : file.replace(/, $/, '') || 'input table';
}

/** The column playing `role`: the user's mapping, else the canonical name if present, else undefined. */
export function resolveColumn(df: pl.DataFrame, role: RfmRole, options: ComputeOptions, where: string): string | undefined {
  const given = options.columns?.[role];
  if (given !== undefined) {
    if (!df.columns.includes(given)) {
      throw new SegkitError('rfm', 'unknown_column', `columns.${role} names "${given}", which is not a column of the input`, {
        where,
        hint: `columns are: ${df.columns.join(', ')}; did you mean ${closest(given, df.columns).map((c) => `"${c}"`).join(' or ')}?`,
      });
    }
    return given;
  }
  return df.columns.includes(ROLE_COLUMNS[role]) ? ROLE_COLUMNS[role] : undefined;
}

function missingColumn(df: pl.DataFrame, role: RfmRole, why: string, where: string): SegkitError {
  const want = ROLE_COLUMNS[role];
  return new SegkitError('rfm', 'missing_column', `no ${role} column: ${why}`, {
    where: `${where} (columns: ${df.columns.join(', ')})`,
    hint: `name it "${want}", pass columns: { ${role}: '<column>' }${closest(want, df.columns).length ? ` (closest: ${closest(want, df.columns, 2).join(', ')})` : ''}, or read the file with readTransactions, which maps columns by role`,
  });
}

/**
 * R, F, M per customer from cleaned transactions (a TransactionTable or a DataFrame with the canonical
 * columns, or any names mapped with `columns`), or from a customer-level table that already has them.
 * One row per customer, sorted by customer_id.
 */
export function computeRfm(input: TransactionTable | pl.DataFrame, options: ComputeOptions = {}): CustomerRfm {
  const df = isTransactionTable(input) ? input.df : input;
  const where = whereOf(input);
  const cols = options.columns ?? {};
  const customerLevel =
    options.level === 'customers' ||
    (options.level === undefined &&
      (cols.recency !== undefined || cols.frequency !== undefined || cols.monetary !== undefined ||
        (resolveColumn(df, 'date', options, where) === undefined && ['recency_days', 'frequency', 'monetary'].every((c) => df.columns.includes(c)))));
  if (customerLevel) return fromCustomerTable(df, options, where);
  return fromTransactions(input, df, options, where);
}

/** computeRfm at an earlier date, made in the same pass as the later one (see computeRfmPair). */
export interface EarlierRfm {
  /** Exactly what computeRfm(input, { ...options, asOf: earlier }) returns. */
  rfm: CustomerRfm;
  /** For each of its customers (in order), their row in the later date's table (its customers are a subset, in the same order). */
  rows: pl.Series;
}

/**
 * computeRfm at two dates (earlier first) of one transactions table. The result at each date is exactly
 * computeRfm's (same table, counts and warnings). When orders are invoices that are runs of lines (as in
 * every export), no invoice straddles the earlier date and returns are dropped, both dates are made in one
 * scan and one group_by over the lines (each customer's earlier R, F, M are the same sums and extremes
 * restricted to lines on or before the earlier date), and `earlier.rows` places the earlier customers in
 * the later table; otherwise computeRfm runs twice and `rows` is undefined.
 */
export function computeRfmPair(input: TransactionTable | pl.DataFrame, asOf: [string | Date, string | Date], options: Omit<ComputeOptions, 'asOf'> = {}): { before: CustomerRfm; after: CustomerRfm; rows?: pl.Series } {
  const df = isTransactionTable(input) ? input.df : input;
  const where = whereOf(input);
  const twice = (): { before: CustomerRfm; after: CustomerRfm } => ({ before: computeRfm(input, { ...options, asOf: asOf[0] }), after: computeRfm(input, { ...options, asOf: asOf[1] }) });
  if (options.level === 'customers' || options.columns?.recency !== undefined || resolveColumn(df, 'date', options, where) === undefined) return twice();
  const after = fromTransactions(input, df, { ...options, asOf: asOf[1] }, where, parseDay(asOf[0], 'first as-of date'));
  if (!after.earlier) return { before: computeRfm(input, { ...options, asOf: asOf[0] }), after };
  const { earlier, ...rest } = after;
  return { before: earlier.rfm, after: rest, rows: earlier.rows };
}

/** The fixed-point sums below hold totals below 2^62 (see sumsOf). */
const FIXED_LIMIT = 2 ** 62;
/** Fixed point: a value v is held as the integer v · 2^63 in a Decimal(38, 0) (Polars' 128-bit integer). */
const FIXED = pl.Decimal(38, 0);
const FIXED_ONE = 2 ** 63;
/**
 * Group customers in order of first appearance: on Polars' streaming engine this group_by is 1.3× faster
 * than the unordered one (10M rows, 500k customers: bench/rfm.md), and the order is deterministic.
 */
const KEEP_ORDER = true;
/** Fixed seeds: `hash` only compares invoice numbers within one query. */
const SEEDS = [0x5e9c17, 0x2b3f, 0x61d, 0x9a7] as const;

/** How amounts and quantities are added up per customer: see sumsOf. */
type SumMethod = 'float' | 'fixed';
interface Sums {
  engine: { engine: 'streaming' | 'in-memory' };
  method: SumMethod;
}

/**
 * The engine and how amounts and quantities are added up per customer, from the first scan's bounds over
 * all rows (`n` = rows that can enter one sum). Polars' streaming engine runs the group_by faster than
 * the in-memory one (bench/rfm.md) but adds each customer's rows in an order that depends on thread
 * timing, so plain Float64 sums could differ in the last bit from run to run. There, no order can change
 * a total ('fixed'): each value times 2^63 (exact in Float64: a power of two) is a whole number for any
 * |value| >= 2^-11, cast exactly to a 128-bit integer and added up exactly; the total is rounded once back
 * to Float64. So monetary is the correctly rounded sum of the amounts (as Python's math.fsum), whole
 * numbers add up exactly, and a return cancels its purchase exactly. (Values below 2^-11 in size lose
 * their bits under 2^-63.) In the streaming group_by the 128-bit sums cost no more than Float64 ones.
 * When a total could pass ±2^62, or there are infinite values or NaN quantities (the cast to Decimal
 * would make them null), the in-memory engine adds Float64 in row order ('float').
 */
function sumsOf(n: number, s1: Record<string, number>): Sums {
  const largest = (c: string): number => Math.max(Math.abs(Number(s1[`min${c}`])), Math.abs(Number(s1[`max${c}`])));
  const [amount, quantity] = [largest('Amount'), largest('Quantity')];
  if (!Number.isFinite(Number(s1.sumQuantity)) || !(Math.max(amount, quantity) * n < FIXED_LIMIT)) {
    return { engine: { engine: 'in-memory' }, method: 'float' };
  }
  return { engine: { engine: 'streaming' }, method: 'fixed' };
}

/** Sums already made Float64 (computeRfmPair converts them in its query). */
const FLOAT_SUMS: Sums = { engine: { engine: 'in-memory' }, method: 'float' };

/** Σ column per group: as a fixed-point Decimal for 'fixed' (see sumsOf), else in Float64. */
function sumOf(column: string, method: SumMethod): pl.Expr {
  return method === 'fixed' ? pl.col(column).mul(FIXED_ONE).cast(FIXED).sum() : pl.col(column).sum();
}

/** Zero in the type of a sum from sumOf. */
const zeroOf = (method: SumMethod): pl.Expr => (method === 'fixed' ? pl.lit(0).cast(FIXED) : pl.lit(0.0));

/** A sum from sumOf as Float64 (a fixed-point total: one rounding, then an exact division by 2^63). */
function asFloat(column: string, method: SumMethod): pl.Expr {
  return method === 'fixed' ? pl.col(column).cast(pl.Float64).div(FIXED_ONE) : pl.col(column);
}

/**
 * Expressions over the working columns customer_id, ts (a Date, or a Datetime without a time zone, as in the
 * input: see workingColumns), amount, quantity, invoice.
 */
function workingExprs() {
  return memo('rfm.compute', () => {
    const customer = pl.col('customer_id');
    const ts = pl.col('ts');
    const amount = pl.col('amount');
    const quantity = pl.col('quantity');
    const invoice = pl.col('invoice');
    const valid = customer.isNotNull().and(ts.isNotNull()).and(amount.isNotNull()).and(amount.isNan().not());
    const isReturn = amount.lt(0).or(quantity.lt(0)).or(invoice.str.startsWith('C').fillNull(false));
    // A row starts a run when its customer or invoice differs from the row before's (lines of one invoice
    // are next to each other in every export, so there is about one run per invoice).
    const runStart = customer.neq(customer.shift(1)).or(invoice.neq(invoice.shift(1))).fillNull(true);
    return {
      customer,
      byCustomer: [customer],
      valid,
      isReturn,
      purchase: isReturn.not(),
      noInvoice: invoice.isNull(),
      runStart,
      withRunStart: runStart.alias('__run'),
      runs: pl.col('__run').sum().cast(pl.Int32).alias('frequency'),
      // Invoice numbers (hashed) where runs start; and of those, how many are distinct
      runStartInvoices: invoice.hash(...SEEDS).alias('invoice'),
      distinctInvoices: pl.col('invoice').nUnique().alias('distinct'),
      // Bounds that decide how sums are made (sumsOf), over all rows (a superset of those summed): min
      // and max skip NaN; a NaN or infinite quantity makes the sum of quantities NaN or infinite.
      sumBounds: [
        amount.min().alias('minAmount'),
        amount.max().alias('maxAmount'),
        quantity.min().alias('minQuantity'),
        quantity.max().alias('maxQuantity'),
        quantity.sum().alias('sumQuantity'),
      ],
      // The calendar day of each row (days since 1970), for orders that are (customer, day) pairs.
      day: dayOf(ts).alias('day'),
      orderKeyOfMissing: pl
        .when(invoice.isNull())
        .then(pl.concatString([pl.lit('\u0000day:'), dayOf(ts).cast(pl.Utf8)], ''))
        .otherwise(invoice)
        .alias('order_key'),
      negative: pl.col('monetary').lt(0),
      returnRows: pl.col('return_rows'),
    };
  });
}

/** Per-customer aggregations, with sums made as `sums` says (fixed-point sums stay so until finalExprs). */
function aggregations(sums: Sums) {
  return memo(`rfm.aggs:${sums.method}`, () => {
    const amount = sumOf('amount', sums.method);
    const quantity = sumOf('quantity', sums.method);
    // The first and last moments (a customer's first and last calendar days, once made days: finalExprs)
    const purchases = [pl.col('ts').min().alias('first_ts'), pl.col('ts').max().alias('last_ts'), amount.alias('monetary'), quantity.alias('items')];
    return {
      purchases,
      purchasesAndRuns: [...purchases, workingExprs().runs],
      returns: [amount.alias('returned'), quantity.alias('returned_items'), pl.len().alias('return_rows')],
      // returns: 'net', in the sums' own type (a fixed-point sum plus a Float64 0 would turn Float64)
      netted: [
        pl.col('monetary').add(pl.col('returned').fillNull(zeroOf(sums.method))).alias('monetary'),
        pl.col('items').add(pl.col('returned_items').fillNull(zeroOf(sums.method))).alias('items'),
      ],
    };
  });
}

/** Days since 1970 of a Date or Datetime. */
const dayOf = (e: pl.Expr): pl.Expr => e.cast(pl.Date).cast(pl.Int32);

/**
 * The working columns from the input's (mapped) columns. The date stays as it is (`ts`) when it is a Date or
 * a Datetime without a time zone: its calendar day never decreases as it grows, so the day of a customer's
 * first (last) moment is their first (last) day, and only those are made days, not every row. A Datetime in
 * a time zone is made its local calendar date row by row (Polars' cast to Date would give the UTC date).
 */
function workingColumns(customer: string, date: string, zoned: boolean, amount: string | undefined, quantity: string | undefined, unitPrice: string | undefined, invoice: string | undefined): pl.Expr[] {
  return memo(`rfm.columns:${JSON.stringify([customer, date, zoned, amount, quantity, unitPrice, invoice])}`, () => [
    pl.col(customer).cast(pl.Utf8).alias('customer_id'),
    (zoned ? pl.col(date).dt.strftime('%Y-%m-%d').str.strptime(pl.Date, '%Y-%m-%d') : pl.col(date)).alias('ts'),
    (amount ? pl.col(amount).cast(pl.Float64) : pl.col(quantity!).cast(pl.Float64).mul(pl.col(unitPrice!).cast(pl.Float64))).alias('amount'),
    (quantity ? pl.col(quantity).cast(pl.Float64) : pl.lit(1.0)).alias('quantity'),
    (invoice ? pl.col(invoice).cast(pl.Utf8) : pl.lit(null).cast(pl.Utf8)).alias('invoice'),
  ]);
}

/** The first scan: counts of what cannot be placed, the date range, rows after asOf, returns, rows without invoice. */
function scanExprs(givenAsOf: number | null, tsType: DataType) {
  return memo(`rfm.scan:${givenAsOf}:${JSON.stringify(tsType)}`, () => {
    const x = workingExprs();
    const ts = pl.col('ts');
    // On or before asOf: before the first moment of the day after it, in the type of ts
    const kept = givenAsOf === null ? x.valid : x.valid.and(ts.lt(pl.lit(givenAsOf + 1).cast(pl.Date).cast(tsType)));
    const exprs = [
      x.customer.isNull().sum().alias('missingCustomer'),
      x.customer.isNotNull().and(x.valid.not()).sum().alias('noValue'),
      x.valid.sum().alias('valid'),
      dayOf(ts.filter(x.valid).min()).alias('first'),
      dayOf(ts.filter(x.valid).max()).alias('last'),
      (givenAsOf === null ? pl.lit(0) : x.valid.and(kept.not()).sum()).alias('afterAsOf'),
      kept.and(x.isReturn).sum().alias('returnRows'),
      kept.and(x.purchase).and(x.noInvoice).sum().alias('noInvoice'),
      ...x.sumBounds,
    ];
    return { kept, exprs };
  });
}

/** Customer table columns from the aggregates (first_ts, last_ts, frequency, monetary, items) and asOf. */
function finalExprs(asOfDay: number, sums: Sums): pl.Expr[] {
  return memo(`rfm.final:${asOfDay}:${sums.method}`, () => {
    const monetary = asFloat('monetary', sums.method);
    const [first, last] = [pl.col('first_ts').cast(pl.Date), pl.col('last_ts').cast(pl.Date)];
    return [
      pl.col('customer_id'),
      pl.lit(asOfDay).sub(last.cast(pl.Int32)).cast(pl.Int32).alias('recency_days'),
      pl.col('frequency'),
      monetary.alias('monetary'),
      first.alias('first_purchase'),
      last.alias('last_purchase'),
      pl.lit(asOfDay).sub(first.cast(pl.Int32)).cast(pl.Int32).alias('tenure_days'),
      monetary.div(pl.col('frequency')).alias('avg_order_value'),
      asFloat('items', sums.method).alias('items'),
    ];
  });
}

/** Frequency for any order key: distinct (customer, key) pairs, counted from the rows where the pair changes. */
function pairFrequency(purchases: pl.LazyDataFrame, key: string): pl.LazyDataFrame {
  const e = memo(`rfm.pairs:${key}`, () => {
    const customer = pl.col('customer_id');
    const k = pl.col(key);
    return {
      start: customer.neq(customer.shift(1)).or(k.neq(k.shift(1))).fillNull(true),
      pair: [customer, k],
      count: pl.len().cast(pl.Int32).alias('frequency'),
    };
  });
  return purchases.filter(e.start).select(...e.pair).unique().groupBy(workingExprs().byCustomer, KEEP_ORDER).agg(e.count);
}

/** Whether every invoice in `rows` is one run of rows (see fromTransactions). */
function runsAreInvoices(rows: pl.LazyDataFrame): boolean {
  const x = workingExprs();
  const starts = rows.filter(x.runStart).select(x.runStartInvoices).collectSync({ engine: 'streaming' });
  return Number(starts.select(x.distinctInvoices).toRecords()[0].distinct) === starts.height;
}

/**
 * R, F, M from the lines. With `earlierDay` (computeRfmPair), the result also holds the table at that
 * earlier day when it can be made in the same group_by (see computeRfmPair), else no `earlier`.
 */
function fromTransactions(input: TransactionTable | pl.DataFrame, df: pl.DataFrame, options: ComputeOptions, where: string, earlierDay?: number): CustomerRfm & { earlier?: EarlierRfm } {
  const warnings: SegkitWarning[] = [];
  const note = (code: string, message: string): void => void warnings.push(warn('rfm', code, message));
  const returns = options.returns ?? DEFAULTS.returns;
  if (returns !== 'drop' && returns !== 'net') {
    throw new SegkitError('rfm', 'bad_option', `returns must be 'drop' or 'net', got ${JSON.stringify(returns)}`, { where: 'option returns' });
  }

  const customer = resolveColumn(df, 'customer', options, where);
  const date = resolveColumn(df, 'date', options, where);
  if (!customer) throw missingColumn(df, 'customer', 'RFM needs one id per customer', where);
  if (!date) throw missingColumn(df, 'date', 'recency needs the date of each transaction', where);
  const amount = resolveColumn(df, 'amount', options, where);
  const quantity = resolveColumn(df, 'quantity', options, where);
  const unitPrice = resolveColumn(df, 'unitPrice', options, where);
  const invoice = resolveColumn(df, 'invoice', options, where);
  if (!amount && !(quantity && unitPrice)) throw missingColumn(df, 'amount', 'monetary needs a line amount, or quantity and unit price', where);

  // Types from df.dtypes (df.getColumn and df.schema build JavaScript wrappers: about 1 ms each).
  const dtypes = df.dtypes;
  const variant = (c: string): string => dtypes[df.columns.indexOf(c)].variant;
  const dateType = variant(date);
  const zoned = dateType === 'Datetime' && Boolean((dtypes[df.columns.indexOf(date)] as { timeZone?: string }).timeZone);
  if (dateType !== 'Datetime' && dateType !== 'Date') {
    throw new SegkitError('rfm', 'date_not_temporal', `the date column holds ${dateType} values, not dates`, {
      where: whereOf(input, date),
      hint: 'read the file with readTransactions (it parses dates), or convert the column with .str.strptime(pl.Datetime("ms"), format)',
    });
  }
  for (const [role, c] of [['amount', amount], ['quantity', quantity], ['unitPrice', unitPrice]] as const) {
    if (c && !/^(Float|Int|UInt)/.test(variant(c))) {
      throw new SegkitError('rfm', 'not_numeric', `the ${role} column holds ${variant(c)} values, not numbers`, {
        where: whereOf(input, c),
        hint: 'read the file with readTransactions, which parses numbers',
      });
    }
  }

  const orders: 'invoice' | 'customer-day' = isTransactionTable(input)
    ? input.orders
    : invoice && Number(df.nullCount().toRecords()[0][invoice]) < df.height
      ? 'invoice'
      : 'customer-day';
  const rowsIn = df.height;
  if (rowsIn === 0) {
    throw new SegkitError('rfm', 'empty_input', 'the transactions table has no rows', { where, hint: 'check the cleaning summary: every row may have been removed' });
  }
  // The working columns, lazily: each query below reads the input's columns directly.
  const w = df.lazy().select(...workingColumns(customer, date, zoned, amount, quantity, unitPrice, invoice));
  const x = workingExprs();

  // One scan counts what cannot be placed (no customer, date or amount), the date range, rows after asOf,
  // returns and purchases without an invoice number. With the default asOf nothing is after it.
  const givenAsOf = options.asOf == null ? null : parseDay(options.asOf, 'option asOf');
  const scan = scanExprs(givenAsOf, zoned ? pl.Date : dtypes[df.columns.indexOf(date)]);
  const s1 = w.select(...scan.exprs).collectSync({ engine: 'in-memory' }).toRecords()[0] as Record<string, number>;
  const missingCustomer = Number(s1.missingCustomer);
  const noValue = Number(s1.noValue);
  if (missingCustomer > 0) {
    note('missing_customer', RFM_NOTES.missing_customer(missingCustomer, rowsIn));
  }
  if (noValue > 0) note('missing_values', RFM_NOTES.missing_values(noValue));
  if (Number(s1.valid) === 0) {
    throw new SegkitError('rfm', 'empty_input', `none of the ${rowsIn} rows has a customer id, a date and an amount`, { where, hint: 'check the column mapping' });
  }

  // The analysis date.
  const firstDay = Number(s1.first);
  const lastDay = Number(s1.last);
  const asOfDay = givenAsOf ?? lastDay + 1;
  if (asOfDay < firstDay) {
    throw new SegkitError('rfm', 'as_of_before_data', `asOf ${dayString(asOfDay)} is before the first transaction (${dayString(firstDay)}): no customer has bought anything yet`, {
      where: 'option asOf',
      hint: `use a date from ${dayString(firstDay)} on; the default is the day after the last transaction (${dayString(lastDay + 1)})`,
    });
  }
  const afterAsOf = Number(s1.afterAsOf);
  const returnRows = Number(s1.returnRows);
  const noInvoice = Number(s1.noInvoice);
  if (afterAsOf > 0) note('after_as_of', RFM_NOTES.after_as_of(afterAsOf, dayString(asOfDay), dayString(lastDay)));
  if (returnRows > 0 && returns === 'drop') {
    note('returns_dropped', RFM_NOTES.returns_dropped(returnRows));
  }
  if (returnRows === 0 && returns === 'net') {
    note('no_returns', RFM_NOTES.no_returns());
  }

  // The order key: the invoice, or the calendar day when there is no invoice column; purchase rows
  // without an invoice number count one order per customer and day (that key is made as a column first).
  let rowsOf = w;
  if (Number(s1.valid) - afterAsOf < rowsIn) rowsOf = rowsOf.filter(scan.kept);
  let purchases = returnRows > 0 ? rowsOf.filter(x.purchase) : rowsOf;
  let orderKey = 'invoice';
  if (orders === 'customer-day') {
    purchases = purchases.withColumns(x.day);
    orderKey = 'day';
  }
  if (orders === 'invoice' && noInvoice > 0) {
    note('missing_invoice', RFM_NOTES.missing_invoice(noInvoice));
    purchases = purchases.withColumns(x.orderKeyOfMissing);
    orderKey = 'order_key';
  }
  // Frequency = distinct orders per customer. When every invoice of the purchases is one run of rows (one
  // block, one customer), it is the customer's number of runs, counted in the same group_by; otherwise the
  // distinct (customer, order key) pairs are counted apart and joined. The check: as many distinct invoices
  // (by hash) as runs start; a hash collision can only lower the distinct count, so equality is exact.
  // (The hashes are collected on the streaming engine, whose nUnique of a hash panics in this Polars.)
  const runsAreOrders = orderKey === 'invoice' && runsAreInvoices(purchases);
  const sums = sumsOf(Number(s1.valid), s1);
  const engine = sums.engine;
  const aggs = aggregations(sums);
  const tsType = zoned ? pl.Date : dtypes[df.columns.indexOf(date)];
  const pair =
    earlierDay !== undefined && earlierDay < asOfDay && earlierDay >= firstDay && runsAreOrders && !(returns === 'net' && returnRows > 0)
      ? pairedAggregations(earlierDay, tsType, sums)
      : undefined;
  // One group_by for both days (sums made Float64 in the query, as finalExprs makes them), sorted once;
  // each day's columns made from the aggregates. Given up (nothing kept) when an invoice straddles the day.
  let both = pair
    ? purchases
        .withColumns(x.withRunStart, ...pair.columns)
        .groupBy(x.byCustomer, KEEP_ORDER)
        .agg(...aggs.purchasesAndRuns, ...pair.aggs)
        .withColumns(...['monetary', 'items', '__monetary1', '__items1'].map((c) => asFloat(c, sums.method).alias(c)))
        .collectSync(engine)
    : undefined;
  if (pair && both && Number(both.getColumn('__split').sum()) === 0) {
    both = both.sort({ by: 'customer_id', multithreaded: false });
    const table = both.select(...finalExprs(asOfDay, FLOAT_SUMS));
    const inEarlier = both.select(pl.col('__last1').isNotNull().alias('in')).getColumn('in');
    const earlierTable = both.filter(pl.col('__last1').isNotNull()).select(...pair.renamed).select(...finalExprs(earlierDay!, FLOAT_SUMS));
    const scan0 = scanExprs(earlierDay!, tsType);
    const s0 = w.select(...scan0.exprs).collectSync({ engine: 'in-memory' }).toRecords()[0] as Record<string, number>;
    const later = customerResult(table, asOfDay, { rowsIn, rowsUsed: Number(s1.valid) - afterAsOf - returnRows, missingCustomer, missingValues: noValue, afterAsOf, returnRows, returnsOnlyCustomers: 0 }, orders, returns, warnings, note);
    const earlier = earlierResult(earlierTable, earlierDay!, s0, { rowsIn, missingCustomer, noValue, orders, returns });
    return { ...later, earlier: { rfm: earlier, rows: inEarlier.argTrue() } };
  }
  let perCustomer: pl.LazyDataFrame = runsAreOrders
    ? purchases.withColumns(x.withRunStart).groupBy(x.byCustomer, KEEP_ORDER).agg(...aggs.purchasesAndRuns)
    : purchases.groupBy(x.byCustomer, KEEP_ORDER).agg(...aggs.purchases).join(pairFrequency(purchases, orderKey), { on: 'customer_id' });
  let returnsOnlyCustomers = 0;
  let rowsUsed = Number(s1.valid) - afterAsOf - returnRows;
  if (returns === 'net' && returnRows > 0) {
    const c: pl.DataFrame = perCustomer.collectSync(engine);
    const r: pl.DataFrame = rowsOf.filter(x.isReturn).groupBy(x.byCustomer, KEEP_ORDER).agg(...aggs.returns).collectSync(engine);
    const orphans = r.join(c.select(x.customer), { on: 'customer_id', how: 'anti' });
    returnsOnlyCustomers = orphans.height;
    const orphanRows = returnsOnlyCustomers > 0 ? Number(orphans.select(x.returnRows.sum()).toRecords()[0].return_rows) : 0;
    if (returnsOnlyCustomers > 0) {
      note('returns_only', RFM_NOTES.returns_only(returnsOnlyCustomers, orphanRows));
    }
    perCustomer = c.lazy().join(r.lazy(), { on: 'customer_id', how: 'left' }).withColumns(...aggs.netted);
    rowsUsed += returnRows - orphanRows;
  }
  // Sorted after the query, on one thread: less CPU, and on two cores no slower (bench/rfm.md).
  const table = perCustomer.select(...finalExprs(asOfDay, sums)).collectSync(engine).sort({ by: 'customer_id', multithreaded: false });
  return customerResult(table, asOfDay, { rowsIn, rowsUsed, missingCustomer, missingValues: noValue, afterAsOf, returnRows, returnsOnlyCustomers }, orders, returns, warnings, note);
}

/** The result of fromTransactions: the negative-monetary note, the counts. */
function customerResult(
  table: pl.DataFrame,
  asOfDay: number,
  c: Omit<RfmCounts, 'negativeMonetary' | 'customers'>,
  orders: CustomerRfm['orders'],
  returns: CustomerRfm['returns'],
  warnings: SegkitWarning[],
  note: (code: string, message: string) => void,
): CustomerRfm {
  const negative = table.filter(workingExprs().negative);
  const negativeMonetary = negative.height;
  if (negativeMonetary > 0) {
    const ids = negative.head(5).getColumn('customer_id').toArray();
    note('negative_monetary', RFM_NOTES.negative_monetary(negativeMonetary, ids));
  }
  const counts: RfmCounts = { ...c, negativeMonetary, customers: table.height };
  return { table, asOf: dayString(asOfDay), orders, returns, counts, warnings };
}

/**
 * The earlier day's columns for one group_by with the later day's (computeRfmPair), over the later day's
 * purchases (runs of lines are invoices): lines on or before the earlier day are marked; a customer's
 * earlier last moment, Σ amount, Σ quantity and runs are taken over the marked lines (sums add 0 for the
 * others: exact in either sum method); the first moment is the later day's (the first purchase is on or
 * before the earlier day whenever any is). `__split` counts the lines where the mark changes inside a run:
 * when any does, an invoice straddles the earlier day and its run would be counted at a line that is not
 * the earlier day's first of it, so the caller gives the paired pass up.
 */
function pairedAggregations(earlierDay: number, tsType: DataType, sums: Sums): { columns: pl.Expr[]; aggs: pl.Expr[]; renamed: pl.Expr[] } {
  const x = workingExprs();
  const in1 = pl.col('ts').lt(pl.lit(earlierDay + 1).cast(pl.Date).cast(tsType));
  const marked = pl.col('__in1');
  return {
    columns: [
      in1.alias('__in1'),
      in1.neq(in1.shift(1)).and(x.runStart.not()).fillNull(false).alias('__split'),
      // the moment where marked, else null (a filter inside the aggregation would leave the streaming engine)
      pl.when(in1).then(pl.col('ts')).otherwise(pl.lit(null)).alias('__ts1'),
      pl.when(in1).then(pl.col('amount')).otherwise(pl.lit(0.0)).alias('__amount1'),
      pl.when(in1).then(pl.col('quantity')).otherwise(pl.lit(0.0)).alias('__quantity1'),
    ],
    aggs: [
      pl.col('__ts1').max().alias('__last1'),
      sumOf('__amount1', sums.method).alias('__monetary1'),
      sumOf('__quantity1', sums.method).alias('__items1'),
      pl.col('__run').and(marked).sum().cast(pl.Int32).alias('__frequency1'),
      pl.col('__split').sum().cast(pl.Int32).alias('__split'),
    ],
    renamed: [
      pl.col('customer_id'),
      pl.col('first_ts'),
      pl.col('__last1').alias('last_ts'),
      pl.col('__frequency1').alias('frequency'),
      pl.col('__monetary1').alias('monetary'),
      pl.col('__items1').alias('items'),
    ],
  };
}

/** The earlier day's CustomerRfm of a paired pass: its own scan's counts and notes, in computeRfm's order. */
function earlierResult(
  table: pl.DataFrame,
  day: number,
  s0: Record<string, number>,
  c: { rowsIn: number; missingCustomer: number; noValue: number; orders: CustomerRfm['orders']; returns: CustomerRfm['returns'] },
): CustomerRfm {
  const warnings: SegkitWarning[] = [];
  const note = (code: string, message: string): void => void warnings.push(warn('rfm', code, message));
  if (c.missingCustomer > 0) note('missing_customer', RFM_NOTES.missing_customer(c.missingCustomer, c.rowsIn));
  if (c.noValue > 0) note('missing_values', RFM_NOTES.missing_values(c.noValue));
  const afterAsOf = Number(s0.afterAsOf);
  const returnRows = Number(s0.returnRows);
  if (afterAsOf > 0) note('after_as_of', RFM_NOTES.after_as_of(afterAsOf, dayString(day), dayString(Number(s0.last))));
  if (returnRows > 0 && c.returns === 'drop') note('returns_dropped', RFM_NOTES.returns_dropped(returnRows));
  if (returnRows === 0 && c.returns === 'net') note('no_returns', RFM_NOTES.no_returns());
  const rowsUsed = Number(s0.valid) - afterAsOf - returnRows;
  return customerResult(table, day, { rowsIn: c.rowsIn, rowsUsed, missingCustomer: c.missingCustomer, missingValues: c.noValue, afterAsOf, returnRows, returnsOnlyCustomers: 0 }, c.orders, c.returns, warnings, note);
}
