/**
 * One palette and one look for every chart, so a segment has the same colour everywhere
 * (notebook, HTML, PDF) and charts stay readable in greyscale (colours differ in lightness too).
 */

/** The 11 named RFM segments, best first, plus "Others". The order fixes their colours. */
export const SEGMENT_ORDER = [
  'Champions',
  'Loyal Customers',
  'Potential Loyalist',
  'New Customers',
  'Promising',
  'Need Attention',
  'About To Sleep',
  'At Risk',
  "Can't Lose Them",
  'Hibernating',
  'Lost',
  'Others',
] as const;

/** Colours for SEGMENT_ORDER (green = good, amber = watch, red = at risk, grey = gone). */
export const SEGMENT_COLORS = [
  '#1b7837',
  '#5aae61',
  '#a6dba0',
  '#4393c3',
  '#92c5de',
  '#fdb863',
  '#e08214',
  '#d6604d',
  '#b2182b',
  '#878787',
  '#4d4d4d',
  '#bababa',
] as const;

/** Colours for clusters 0..k-1 (categorical, distinct in lightness). */
export const CLUSTER_COLORS = [
  '#1f4e79',
  '#e07b39',
  '#3a923a',
  '#c03d3e',
  '#8c6bb1',
  '#8c564b',
  '#d37295',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;

export const ACCENT = '#1f4e79';
export const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** Number locale for charts: en-GB separators; `$` in a format is the currency symbol (default £, as reports default to GBP). */
export function chartLocale(currencySymbol = '£'): { number: { decimal: string; thousands: string; grouping: number[]; currency: [string, string] } } {
  return { number: { decimal: '.', thousands: ',', grouping: [3], currency: [currencySymbol, ''] } };
}

/**
 * An axis `labelExpr` for money: £950, £12k, £1.2m (the same compact style as the report's prose).
 * Blank labels stay blank (log axes leave most minor ticks unlabelled).
 */
export const MONEY_LABEL_EXPR =
  "datum.label == '' ? '' : abs(datum.value) >= 1e6 ? format(datum.value / 1e6, '$,.1~f') + 'm' : abs(datum.value) >= 1e4 ? format(datum.value / 1e3, '$,.0f') + 'k' : abs(datum.value) >= 10 ? format(datum.value, '$,.0f') : format(datum.value, '$,.2~f')";

/** A Vega-Lite colour scale mapping every known segment name to its fixed colour. */
export function segmentColorScale(): { domain: string[]; range: string[] } {
  return { domain: [...SEGMENT_ORDER], range: [...SEGMENT_COLORS] };
}

/** A Vega-Lite colour scale for cluster labels given as strings (e.g. "1 · Champions"). */
export function clusterColorScale(labels: string[]): { domain: string[]; range: string[] } {
  return { domain: labels, range: labels.map((_, i) => CLUSTER_COLORS[i % CLUSTER_COLORS.length]) };
}

/** Vega-Lite config applied to every spec. */
export const VL_CONFIG = {
  font: FONT,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6', domainColor: '#888', tickColor: '#888' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 13, anchor: 'start', color: '#222', subtitleFontSize: 10.5, subtitleColor: '#555' },
  mark: { color: ACCENT },
  bar: { color: ACCENT },
  range: { category: [...CLUSTER_COLORS] },
  locale: chartLocale(),
} as const;

/** MONEY_LABEL_EXPR for log axes: labels at powers of ten only (£1, £10, £100, £1,000, £10k), so they never collide. */
export const MONEY_LOG_LABEL_EXPR = `abs(log(datum.value) / LN10 - round(log(datum.value) / LN10)) > 1e-6 ? '' : ${MONEY_LABEL_EXPR.replace("datum.label == '' ? '' : ", '')}`;
