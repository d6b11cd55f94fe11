/** Top countries and products, by revenue and by customers. */
import pl from 'nodejs-polars';
import type { TransactionTable } from '../types';
import { countTrue, one, orderKey, whereNotNull } from './common';
import { groupInRowOrder, type OrderPass } from './orders';

export type TopBy = 'revenue' | 'customers';

/**
 * Every value of `key` ('country' or 'product') with revenue, revenue_share, customers, customer_share,
 * orders (and quantity for products), unsorted. Rank it with {@link rankTop}.
 */
export function groupTotals(tx: TransactionTable, key: 'country' | 'product', orders?: OrderPass | null): pl.DataFrame {
  if (key === 'country' && orders?.country && orders.customer && orders.oneRun) return countryTotalsFromOrders(orders);
  // lazy queries: the filtered rows are never materialised as a table of their own
  const df = whereNotNull(tx.df.lazy(), tx.df, key);
  const totals = one<{ revenue: number; customers: number }>(df.select(pl.col('amount').sum().alias('revenue'), pl.col('customer_id').dropNulls().nUnique().alias('customers')).collectSync());
  return withShares(
    df.groupBy(key).agg(
      pl.col('amount').sum().alias('revenue'),
      pl.col('customer_id').dropNulls().nUnique().cast(pl.Int64).alias('customers'),
      orderKey(tx).dropNulls().nUnique().cast(pl.Int64).alias('orders'),
      ...(key === 'product' ? [pl.col('quantity').sum().alias('quantity')] : []),
    ),
    totals,
  );
}

/**
 * groupTotals by country when country and customer are constant within each run and every invoice is one
 * run: customers and orders from the run starts; revenue (totals and per country) on the lines as before.
 */
function countryTotalsFromOrders(o: OrderPass): pl.DataFrame {
  const df = whereNotNull(o.lines.lazy(), o.lines, 'country');
  const starts = whereNotNull(o.starts.lazy(), o.starts, 'country');
  const totals = {
    ...one<{ revenue: number }>(df.select(pl.col('amount').sum().alias('revenue')).collectSync()),
    ...one<{ customers: number }>(starts.select(pl.col('customer_id').dropNulls().nUnique().alias('customers')).collectSync()),
  };
  const revenue = groupInRowOrder(df, 'country', [pl.col('amount').sum().alias('revenue')]).lazy();
  const counts = starts
    .groupBy('country')
    .agg(pl.col('customer_id').dropNulls().nUnique().cast(pl.Int64).alias('customers'), countTrue(pl.col('__run')).cast(pl.Int64).alias('orders'));
  return withShares(revenue.join(counts, { on: 'country', how: 'left' }).select('country', 'revenue', 'customers', 'orders'), totals);
}

function withShares(grouped: pl.LazyDataFrame, totals: { revenue: number; customers: number }): pl.DataFrame {
  return grouped
    .withColumns(
      pl.col('revenue').div(Number(totals.revenue) || 1).round(4).alias('revenue_share'),
      pl.col('customers').cast(pl.Float64).div(Number(totals.customers) || 1).round(4).alias('customer_share'),
      pl.col('revenue').round(2).alias('revenue'),
    )
    .collectSync();
}

const descriptionCache = new WeakMap<pl.DataFrame, pl.DataFrame>();

/**
 * Lines per (product, description), both as text: grouped on the columns as they are (a Categorical
 * groups by its codes) and cast on the few result rows, not on every line. Cached per table.
 */
function descriptionCounts(tx: TransactionTable): pl.DataFrame {
  let d = descriptionCache.get(tx.df);
  if (!d) {
    d = tx.df
      .lazy()
      .filter(pl.col('product').isNotNull().and(pl.col('description').isNotNull()))
      .groupBy(['product', 'description'])
      .agg(pl.len().alias('__n'))
      .select(pl.col('product').cast(pl.Utf8), pl.col('description').cast(pl.Utf8), pl.col('__n'))
      .collectSync();
    descriptionCache.set(tx.df, d);
  }
  return d;
}

/** The first `n` rows of a {@link groupTotals} table by `by` (ties by key), with product descriptions when `tx` is given. */
export function rankTop(totals: pl.DataFrame, key: 'country' | 'product', n: number, by: TopBy, tx?: TransactionTable): pl.DataFrame {
  let top = totals.withColumns(pl.col(key).cast(pl.Utf8)).sort([by, key], [true, false]).head(n);
  if (key === 'product') {
    // the most frequent description of each top product (ties: alphabetical)
    const codes = top.getColumn('product').toArray() as string[];
    const desc = tx
      ? descriptionCounts(tx)
          .filter(pl.col('product').isIn(codes))
          .sort(['product', '__n', 'description'], [false, true, false])
          .groupBy('product')
          .agg(pl.col('description').first().alias('description'))
      : pl.DataFrame({ product: pl.Series('product', [], pl.Utf8), description: pl.Series('description', [], pl.Utf8) });
    top = top.join(desc, { on: 'product', how: 'left' });
  }
  const order = [key, ...(key === 'product' ? ['description'] : []), 'revenue', 'revenue_share', 'customers', 'customer_share', 'orders', ...(key === 'product' ? ['quantity'] : [])];
  return top.select(...order).sort([by, key], [true, false]);
}

/** Countries ranked by `by`: country, revenue, revenue_share, customers, customer_share, orders; the first `n`. */
export function topCountries(tx: TransactionTable, n = 10, by: TopBy = 'revenue'): pl.DataFrame {
  return rankTop(groupTotals(tx, 'country'), 'country', n, by);
}

/** Products ranked by `by`: product, description (most frequent), revenue, revenue_share, customers, customer_share, orders, quantity. */
export function topProducts(tx: TransactionTable, n = 10, by: TopBy = 'revenue'): pl.DataFrame {
  return rankTop(groupTotals(tx, 'product'), 'product', n, by, tx);
}
