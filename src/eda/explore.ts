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
import { cleanTransactions, type CleanOptions } from '../clean';
import type { CleanResult, ColumnMapping, QualityRecord, TransactionTable } from '../types';
import { customerSummary, customerTable, extremeLines, topCustomers } from './customers';
import { type Histogram, histogram, numericSummary } from './numeric';
import { orderPass, type OrderPass } from './orders';
import { releaseMemory } from '../io/memory';
import { missingValues, overview } from './overview';
import { cancellations, monthlyActivity, weekdayHour } from './time';
import { groupTotals, rankTop } from './top';

export interface ExploreOptions {
  /** The cleaned table, if already made; otherwise `cleanTransactions(tx, clean)` runs here. */
  cleaned?: CleanResult;
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

/** Run every exploratory table and chart. */
export function explore(tx: TransactionTable, options: ExploreOptions = {}): EdaResult {
  const o = { ...EXPLORE_DEFAULTS, ...options };
  const cleaned = options.cleaned ?? cleanTransactions(tx, options.clean ?? {});
  const c = cleaned.clean;
  const hist = (df: pl.DataFrame, col: string): Histogram => histogram(df, col, { bins: o.bins, log: o.log });

  // Each step's intermediate tables are let go before the next (releaseMemory: large inputs only).
  const n = tx.df.height;
  const step = <T>(f: () => T): T => {
    const v = f();
    releaseMemory(n);
    return v;
  };
  // The order-level pass (run starts of the invoice, with exact checks): see orders.ts.
  let orders: OrderPass | null = step(() => orderPass(c));
  const customers = step(() => customerTable(c, orders));
  const countries = step(() => groupTotals(c, 'country', orders));
  const overviewTable = step(() => overview(c, tx.df.height, orders));
  const monthly = step(() => monthlyActivity(c, orders));
  const weekday = step(() => weekdayHour(c, orders));
  orders = null;
  const products = step(() => groupTotals(c, 'product'));
  const hasPrice = c.df.getColumn('unit_price').nullCount() < c.df.height;
  const r: Omit<EdaResult, 'charts' | 'notes'> = {
    overview: overviewTable,
    missing: step(() => missingValues(tx)),
    numeric: step(() => numericSummary(c.df, hasPrice ? ['quantity', 'unit_price', 'amount'] : ['quantity', 'amount'])),
    distributions: step(() => ({ quantity: hist(c.df, 'quantity'), unit_price: hasPrice ? hist(c.df, 'unit_price') : null, amount: hist(c.df, 'amount') })),
    monthly,
    weekdayHour: weekday,
    topCountries: rankTop(countries, 'country', o.top, 'revenue'),
    topCountriesByCustomers: rankTop(countries, 'country', o.top, 'customers'),
    topProducts: step(() => rankTop(products, 'product', o.top, 'revenue', c)),
    topProductsByCustomers: step(() => rankTop(products, 'product', o.top, 'customers', c)),
    cancellations: step(() => cancellations(tx, options.clean?.cancelPrefix)),
    customers,
    customerSummary: customerSummary(customers),
    customerDistributions: { orders: hist(customers, 'orders'), revenue: hist(customers, 'revenue'), items: hist(customers, 'items') },
    extremeLines: step(() => extremeLines(tx, o.top)),
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
