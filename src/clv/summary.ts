/**
 * `clvSummary(transactions, options)`: the per-customer history the CLV models need, in Polars.
 *
 * A purchase occasion is a (customer, calendar day) by default (same-day orders are one occasion, as in
 * lifetimes), or each invoice with `occasions: 'invoice'`. Its value is Σ amount of its purchase lines
 * (lines with amount <= 0 or quantity <= 0 are returns and are left out, counted). Per customer:
 * - frequency = occasions after the first (repeat purchases) up to the calibration end
 * - recency   = time from the first to the last occasion (0 without repeats)
 * - T         = time from the first occasion to the calibration end
 * - monetary  = mean value of the repeat occasions (0 without repeats)
 * in days, or weeks with `unit: 'weeks'`. Days are calendar days (times of day are ignored).
 *
 * The observation ends on `asOf` (inclusive; default the last transaction day). With `holdoutFrom`, the
 * calibration period ends the day before it and the days holdoutFrom..asOf are the holdout: each
 * customer of the calibration period gets holdout_purchases (occasions) and holdout_value (spend).
 */
import pl from 'nodejs-polars';
import { SegkitError, warn, type SegkitWarning } from '../errors';
import { isoDate, isoDay, oneOf } from '../options';
import type { TransactionTable } from '../types';

export type TimeUnit = 'days' | 'weeks';

export interface ClvSummaryOptions {
  /** What counts as one purchase occasion. Default 'day' (same-day orders are one). */
  occasions?: 'day' | 'invoice';
  /** Unit of recency and T. Default 'days'. */
  unit?: TimeUnit;
  /** Last day observed, YYYY-MM-DD (inclusive). Default: the last transaction day. Later lines are left out. */
  asOf?: string | null;
  /** First day of the holdout period, YYYY-MM-DD; the calibration period ends the day before. Default none. */
  holdoutFrom?: string | null;
}

export const CLV_SUMMARY_DEFAULTS = { occasions: 'day', unit: 'days', asOf: null, holdoutFrom: null } as const;

export interface ClvSummary {
  /** customer_id, frequency, recency, T, monetary, first_purchase (+ holdout_purchases, holdout_value). Sorted by customer_id. */
  table: pl.DataFrame;
  unit: TimeUnit;
  occasions: 'day' | 'invoice';
  /** Last day of the calibration period (YYYY-MM-DD). */
  calibrationEnd: string;
  /** The holdout period, when split: first and last day and its length in `unit`. */
  holdout: { from: string; to: string; duration: number; newCustomers: number } | null;
  counts: { rowsIn: number; returnRows: number; afterAsOf: number; customers: number; repeatCustomers: number };
  warnings: SegkitWarning[];
}

const DAY_MS = 86_400_000;
export const dayString = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** YYYY-MM-DD → days since 1970. */
export function parseClvDay(value: string, where: string): number {
  const day = isoDate(String(value).trim(), { stage: 'clv', name: where, where, code: 'bad_date' });
  return isoDay(day)!;
}

/**
 * @throws SegkitError `clv/bad_option` (occasions, unit), `clv/bad_date` (asOf, holdoutFrom), `clv/missing_column`, `clv/empty_input`, `clv/calibration_outside_data`.
 */
export function clvSummary(input: TransactionTable | pl.DataFrame, options: ClvSummaryOptions = {}): ClvSummary {
  const df = typeof (input as pl.DataFrame).getColumn === 'function' ? (input as pl.DataFrame) : (input as TransactionTable).df;
  const occasions = options.occasions ?? CLV_SUMMARY_DEFAULTS.occasions;
  const unit = options.unit ?? CLV_SUMMARY_DEFAULTS.unit;
  oneOf(occasions, ['day', 'invoice'] as const, { stage: 'clv', name: 'occasions' });
  oneOf(unit, ['days', 'weeks'] as const, { stage: 'clv', name: 'unit' });
  for (const c of ['customer_id', 'date', 'amount', ...(occasions === 'invoice' ? ['invoice'] : [])]) {
    if (!df.columns.includes(c)) {
      throw new SegkitError('clv', 'missing_column', `no "${c}" column in the transactions`, { where: `columns: ${df.columns.join(', ')}`, hint: 'read the file with readTransactions (it maps columns to customer_id, invoice, date, amount, …)' });
    }
  }
  if (df.height === 0) throw new SegkitError('clv', 'empty_input', 'the transactions table has no rows', { where: 'transactions', hint: 'check the cleaning summary' });
  const scale = unit === 'weeks' ? 7 : 1;
  const warnings: SegkitWarning[] = [];

  const day = pl.col('date').cast(pl.Date).cast(pl.Int32);
  const isPurchase = pl.col('amount').gt(0).and(df.columns.includes('quantity') ? pl.col('quantity').gt(0).fillNull(true) : pl.lit(true));
  const rows = df.lazy().filter(pl.col('customer_id').isNotNull().and(pl.col('date').isNotNull()).and(pl.col('amount').isNotNull()));
  const s = rows
    .select(day.min().alias('first'), day.max().alias('last'), isPurchase.not().sum().alias('returns'))
    .collectSync()
    .toRecords()[0] as Record<string, number | null>;
  if (s.first === null) throw new SegkitError('clv', 'empty_input', 'no row has a customer id, a date and an amount', { where: 'transactions', hint: 'check the column mapping' });
  const [firstDay, lastDay] = [Number(s.first), Number(s.last)];
  const asOf = options.asOf ? parseClvDay(options.asOf, 'asOf') : lastDay;
  const holdoutFrom = options.holdoutFrom ? parseClvDay(options.holdoutFrom, 'holdoutFrom') : null;
  const calEnd = holdoutFrom === null ? asOf : holdoutFrom - 1;
  if (calEnd < firstDay) {
    throw new SegkitError('clv', 'calibration_outside_data', `the calibration period would end on ${dayString(calEnd)}, before the first transaction (${dayString(firstDay)})`, {
      where: holdoutFrom === null ? 'option asOf' : 'option holdoutFrom',
      hint: `choose a date between ${dayString(firstDay + 1)} and ${dayString(lastDay)}`,
    });
  }
  if (holdoutFrom !== null && holdoutFrom > asOf) {
    throw new SegkitError('clv', 'calibration_outside_data', `holdoutFrom ${dayString(holdoutFrom)} is after the end of the data (${dayString(asOf)}): the holdout would be empty`, {
      where: 'option holdoutFrom',
      hint: `choose a date between ${dayString(firstDay + 1)} and ${dayString(asOf)}`,
    });
  }
  const returnRows = Number(s.returns);
  if (returnRows > 0) warnings.push(warn('clv', 'returns_left_out', `${returnRows} lines with amount or quantity <= 0 (returns) are left out of purchase occasions`));

  const purchases = rows.filter(isPurchase).withColumns(day.alias('day'));
  const occ =
    occasions === 'day'
      ? purchases.groupBy(['customer_id', 'day']).agg(pl.col('amount').sum().alias('value'))
      : purchases.groupBy(['customer_id', 'invoice']).agg(pl.col('day').min().alias('day'), pl.col('amount').sum().alias('value'));
  const order = occasions === 'day' ? ['day'] : ['day', 'invoice'];
  const afterAsOf = Number(rows.filter(day.gt(asOf)).select(pl.len().alias('n')).collectSync().toRecords()[0].n);
  if (afterAsOf > 0) warnings.push(warn('clv', 'after_as_of', `${afterAsOf} lines after asOf ${dayString(asOf)} are left out`));

  const cal = occ
    .filter(pl.col('day').ltEq(calEnd))
    .groupBy('customer_id')
    .agg(
      pl.col('day').min().alias('first'),
      pl.col('day').max().alias('last'),
      pl.len().cast(pl.Float64).alias('n'),
      pl.col('value').sum().alias('total'),
      pl.col('value').sortBy(order.map((c) => pl.col(c))).first().alias('first_value'),
    )
    .select(
      pl.col('customer_id'),
      pl.col('n').sub(1).alias('frequency'),
      pl.col('last').sub(pl.col('first')).cast(pl.Float64).div(scale).alias('recency'),
      pl.lit(calEnd).sub(pl.col('first')).cast(pl.Float64).div(scale).alias('T'),
      pl.when(pl.col('n').gt(1)).then(pl.col('total').sub(pl.col('first_value')).div(pl.col('n').sub(1))).otherwise(pl.lit(0.0)).alias('monetary'),
      pl.col('first').cast(pl.Date).alias('first_purchase'),
    );
  let table: pl.DataFrame;
  let holdout: ClvSummary['holdout'] = null;
  if (holdoutFrom !== null) {
    const h = occ.filter(pl.col('day').gtEq(holdoutFrom).and(pl.col('day').ltEq(asOf))).groupBy('customer_id').agg(pl.len().cast(pl.Float64).alias('holdout_purchases'), pl.col('value').sum().alias('holdout_value'));
    const joined = cal.join(h, { on: 'customer_id', how: 'left' }).withColumns(pl.col('holdout_purchases').fillNull(0), pl.col('holdout_value').fillNull(0));
    table = joined.collectSync().sort('customer_id');
    const newCustomers = h.join(cal.select('customer_id'), { on: 'customer_id', how: 'anti' }).collectSync().height;
    holdout = { from: dayString(holdoutFrom), to: dayString(asOf), duration: (asOf - calEnd) / scale, newCustomers };
  } else {
    table = cal.collectSync().sort('customer_id');
  }
  const repeatCustomers = table.filter(pl.col('frequency').gt(0)).height;
  if (repeatCustomers === 0) warnings.push(warn('clv', 'no_repeat_customers', `none of the ${table.height} customers bought more than once by ${dayString(calEnd)}: BG/NBD cannot be fitted`));
  return {
    table,
    unit,
    occasions,
    calibrationEnd: dayString(calEnd),
    holdout,
    counts: { rowsIn: df.height, returnRows, afterAsOf, customers: table.height, repeatCustomers },
    warnings,
  };
}
