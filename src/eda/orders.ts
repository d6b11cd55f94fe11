/**
 * The order-level pass `explore` makes once: the lines with their month index, weekday, hour and where each
 * run of one invoice starts, the run starts themselves (about one row per order), and exact checks that
 * say which distinct counts the run starts can give.
 *
 * In real exports an order's lines are adjacent and share one customer, one timestamp and one country.
 * When every invoice is one run of rows, the distinct orders of any group whose key is constant within
 * each run are the run starts in it (a sum of booleans instead of a distinct count of strings); and when
 * customer and key are constant within each run, the distinct (key, customer) pairs of the lines are those
 * of the run starts (~1M rows at 6M lines). Each check that fails sends the tables it affects back to
 * their line-level code. Sums of amounts are never taken from here: they stay in the line-level queries.
 */
import pl from 'nodejs-polars';
import type { TransactionTable } from '../types';
import { countTrue, monthIndexExpr, one } from './common';

export interface OrderPass {
  /** The lines (same rows, same order) plus `__m` (month index), `__wd` (1–7), `__h` (0–23), `__run` (the row starts a run of one non-null invoice). */
  lines: pl.DataFrame;
  /** One row per segment (a run of one invoice, or one line with no invoice): customer_id, country, __m, __run. */
  starts: pl.DataFrame;
  /** Every non-null invoice is one run of rows (so counting `__run` counts distinct invoices). */
  oneRun: boolean;
  /** The customer (null or not) is the same on every line of a run. */
  customer: boolean;
  /** The month is the same on every line of a run. */
  month: boolean;
  /** The weekday and the hour are the same on every line of a run. */
  weekdayHour: boolean;
  /** The country (null or not) is the same on every line of a run. */
  country: boolean;
}

// Hash seeds for the invoice check (a collision can only make the check fail, never pass wrongly).
const SEEDS = [0x5eed, 0x0bad, 0xcafe, 0xf00d] as const;

/**
 * An aggregation Polars cannot split across threads, for the group_bys here that hold float sums and
 * otherwise only sums and counts. With such aggregations only, Polars runs a low-cardinality group_by
 * partitioned (each thread sums its share of a group's rows, then the partial sums are added), which
 * changes the order of additions and the last bits of a sum; the line-level queries had a distinct count
 * among their aggregations, which keeps them on the default path (each group's rows summed in row order).
 * This keeps the new queries on that same path; its value (`__default_path`) is dropped.
 */
const DEFAULT_PATH = (): pl.Expr => pl.col('__run').any().alias('__default_path');

/**
 * `rows` (with `__run`) grouped by `by` with `aggs`, each group's rows added in row order (see DEFAULT_PATH).
 * The query is collected before DEFAULT_PATH's column is dropped: dropped inside the query, Polars would
 * prune that aggregation and split the group_by again.
 */
export function groupInRowOrder(rows: pl.DataFrame | pl.LazyDataFrame, by: string | string[], aggs: pl.Expr[]): pl.DataFrame {
  const grouped = 'collectSync' in rows ? rows.groupBy(by).agg(...aggs, DEFAULT_PATH()).collectSync() : rows.groupBy(by).agg(...aggs, DEFAULT_PATH());
  return grouped.drop('__default_path');
}

/** Same value as the row before, nulls equal to nulls. */
const sameAsPrevious = (name: string): pl.Expr => {
  const c = pl.col(name);
  const p = c.shift(1);
  return c.eq(p).fillNull(false).or(c.isNull().and(p.isNull()));
};

/**
 * The order pass of a cleaned table, or null when orders are not invoices (customer-day orders: every
 * table keeps its line-level code).
 */
export function orderPass(tx: TransactionTable): OrderPass | null {
  if (tx.orders !== 'invoice') return null;
  const invoice = pl.col('invoice');
  // A segment starts where the invoice differs from the row before's, or either is null: every line is in
  // exactly one segment; a line with no invoice is a segment of its own and starts no run.
  const seg = invoice.neq(invoice.shift(1)).fillNull(true);
  // The new columns are computed on their own and put next to the table's (a horizontal concat shares the existing
  // columns as they are; a withColumns on the whole table took about twice as long at 6M lines). Each query below
  // is run on its own, one after the other, so their intermediate columns (a shifted copy of the invoices, of the
  // customer ids…) are never all held at once (the same values as one query).
  const added = pl.concat(
    [
      tx.df.select(monthIndexExpr().alias('__m')),
      tx.df.select(pl.col('date').dt.weekday().cast(pl.Int32).alias('__wd')),
      tx.df.select(pl.col('date').dt.hour().cast(pl.Int32).alias('__h')),
      tx.df.select(seg.alias('__seg'), invoice.isNotNull().alias('__has_invoice')).select(pl.col('__seg').and(pl.col('__has_invoice')).alias('__run'), '__seg'),
    ],
    { how: 'horizontal' },
  );
  const lines = pl.concat([tx.df, added], { how: 'horizontal' });
  const inside = pl.col('__seg').not();
  const bad = (e: pl.Expr, name: string): number => Number(one<Record<string, number>>(lines.select(countTrue(inside.and(e.not())).alias(name)))[name]);
  const checks = {
    customer: bad(sameAsPrevious('customer_id'), 'customer'),
    month: bad(sameAsPrevious('__m'), 'month'),
    weekdayHour: bad(sameAsPrevious('__wd').and(sameAsPrevious('__h')), 'weekdayHour'),
    country: bad(sameAsPrevious('country'), 'country'),
  };
  // (lazily, so only these five columns are filtered, not all of the lines': 10M lines, the pass's peak −0.4 GB)
  const starts = lines.lazy().filter(pl.col('__seg')).select('customer_id', 'country', '__m', '__run', 'invoice').collectSync();
  const runs = one<{ runs: number; distinct: number }>(
    starts
      .filter(pl.col('__run'))
      .select(pl.len().alias('runs'), pl.col('invoice').hash(...SEEDS).nUnique().alias('distinct')),
  );
  return {
    lines: lines.drop('__seg'),
    starts: starts.drop('invoice'),
    oneRun: Number(runs.runs) === Number(runs.distinct),
    customer: Number(checks.customer) === 0,
    month: Number(checks.month) === 0,
    weekdayHour: Number(checks.weekdayHour) === 0,
    country: Number(checks.country) === 0,
  };
}
