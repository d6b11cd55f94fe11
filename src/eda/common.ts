/** Small helpers shared by the EDA tables. */
import pl from 'nodejs-polars';
import type { TransactionTable } from '../types';

/** An expression identifying an order: the invoice, or "customer|YYYY-MM-DD" when the file has no invoice column. */
export function orderKey(tx: Pick<TransactionTable, 'orders'>): pl.Expr {
  return tx.orders === 'invoice'
    ? pl.col('invoice')
    : (pl.concatString([pl.col('customer_id'), pl.col('date').dt.strftime('%Y-%m-%d')], '|') as pl.Expr);
}

/** Month of the date as text "YYYY-MM". */
export const monthExpr = (): pl.Expr => pl.col('date').dt.strftime('%Y-%m');

/**
 * Month of the date as a whole number, year × 12 + month − 1: grouping millions of rows by it is much
 * cheaper than by formatted text; {@link monthFrame} turns the few results back into "YYYY-MM".
 */
export const monthIndexExpr = (): pl.Expr => pl.col('date').dt.year().cast(pl.Int32).mul(12).add(pl.col('date').dt.month().cast(pl.Int32)).sub(1).cast(pl.Int32);

/** "YYYY-MM" of a month index. */
export const monthText = (i: number): string => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/** Every month from the first to the last index given (gaps filled): columns `__m` (the index) and `month` ("YYYY-MM"). */
export function monthFrame(present: ArrayLike<number | null>): pl.DataFrame {
  const ms = Array.from(present).filter((m): m is number => m !== null && Number.isFinite(m));
  const lo = ms.length ? Math.min(...ms) : 0;
  const hi = ms.length ? Math.max(...ms) : -1;
  const idx = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  return pl.DataFrame({ __m: pl.Series('__m', Int32Array.from(idx), pl.Int32), month: pl.Series('month', idx.map(monthText), pl.Utf8) });
}

/** Round a float expression to `d` decimals. */
export const round = (e: pl.Expr, d = 2): pl.Expr => e.round(d);

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** First record of a one-row aggregate. */
export function one<T = Record<string, unknown>>(df: pl.DataFrame): T {
  return (df.toRecords()[0] ?? {}) as unknown as T;
}

/** Count of true values (a Boolean Series' sum() is a boolean in nodejs-polars 0.26). */
export const countTrue = (e: pl.Expr): pl.Expr => e.cast(pl.UInt32).sum();

/** ISO "YYYY-MM-DD HH:MM" of a date (UTC = naive), or null. */
export const isoMinute = (d: Date | null | undefined): string | null => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : null);

/**
 * `rows` where `column` is not null; no filter when that column of `table` (the rows' source) has no nulls: a
 * filter copies the rows it keeps, here every one of them, and the query holds the copy while it groups
 * (10M lines: up to ~0.4 GB). The same rows in the same order either way.
 */
export function whereNotNull(rows: pl.LazyDataFrame, table: pl.DataFrame, column: string): pl.LazyDataFrame {
  return table.getColumn(column).nullCount() > 0 ? rows.filter(pl.col(column).isNotNull()) : rows;
}
