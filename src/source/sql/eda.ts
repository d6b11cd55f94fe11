/**
 * The EDA tables in SQL: the same tables as eda/explore.ts computes from a file (same columns, types,
 * order and rounding), from aggregate queries run where the data lives.
 *
 *   raw     ─► per month: lines, cancellations, returns, sales, and each column's non-null count (missing)
 *           ─► the n lines with the largest |amount| (extreme lines)
 *   cleaned ─► one overview row · value → count of quantity, unit_price, amount (numeric summary, histograms)
 *           ─► per month · per weekday × hour · per country · per product · per customer
 *
 * Only aggregates come back (at most one row per customer, product or distinct line value); the shaping
 * after the query is the file path's own code wherever it takes a small table (customerSummary, histogram
 * and topCustomers on the customer table, rankTop on the group totals, monthFrame for the month grid), and
 * a line-for-line copy of it where the file path's function takes the lines (noted at each copy).
 *
 * Sums are exact (dialect.exactSum / sumIf), so they do not depend on the order in which the database adds
 * rows; the file path adds Float64s in row order. The two agree to ~1e-12 relative; a figure rounded to 2
 * decimals could in principle differ by one cent when the exact total sits on a half cent.
 */
import pl, { type DataType } from 'nodejs-polars';
import { customerSummary, topCustomers } from '../../eda/customers';
import { isoMinute } from '../../eda/common';
import { EXPLORE_DEFAULTS, type EdaTables, type ExploreOptions } from '../../eda/explore';
import { equalWidthTable, type Histogram, histogram, SUMMARY_QUANTILES, wholeNumberEdges } from '../../eda/numeric';
import { rankTop, type TopBy } from '../../eda/top';
import { missingTable } from '../../eda/overview';
import { cancellationTable, monthlyTable, weekdayHourTable } from '../../eda/time';
import { SegkitError } from '../../errors';
import type { ColumnMapping, QualityRecord } from '../../types';
import { CANONICAL_COLUMNS } from '../../types';
import { type Row, type SqlClient, dateOfText, num } from './client';
import type { Dialect, Params } from './dialect';
import { flatSql, measures, perShardSql, type Grouped } from './shards';

export interface ExploreSqlInput {
  /** FROM-able relation of the canonical columns of every row before cleaning (a table, or a parenthesised SELECT): missing values, cancellations, extreme lines. */
  raw: string;
  /** FROM-able relation of the cleaned rows (a table name or a parenthesised subquery). */
  cleaned: string;
  /** Values bound by placeholders in `cleaned` (PostgreSQL $1…; empty when it has none). */
  values: unknown[];
  mapping: ColumnMapping;
  orders: 'invoice' | 'customer-day';
  /** Rows in the table (before cleaning). */
  rowsRead: number;
  quality: QualityRecord;
  cancelPrefix?: string;
  options: Omit<ExploreOptions, 'cleaned'>;
  /**
   * Ask a query with each shard answering for its own rows (the cleaned rows are kept on the shards of a
   * table sharded by customer: shards.ts); null or left out: every query is asked as it is.
   */
  perShard?: ((sql: string) => Promise<Row[]>) | null;
}

// ---------------------------------------------------------------------------------------------------------
// SQL pieces (one text for every engine, through the dialect)

/** A condition that is false (not NULL) where `cond` is NULL, usable in WHERE, countIf and sumIf on both engines. */
function isTrue(d: Dialect, cond: string): string {
  return d.coalesce(`(${cond})`, d.false);
}

/**
 * The order key of a line (eda/common.ts orderKey): the invoice, or, when orders are customer-days, customer
 * and calendar day joined as Polars' concatString joins them: NULL parts are skipped, so a line without a
 * customer is keyed by its day alone ("YYYY-MM-DD"), and one with neither has the key '' (an order too).
 */
function orderExpr(d: Dialect, orders: ExploreSqlInput['orders']): string {
  if (orders === 'invoice') return 'invoice';
  return d.name === 'postgres'
    ? `concat_ws('|', customer_id, to_char(date, 'YYYY-MM-DD'))`
    : `concat(ifNull(customer_id, ''), if(isNull(customer_id) OR isNull(date), '', '|'), ifNull(toString(toDate(date)), ''))`;
}

/** A driver value as a number, 0 for NULL (an empty sum: Polars' sum of no values is 0). */
const num0 = (v: unknown): number => num(v) ?? 0;

// ---------------------------------------------------------------------------------------------------------
// Numeric summaries and histograms from value → count tables

/** A line-level column as (distinct value, count) pairs, plus the NULL count. */
export interface ValueCounts {
  /** Distinct non-null values, ascending (NaN, if any, last). */
  values: number[];
  counts: number[];
  nulls: number;
}

function valueCounts(rows: Row[]): ValueCounts {
  const pairs: Array<[number, number]> = [];
  let nulls = 0;
  for (const r of rows) {
    const v = num(r.v);
    const n = num0(r.n);
    if (v === null) nulls += n;
    else pairs.push([v, n]);
  }
  pairs.sort((a, b) => (Number.isNaN(a[0]) ? 1 : Number.isNaN(b[0]) ? -1 : a[0] - b[0]));
  return { values: pairs.map((p) => p[0]), counts: pairs.map((p) => p[1]), nulls };
}

/** Neumaier-compensated sum of `f(i)` over i < n. */
function fsum(n: number, f: (i: number) => number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const x = f(i);
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

/**
 * The row of eda/numeric.ts numericSummary for one column, from its value counts: count, missing, mean,
 * sd (n − 1), min, p01 … p99 (Polars' linear interpolation between order statistics) and max.
 */
export function summaryFromCounts(vc: ValueCounts): Record<string, number | null> {
  const { values, counts } = vc;
  const n = counts.reduce((s, c) => s + c, 0);
  const out: Record<string, number | null> = { count: n, missing: vc.nulls };
  if (n === 0) {
    for (const k of ['mean', 'sd', 'min', ...SUMMARY_QUANTILES.map(qName), 'max']) out[k] = null;
    return out;
  }
  const mean = fsum(values.length, (i) => values[i] * counts[i]) / n;
  out.mean = mean;
  out.sd = n > 1 ? Math.sqrt(fsum(values.length, (i) => counts[i] * (values[i] - mean) ** 2) / (n - 1)) : null;
  out.min = values[0];
  // cumulative counts: the order statistic k (0-based) is values[first i with cum[i] > k]
  const cum: number[] = [];
  counts.reduce((s, c, i) => (cum[i] = s + c), 0);
  const at = (k: number): number => {
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > k) hi = mid;
      else lo = mid + 1;
    }
    return values[lo];
  };
  for (const p of SUMMARY_QUANTILES) {
    // Polars' 'linear' quantile on the sorted column (nulls first): float index (non-null − 1)·p + nulls,
    // the order statistics at its floor and the next, interpolated by its fractional part
    const fi = (n - 1) * p + vc.nulls;
    const i = Math.floor(fi);
    const lower = at(i - vc.nulls);
    out[qName(p)] = i === Math.ceil(fi) ? lower : interpolate(lower, at(i + 1 - vc.nulls), i, fi);
  }
  out.max = values[values.length - 1];
  return out;
}

/** Polars' linear_interpol. */
const interpolate = (lower: number, upper: number, i: number, fi: number): number => (lower === upper ? lower : (fi - i) * (upper - lower) + lower);

const qName = (q: number): string => `p${String(Math.round(q * 100)).padStart(2, '0')}`;

/** numericSummary's table from summary rows (a copy of its construction: same columns and types). */
function summaryTable(rows: Array<{ variable: string } & Record<string, number | null | string>>): pl.DataFrame {
  const cols = ['count', 'missing', 'mean', 'sd', 'min', ...SUMMARY_QUANTILES.map(qName), 'max'];
  return pl.DataFrame({
    variable: rows.map((r) => r.variable),
    ...Object.fromEntries(
      cols.map((k) => {
        const s = pl.Series(k, rows.map((r) => r[k] as number | null).map((x) => (x === null || x === undefined ? null : Number(x))), pl.Float64);
        return [k, k === 'count' || k === 'missing' ? s.cast(pl.Int64) : s];
      }),
    ),
  });
}

/**
 * eda/numeric.ts histogram (without clip) of a column given as value counts over `total` rows: the same
 * kept values, the same edges, and each distinct value put in its bin by the same Polars expression, its
 * count added there.
 */
export function histogramFromCounts(vc: ValueCounts, total: number, column: string, options: { bins?: number; log?: boolean } = {}): Histogram {
  const bins = options.bins ?? 40;
  const log = options.log ?? false;
  if (!(bins >= 1 && Number.isInteger(bins))) throw new SegkitError('eda', 'bad_option', `bins must be a positive whole number, got ${bins}`, { where: 'option bins' });
  const xs: number[] = [];
  const ns: number[] = [];
  vc.values.forEach((v, i) => {
    if (Number.isFinite(v) && (!log || v > 0)) {
      xs.push(v);
      ns.push(vc.counts[i]);
    }
  });
  const keptRows = ns.reduce((s, c) => s + c, 0);
  const excluded = total - keptRows;
  const empty = (): pl.DataFrame =>
    pl.DataFrame({ bin_start: pl.Series('bin_start', [], pl.Float64), bin_end: pl.Series('bin_end', [], pl.Float64), count: pl.Series('count', [], pl.UInt32) });
  if (keptRows === 0) return { table: empty(), column, log, excluded, total };
  const rlo = xs[0];
  const rhi = xs[xs.length - 1];
  const whole = xs.every((x) => x === Math.round(x));
  let table: pl.DataFrame;
  if (whole && xs.length <= 200_000) {
    const edges = wholeNumberEdges(rlo, rhi, bins, log);
    const tally = new Array<number>(edges.length - 1).fill(0);
    let b = 0;
    xs.forEach((x, i) => {
      while (b < tally.length - 1 && x >= edges[b + 1]) b++;
      tally[b] += ns[i];
    });
    table = pl.DataFrame({
      bin_start: pl.Series('bin_start', edges.slice(0, -1), pl.Float64),
      bin_end: pl.Series('bin_end', edges.slice(1), pl.Float64),
      count: pl.Series('count', tally, pl.UInt32),
    });
  } else {
    const t = (u: number): number => (log ? Math.log10(u) : u);
    const back = (u: number): number => (log ? 10 ** u : u);
    const lo = t(rlo);
    const hi = rhi === rlo ? lo + 1 : t(rhi);
    const w = (hi - lo) / bins;
    const x = log ? pl.col('x').log(10) : pl.col('x');
    const binned = pl
      .DataFrame({ x: pl.Series('x', xs, pl.Float64), n: pl.Series('n', ns, pl.Float64) })
      .select(x.sub(lo).div(w).floor().clip(0, bins - 1).cast(pl.Int32).alias('bin'), pl.col('n'));
    const bin = binned.getColumn('bin').toArray() as number[];
    const byBin = new Map<number, number>();
    bin.forEach((b, i) => byBin.set(Number(b), (byBin.get(Number(b)) ?? 0) + ns[i]));
    table = equalWidthTable(lo, hi, bins, back, byBin);
  }
  return { table, column, log, excluded, total };
}

// ---------------------------------------------------------------------------------------------------------
// Shaping helpers (copies of the file path's, which take the lines)

/** A numeric column of driver values. */
const floats = (name: string, rows: Row[], key = name): pl.Series => pl.Series(name, rows.map((r) => num(r[key])), pl.Float64);
/** A key column of whole numbers (NULL stays NULL: the rows whose date is missing). */
const ints = (name: string, rows: Row[], key = name, type: DataType = pl.Int64): pl.Series => floats(name, rows, key).cast(type);
/** A count column: NULL is 0 (ClickHouse's uniqExact over only NULLs is NULL). */
const tally = (name: string, rows: Row[], key = name): pl.Series => pl.Series(name, rows.map((r) => num0(r[key])), pl.Float64).cast(pl.Int64);
const texts = (name: string, rows: Row[], key = name): pl.Series => pl.Series(name, rows.map((r) => (r[key] == null ? null : String(r[key]))), pl.Utf8);
const datetimes = (name: string, rows: Row[], key = name): pl.Series => pl.Series(name, rows.map((r) => dateOfText(r[key])), pl.Datetime('ms'));

/** eda/top.ts withShares: shares of the totals, revenue rounded. */
function withShares(grouped: pl.DataFrame, totals: { revenue: number; customers: number }): pl.DataFrame {
  return grouped.withColumns(
    pl.col('revenue').div(Number(totals.revenue) || 1).round(4).alias('revenue_share'),
    pl.col('customers').cast(pl.Float64).div(Number(totals.customers) || 1).round(4).alias('customer_share'),
    pl.col('revenue').round(2).alias('revenue'),
  );
}

/** The month index of a Date read as UTC (naive), as eda/common.ts monthIndexExpr. */
const monthOf = (d: Date): number => d.getUTCFullYear() * 12 + d.getUTCMonth();

// ---------------------------------------------------------------------------------------------------------

export async function exploreSql(client: SqlClient, input: ExploreSqlInput): Promise<EdaTables> {
  const d = client.dialect;
  const o = { ...EXPLORE_DEFAULTS, ...input.options };
  const m = input.mapping;
  const C = `${input.cleaned} AS c`;
  const R = `${input.raw} AS r`;
  /** Parameters for a query over the cleaned relation: its own values first, then any added. */
  const cleanedParams = (): Params => {
    const p = d.params();
    p.values.push(...input.values);
    return p;
  };
  const onCleaned = (sql: string, p: Params = cleanedParams()): Promise<Row[]> => client.query(sql, p.values);
  const order = orderExpr(d, input.orders);
  const month = d.monthIndex('date');

  // One query at a time: a client may hold one connection (npm pg warns about overlapping queries on one).
  // --- raw rows: per month, cancellations and non-null counts; the extreme lines
  const rawParams = d.params();
  const cancelled = input.orders === 'invoice' ? isTrue(d, d.startsWith('invoice', rawParams.text(input.cancelPrefix ?? 'C'))) : '1 = 0';
  const rawM = await client.query(
    `SELECT ${month} AS m, count(*) AS lines, ${d.countIf(cancelled)} AS cancelled_lines, ${d.countIf(isTrue(d, 'quantity < 0'))} AS return_lines, ` +
      `${d.sumIf('amount', `${isTrue(d, 'amount > 0')} AND NOT (${cancelled})`)} AS sales, ${d.sumIf('amount', cancelled)} AS cancelled_sum, ` +
      `${CANONICAL_COLUMNS.map((c) => `count(${c}) AS nn_${c}`).join(', ')} FROM ${R} GROUP BY ${month}`,
    rawParams.values,
  );
  // The file path sorts the lines at or above the n-th largest |amount| stably, so ties keep file order; a
  // table has no row order, so ties here are broken by date, invoice, product and customer id instead.
  const ext =
    o.top > 0
      ? await client.query(
          `SELECT customer_id, invoice, ${d.timestampText('date')} AS ts, product, description, quantity, unit_price, amount FROM ${R} ` +
            `WHERE amount IS NOT NULL ORDER BY abs(amount) DESC, date, invoice, product, customer_id LIMIT ${Math.floor(o.top)}`,
        )
      : [];

  // --- cleaned rows. Distinct customers, products and countries are the row counts of the per-customer,
  // per-product and per-country queries; customers with a country (or product) are counted from the
  // per-customer query.
  const ov = await onCleaned(
    `SELECT count(*) AS n, ${d.countDistinct(order)} AS orders, ${d.timestampText('min(date)')} AS first, ${d.timestampText('max(date)')} AS last, ` +
      `${d.exactSum('amount')} AS revenue, count(unit_price) AS prices, ` +
      `${d.sumIf('amount', 'country IS NOT NULL')} AS country_revenue, ${d.sumIf('amount', 'product IS NOT NULL')} AS product_revenue FROM ${C}`,
  );
  const counts = (col: string): Promise<Row[]> => onCleaned(`SELECT ${col} AS v, count(*) AS n FROM ${C} GROUP BY ${col}`);
  const qv = await counts('quantity');
  const pv = await counts('unit_price');
  const av = await counts('amount');
  // Grouped queries with distinct counts: over a table sharded by customer, each shard completes them
  // (shards.ts); distinct orders too, once no order is seen to have lines on two shards (the shards' own
  // counts then add up to the overview's count).
  const M = measures(d);
  const perShard = input.perShard ?? null;
  let ordersPerShard = false;
  if (perShard) {
    const parts = await perShard(perShardSql({ keys: [], measures: [M.distinct('orders', order)], from: C }));
    ordersPerShard = num0(parts[0]?.orders) === num0(ov[0].orders);
  }
  const grouped = (g: Grouped, distinctOrders: boolean): Promise<Row[]> =>
    perShard && (ordersPerShard || !distinctOrders) ? perShard(perShardSql(g)) : onCleaned(flatSql(g));
  const mon = await grouped(
    {
      keys: [[month, 'm']],
      measures: [M.exactSum('revenue', 'amount'), M.distinct('orders', order), M.count('lines'), M.distinct('active_customers', 'customer_id')],
      from: C,
    },
    true,
  );
  const wd = d.weekday('date');
  const hr = d.hour('date');
  const wh = await grouped(
    {
      keys: [
        [wd, 'wd'],
        [hr, 'hr'],
      ],
      measures: [M.exactSum('revenue', 'amount'), M.distinct('orders', order), M.count('lines')],
      from: C,
    },
    true,
  );
  const groups = (key: 'country' | 'product'): Promise<Row[]> =>
    grouped(
      {
        keys: [[key, 'k']],
        measures: [
          M.exactSum('revenue', 'amount'),
          M.distinct('customers', 'customer_id'),
          M.distinct('orders', order),
          ...(key === 'product' ? [M.exactSum('quantity', 'quantity')] : []),
        ],
        from: `${C} WHERE ${key} IS NOT NULL`,
      },
      true,
    );
  const cr = await groups('country');
  const pr = await groups('product');
  // one row per customer: complete on its shard as it is
  const cuSql =
    `SELECT customer_id, ${d.countDistinct(order)} AS orders, count(*) AS lines, ${d.exactSum('quantity')} AS items, ${d.exactSum('amount')} AS revenue, ` +
    `${d.timestampText('min(date)')} AS first, ${d.timestampText('max(date)')} AS last, count(country) AS with_country, count(product) AS with_product ` +
    `FROM ${C} WHERE customer_id IS NOT NULL GROUP BY customer_id`;
  const cu = await (perShard ? perShard(cuSql) : onCleaned(cuSql));
  const s = ov[0];
  const rows = num0(s.n);

  // --- overview (eda/overview.ts overview)
  const revenue = num0(s.revenue);
  const nOrders = num0(s.orders);
  const int = (name: string, v: number | null): pl.Series => pl.Series(name, [v], pl.Int64);
  const first = dateOfText(s.first);
  const last = dateOfText(s.last);
  const overview = pl.DataFrame({
    rows_read: int('rows_read', input.rowsRead),
    rows: int('rows', rows),
    customers: int('customers', cu.length),
    orders: int('orders', nOrders),
    orders_are: [input.orders],
    products: int('products', m.product ? pr.length : null),
    countries: int('countries', m.country ? cr.length : null),
    first_date: [isoMinute(first)],
    last_date: [isoMinute(last)],
    revenue: [Math.round(revenue * 100) / 100],
    avg_order_value: [nOrders ? Math.round((revenue / nOrders) * 100) / 100 : null],
  });

  // --- missing values (raw): the per-month non-null counts add up to the column's
  const rawLines = rawM.reduce((t, r) => t + num0(r.lines), 0);
  const nulls = Object.fromEntries(CANONICAL_COLUMNS.map((c) => [c, rawM.reduce((t, r) => t + num0(r.lines) - num0(r[`nn_${c}`]), 0)]));
  const missing = missingTable(m, nulls, rawLines);

  // --- numeric summaries and histograms of the cleaned lines
  const hasPrice = num0(s.prices) > 0;
  const vq = valueCounts(qv);
  const vp = valueCounts(pv);
  const va = valueCounts(av);
  const numeric = summaryTable([
    { variable: 'quantity', ...summaryFromCounts(vq) },
    ...(hasPrice ? [{ variable: 'unit_price', ...summaryFromCounts(vp) }] : []),
    { variable: 'amount', ...summaryFromCounts(va) },
  ]);
  const hist = (vc: ValueCounts, col: string): Histogram => histogramFromCounts(vc, rows, col, { bins: o.bins, log: o.log });
  const distributions = { quantity: hist(vq, 'quantity'), unit_price: hasPrice ? hist(vp, 'unit_price') : null, amount: hist(va, 'amount') };

  // --- customers (eda/customers.ts customerTable), then the file path's own functions on it
  const customers = pl
    .DataFrame([
      texts('customer_id', cu),
      tally('orders', cu),
      tally('lines', cu),
      pl.Series('items', cu.map((r) => num0(r.items)), pl.Float64),
      pl.Series('revenue', cu.map((r) => num0(r.revenue)), pl.Float64),
      datetimes('first_purchase', cu, 'first'),
      datetimes('last_purchase', cu, 'last'),
    ])
    .lazy()
    .withColumns(pl.col('revenue').round(2))
    .withColumns(pl.col('revenue').div(pl.col('orders')).round(2).alias('avg_order_value'))
    .sort(['revenue', 'customer_id'], [true, false])
    .collectSync();

  // --- monthly activity (eda/time.ts monthlyTable); new customers by the month of their first purchase
  const byMonth = pl.DataFrame([
    ints('__m', mon, 'm', pl.Int32),
    pl.Series('revenue', mon.map((r) => num0(r.revenue)), pl.Float64),
    tally('orders', mon),
    tally('lines', mon),
    tally('active_customers', mon),
  ]);
  const firstMonths = new Map<number, number>();
  for (const r of cu) {
    const f = dateOfText(r.first);
    if (f) firstMonths.set(monthOf(f), (firstMonths.get(monthOf(f)) ?? 0) + 1);
  }
  const firsts = pl.DataFrame({
    __m: pl.Series('__m', [...firstMonths.keys()], pl.Int32),
    new_customers: pl.Series('new_customers', [...firstMonths.values()], pl.Float64).cast(pl.Int64),
  });
  const monthly = monthlyTable(byMonth, firsts.lazy());

  // --- weekday × hour (eda/time.ts weekdayHour)
  const agg = pl.DataFrame([
    ints('weekday', wh, 'wd', pl.Int32),
    ints('hour', wh, 'hr', pl.Int32),
    pl.Series('revenue', wh.map((r) => num0(r.revenue)), pl.Float64),
    tally('orders', wh),
    tally('lines', wh),
  ]);
  const weekdayHour = weekdayHourTable(agg);

  // --- top countries and products (eda/top.ts groupTotals + rankTop)
  const totalsFrame = (rs: Row[], key: 'country' | 'product', totals: { revenue: number; customers: number }): pl.DataFrame =>
    withShares(
      pl.DataFrame([
        texts(key, rs, 'k'),
        pl.Series('revenue', rs.map((r) => num0(r.revenue)), pl.Float64),
        tally('customers', rs),
        tally('orders', rs),
        ...(key === 'product' ? [pl.Series('quantity', rs.map((r) => num0(r.quantity)), pl.Float64)] : []),
      ]),
      totals,
    );
  const having = (col: string): number => cu.reduce((t, r) => t + (num0(r[col]) > 0 ? 1 : 0), 0);
  const countries = totalsFrame(cr, 'country', { revenue: num0(s.country_revenue), customers: having('with_country') });
  const products = totalsFrame(pr, 'product', { revenue: num0(s.product_revenue), customers: having('with_product') });
  const topProductsBy = (by: TopBy): pl.DataFrame => rankTop(products, 'product', o.top, by);
  const [byRevenue, byCustomers] = [topProductsBy('revenue'), topProductsBy('customers')];
  const codes = [...new Set([...(byRevenue.getColumn('product').toArray() as string[]), ...(byCustomers.getColumn('product').toArray() as string[])])];
  const descriptions = await productDescriptions(codes, cleanedParams, onCleaned, C);
  const describe = (top: pl.DataFrame): pl.DataFrame =>
    top.withColumns(pl.Series('description', (top.getColumn('product').toArray() as string[]).map((c) => descriptions.get(c) ?? null), pl.Utf8));

  // --- cancellations per month (eda/time.ts cancellations), on the raw rows
  const cagg = pl.DataFrame([
    ints('__m', rawM, 'm', pl.Int32),
    tally('lines', rawM),
    tally('cancelled_lines', rawM),
    tally('return_lines', rawM),
    pl.Series('sales', rawM.map((r) => num0(r.sales)), pl.Float64),
    // Σ amount of cancelled lines × −1, as the file path (−0 when there are none)
    pl.Series('cancelled_amount', rawM.map((r) => num0(r.cancelled_sum) * -1), pl.Float64),
  ]);
  const cancellations = cancellationTable(cagg);

  // --- extreme lines (raw)
  const extremeLines = pl.DataFrame([
    texts('customer_id', ext),
    texts('invoice', ext),
    datetimes('date', ext, 'ts'),
    texts('product', ext),
    texts('description', ext),
    floats('quantity', ext),
    floats('unit_price', ext),
    floats('amount', ext),
  ]);

  return {
    overview,
    missing,
    numeric,
    distributions,
    monthly,
    weekdayHour,
    topCountries: rankTop(countries, 'country', o.top, 'revenue'),
    topCountriesByCustomers: rankTop(countries, 'country', o.top, 'customers'),
    topProducts: describe(byRevenue),
    topProductsByCustomers: describe(byCustomers),
    cancellations,
    customers,
    customerSummary: customerSummary(customers),
    customerDistributions: {
      orders: histogram(customers, 'orders', { bins: o.bins, log: o.log }),
      revenue: histogram(customers, 'revenue', { bins: o.bins, log: o.log }),
      items: histogram(customers, 'items', { bins: o.bins, log: o.log }),
    },
    extremeLines,
    topCustomers: topCustomers(customers, o.top),
    quality: input.quality,
  };
}

/**
 * The most frequent description of each product (ties: alphabetical), as eda/top.ts rankTop picks it:
 * the (product, description) counts come from SQL, the choice is the file path's Polars query on them.
 */
async function productDescriptions(codes: string[], cleanedParams: () => Params, onCleaned: (sql: string, p?: Params) => Promise<Row[]>, C: string): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const p = cleanedParams();
  const rows = await onCleaned(
    `SELECT product, description, count(*) AS n FROM ${C} WHERE product IN (${codes.map((c) => p.text(c)).join(', ')}) AND description IS NOT NULL GROUP BY product, description`,
    p,
  );
  if (!rows.length) return new Map();
  const best = pl
    .DataFrame([texts('product', rows), texts('description', rows), tally('__n', rows, 'n').cast(pl.UInt32)])
    .sort(['product', '__n', 'description'], [false, true, false])
    .groupBy('product')
    .agg(pl.col('description').first().alias('description'));
  const ps = best.getColumn('product').toArray() as string[];
  const ds = best.getColumn('description').toArray() as string[];
  return new Map(ps.map((p, i) => [p, ds[i]]));
}
