/**
 * Vega-Lite specs for lifetime value: the calibration/holdout chart (mean holdout purchases per
 * calibration frequency: actual, BG/NBD, naive; as lifetimes' plot_calibration_purchases_vs_holdout_purchases),
 * actual vs predicted holdout revenue per segment, and expected value per segment.
 */
import type pl from 'nodejs-polars';
import type { ChartSpec } from '../charts/render';
import { chartLocale, type SegmentColorOf } from '../charts/theme';
import type { HoldoutValidation } from './validate';

const spec = (s: object): ChartSpec => ({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...s }) as unknown as ChartSpec;
const SERIES = { domain: ['actual', 'BG/NBD', 'naive'], range: ['#222222', '#0350ac', '#d6781f'] };

export interface ClvChartOptions {
  /** Currency symbol. Default "£". */
  currency?: string;
  /** Segment colours (default grey). */
  colorOf?: SegmentColorOf;
  /** Segment order (default: as given). */
  order?: string[];
}

/** Mean holdout purchases per calibration-period frequency bucket: actual, the model's and the naive forecast. */
export function clvCalibrationChart(v: HoldoutValidation, options: ClvChartOptions = {}): ChartSpec {
  const rows = v.byFrequency.toRecords() as Array<{ bucket: string; customers: number; actual: number; predicted: number; naive: number }>;
  const values = rows.flatMap((r) => [
    { bucket: r.bucket, series: 'actual', purchases: r.actual, customers: r.customers },
    { bucket: r.bucket, series: 'BG/NBD', purchases: r.predicted, customers: r.customers },
    { bucket: r.bucket, series: 'naive', purchases: r.naive, customers: r.customers },
  ]);
  return spec({
    title: { text: 'Holdout purchases per customer: actual vs predicted', subtitle: 'by repeat purchases in the calibration period; naive: the same repeat rate as before' },
    width: 420,
    height: 240,
    data: { values },
    config: { locale: chartLocale(options.currency ?? '£') },
    encoding: {
      x: { field: 'bucket', type: 'ordinal', sort: rows.map((r) => r.bucket), title: 'Repeat purchases in the calibration period', axis: { labelAngle: 0 } },
      y: { field: 'purchases', type: 'quantitative', title: 'Mean purchases in the holdout' },
      color: { field: 'series', type: 'nominal', scale: SERIES, title: null, legend: { orient: 'top-left' } },
      strokeDash: { field: 'series', type: 'nominal', scale: { domain: SERIES.domain, range: [[1, 0], [6, 3], [2, 2]] }, legend: null },
      tooltip: [{ field: 'bucket', title: 'repeat purchases' }, { field: 'series' }, { field: 'purchases', type: 'quantitative', format: ',.2f' }, { field: 'customers', type: 'quantitative', format: ',' }],
    },
    layer: [{ mark: { type: 'line', strokeWidth: 2 } }, { mark: { type: 'point', filled: true, size: 40 } }],
  });
}

/** Actual vs predicted holdout revenue per segment (rows of holdoutByGroup with revenue). */
export function clvSegmentRevenueChart(byGroup: pl.DataFrame, options: ClvChartOptions = {}): ChartSpec {
  const rows = byGroup.toRecords() as Array<{ group: string; actual_revenue: number; predicted_revenue: number; customers: number }>;
  const order = options.order ? [...options.order.filter((g) => rows.some((r) => r.group === g)), ...rows.map((r) => r.group).filter((g) => !options.order!.includes(g))] : rows.map((r) => r.group);
  const values = rows.flatMap((r) => [
    { group: r.group, series: 'actual', revenue: r.actual_revenue, customers: r.customers },
    { group: r.group, series: 'predicted', revenue: r.predicted_revenue, customers: r.customers },
  ]);
  return spec({
    title: { text: 'Holdout revenue per segment: actual vs predicted', subtitle: 'predicted: BG/NBD purchases × Gamma-Gamma spend, fitted before the holdout' },
    width: 420,
    height: { step: 11 },
    data: { values },
    config: { locale: chartLocale(options.currency ?? '£') },
    encoding: {
      y: { field: 'group', type: 'nominal', sort: order, title: null, axis: { labelLimit: 170 } },
      yOffset: { field: 'series', type: 'nominal', sort: ['actual', 'predicted'] },
      x: { field: 'revenue', type: 'quantitative', title: 'Revenue in the holdout', axis: { format: '$,.3~s' } },
      color: { field: 'series', type: 'nominal', scale: { domain: ['actual', 'predicted'], range: ['#222222', '#0350ac'] }, title: null, legend: { orient: 'bottom' } },
      tooltip: [{ field: 'group', title: 'segment' }, { field: 'series' }, { field: 'revenue', type: 'quantitative', format: '$,.0f' }, { field: 'customers', type: 'quantitative', format: ',' }],
    },
    mark: 'bar',
  });
}

/** Expected value per segment over the horizon (rows of valueByGroup: group, customers, clv, clv_per_customer). */
export function clvValueChart(byGroup: pl.DataFrame, horizon: number, options: ClvChartOptions = {}): ChartSpec {
  const rows = byGroup.toRecords() as Array<{ group: string; customers: number; clv: number; clv_per_customer: number; share: number }>;
  const order = options.order ? [...options.order.filter((g) => rows.some((r) => r.group === g)), ...rows.map((r) => r.group).filter((g) => !options.order!.includes(g))] : rows.map((r) => r.group);
  const colour = options.colorOf ?? ((): string => '#706db2');
  return spec({
    title: { text: `Expected ${horizon}-month value per segment`, subtitle: 'discounted; label: value per customer' },
    width: 420,
    height: { step: 20 },
    data: { values: rows },
    config: { locale: chartLocale(options.currency ?? '£') },
    encoding: {
      y: { field: 'group', type: 'nominal', sort: order, title: null, axis: { labelLimit: 170 } },
      x: { field: 'clv', type: 'quantitative', title: `Expected value of the next ${horizon} months`, axis: { format: '$,.3~s' } },
      tooltip: [{ field: 'group', title: 'segment' }, { field: 'customers', type: 'quantitative', format: ',' }, { field: 'clv', type: 'quantitative', format: '$,.0f', title: 'expected value' }, { field: 'clv_per_customer', type: 'quantitative', format: '$,.0f', title: 'per customer' }, { field: 'share', type: 'quantitative', format: '.1%' }],
    },
    layer: [
      { mark: 'bar', encoding: { color: { field: 'group', type: 'nominal', scale: { domain: order, range: order.map((g) => colour(g)) }, legend: null } } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { text: { field: 'clv_per_customer', type: 'quantitative', format: '$,.0f' } } },
    ],
  });
}
