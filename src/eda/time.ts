/** Activity over time: monthly revenue/orders/customers, weekday × hour, cancellations and returns. */
import pl from 'nodejs-polars';
import type { TransactionTable } from '../types';
import { WEEKDAYS, countTrue, monthFrame, monthIndexExpr, orderKey, whereNotNull } from './common';
import { groupInRowOrder, type OrderPass } from './orders';

/**
 * One row per calendar month "YYYY-MM" (months without sales included, with zeros): revenue, orders,
 * lines, active_customers (distinct customers buying that month), new_customers (customers whose first
 * purchase in the data falls in that month; the first month counts everyone already active).
 */
export function monthlyActivity(tx: TransactionTable, orders?: OrderPass | null): pl.DataFrame {
  if (orders?.month && orders.customer && orders.oneRun) return monthlyFromOrders(orders);
  // grouped by an integer month (see monthIndexExpr), in lazy queries Polars runs in one go
  const df = tx.df.lazy().select(monthIndexExpr().alias('__m'), pl.col('customer_id'), pl.col('amount'), orderKey(tx).alias('__order'));
  const firsts = newCustomers(df, tx.df);
  const byMonth = df
    .groupBy('__m')
    .agg(
      pl.col('amount').sum().alias('revenue'),
      pl.col('__order').dropNulls().nUnique().cast(pl.Int64).alias('orders'),
      pl.len().cast(pl.Int64).alias('lines'),
      pl.col('customer_id').dropNulls().nUnique().cast(pl.Int64).alias('active_customers'),
    )
    .collectSync();
  return monthlyTable(byMonth, firsts);
}

/**
 * monthlyActivity when month and customer are constant within each run and every invoice is one run:
 * orders are run starts per month; active and new customers come from the run starts. Revenue and lines
 * stay on the lines, grouped by the same month (the same sums, added in the same order).
 */
function monthlyFromOrders(o: OrderPass): pl.DataFrame {
  const starts = o.starts.lazy();
  const firsts = newCustomers(starts, o.starts);
  const lineAgg = groupInRowOrder(o.lines.lazy().select(pl.col('__m'), pl.col('amount'), pl.col('__run')), '__m', [
    pl.col('amount').sum().alias('revenue'),
    countTrue(pl.col('__run')).cast(pl.Int64).alias('orders'),
    pl.len().cast(pl.Int64).alias('lines'),
  ]);
  const active = starts.groupBy('__m').agg(pl.col('customer_id').dropNulls().nUnique().cast(pl.Int64).alias('active_customers'));
  const byMonth = lineAgg.lazy().join(active, { on: '__m', how: 'left' }).collectSync();
  return monthlyTable(byMonth, firsts);
}

/** New customers per month index `__m`: customers counted in the month of their first row (`table`: where the rows come from). */
function newCustomers(rows: pl.LazyDataFrame, table: pl.DataFrame): pl.LazyDataFrame {
  return whereNotNull(rows, table, 'customer_id')
    .groupBy('customer_id')
    .agg(pl.col('__m').min().alias('__m'))
    .groupBy('__m')
    .agg(pl.len().cast(pl.Int64).alias('new_customers'));
}

/** The monthly table from per-month sums (`__m`, revenue, orders, lines, active_customers) and new customers per month: files and databases. */
export function monthlyTable(byMonth: pl.DataFrame, firsts: pl.LazyDataFrame): pl.DataFrame {
  return monthFrame(byMonth.getColumn('__m').toArray() as number[])
    .lazy()
    .join(byMonth.lazy(), { on: '__m', how: 'left' })
    .join(firsts, { on: '__m', how: 'left' })
    .sort('__m')
    .select(
      pl.col('month'),
      pl.col('revenue').fillNull(0).round(2).alias('revenue'),
      ...['orders', 'lines', 'active_customers', 'new_customers'].map((c) => pl.col(c).fillNull(0).cast(pl.Int64).alias(c)),
    )
    .collectSync();
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
export function weekdayHour(tx: TransactionTable, orders?: OrderPass | null): pl.DataFrame {
  // With the order pass (weekday and hour constant within each run, every invoice one run), orders are run starts per cell.
  const agg =
    orders?.weekdayHour && orders.oneRun
      ? groupInRowOrder(
          orders.lines.select(pl.col('__wd').alias('weekday'), pl.col('__h').alias('hour'), pl.col('amount'), pl.col('__run')),
          ['weekday', 'hour'],
          [pl.col('amount').sum().alias('revenue'), countTrue(pl.col('__run')).cast(pl.Int64).alias('orders'), pl.len().cast(pl.Int64).alias('lines')],
        )
      : tx.df
          .select(pl.col('date').dt.weekday().cast(pl.Int32).alias('weekday'), pl.col('date').dt.hour().cast(pl.Int32).alias('hour'), pl.col('amount'), orderKey(tx).alias('__order'))
          .groupBy(['weekday', 'hour'])
          .agg(pl.col('amount').sum().alias('revenue'), pl.col('__order').dropNulls().nUnique().cast(pl.Int64).alias('orders'), pl.len().cast(pl.Int64).alias('lines'));
  return weekdayHourTable(agg);
}

/** The 168-cell weekday × hour table from per-cell sums (weekday 1–7, hour, revenue, orders, lines): files and databases. */
export function weekdayHourTable(agg: pl.DataFrame): pl.DataFrame {
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
  // (sums of the rows that match as when/then sums: a filter inside an aggregation is Polars' slow path)
  const sumWhere = (cond: pl.Expr): pl.Expr => pl.when(cond).then(pl.col('amount')).otherwise(pl.lit(0)).sum();
  const agg = raw.df
    .lazy()
    .select(monthIndexExpr().alias('__m'), cancelled.alias('__c'), pl.col('quantity'), pl.col('amount'))
    .groupBy('__m')
    .agg(
      pl.len().cast(pl.Int64).alias('lines'),
      countTrue(pl.col('__c')).cast(pl.Int64).alias('cancelled_lines'),
      countTrue(pl.col('quantity').lt(0).fillNull(false)).cast(pl.Int64).alias('return_lines'),
      sumWhere(pl.col('amount').gt(0).and(pl.col('__c').not())).alias('sales'),
      sumWhere(pl.col('__c')).mul(-1).alias('cancelled_amount'),
    )
    .collectSync();
  return cancellationTable(agg);
}

/**
 * The cancellations table from per-month sums (`__m`, lines, cancelled_lines, return_lines, sales,
 * cancelled_amount): months filled, rates and shares (files and databases).
 */
export function cancellationTable(agg: pl.DataFrame): pl.DataFrame {
  return monthFrame(agg.getColumn('__m').toArray() as number[])
    .join(agg, { on: '__m', how: 'left' })
    .sort('__m')
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
    );
}
