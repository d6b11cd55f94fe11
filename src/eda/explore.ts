/**
 * `explore(tx, options)`: every exploratory table and its chart in one call (used by the notebook, the
 * `segkit eda` command and the report). Missing values, cancellations and extreme lines describe the raw
 * table; everything else the cleaned one (the default cleaning rules unless told otherwise).
 */
import type pl from 'nodejs-polars';
import {
  cancellationChart,
  extremeLinesChart,
  histogramChart,
  missingChart,
  monthlyCustomersChart,
  monthlyRevenueChart,
  numericSummaryChart,
  overviewChart,
  topChart,
  topCustomersChart,
  weekdayHourChart,
} from '../charts/eda';
import type { ChartSpec } from '../charts/render';
import { SegkitError } from '../errors';
import { cleanTransactions, type CleanOptions } from '../clean';
import type { CleanResult, ColumnMapping, QualityRecord, TransactionTable } from '../types';
import { customerSummary, customerTable, extremeLines, topCustomers } from './customers';
import { type Histogram, histogram, numericSummary } from './numeric';
import { orderPass, type OrderPass } from './orders';
import { missingValues, overview } from './overview';
import { cancellations, monthlyActivity, weekdayHour } from './time';
import { groupTotals, rankTop } from './top';
import { runSteps, runStepsAsync, type Steps } from './steps';

export interface ExploreOptions {
  /** The cleaned table, if already made; otherwise `cleanTransactions(tx, clean)` runs here. */
  cleaned?: CleanResult;
  /**
   * The tables of the lines as read ({@link exploreRaw}), if already made with the same `top` and cancellation
   * prefix: then `tx`'s lines are not read (its mapping and orders are), and `tx` may be the cleaned table.
   */
  raw?: RawExploration;
  /** Cleaning options when cleaning here. Default: the five default rules. */
  clean?: CleanOptions;
  /** Rows in top-N tables (countries, products, customers, extreme lines). Default 10. */
  top?: number;
  /** Histogram bins. Default 40. */
  bins?: number;
  /** Histograms on a log scale. Default true (transaction values are heavily skewed). */
  log?: boolean;
}

export const EXPLORE_DEFAULTS = { top: 10, bins: 40, log: true };

/** Everything `explore` returns: tables (Polars DataFrames), histograms, charts by name, notes. */
export interface EdaResult {
  overview: pl.DataFrame;
  missing: pl.DataFrame;
  numeric: pl.DataFrame;
  distributions: { quantity: Histogram; unit_price: Histogram | null; amount: Histogram };
  monthly: pl.DataFrame;
  weekdayHour: pl.DataFrame;
  topCountries: pl.DataFrame;
  topCountriesByCustomers: pl.DataFrame;
  topProducts: pl.DataFrame;
  topProductsByCustomers: pl.DataFrame;
  cancellations: pl.DataFrame;
  customers: pl.DataFrame;
  customerSummary: pl.DataFrame;
  customerDistributions: { orders: Histogram; revenue: Histogram; items: Histogram };
  extremeLines: pl.DataFrame;
  topCustomers: pl.DataFrame;
  quality: QualityRecord;
  /**
   * Vega-Lite specs: overview, missing, numeric, quantity, unit_price (when the file has prices), amount,
   * monthly_revenue (revenue + active customers), monthly_customers, weekday_hour, top_countries,
   * top_countries_customers, top_products, top_products_customers, cancellations, customer_orders,
   * customer_revenue, customer_items, extreme_lines, top_customers.
   */
  charts: Record<string, ChartSpec>;
  /** Plain-language notes (how orders are defined, what was left out of charts). */
  notes: string[];
}

/** Alias of {@link EdaResult}. */
export type Exploration = EdaResult;

/** The names of the tables in an EdaResult that are DataFrames (for writing them out). */
export const EDA_TABLES = [
  'overview', 'missing', 'numeric', 'monthly', 'weekdayHour', 'topCountries', 'topCountriesByCustomers', 'topProducts', 'topProductsByCustomers',
  'cancellations', 'customerSummary', 'extremeLines', 'topCustomers', 'customers',
] as const;

/** The tables explore makes from the lines as read (before cleaning). */
export interface RawExploration {
  /** Rows read. */
  rowsRead: number;
  missing: pl.DataFrame;
  cancellations: pl.DataFrame;
  extremeLines: pl.DataFrame;
  /** The options they were made with (rows of the extreme lines; the cancellation prefix, undefined for the default). */
  top: number;
  cancelPrefix: string | undefined;
}

/**
 * The tables of {@link explore} that describe the lines as read, not the cleaned ones: missing values,
 * cancellations and the most extreme lines. Made apart, a caller can let the lines go once they are cleaned.
 */
export function exploreRaw(tx: TransactionTable, options: Pick<ExploreOptions, 'top' | 'clean'> = {}): RawExploration {
  return runSteps(exploreRawSteps(tx, options));
}

function* exploreRawSteps(tx: TransactionTable, options: Pick<ExploreOptions, 'top' | 'clean'>): Steps<RawExploration> {
  const n = tx.df.height;
  const top = options.top ?? EXPLORE_DEFAULTS.top;
  const cancelPrefix = options.clean?.cancelPrefix;
  const missing = missingValues(tx);
  yield n;
  const cancellationsTable = cancellations(tx, cancelPrefix);
  yield n;
  const extreme = extremeLines(tx, top);
  yield n;
  return { rowsRead: n, missing, cancellations: cancellationsTable, extremeLines: extreme, top, cancelPrefix };
}

/** Run every exploratory table and chart. */
export function explore(tx: TransactionTable, options: ExploreOptions = {}): EdaResult {
  return runSteps(exploreSteps(tx, options));
}

/**
 * {@link explore}, letting the event loop turn between its steps on large inputs, so each step's
 * intermediate tables are freed before the next one starts (see steps.ts). The same tables.
 */
export function exploreAsync(tx: TransactionTable, options: ExploreOptions = {}): Promise<EdaResult> {
  return runStepsAsync(exploreSteps(tx, options));
}

/** The steps of explore: each yields the table's row count when done, so its intermediate tables can be let go. */
function* exploreSteps(tx: TransactionTable, options: ExploreOptions): Steps<EdaResult> {
  const o = { ...EXPLORE_DEFAULTS, ...options };
  const raw = options.raw && options.raw.top === o.top && options.raw.cancelPrefix === options.clean?.cancelPrefix ? options.raw : undefined;
  if (options.raw && !raw) throw new SegkitError('eda', 'bad_option', 'the tables of the lines as read were made with other options (top or cancellation prefix)', { where: 'option raw', hint: 'make them with exploreRaw and the same top and clean.cancelPrefix, or leave raw out' });
  const n = raw?.rowsRead ?? tx.df.height;
  const cleaned = options.cleaned ?? cleanTransactions(tx, options.clean ?? {});
  if (!options.cleaned) yield n;
  const c = cleaned.clean;
  const hist = (df: pl.DataFrame, col: string): Histogram => histogram(df, col, { bins: o.bins, log: o.log });

  // Each step's intermediate tables are let go before the next (large inputs only).
  // The order-level pass (run starts of the invoice, with exact checks): see orders.ts.
  let orders: OrderPass | null = orderPass(c);
  yield n;
  const customers = customerTable(c, orders);
  yield n;
  const countries = groupTotals(c, 'country', orders);
  yield n;
  const overviewTable = overview(c, n, orders);
  yield n;
  const monthly = monthlyActivity(c, orders);
  yield n;
  const weekday = weekdayHour(c, orders);
  yield n;
  orders = null;
  const products = groupTotals(c, 'product');
  yield n;
  const hasPrice = c.df.getColumn('unit_price').nullCount() < c.df.height;
  const missing = raw?.missing ?? missingValues(tx);
  if (!raw) yield n;
  const numeric = numericSummary(c.df, hasPrice ? ['quantity', 'unit_price', 'amount'] : ['quantity', 'amount']);
  yield n;
  const distributions = { quantity: hist(c.df, 'quantity'), unit_price: hasPrice ? hist(c.df, 'unit_price') : null, amount: hist(c.df, 'amount') };
  yield n;
  const topCountriesTable = rankTop(countries, 'country', o.top, 'revenue');
  const topCountriesByCustomers = rankTop(countries, 'country', o.top, 'customers');
  const topProductsTable = rankTop(products, 'product', o.top, 'revenue', c);
  yield n;
  const topProductsByCustomers = rankTop(products, 'product', o.top, 'customers', c);
  yield n;
  const cancellationsTable = raw?.cancellations ?? cancellations(tx, options.clean?.cancelPrefix);
  if (!raw) yield n;
  const customerSummaryTable = customerSummary(customers);
  const customerDistributions = { orders: hist(customers, 'orders'), revenue: hist(customers, 'revenue'), items: hist(customers, 'items') };
  const extreme = raw?.extremeLines ?? extremeLines(tx, o.top);
  if (!raw) yield n;
  const r: Omit<EdaResult, 'charts' | 'notes'> = {
    overview: overviewTable,
    missing,
    numeric,
    distributions,
    monthly,
    weekdayHour: weekday,
    topCountries: topCountriesTable,
    topCountriesByCustomers,
    topProducts: topProductsTable,
    topProductsByCustomers,
    cancellations: cancellationsTable,
    customers,
    customerSummary: customerSummaryTable,
    customerDistributions,
    extremeLines: extreme,
    topCustomers: topCustomers(customers, o.top),
    quality: cleaned.quality,
  };

  return finishExploration(r, { mapping: tx.mapping, orders: tx.orders, quality: cleaned.quality, options: o });
}

/** The EDA tables every source computes (files in this module, databases in source/sql/eda.ts). */
export type EdaTables = Omit<EdaResult, 'charts' | 'notes'>;

/** What the charts and notes need besides the tables. */
export interface ExplorationContext {
  mapping: ColumnMapping;
  orders: 'invoice' | 'customer-day';
  quality: QualityRecord;
  options: ExploreOptions;
}

/** Charts and notes from the EDA tables: the same for every source. */
export function finishExploration(r: EdaTables, ctx: ExplorationContext): EdaResult {
  const o = { ...EXPLORE_DEFAULTS, ...ctx.options };
  const tx = { mapping: ctx.mapping, orders: ctx.orders };
  const cleaned = { quality: ctx.quality };
  const charts: Record<string, ChartSpec> = {
    overview: overviewChart(r.overview),
    missing: missingChart(r.missing),
    numeric: numericSummaryChart(r.numeric),
    quantity: histogramChart(r.distributions.quantity, { title: 'Quantity per line', xTitle: 'quantity' }),
    ...(r.distributions.unit_price ? { unit_price: histogramChart(r.distributions.unit_price, { title: 'Unit price', xTitle: 'unit price' }) } : {}),
    amount: histogramChart(r.distributions.amount, { title: 'Line amount', xTitle: 'amount (quantity × price)' }),
    monthly_revenue: monthlyRevenueChart(r.monthly),
    monthly_customers: monthlyCustomersChart(r.monthly),
    weekday_hour: weekdayHourChart(r.weekdayHour),
  };
  if (tx.mapping.country) {
    charts.top_countries = topChart(r.topCountries, 'country', 'revenue');
    charts.top_countries_customers = topChart(r.topCountriesByCustomers, 'country', 'customers');
  }
  if (tx.mapping.product) {
    charts.top_products = topChart(r.topProducts, 'product', 'revenue');
    charts.top_products_customers = topChart(r.topProductsByCustomers, 'product', 'customers');
  }
  Object.assign(charts, {
    cancellations: cancellationChart(r.cancellations),
    customer_orders: histogramChart(r.customerDistributions.orders, { title: 'Orders per customer', xTitle: 'orders' }),
    customer_revenue: histogramChart(r.customerDistributions.revenue, { title: 'Revenue per customer', xTitle: 'revenue' }),
    customer_items: histogramChart(r.customerDistributions.items, { title: 'Items per customer', xTitle: 'items bought' }),
    extreme_lines: extremeLinesChart(r.extremeLines),
    top_customers: topCustomersChart(r.topCustomers),
  });

  const notes: string[] = [];
  if (tx.orders === 'customer-day') notes.push('The file has no invoice column: an order is one customer buying on one calendar day.');
  if (!tx.mapping.country) notes.push('The file has no country column: no country tables.');
  if (!tx.mapping.product) notes.push('The file has no product column: no product tables.');
  if (o.log) notes.push('Histograms use a log scale; values ≤ 0 are left out of them (the cleaned data has none unless rules were turned off).');
  notes.push(`Cleaning kept ${cleaned.quality.rowsKept.toLocaleString('en-GB')} of ${cleaned.quality.rowsRead.toLocaleString('en-GB')} rows; missing values, cancellations and extreme lines describe the file before cleaning.`);
  return { ...r, charts, notes };
}
