/** Activity over time: monthly revenue/orders/customers, weekday × hour, cancellations and returns. */
import pl from 'nodejs-polars';
import type { TransactionTable } from '../types';
import { WEEKDAYS, countTrue, monthExpr, orderKey } from './common';

/**
 * One row per calendar month "YYYY-MM" (months without sales included, with zeros): revenue, orders,
 * lines, active_customers (distinct customers buying that month), new_customers (customers whose first
 * purchase in the data falls in that month; the first month counts everyone already active).
 */
export function monthlyActivity(tx: TransactionTable): pl.DataFrame {
  const df = tx.df.withColumns(monthExpr().alias('month'));
  const firsts = df
    .filter(pl.col('customer_id').isNotNull())
    .groupBy('customer_id')
    .agg(pl.col('month').min().alias('month'))
    .groupBy('month')
    .agg(pl.len().cast(pl.Int64).alias('new_customers'));
  const byMonth = df
    .groupBy('month')
    .agg(
      pl.col('amount').sum().alias('revenue'),
      orderKey(tx).dropNulls().nUnique().cast(pl.Int64).alias('orders'),
      pl.len().cast(pl.Int64).alias('lines'),
      pl.col('customer_id').dropNulls().nUnique().cast(pl.Int64).alias('active_customers'),
    );
  const months = allMonths(byMonth.getColumn('month').toArray() as string[]);
  const frame = pl.DataFrame({ month: months });
  return frame
    .join(byMonth, { on: 'month', how: 'left' })
    .join(firsts, { on: 'month', how: 'left' })
    .select(
      pl.col('month'),
      pl.col('revenue').fillNull(0).round(2).alias('revenue'),
      ...['orders', 'lines', 'active_customers', 'new_customers'].map((c) => pl.col(c).fillNull(0).cast(pl.Int64).alias(c)),
    )
    .sort('month');
}

/** Every "YYYY-MM" from the earliest to the latest given. */
export function allMonths(present: string[]): string[] {
  const ms = present.filter(Boolean).sort();
  if (!ms.length) return [];
  const [y0, m0] = ms[0].split('-').map(Number);
  const [y1, m1] = ms[ms.length - 1].split('-').map(Number);
  const out: string[] = [];
  for (let y = y0, m = m0; y < y1 || (y === y1 && m <= m1); m === 12 ? ((m = 1), y++) : m++) out.push(`${y}-${String(m).padStart(2, '0')}`);
  return out;
}

/** Revenue, orders and lines by weekday (1 = Monday … 7 = Sunday, with its name) and hour 0–23; all 168 cells. */
export function weekdayHour(tx: TransactionTable): pl.DataFrame {
  const agg = tx.df
    .select(pl.col('date').dt.weekday().cast(pl.Int32).alias('weekday'), pl.col('date').dt.hour().cast(pl.Int32).alias('hour'), pl.col('amount'), orderKey(tx).alias('__order'))
    .groupBy(['weekday', 'hour'])
    .agg(pl.col('amount').sum().alias('revenue'), pl.col('__order').dropNulls().nUnique().cast(pl.Int64).alias('orders'), pl.len().cast(pl.Int64).alias('lines'));
  const grid = pl.DataFrame({
    weekday: pl.Series('weekday', Array.from({ length: 168 }, (_, i) => Math.floor(i / 24) + 1), pl.Int32),
    hour: pl.Series('hour', Array.from({ length: 168 }, (_, i) => i % 24), pl.Int32),
  });
  return grid
    .join(agg, { on: ['weekday', 'hour'], how: 'left' })
    .select(
      pl.col('weekday'),
      pl.col('weekday').replaceStrict([1, 2, 3, 4, 5, 6, 7], [...WEEKDAYS]).alias('weekday_name'),
      pl.col('hour'),
      pl.col('revenue').fillNull(0).round(2),
      pl.col('orders').fillNull(0).cast(pl.Int64),
      pl.col('lines').fillNull(0).cast(pl.Int64),
    )
    .sort(['weekday', 'hour']);
}

/**
 * Cancellations and returns per month, on the raw (uncleaned) table: lines, cancelled_lines (invoice
 * starting with `prefix`), cancel_rate, return_lines (quantity < 0, cancelled or not), return_rate,
 * sales (Σ positive amounts), cancelled_amount (−Σ amount of cancelled lines), cancelled_share.
 */
export function cancellations(raw: TransactionTable, prefix = 'C'): pl.DataFrame {
  const cancelled = raw.orders === 'invoice' ? pl.col('invoice').str.startsWith(prefix).fillNull(false) : pl.lit(false);
  const agg = raw.df
    .select(monthExpr().alias('month'), cancelled.alias('__c'), pl.col('quantity'), pl.col('amount'))
    .groupBy('month')
    .agg(
      pl.len().cast(pl.Int64).alias('lines'),
      countTrue(pl.col('__c')).cast(pl.Int64).alias('cancelled_lines'),
      countTrue(pl.col('quantity').lt(0).fillNull(false)).cast(pl.Int64).alias('return_lines'),
      pl.col('amount').filter(pl.col('amount').gt(0).and(pl.col('__c').not())).sum().alias('sales'),
      pl.col('amount').filter(pl.col('__c')).sum().mul(-1).alias('cancelled_amount'),
    );
  const months = allMonths(agg.getColumn('month').toArray() as string[]);
  return pl
    .DataFrame({ month: months })
    .join(agg, { on: 'month', how: 'left' })
    .select(
      pl.col('month'),
      pl.col('lines').fillNull(0).cast(pl.Int64),
      pl.col('cancelled_lines').fillNull(0).cast(pl.Int64),
      pl.when(pl.col('lines').gt(0)).then(pl.col('cancelled_lines').cast(pl.Float64).div(pl.col('lines').cast(pl.Float64))).otherwise(pl.lit(null)).round(4).alias('cancel_rate'),
      pl.col('return_lines').fillNull(0).cast(pl.Int64),
      pl.when(pl.col('lines').gt(0)).then(pl.col('return_lines').cast(pl.Float64).div(pl.col('lines').cast(pl.Float64))).otherwise(pl.lit(null)).round(4).alias('return_rate'),
      pl.col('sales').fillNull(0).round(2),
      pl.col('cancelled_amount').fillNull(0).round(2),
      pl.when(pl.col('sales').gt(0)).then(pl.col('cancelled_amount').div(pl.col('sales'))).otherwise(pl.lit(null)).round(4).alias('cancelled_share'),
    )
    .sort('month');
}
