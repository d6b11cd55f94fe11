/**
 * Vega-Lite specs for RFM: R/F/M distributions, mean monetary by R × F score, customers and revenue by
 * segment, share of customers vs share of revenue, and recency vs monetary coloured by segment.
 * Data is aggregated (or sampled) here so specs stay small; a segment has its fixed colour everywhere.
 */
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import { mulberry32, sampleIndices } from '../random';
import type { RfmResult } from '../types';
import type { ChartSpec } from './render';
import { MONEY_LABEL_EXPR, MONEY_LOG_LABEL_EXPR, segmentColorScale, segmentShape, type SegmentColorOf } from './theme';

type Dimension = 'recency' | 'frequency' | 'monetary';
const COLUMN: Record<Dimension, string> = { recency: 'recency_days', frequency: 'frequency', monetary: 'monetary' };
const LABEL: Record<Dimension, string> = { recency: 'Days since last purchase', frequency: 'Orders', monetary: 'Monetary value' };

const fmt = (n: number): string => n.toLocaleString('en-GB');
const spec = (s: object): ChartSpec => ({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...s }) as unknown as ChartSpec;
const tableOf = (x: RfmResult | pl.DataFrame): pl.DataFrame => (typeof (x as pl.DataFrame).groupBy === 'function' ? (x as pl.DataFrame) : (x as RfmResult).table);

/**
 * Colour scale for the segments present: known segments keep their fixed colour; others get `colorOf`
 * when given (a report passes one palette for all its charts), else segmentPalette's colour of the names.
 */
export function segmentScale(present: string[], colorOf?: SegmentColorOf): { domain: string[]; range: string[] } {
  return segmentColorScale(present, colorOf);
}

export interface DistributionOptions {
  /** Log scale on the value axis (values <= 0 are left out, and the count is stated). Default: true for monetary. */
  log?: boolean;
  /** Number of bars (about). Default 30. */
  bins?: number;
}

/** Number of edges <= v. */
function upperBound(edges: number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bar edges: about `n` equal-width bars (equal in log10 on a log scale); whole numbers get edges at
 * half-units so each bar holds whole values (one bar per value over a short range).
 */
export function histogramEdges(values: Float64Array, n: number, log: boolean): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!values.length) return [0, 1];
  const integer = values.every(Number.isInteger);
  if (integer && hi - lo + 1 <= n) return Array.from({ length: hi - lo + 2 }, (_, i) => lo - 0.5 + i);
  const [a, b] = integer ? [lo - 0.5, hi + 0.5] : [lo, hi === lo ? lo + 1 : hi];
  const t = (v: number): number => (log ? Math.log10(v) : v);
  const inv = (v: number): number => (log ? 10 ** v : v);
  const w = (t(b) - t(a)) / n;
  const raw = Array.from({ length: n + 1 }, (_, i) => (i === n ? b : inv(t(a) + i * w)));
  if (!integer) return raw;
  const snapped = raw.map((e, i) => (i === 0 ? a : i === n ? b : Math.round(e - 0.5) + 0.5));
  return [...new Set(snapped)].filter((e, i, arr) => i === 0 || e > arr[i - 1]);
}

/** Histogram of recency, frequency or monetary (counts computed here, not in the spec). */
export function rfmDistributionChart(result: RfmResult | pl.DataFrame, dimension: Dimension, options: DistributionOptions = {}): ChartSpec {
  const col = COLUMN[dimension];
  const df = tableOf(result);
  if (!df.columns.includes(col)) throw new SegkitError('charts', 'missing_column', `no ${col} column to chart`, { where: 'rfmDistributionChart' });
  const log = options.log ?? dimension === 'monetary';
  const all = df.getColumn(col).cast(pl.Float64).toTypedArray() as Float64Array;
  const values = log ? all.filter((v) => v > 0) : all;
  const left = all.length - values.length;
  const edges = histogramEdges(values, options.bins ?? 30, log);
  const counts = new Array<number>(Math.max(edges.length - 1, 1)).fill(0);
  for (const v of values) counts[Math.min(Math.max(upperBound(edges, v) - 1, 0), counts.length - 1)]++;
  const data = counts.map((n, i) => ({ start: edges[i], end: edges[i + 1], customers: n }));
  const notes = [`${fmt(values.length)} customers`];
  if (left > 0) notes.push(`${fmt(left)} with ${col} <= 0 not shown on the log scale`);
  return spec({
    title: { text: `${dimension[0].toUpperCase()}${dimension.slice(1)}: ${LABEL[dimension].toLowerCase()}`, subtitle: notes.join('; ') },
    width: 360,
    height: 200,
    data: { values: data },
    mark: { type: 'bar', binSpacing: 1 },
    encoding: {
      x: { field: 'start', type: 'quantitative', bin: 'binned', title: `${LABEL[dimension]}${log ? ' (log scale)' : ''}`, scale: log ? { type: 'log' } : { zero: false }, ...(dimension === 'monetary' ? { axis: { labelExpr: log ? MONEY_LOG_LABEL_EXPR : MONEY_LABEL_EXPR } } : {}) },
      x2: { field: 'end' },
      y: { field: 'customers', type: 'quantitative', title: 'Customers', axis: { format: ',d' } },
      tooltip: [
        { field: 'start', type: 'quantitative', title: 'from', format: ',.2f' },
        { field: 'end', type: 'quantitative', title: 'to', format: ',.2f' },
        { field: 'customers', type: 'quantitative', format: ',' },
      ],
    },
  });
}

/** Heatmap of mean monetary value per R score × F score, with the customer count per cell in the tooltip. */
export function rfmHeatmap(result: RfmResult | pl.DataFrame): ChartSpec {
  const df = tableOf(result);
  const cells = df
    .groupBy(['r_score', 'f_score'])
    .agg(pl.col('monetary').mean().alias('mean_monetary'), pl.len().cast(pl.Int64).alias('customers'))
    .sort(['r_score', 'f_score'])
    .toRecords() as Array<{ mean_monetary: number }>;
  const dark = 0.6 * Math.max(...cells.map((c) => c.mean_monetary));
  return spec({
    title: { text: 'Mean monetary value by recency and frequency score', subtitle: 'darker = higher mean spend; empty cells: no customer has that pair of scores' },
    width: 300,
    height: 260,
    data: { values: cells },
    encoding: {
      x: { field: 'f_score', type: 'ordinal', title: 'Frequency score (high = many orders)', axis: { labelAngle: 0 } },
      y: { field: 'r_score', type: 'ordinal', title: 'Recency score (high = recent)', sort: 'descending' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          // No colour legend: every cell prints its value.
          color: { field: 'mean_monetary', type: 'quantitative', title: 'Mean spend', scale: { scheme: 'blues' }, legend: null },
          tooltip: [
            { field: 'r_score', title: 'R' },
            { field: 'f_score', title: 'F' },
            { field: 'mean_monetary', type: 'quantitative', title: 'mean monetary', format: ',.0f' },
            { field: 'customers', type: 'quantitative', format: ',' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'mean_monetary', type: 'quantitative', format: '$,.0f' },
          color: { condition: { test: `datum.mean_monetary > ${dark}`, value: 'white' }, value: '#222' },
        },
      },
    ],
  });
}

const summaryRows = (summary: pl.DataFrame): Array<Record<string, number | string>> => {
  const need = ['segment', 'customers', 'revenue', 'customer_share', 'revenue_share'];
  const miss = need.filter((c) => !summary.columns.includes(c));
  if (miss.length) throw new SegkitError('charts', 'missing_column', `the segment summary has no ${miss.join(', ')} column`, { where: 'segment chart', hint: 'pass the result of segmentSummary()' });
  return summary.toRecords() as Array<Record<string, number | string>>;
};

export interface SegmentColorOptions {
  /** Colour of each segment name (default: fixed colours for the standard names, see segmentScale). */
  colorOf?: SegmentColorOf;
}

/** Bars of customers and of revenue per segment, each sorted largest first, in the fixed segment colours. */
export function segmentBarsChart(summary: pl.DataFrame, options: SegmentColorOptions = {}): ChartSpec {
  const rows = summaryRows(summary);
  const scale = segmentScale(rows.map((r) => String(r.segment)), options.colorOf);
  const bar = (field: 'customers' | 'revenue', title: string, format: string): object => ({
    title,
    width: 260,
    height: { step: 18 },
    mark: 'bar',
    encoding: {
      y: { field: 'segment', type: 'nominal', title: null, sort: { field, order: 'descending' } },
      x: { field, type: 'quantitative', title, axis: field === 'revenue' ? { labelExpr: MONEY_LABEL_EXPR } : { format } },
      color: { field: 'segment', type: 'nominal', scale, legend: null },
      tooltip: [{ field: 'segment' }, { field, type: 'quantitative', format: ',.0f' }],
    },
  });
  return spec({
    title: 'Customers and revenue by segment',
    data: { values: rows },
    hconcat: [bar('customers', 'Customers', ',d'), bar('revenue', 'Revenue', '~s')],
  });
}

/** Share of customers vs share of revenue per segment (paired bars): who brings more than their headcount. */
export function segmentShareChart(summary: pl.DataFrame, options: SegmentColorOptions = {}): ChartSpec {
  const rows = summaryRows(summary);
  const scale = segmentScale(rows.map((r) => String(r.segment)), options.colorOf);
  const values = rows.flatMap((r) => [
    { segment: r.segment, measure: 'share of customers', share: r.customer_share },
    { segment: r.segment, measure: 'share of revenue', share: r.revenue_share },
  ]);
  return spec({
    // Title and subtitle short enough for one line each in a half-page grid cell (see src/report/fit.ts);
    // the subtitle says which bar is which (no legend: its grey and black swatches matched no bar).
    title: { text: 'Share of customers and of revenue', subtitle: 'light: customers, dark: revenue; sorted by revenue' },
    width: 320,
    height: { step: 11 },
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'segment', type: 'nominal', title: null, sort: rows.map((r) => r.segment) },
      yOffset: { field: 'measure', type: 'nominal', sort: ['share of customers', 'share of revenue'] },
      x: { field: 'share', type: 'quantitative', title: 'Share', axis: { format: '%' } },
      color: { field: 'segment', type: 'nominal', scale, legend: null },
      opacity: { field: 'measure', type: 'ordinal', sort: ['share of customers', 'share of revenue'], scale: { domain: ['share of customers', 'share of revenue'], range: [0.4, 1] }, title: null, legend: null },
      tooltip: [{ field: 'segment' }, { field: 'measure' }, { field: 'share', type: 'quantitative', format: '.1%' }],
    },
  });
}

export interface ScatterOptions extends SegmentColorOptions {
  /** At most this many points; above it a seeded random sample is drawn and stated. Default 3000. */
  maxPoints?: number;
  seed?: number;
}

/**
 * Recency vs monetary per customer, coloured by segment (log monetary axis; customers with monetary <= 0 are counted, not drawn).
 * @throws SegkitError `charts/missing_column` (no segment column).
 */
export function recencyMonetaryScatter(result: RfmResult | pl.DataFrame, options: ScatterOptions = {}): ChartSpec {
  const df = tableOf(result);
  if (!df.columns.includes('segment')) throw new SegkitError('charts', 'missing_column', 'no segment column to colour by', { where: 'recencyMonetaryScatter', hint: 'pass the result of rfm() or segmentRfm()' });
  const max = options.maxPoints ?? 3000;
  const seed = options.seed ?? 1;
  const positive = df.select('customer_id', 'recency_days', 'monetary', 'frequency', 'segment').filter(pl.col('monetary').gt(0));
  const left = df.height - positive.height;
  const N = positive.height;
  let rows = positive;
  const notes = [`all ${fmt(N)} customers`];
  if (N > max) {
    const keep = new Array<boolean>(N).fill(false);
    for (const i of sampleIndices(mulberry32(seed), N, max)) keep[i] = true;
    rows = rows.filter(pl.Series('keep', keep, pl.Bool));
    notes[0] = `random sample of ${fmt(rows.height)} of ${fmt(N)} customers (seed ${seed})`;
  }
  if (left > 0) notes.push(`${fmt(left)} with monetary <= 0 not shown on the log scale`);
  const scale = segmentScale([...new Set(rows.getColumn('segment').toArray() as string[])], options.colorOf);
  // Shape by segment family as well as colour (one merged legend), so the plot does not rely on colour alone.
  const shapes = { domain: scale.domain, range: scale.domain.map(segmentShape) };
  // Ticks and grid lines at powers of ten only (a log axis otherwise draws a line at every 2, 3, … 9).
  const mon = rows.getColumn('monetary').toArray() as number[];
  const [mMin, mMax] = mon.reduce(([a, b], v) => [Math.min(a, v), Math.max(b, v)], [Infinity, 1]);
  const lo = Math.floor(Math.log10(Math.max(Number.isFinite(mMin) ? mMin : 1, 1e-6)));
  const hi = Math.ceil(Math.log10(mMax));
  const decades = Array.from({ length: Math.max(hi - lo + 1, 1) }, (_, i) => 10 ** (lo + i));
  return spec({
    title: { text: 'Recency vs monetary value by segment', subtitle: notes.join('; ') },
    width: 420,
    height: 280,
    data: { values: rows.toRecords() },
    // fillOpacity, not opacity: Chromium's PDF writes a transparency group per point for `opacity` (MBs for a few thousand points).
    mark: { type: 'point', filled: true, size: 16, opacity: 1, fillOpacity: 0.6 },
    encoding: {
      x: { field: 'recency_days', type: 'quantitative', title: 'Days since last purchase' },
      y: { field: 'monetary', type: 'quantitative', title: 'Monetary value (log scale)', scale: { type: 'log' }, axis: { labelExpr: MONEY_LABEL_EXPR, values: decades } },
      color: { field: 'segment', type: 'nominal', scale, title: 'Segment' },
      shape: { field: 'segment', type: 'nominal', scale: shapes, title: 'Segment' },
      tooltip: [{ field: 'customer_id' }, { field: 'segment' }, { field: 'recency_days' }, { field: 'frequency' }, { field: 'monetary', format: ',.2f' }],
    },
  });
}

/**
 * Every RFM chart, keyed by name, for reports and notebooks.
 * @throws SegkitError `charts/missing_column` (a customer table or segment summary without the columns charted).
 */
export function rfmCharts(result: RfmResult, summary: pl.DataFrame, options: ScatterOptions = {}): Record<string, ChartSpec> {
  return {
    recency: rfmDistributionChart(result, 'recency'),
    frequency: rfmDistributionChart(result, 'frequency', { log: true }),
    monetary: rfmDistributionChart(result, 'monetary', { log: true }),
    heatmap: rfmHeatmap(result),
    segments: segmentBarsChart(summary),
    shares: segmentShareChart(summary),
    scatter: recencyMonetaryScatter(result, options),
  };
}
