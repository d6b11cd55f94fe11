/** Per-customer figures, their distributions, and the most extreme lines and customers. */
import pl from 'nodejs-polars';
import type { TransactionTable } from '../types';
import { countTrue, orderKey, whereNotNull } from './common';
import { groupInRowOrder, type OrderPass } from './orders';
import { numericSummary } from './numeric';

/**
 * One row per customer (customers with an id): customer_id, orders, lines, items (Σ quantity), revenue,
 * first_purchase, last_purchase, avg_order_value. Sorted by revenue, descending (ties by id).
 */
export function customerTable(tx: TransactionTable, orders?: OrderPass | null): pl.DataFrame {
  // With the order pass (customer constant within each run, every invoice one run), a customer's orders are its run starts.
  const fromRuns = Boolean(orders?.customer && orders.oneRun);
  const aggs = [
    (fromRuns ? countTrue(pl.col('__run')) : orderKey(tx).dropNulls().nUnique()).cast(pl.Int64).alias('orders'),
    pl.len().cast(pl.Int64).alias('lines'),
    pl.col('quantity').sum().alias('items'),
    pl.col('amount').sum().round(2).alias('revenue'),
    pl.col('date').min().alias('first_purchase'),
    pl.col('date').max().alias('last_purchase'),
  ];
  const grouped =
    fromRuns && orders
      ? groupInRowOrder(whereNotNull(orders.lines.lazy(), orders.lines, 'customer_id'), 'customer_id', aggs).lazy()
      : whereNotNull(tx.df.lazy(), tx.df, 'customer_id').groupBy('customer_id').agg(...aggs);
  return grouped
    .withColumns(pl.col('revenue').div(pl.col('orders')).round(2).alias('avg_order_value'))
    .sort(['revenue', 'customer_id'], [true, false])
    .collectSync();
}

/** Quantile summary of the per-customer orders, revenue, items and average order value. */
export function customerSummary(customers: pl.DataFrame): pl.DataFrame {
  return numericSummary(customers, ['orders', 'revenue', 'items', 'avg_order_value']);
}

/**
 * The `n` lines with the largest absolute amount, on whatever table is given (use the raw one to see
 * cancellations and adjustments next to the big orders): customer_id, invoice, date, product,
 * description, quantity, unit_price, amount.
 */
export function extremeLines(tx: TransactionTable, n = 10): pl.DataFrame {
  // The n-th largest |amount| is found on that one column; only the rows at or above it (the top n and
  // their ties) are then sorted, stably, so the result is the full stable sort's first n rows.
  const abs = pl.col('amount').abs();
  const top = tx.df.select(abs.alias('a')).getColumn('a').dropNulls();
  if (top.length === 0 || n <= 0) return tx.df.head(0).select(...EXTREME_COLUMNS);
  const cut = Number(top.sort({ descending: true }).gather([Math.min(n, top.length) - 1]).get(0));
  return tx.df
    .filter(abs.gtEq(cut))
    .withColumns(abs.alias('__abs'))
    .sort('__abs', true, false, true)
    .head(n)
    .select(...EXTREME_COLUMNS);
}

const EXTREME_COLUMNS = ['customer_id', 'invoice', 'date', 'product', 'description', 'quantity', 'unit_price', 'amount'];

/** The `n` customers with the most revenue, with their share of all revenue. */
export function topCustomers(customers: pl.DataFrame, n = 10): pl.DataFrame {
  const total = Number(customers.getColumn('revenue').sum()) || 1;
  return customers
    .head(n)
    .withColumns(pl.col('revenue').div(total).round(4).alias('revenue_share'))
    .select('customer_id', 'revenue', 'revenue_share', 'orders', 'items', 'first_purchase', 'last_purchase');
}
