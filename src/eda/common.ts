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
