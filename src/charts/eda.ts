/**
 * Vega-Lite specs for exploratory analysis. Each builder takes a table made by src/eda (already
 * aggregated, so specs stay small) and returns a spec with inline data.
 */
import type pl from 'nodejs-polars';
import type { ChartSpec } from './render';
import { ACCENT, CLUSTER_COLORS, MONEY_LABEL_EXPR, MONEY_LOG_LABEL_EXPR } from './theme';

const spec = (s: object): ChartSpec => ({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...s }) as unknown as ChartSpec;
const fmt = (n: number): string => n.toLocaleString('en-GB', { maximumFractionDigits: 2 });
const SECOND = CLUSTER_COLORS[1];

/** Table rows as JSON-safe records (dates → ISO text, bigints → numbers). */
export function records(df: pl.DataFrame): Array<Record<string, unknown>> {
  return (df.toRecords() as Array<Record<string, unknown>>).map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString().slice(0, 19) : typeof v === 'bigint' ? Number(v) : v])),
  );
}

/** Key figures as tiles: rows, customers, orders, products, countries, revenue, date range. */
export function overviewChart(overview: pl.DataFrame): ChartSpec {
  const o = records(overview)[0] ?? {};
  const tiles: Array<[string, unknown]> = [
    ['rows (clean)', o.rows],
    ['customers', o.customers],
    [o.orders_are === 'customer-day' ? 'orders (customer-days)' : 'orders', o.orders],
    ['products', o.products],
    ['countries', o.countries],
    ['revenue', o.revenue],
    ['avg order value', o.avg_order_value],
    ['rows read', o.rows_read],
  ];
  const values = tiles.map(([label, v], i) => ({ label, value: v === null || v === undefined ? '—' : typeof v === 'number' ? fmt(v) : String(v), col: i % 4, row: Math.floor(i / 4) }));
  const enc = { x: { field: 'col', type: 'ordinal', axis: null }, y: { field: 'row', type: 'ordinal', axis: null } };
  return spec({
    title: { text: 'Overview', subtitle: `${o.first_date ?? '?'} to ${o.last_date ?? '?'}` },
    width: 560,
    height: 110,
    data: { values },
    layer: [
      { mark: { type: 'text', fontSize: 20, fontWeight: 'bold', color: ACCENT, dy: -8 }, encoding: { ...enc, text: { field: 'value' } } },
      { mark: { type: 'text', fontSize: 11, color: '#555', dy: 14 }, encoding: { ...enc, text: { field: 'label' } } },
    ],
  });
}

/** Share of missing values per column that the file has. */
export function missingChart(missing: pl.DataFrame): ChartSpec {
  const values = records(missing).filter((r) => r.source !== null);
  return spec({
    title: { text: 'Missing values per column', subtitle: 'share of rows with no value (columns the file does not have are left out)' },
    width: 420,
    data: { values },
    encoding: {
      y: { field: 'column', type: 'nominal', sort: null, title: null },
      x: { field: 'missing_pct', type: 'quantitative', title: 'missing (%)', scale: { domain: [0, 100] } },
    },
    layer: [
      { mark: { type: 'bar', color: ACCENT } },
      // The label says both: how many lines, and the share the axis shows
      {
        transform: [{ calculate: "datum.missing == 0 ? '0' : format(datum.missing, ',') + ' (' + format(datum.missing_pct, '.1f') + ' %)'", as: 'label' }],
        mark: { type: 'text', align: 'left', dx: 3 },
        encoding: { text: { field: 'label', type: 'nominal' } },
      },
    ],
  });
}

/** Box-style summary per variable (p05–p95 whisker, p25–p75 box, median tick); log scale when all values are positive. */
export function numericSummaryChart(summary: pl.DataFrame): ChartSpec {
  const rows = records(summary);
  return spec({
    title: { text: 'Quantity, unit price and line amount', subtitle: 'whiskers p05–p95, box p25–p75, white tick = median, dots = p01 and p99' },
    vconcat: rows.map((r) => {
      const positive = Number(r.p01) > 0;
      const x = { type: 'quantitative', title: String(r.variable), scale: positive ? { type: 'log' } : { zero: false } };
      return {
        width: 480,
        height: 34,
        data: { values: [r] },
        layer: [
          { mark: { type: 'rule', color: '#555' }, encoding: { x: { field: 'p05', ...x }, x2: { field: 'p95' } } },
          { mark: { type: 'bar', size: 20, color: ACCENT }, encoding: { x: { field: 'p25', ...x }, x2: { field: 'p75' } } },
          { mark: { type: 'tick', color: 'white', size: 20, thickness: 2 }, encoding: { x: { field: 'p50', ...x } } },
          {
            data: { values: [{ v: r.p01 }, { v: r.p99 }] },
            mark: { type: 'point', filled: true, color: '#555', size: 20 },
            encoding: { x: { field: 'v', ...x } },
          },
        ],
      };
    }),
  });
}

export interface HistogramLike {
  table: pl.DataFrame;
  column: string;
  log: boolean;
  excluded: number;
  total: number;
}

/** Columns holding money: their axis labels carry the currency. */
const MONEY_COLUMNS = ['revenue', 'amount', 'unit_price', 'monetary', 'spend'];

/** A histogram (bins computed by src/eda/numeric.histogram). */
export function histogramChart(h: HistogramLike, options: { title?: string; xTitle?: string; color?: string } = {}): ChartSpec {
  const money = MONEY_COLUMNS.includes(h.column);
  const note = h.excluded ? `; ${fmt(h.excluded)} of ${fmt(h.total)} values left out${h.log ? ' (≤ 0 or missing)' : ''}` : '';
  return spec({
    title: { text: options.title ?? `Distribution of ${h.column}`, subtitle: `${h.log ? 'log scale' : 'linear scale'}${note}` },
    width: 480,
    height: 220,
    data: { values: records(h.table) },
    mark: { type: 'bar', color: options.color ?? ACCENT, stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x: { field: 'bin_start', type: 'quantitative', bin: { binned: true }, title: options.xTitle ?? h.column, scale: h.log ? { type: 'log' } : {}, ...(money ? { axis: { labelExpr: h.log ? MONEY_LOG_LABEL_EXPR : MONEY_LABEL_EXPR } } : {}) },
      x2: { field: 'bin_end' },
      y: { field: 'count', type: 'quantitative', title: 'count', axis: { format: ',d' } },
      tooltip: [
        { field: 'bin_start', format: ',.2f' },
        { field: 'bin_end', format: ',.2f' },
        { field: 'count', format: ',' },
      ],
    },
  });
}

const monthX = { field: 'month', type: 'temporal', timeUnit: 'utcyearmonth', title: null, axis: { format: '%b %Y', labelAngle: -40 } };

/** Monthly revenue (bars, left axis) and active customers (line, right axis). */
export function monthlyRevenueChart(monthly: pl.DataFrame): ChartSpec {
  return spec({
    title: { text: 'Monthly revenue and active customers' },
    width: 560,
    height: 240,
    data: { values: records(monthly) },
    encoding: { x: monthX },
    layer: [
      { mark: { type: 'bar', color: ACCENT, opacity: 0.85 }, encoding: { y: { field: 'revenue', type: 'quantitative', title: 'revenue', axis: { titleColor: ACCENT, labelExpr: MONEY_LABEL_EXPR } } } },
      {
        mark: { type: 'line', color: SECOND, point: true, strokeWidth: 2 },
        encoding: { y: { field: 'active_customers', type: 'quantitative', title: 'active customers', axis: { titleColor: SECOND, format: ',d' } } },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  });
}

/** Monthly orders, active and new customers as lines. */
export function monthlyCustomersChart(monthly: pl.DataFrame): ChartSpec {
  return spec({
    title: { text: 'Orders, active and new customers per month', subtitle: 'new = first purchase in the data that month (the first month counts everyone)' },
    width: 560,
    height: 220,
    data: { values: records(monthly) },
    transform: [{ fold: ['orders', 'active_customers', 'new_customers'], as: ['measure', 'value'] }],
    mark: { type: 'line', point: true },
    encoding: {
      x: monthX,
      y: { field: 'value', type: 'quantitative', title: null },
      color: { field: 'measure', type: 'nominal', title: null, scale: { domain: ['orders', 'active_customers', 'new_customers'], range: [ACCENT, SECOND, CLUSTER_COLORS[2]] } },
    },
  });
}

/** Revenue by weekday × hour (heatmap). */
export function weekdayHourChart(table: pl.DataFrame): ChartSpec {
  return spec({
    title: { text: 'Revenue by weekday and hour' },
    width: 560,
    height: 170,
    data: { values: records(table) },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'hour', type: 'ordinal', title: 'hour of day' },
      y: { field: 'weekday_name', type: 'ordinal', title: null, sort: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] },
      color: { field: 'revenue', type: 'quantitative', scale: { scheme: 'blues' }, legend: { format: '~s' } },
      tooltip: [{ field: 'weekday_name' }, { field: 'hour' }, { field: 'revenue', format: ',.0f' }, { field: 'orders', format: ',' }],
    },
  });
}

/** Horizontal bars of a top-N table (countries or products) by revenue or by customers. */
export function topChart(table: pl.DataFrame, key: 'country' | 'product', by: 'revenue' | 'customers' = 'revenue'): ChartSpec {
  // Products by name first (the code is in the tooltip), cut to fit beside the bars.
  const short = (t: string): string => (t.length > 22 ? `${t.slice(0, 21).trimEnd()}…` : t);
  const rows = records(table);
  const named = rows.map((r) => (key === 'product' && r.description ? short(String(r.description).trim()) : String(r[key])));
  // Two products with one description keep apart by their code.
  const values = rows.map((r, i) => ({ ...r, label: named.indexOf(named[i]) !== named.lastIndexOf(named[i]) ? `${named[i]} (${r.product})` : named[i] }));
  const share = by === 'revenue' ? 'revenue_share' : 'customer_share';
  return spec({
    title: { text: `Top ${key === 'country' ? 'countries' : 'products'} by ${by}` },
    width: 420,
    data: { values },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 160 } },
      x: { field: by, type: 'quantitative', title: by, axis: by === 'revenue' ? { labelExpr: MONEY_LABEL_EXPR } : { format: ',d' } },
      tooltip: key === 'product' ? [{ field: 'product' }, { field: 'description' }, { field: by, type: 'quantitative', format: ',.0f' }] : [{ field: key }, { field: by, type: 'quantitative', format: ',.0f' }],
    },
    layer: [
      { mark: { type: 'bar', color: by === 'revenue' ? ACCENT : SECOND } },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { text: { field: share, type: 'quantitative', format: '.1%' } } },
    ],
  });
}

const CANCEL_LEGEND = { orient: 'bottom', labelExpr: "datum.label == 'cancel_rate' ? 'cancelled lines' : 'returned lines'" };

/**
 * Cancellation and return rates per month (share of lines). When the two rates are equal every month (in
 * the usual export every return is a cancelled invoice's line), one line is drawn and the legend says so:
 * two identical lines would hide one another.
 */
export function cancellationChart(table: pl.DataFrame): ChartSpec {
  const values = records(table);
  const same = values.every((r) => r.cancel_rate === r.return_rate);
  const legend = same ? { ...CANCEL_LEGEND, labelExpr: "'cancelled = returned lines'" } : CANCEL_LEGEND;
  const measures = same ? ['cancel_rate'] : ['cancel_rate', 'return_rate'];
  return spec({
    title: { text: 'Cancellations and returns over time', subtitle: `share of lines per month, before cleaning${same ? '; the two rates are equal every month' : ''}` },
    width: 560,
    height: 200,
    data: { values },
    transform: [{ fold: measures, as: ['measure', 'rate'] }],
    mark: { type: 'line', point: true },
    encoding: {
      x: monthX,
      y: { field: 'rate', type: 'quantitative', title: 'share of lines', axis: { format: '.1%' } },
      // Colour and dash both tell the two lines apart (one legend; readable in greyscale).
      color: { field: 'measure', type: 'nominal', title: null, scale: { domain: measures, range: [CLUSTER_COLORS[3], CLUSTER_COLORS[1]].slice(0, measures.length) }, legend },
      strokeDash: { field: 'measure', type: 'nominal', title: null, scale: { domain: measures, range: [[1, 0], [4, 3]].slice(0, measures.length) }, legend },
    },
  });
}

/** The customers with the most revenue. */
export function topCustomersChart(table: pl.DataFrame): ChartSpec {
  return spec({
    title: { text: 'Customers with the most revenue' },
    width: 420,
    data: { values: records(table) },
    encoding: { y: { field: 'customer_id', type: 'nominal', sort: null, title: 'customer' }, x: { field: 'revenue', type: 'quantitative', axis: { format: '~s' } } },
    layer: [
      { mark: { type: 'bar', color: ACCENT } },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { text: { field: 'revenue_share', type: 'quantitative', format: '.1%' } } },
    ],
  });
}

/** The lines with the largest absolute amounts (negative = cancellations/adjustments). */
export function extremeLinesChart(table: pl.DataFrame): ChartSpec {
  const values = records(table).map((r, i) => ({ ...r, rank: i + 1, label: `${i + 1}. ${r.invoice ?? r.customer_id ?? '?'} · ${r.product ?? ''}`, sign: Number(r.amount) < 0 ? 'negative' : 'positive' }));
  return spec({
    title: { text: 'Most extreme lines by amount', subtitle: 'before cleaning; negative amounts are cancellations or adjustments' },
    width: 420,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: { field: 'rank' }, title: null },
      x: { field: 'amount', type: 'quantitative', axis: { format: '~s' } },
      color: { field: 'sign', type: 'nominal', legend: null, scale: { domain: ['positive', 'negative'], range: [ACCENT, CLUSTER_COLORS[3]] } },
      tooltip: [{ field: 'invoice' }, { field: 'customer_id' }, { field: 'description' }, { field: 'quantity' }, { field: 'unit_price' }, { field: 'amount', format: ',.2f' }],
    },
  });
}
