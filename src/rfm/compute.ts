/**
 * Recency, frequency and monetary value per customer, computed in Polars (one group_by over the rows).
 *
 * - recency_days = asOf − calendar date of the last purchase (whole days; times of day are ignored)
 * - frequency    = distinct orders: invoices, or (customer, calendar day) when there is no invoice column
 * - monetary     = Σ amount (= quantity × unit price) over purchases, minus returns under `returns: 'net'`
 * - also first_purchase, last_purchase, tenure_days (asOf − first purchase), avg_order_value, items (Σ quantity)
 */
import pl from 'nodejs-polars';
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

function fromTransactions(input: TransactionTable | pl.DataFrame, df: pl.DataFrame, options: ComputeOptions, where: string): CustomerRfm {
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

  const dateType = df.getColumn(date).dtype.variant;
  if (dateType !== 'Datetime' && dateType !== 'Date') {
    throw new SegkitError('rfm', 'date_not_temporal', `the date column holds ${dateType} values, not dates`, {
      where: whereOf(input, date),
      hint: 'read the file with readTransactions (it parses dates), or convert the column with .str.strptime(pl.Datetime("ms"), format)',
    });
  }
  for (const [role, c] of [['amount', amount], ['quantity', quantity], ['unitPrice', unitPrice]] as const) {
    if (c && !/^(Float|Int|UInt)/.test(df.getColumn(c).dtype.variant)) {
      throw new SegkitError('rfm', 'not_numeric', `the ${role} column holds ${df.getColumn(c).dtype.variant} values, not numbers`, {
        where: whereOf(input, c),
        hint: 'read the file with readTransactions, which parses numbers',
      });
    }
  }

  const amountExpr = amount ? pl.col(amount).cast(pl.Float64) : pl.col(quantity!).cast(pl.Float64).mul(pl.col(unitPrice!).cast(pl.Float64));
  const hasInvoice = !!invoice && df.getColumn(invoice).nullCount() < df.height;
  const orders: 'invoice' | 'customer-day' = isTransactionTable(input) ? input.orders : hasInvoice ? 'invoice' : 'customer-day';
  const w = df.select(
    pl.col(customer).cast(pl.Utf8).alias('customer_id'),
    pl.col(date).cast(pl.Date).cast(pl.Int32).alias('day'),
    amountExpr.alias('amount'),
    (quantity ? pl.col(quantity).cast(pl.Float64) : pl.lit(1.0)).alias('quantity'),
    (invoice ? pl.col(invoice).cast(pl.Utf8) : pl.lit(null).cast(pl.Utf8)).alias('invoice'),
  );
  const rowsIn = w.height;
  if (rowsIn === 0) {
    throw new SegkitError('rfm', 'empty_input', 'the transactions table has no rows', { where, hint: 'check the cleaning summary: every row may have been removed' });
  }

  // One scan counts what cannot be placed (no customer, date or amount), the date range, rows after asOf,
  // returns and purchases without an invoice number. With the default asOf nothing is after it.
  const givenAsOf = options.asOf == null ? null : parseDay(options.asOf, 'option asOf');
  const valid = pl.col('customer_id').isNotNull().and(pl.col('day').isNotNull()).and(pl.col('amount').isNotNull()).and(pl.col('amount').isNan().not());
  const kept = givenAsOf === null ? valid : valid.and(pl.col('day').ltEq(givenAsOf));
  const isReturn = pl.col('amount').lt(0).or(pl.col('quantity').lt(0)).or(pl.col('invoice').str.startsWith('C').fillNull(false));
  const s1 = w
    .select(
      pl.col('customer_id').isNull().sum().alias('missingCustomer'),
      pl.col('customer_id').isNotNull().and(valid.not()).sum().alias('noValue'),
      valid.sum().alias('valid'),
      pl.col('day').filter(valid).min().alias('first'),
      pl.col('day').filter(valid).max().alias('last'),
      valid.and(kept.not()).sum().alias('afterAsOf'),
      kept.and(isReturn).sum().alias('returnRows'),
      kept.and(isReturn.not()).and(pl.col('invoice').isNull()).sum().alias('noInvoice'),
    )
    .toRecords()[0] as Record<string, number>;
  const missingCustomer = Number(s1.missingCustomer);
  const noValue = Number(s1.noValue);
  if (missingCustomer > 0) {
    note('missing_customer', `${missingCustomer} of ${rowsIn} rows have no customer id and were left out of RFM (cleanTransactions normally removes them first)`);
  }
  if (noValue > 0) note('missing_values', `${noValue} rows with a customer id have no date or no amount and were left out of RFM`);
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
  if (afterAsOf > 0) note('after_as_of', `${afterAsOf} rows dated after asOf ${dayString(asOfDay)} (up to ${dayString(lastDay)}) were left out`);
  if (returnRows > 0 && returns === 'drop') {
    note('returns_dropped', `${returnRows} return/cancellation rows (negative amount or quantity, or an invoice starting with "C") were left out; pass returns: 'net' to subtract them from spend`);
  }
  if (returnRows === 0 && returns === 'net') {
    note('no_returns', "returns: 'net' was asked for but the input has no return rows; the default cleaning removes them: clean with cleanTransactions(tx, { rules: { cancelled_invoice: false, nonpositive_quantity: false } }) to net them");
  }

  // The order key: the invoice, or the calendar day when there is no invoice column; purchase rows
  // without an invoice number count one order per customer and day (that key is made as a column first,
  // so the aggregations stay simple and on Polars' fast path).
  let rowsOf = w.lazy();
  if (Number(s1.valid) - afterAsOf < rowsIn) rowsOf = rowsOf.filter(kept);
  let purchases = returnRows > 0 ? rowsOf.filter(isReturn.not()) : rowsOf;
  let orderKey = orders === 'invoice' ? pl.col('invoice') : pl.col('day');
  if (orders === 'invoice' && noInvoice > 0) {
    note('missing_invoice', `${noInvoice} purchase rows have no invoice number: each customer's such rows count as one order per calendar day`);
    purchases = purchases.withColumns(
      pl.when(pl.col('invoice').isNull()).then(pl.concatString([pl.lit('\u0000day:'), pl.col('day').cast(pl.Utf8)], '')).otherwise(pl.col('invoice')).alias('order_key'),
    );
    orderKey = pl.col('order_key');
  }
  let c = purchases
    .groupBy('customer_id')
    .agg(
      pl.col('day').min().alias('first_day'),
      pl.col('day').max().alias('last_day'),
      orderKey.nUnique().cast(pl.Int32).alias('frequency'),
      pl.col('amount').sum().alias('monetary'),
      pl.col('quantity').sum().alias('items'),
    )
    .collectSync();
  let returnsOnlyCustomers = 0;
  let rowsUsed = Number(s1.valid) - afterAsOf - returnRows;
  if (returns === 'net' && returnRows > 0) {
    const r = rowsOf
      .filter(isReturn)
      .groupBy('customer_id')
      .agg(pl.col('amount').sum().alias('returned'), pl.col('quantity').sum().alias('returned_items'), pl.len().alias('return_rows'))
      .collectSync();
    const orphans = r.join(c.select('customer_id'), { on: 'customer_id', how: 'anti' });
    returnsOnlyCustomers = orphans.height;
    const orphanRows = returnsOnlyCustomers > 0 ? Number(orphans.getColumn('return_rows').sum()) : 0;
    if (returnsOnlyCustomers > 0) {
      note('returns_only', `${returnsOnlyCustomers} customers have returns but no purchase on or before asOf (no recency): their ${orphanRows} rows were left out`);
    }
    c = c
      .join(r, { on: 'customer_id', how: 'left' })
      .withColumns(
        pl.col('monetary').add(pl.col('returned').fillNull(0)).alias('monetary'),
        pl.col('items').add(pl.col('returned_items').fillNull(0)).alias('items'),
      );
    rowsUsed += returnRows - orphanRows;
  }

  const table = c
    .select(
      pl.col('customer_id'),
      pl.lit(asOfDay).sub(pl.col('last_day')).cast(pl.Int32).alias('recency_days'),
      pl.col('frequency'),
      pl.col('monetary'),
      pl.col('first_day').cast(pl.Date).alias('first_purchase'),
      pl.col('last_day').cast(pl.Date).alias('last_purchase'),
      pl.lit(asOfDay).sub(pl.col('first_day')).cast(pl.Int32).alias('tenure_days'),
      pl.col('monetary').div(pl.col('frequency')).alias('avg_order_value'),
      pl.col('items'),
    )
    .sort('customer_id');

  const negativeMonetary = table.filter(pl.col('monetary').lt(0)).height;
  if (negativeMonetary > 0) {
    const ids = table.filter(pl.col('monetary').lt(0)).head(5).getColumn('customer_id').toArray();
    note('negative_monetary', `${negativeMonetary} customers have a negative monetary value after netting returns (e.g. ${ids.join(', ')}); they are kept and score lowest on M`);
  }
  const counts: RfmCounts = {
    rowsIn,
    rowsUsed,
    missingCustomer,
    missingValues: noValue,
    afterAsOf,
    returnRows,
    returnsOnlyCustomers,
    negativeMonetary,
    customers: table.height,
  };
  return { table, asOf: dayString(asOfDay), orders, returns, counts, warnings };
}
