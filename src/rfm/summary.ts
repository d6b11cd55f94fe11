/**
 * The segment summary: per segment customers, orders, revenue, their shares, average order value and
 * median R, F, M; sorted by revenue (largest first).
 */
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import type { RfmResult, ScoreThresholds } from '../types';

export const SUMMARY_COLUMNS = [
  'segment',
  'customers',
  'customer_share',
  'orders',
  'revenue',
  'revenue_share',
  'avg_order_value',
  'median_recency_days',
  'median_frequency',
  'median_monetary',
] as const;

export interface SummaryOptions {
  /** Also list segments of the rule table that no customer fell into (zeros). Default false. */
  includeEmpty?: boolean;
}

/**
 * One row per segment: customers, customer_share (0..1), orders (Σ frequency), revenue (Σ monetary),
 * revenue_share (0..1), avg_order_value (revenue / orders), median recency_days, frequency, monetary.
 */
export function segmentSummary(result: RfmResult | pl.DataFrame, options: SummaryOptions = {}): pl.DataFrame {
  const df = typeof (result as pl.DataFrame).groupBy === 'function' ? (result as pl.DataFrame) : (result as RfmResult).table;
  const missing = ['segment', 'recency_days', 'frequency', 'monetary'].filter((c) => !df.columns.includes(c));
  if (missing.length) {
    throw new SegkitError('rfm', 'missing_column', `the customer table has no ${missing.join(', ')} column`, { where: 'segmentSummary input', hint: 'summarise the result of rfm() or segmentRfm()' });
  }
  const totalCustomers = df.height;
  const totalRevenue = df.getColumn('monetary').sum() as number;
  let s = df
    .groupBy('segment')
    .agg(
      pl.len().cast(pl.Int64).alias('customers'),
      pl.col('frequency').cast(pl.Int64).sum().alias('orders'),
      pl.col('monetary').sum().alias('revenue'),
      pl.col('recency_days').median().alias('median_recency_days'),
      pl.col('frequency').median().alias('median_frequency'),
      pl.col('monetary').median().alias('median_monetary'),
    );
  const rules = (result as { rules?: { rules: Array<{ segment: string }> } }).rules;
  if (options.includeEmpty && rules) {
    const present = new Set(s.getColumn('segment').toArray() as string[]);
    const empty = [...new Set(rules.rules.map((r) => r.segment))].filter((x) => !present.has(x));
    if (empty.length) {
      const zeros = pl.DataFrame({ segment: empty }).select(
        pl.col('segment'),
        pl.lit(0).cast(pl.Int64).alias('customers'),
        pl.lit(0).cast(pl.Int64).alias('orders'),
        pl.lit(0).cast(pl.Float64).alias('revenue'),
        pl.lit(null).cast(pl.Float64).alias('median_recency_days'),
        pl.lit(null).cast(pl.Float64).alias('median_frequency'),
        pl.lit(null).cast(pl.Float64).alias('median_monetary'),
      );
      s = pl.concat([s.select(...zeros.columns).withColumns(pl.col('median_recency_days').cast(pl.Float64), pl.col('median_frequency').cast(pl.Float64)), zeros]);
    }
  }
  return s
    .withColumns(
      pl.col('customers').div(totalCustomers).alias('customer_share'),
      pl.col('revenue').div(totalRevenue).alias('revenue_share'),
      pl.when(pl.col('orders').gt(0)).then(pl.col('revenue').div(pl.col('orders'))).otherwise(pl.lit(null)).cast(pl.Float64).alias('avg_order_value'),
    )
    .sort(['revenue', 'customers', 'segment'], [true, true, false])
    .select(...SUMMARY_COLUMNS);
}

/** The thresholds behind the scores as a table: dimension, score, min, max, customers (and the cut points used). */
export function thresholdTable(thresholds: ScoreThresholds[]): pl.DataFrame {
  const rows = thresholds.flatMap((t) =>
    t.ranges.map((r) => ({
      dimension: t.dimension,
      score: r.score,
      min: r.min,
      max: r.max,
      customers: r.customers,
      method: t.method,
      cuts: t.cuts ? t.cuts.map((c) => +c.toFixed(6)).join(', ') : '',
    })),
  );
  return pl.DataFrame(rows).select(
    pl.col('dimension').cast(pl.Utf8),
    pl.col('score').cast(pl.Int32),
    pl.col('min').cast(pl.Float64),
    pl.col('max').cast(pl.Float64),
    pl.col('customers').cast(pl.Int64),
    pl.col('method').cast(pl.Utf8),
    pl.col('cuts').cast(pl.Utf8),
  );
}
