/**
 * What the transactions add to profiles and look-ups: top products and countries by revenue (per
 * cluster or per customer) and a monthly purchase timeline. Rows dated after the analysis date are
 * left out, as in RFM.
 */
import pl, { type DataType } from 'nodejs-polars';
import { SegkitError } from '../errors';
import type { TransactionTable } from '../types';

export interface ProductRow {
  /** Product code (or the description when the data has no code). */
  product: string;
  description: string | null;
  revenue: number;
  quantity: number;
  /** Distinct customers who bought it. */
  customers: number;
  /** Share of the group's revenue. */
  share: number;
}

export interface CountryRow {
  country: string;
  customers: number;
  revenue: number;
  share: number;
}

export interface TimelineRow {
  /** YYYY-MM. */
  month: string;
  orders: number;
  spend: number;
}

/** "(unknown)" stands for a missing country. */
export const UNKNOWN_COUNTRY = '(unknown)';

function isTransactionTable(x: unknown): x is TransactionTable {
  return typeof x === 'object' && x !== null && 'df' in x && 'source' in x;
}

/** The canonical columns we need, with `amount` computed when only quantity × unit price are given. */
export function transactionFrame(tx: TransactionTable | pl.DataFrame, asOf?: string | null): pl.DataFrame {
  let df = isTransactionTable(tx) ? tx.df : tx;
  if (!df || typeof df.groupBy !== 'function') {
    throw new SegkitError('profile', 'bad_input', 'transactions must be a TransactionTable (readTransactions / cleanTransactions) or a DataFrame', { where: 'options.transactions' });
  }
  if (!df.columns.includes('customer_id')) {
    throw new SegkitError('profile', 'missing_column', `the transactions have no customer_id column (columns: ${df.columns.join(', ')})`, {
      where: 'options.transactions',
      hint: 'pass the cleaned transactions from cleanTransactions (canonical column names)',
    });
  }
  if (!df.columns.includes('amount')) {
    if (!df.columns.includes('quantity') || !df.columns.includes('unit_price')) {
      throw new SegkitError('profile', 'missing_column', 'the transactions have no amount (nor quantity and unit_price) column', { where: 'options.transactions' });
    }
    df = df.withColumns(pl.col('quantity').cast(pl.Float64).mul(pl.col('unit_price').cast(pl.Float64)).alias('amount'));
  }
  if (asOf && df.columns.includes('date')) {
    const end = new Date(`${asOf}T00:00:00Z`);
    if (!Number.isNaN(end.getTime())) {
      end.setUTCDate(end.getUTCDate() + 1);
      // (no copy of the table when no line is after asOf, as with the default asOf)
      const last = df.getColumn('date').max() as unknown as Date | number | null;
      if (last !== null && +new Date(last) >= end.getTime()) df = df.filter(pl.col('date').lt(end));
    }
  }
  return df.withColumns(pl.col('customer_id').cast(pl.Utf8));
}

/** The product key column: product codes when present, else descriptions, else null. */
function productKey(df: pl.DataFrame): string | null {
  for (const c of ['product', 'description']) if (df.columns.includes(c) && df.getColumn(c).nullCount() < df.height) return c;
  return null;
}

/** The lines with each line's group, for {@link topProductsBy} and {@link topCountriesBy} (see groupLines). */
export interface GroupedLines {
  df: pl.DataFrame;
  lines: pl.LazyDataFrame;
  /** Revenue per group, made once (see groupTotals). */
  totals?: Totals;
}

/**
 * The lines' amount, quantity, product, description and country (those present) with each line's group
 * (`__grp`, Int32) and its customer's row in `groupOf` (`__cix`, UInt32), lines of customers not in the map
 * left out (as an inner join would), in the lines' order. The two key columns come from one left join of the
 * customer ids alone and sit next to the lines' columns, which are not copied; each aggregate then groups
 * those (10M lines, 500k customers: the segment tops' peak above the resident memory 0.76 → 0.4 GB, and
 * 90 → 10 s; bench/memory.md). Pass it to both top functions to join once.
 */
export function groupLines(df: pl.DataFrame, groupOf: pl.DataFrame): GroupedLines {
  const columns = ['amount', 'quantity', 'product', 'description', 'country'].filter((c) => df.columns.includes(c));
  const map = groupOf.select(pl.col('customer_id').cast(pl.Utf8), pl.col('group').cast(pl.Int32).alias('__grp')).withRowIndex('__cix');
  const keys = df.select('customer_id').join(map, { on: 'customer_id', how: 'left' }).select('__grp', '__cix');
  // a customer twice in the map repeats its lines (as an inner join does): joined lazily, with the lines' columns
  if (keys.height !== df.height) return { df, lines: df.lazy().select('customer_id', ...columns).join(map.lazy(), { on: 'customer_id', how: 'inner' }).select(...columns, '__grp', '__cix') };
  const lines = pl.concat([df.select(...columns), keys], { how: 'horizontal' }).lazy();
  return { df, lines: keys.getColumn('__grp').nullCount() > 0 ? lines.filter(pl.col('__grp').isNotNull()) : lines };
}

/**
 * An aggregation Polars cannot split across threads (as DEFAULT_PATH in eda/orders.ts): with it, each group's
 * amounts are added in row order, the same sums whatever the table's chunks and threads (its column is not used).
 */
const ROW_ORDER = (): pl.Expr => pl.col('amount').isNull().any().alias('__row_order');

/**
 * One Int64 key per (group, value of `column`), group × 2^32 + the value's code: grouping by one integer column
 * takes about half the memory of grouping by the two (10M lines: 0.71 → 0.34 GB). The code is a Categorical's
 * (a text column is made Categorical); a null value has its own code (2^32 − 1) within each group.
 */
function pairKey(column: string, dtype: DataType): pl.Expr {
  const code = (String(dtype).includes('Categorical') ? pl.col(column) : pl.col(column).cast(pl.Categorical)).toPhysical().cast(pl.Int64).fillNull(pl.lit(4294967295).cast(pl.Int64));
  return pl.col('__grp').cast(pl.Int64).mul(pl.lit(4294967296).cast(pl.Int64)).add(code).alias('__k');
}

/**
 * The rows of `agg` (columns __grp, key, revenue, …) that the top lists will show: the first `top` of each
 * group 0..k-1 by revenue, ties by the key as text (`ifNull` for a null key), as the shape functions rank them.
 */
function chosenPairs(agg: pl.DataFrame, k: number, top: number, ifNull: string | null): pl.DataFrame {
  const text = ifNull === null ? pl.col('key').cast(pl.Utf8) : pl.col('key').cast(pl.Utf8).fillNull(pl.lit(ifNull));
  const ranked = agg.withColumns(text.alias('__text')).sort(['revenue', '__text'], [true, false]);
  const groups = ranked.getColumn('__grp').toArray() as number[];
  const taken = new Array<number>(k).fill(0);
  const keep = groups.map((g) => {
    if (!(g >= 0 && g < k) || taken[g] >= top) return false;
    taken[g]++;
    return true;
  });
  return ranked.filter(pl.Series('__keep', keep, pl.Bool)).drop('__text');
}

/**
 * Revenue per group ({ grp, total }) from the revenue of every (group, value) pair of `agg` (a missing value is
 * a pair too): the pairs' sums added in the order of the values as text, so the same total on every run (a group_by
 * of the groups' lines adds them in an order that changes from run to run in the last digits). Made once per
 * grouping: products and countries use the same totals.
 */
function groupTotals(g: GroupedLines, agg: pl.DataFrame): Totals {
  if (!g.totals) {
    const pairs = agg.select('__grp', pl.col('key').cast(pl.Utf8).alias('__text'), 'revenue').sort(['__grp', '__text']);
    const groups = pairs.getColumn('__grp').toArray() as number[];
    const revenue = pairs.getColumn('revenue').toArray() as Array<number | null>;
    const total = new Map<number, number>();
    groups.forEach((grp, i) => total.set(grp, (total.get(grp) ?? 0) + (revenue[i] ?? 0)));
    g.totals = [...total].map(([grp, t]) => ({ grp, total: t }));
  }
  return g.totals;
}

/** The lines of the chosen pairs only: their key `__k`, customer `__cix` and `extra` columns. */
function linesOf(lines: pl.LazyDataFrame, key: pl.Expr, chosen: pl.DataFrame, extra: string[] = []): pl.LazyDataFrame {
  return lines.select(key, pl.col('__cix'), ...extra.map((c) => pl.col(c))).join(chosen.lazy().select('__k'), { on: '__k', how: 'semi' });
}

const clean = (s: unknown): string | null => (s === null || s === undefined ? null : String(s).trim() || null);

/**
 * Top products by revenue per group. `groups` maps customer id → group (cluster); the result has one
 * list per group 0..k-1 (empty lists when the data has no product or description column). A product's
 * description is its most frequent one in the group (ties: alphabetical), whatever the row order.
 */
export function topProductsBy(df: pl.DataFrame, groupOf: pl.DataFrame, k: number, top: number, grouped?: GroupedLines): ProductRow[][] {
  const key = productKey(df);
  if (!key) return Array.from({ length: k }, () => []);
  const hasDesc = df.columns.includes('description') && key !== 'description';
  const hasQty = df.columns.includes('quantity');
  const g = grouped ?? groupLines(df, groupOf);
  const lines = g.lines;
  const k64 = pairKey(key, df.getColumn(key).dtype);
  // revenue and quantity per (group, product), each pair's lines added in row order
  let agg = lines
    .select('__grp', k64, pl.col(key), 'amount', ...(hasQty ? ['quantity'] : []))
    .groupBy('__k')
    .agg(
      pl.col('__grp').first(),
      pl.col(key).first().alias('key'),
      pl.col('amount').sum().alias('revenue'),
      (hasQty ? pl.col('quantity').sum() : pl.len()).cast(pl.Float64).alias('quantity'),
      ROW_ORDER(),
    )
    .collectSync();
  const totals = groupTotals(g, agg);
  // (lines without a product count in the totals, not in the lists)
  agg = agg.filter(pl.col('key').isNotNull());
  // customers and descriptions for the pairs shown only
  const chosen = chosenPairs(agg, k, top, null);
  const rows = linesOf(lines, k64, chosen, hasDesc ? ['description'] : []).collectSync();
  const customers = rows.groupBy('__k').agg(pl.col('__cix').nUnique().cast(pl.Int64).alias('customers'));
  const shown = chosen.join(customers, { on: '__k', how: 'left' }).select(pl.col('__grp').alias('grp'), 'key', 'revenue', 'quantity', pl.col('customers').fillNull(0));
  const descs = hasDesc
    ? rows
        .filter(pl.col('description').isNotNull())
        .groupBy(['__k', 'description'])
        .agg(pl.len().cast(pl.Int64).alias('n'))
        .join(chosen.select('__k', '__grp', 'key'), { on: '__k', how: 'inner' })
        .select(pl.col('__grp').alias('grp'), 'key', 'description', 'n')
    : pl.DataFrame({ grp: [], key: [], description: [], n: [] });
  return shapeTopProducts(shown, descs, totals, key as 'product' | 'description', k, top);
}

type Totals = Array<Record<string, unknown>>;

/** Group → total revenue, from rows { grp, total }. */
function totalsOf(totals: Totals): Map<number, number> {
  return new Map(totals.map((t) => [Number(t.grp), Number(t.total)]));
}

/**
 * The top-`top` lists from per (grp, key) aggregates (revenue, quantity, customers) and description
 * counts (grp, key, description, n): shared by the file and database sources. Ties of revenue by key.
 */
export function shapeTopProducts(agg: pl.DataFrame, descs: pl.DataFrame, totals: Totals, key: 'product' | 'description', k: number, top: number): ProductRow[][] {
  const out: ProductRow[][] = Array.from({ length: k }, () => []);
  const total = totalsOf(totals);
  const best = new Map<string, string>();
  if (descs.height) {
    const d = descs.withColumns(pl.col('key').cast(pl.Utf8), pl.col('description').cast(pl.Utf8)).sort(['grp', 'key', 'n', 'description'], [false, false, true, false]).toRecords() as Array<Record<string, unknown>>;
    for (const r of d) {
      const id = `${r.grp}\u0000${r.key}`;
      if (!best.has(id)) best.set(id, String(r.description));
    }
  }
  const rows = agg.withColumns(pl.col('key').cast(pl.Utf8)).sort(['revenue', 'key'], [true, false]).toRecords() as Array<Record<string, unknown>>;
  for (const r of rows) {
    const g = Number(r.grp);
    if (g < 0 || g >= k || out[g].length >= top) continue;
    const product = clean(r.key) ?? '';
    out[g].push({
      product,
      description: key === 'description' ? product : clean(best.get(`${r.grp}\u0000${r.key}`) ?? null),
      revenue: Number(r.revenue),
      quantity: Number(r.quantity),
      customers: Number(r.customers),
      share: (total.get(g) ?? 0) > 0 ? Number(r.revenue) / total.get(g)! : 0,
    });
  }
  return out;
}

/** Top countries by revenue per group (empty lists without a country column). */
export function topCountriesBy(df: pl.DataFrame, groupOf: pl.DataFrame, k: number, top: number, grouped?: GroupedLines): CountryRow[][] {
  if (!df.columns.includes('country') || df.getColumn('country').nullCount() === df.height) return Array.from({ length: k }, () => []);
  const g = grouped ?? groupLines(df, groupOf);
  const lines = g.lines;
  const k64 = pairKey('country', df.getColumn('country').dtype);
  // revenue per (group, country), a missing country included ("(unknown)"), each pair's lines added in row order
  const agg = lines
    .select('__grp', k64, 'country', 'amount')
    .groupBy('__k')
    .agg(pl.col('__grp').first(), pl.col('country').first().alias('key'), pl.col('amount').sum().alias('revenue'), ROW_ORDER())
    .collectSync();
  const totals = groupTotals(g, agg);
  const chosen = chosenPairs(agg, k, top, UNKNOWN_COUNTRY);
  // distinct customers of the pairs shown (whole numbers: counted on the streaming engine, which holds no copy of the lines)
  const customers = linesOf(lines, k64, chosen).groupBy('__k').agg(pl.col('__cix').nUnique().cast(pl.Int64).alias('customers')).collectSync({ engine: 'streaming' });
  const shown = chosen.join(customers, { on: '__k', how: 'left' }).select(pl.col('__grp').alias('grp'), 'key', 'revenue', pl.col('customers').fillNull(0));
  return shapeTopCountries(shown, totals, k, top);
}

/** The top-`top` country lists from per (grp, key) aggregates (revenue, customers); a null key is "(unknown)". */
export function shapeTopCountries(agg: pl.DataFrame, totals: Totals, k: number, top: number): CountryRow[][] {
  const out: CountryRow[][] = Array.from({ length: k }, () => []);
  const total = totalsOf(totals);
  const rows = agg.withColumns(pl.col('key').cast(pl.Utf8).fillNull(pl.lit(UNKNOWN_COUNTRY))).sort(['revenue', 'key'], [true, false]).toRecords() as Array<Record<string, unknown>>;
  for (const r of rows) {
    const g = Number(r.grp);
    if (g < 0 || g >= k || out[g].length >= top) continue;
    out[g].push({
      country: String(r.key),
      customers: Number(r.customers),
      revenue: Number(r.revenue),
      share: (total.get(g) ?? 0) > 0 ? Number(r.revenue) / total.get(g)! : 0,
    });
  }
  return out;
}

/** Orders and spend by calendar month (UTC) of one customer's rows; months without purchases are filled with zeros. */
export function monthlyTimeline(rows: pl.DataFrame, orders: 'invoice' | 'customer-day'): TimelineRow[] {
  if (!rows.columns.includes('date') || rows.height === 0) return [];
  const byInvoice = orders === 'invoice' && rows.columns.includes('invoice') && rows.getColumn('invoice').nullCount() < rows.height;
  const agg = rows
    .filter(pl.col('date').isNotNull())
    .withColumns(pl.col('date').dt.strftime('%Y-%m').alias('month'), pl.col('date').dt.strftime('%Y-%m-%d').alias('day'))
    .groupBy('month')
    .agg(pl.col('amount').sum().alias('spend'), (byInvoice ? pl.col('invoice') : pl.col('day')).nUnique().cast(pl.Int64).alias('orders'))
    .sort('month')
    .toRecords() as Array<{ month: string; spend: number; orders: number | bigint }>;
  if (!agg.length) return [];
  const got = new Map(agg.map((r) => [r.month, r]));
  const out: TimelineRow[] = [];
  let [y, m] = agg[0].month.split('-').map(Number);
  const last = agg[agg.length - 1].month;
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    const r = got.get(month);
    out.push({ month, orders: r ? Number(r.orders) : 0, spend: r ? r.spend : 0 });
    if (month >= last) break;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
