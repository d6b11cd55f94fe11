/**
 * One look for every chart: fonts, cluster colours, the money axis format, the Vega-Lite config, and
 * colour scales built on the segment palette (src/palette.ts, re-exported here for chart code).
 */
import { SEGMENT_COLORS, SEGMENT_ORDER, segmentOrder, segmentPalette, type SegmentColorOf } from '../palette';

export {
  SEGMENT_ORDER,
  SEGMENT_COLORS,
  EXTRA_SEGMENT_COLORS,
  SEGMENT_SHAPES,
  segmentColor,
  segmentShape,
  segmentOrder,
  segmentPalette,
  type SegmentColorOf,
} from '../palette';

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

/**
 * A Vega-Lite colour scale for segment names: with no names, every standard segment with its fixed
 * colour; with names, those names (standard ones first, in SEGMENT_ORDER, then the others sorted)
 * coloured by `colorOf` (default: `segmentPalette` of the names).
 */
export function segmentColorScale(names?: string[], colorOf?: SegmentColorOf): { domain: string[]; range: string[] } {
  if (!names) return { domain: [...SEGMENT_ORDER], range: [...SEGMENT_COLORS] };
  const present = [...new Set(names)];
  const domain = segmentOrder(present);
  const of = colorOf ?? segmentPalette(present);
  return { domain, range: domain.map(of) };
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
