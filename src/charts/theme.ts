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

/**
 * Colours for SEGMENT_ORDER, one per segment name wherever it is drawn (RFM charts, k-means charts,
 * swatches). Families: greens = loyal, blues = new, ochre/orange = slipping, red/plum = at risk,
 * purple/greys = gone. Every colour has at least 3:1 contrast on white (WCAG 1.4.11 for graphics),
 * and every pair differs by CIEDE2000 >= 16 in normal vision and >= 10 under simulated deuteranopia
 * and protanopia (>= 13 tritanopia; Machado et al. 2009, severity 1). The former palette had five
 * colours under 3:1 and Champions vs Can't Lose Them at 5 under deuteranopia.
 */
export const SEGMENT_COLORS = [
  '#20500b', // Champions: dark green
  '#277e62', // Loyal Customers: teal green
  '#809b65', // Potential Loyalist: sage
  '#0350ac', // New Customers: blue
  '#219fc6', // Promising: sky blue
  '#876b0e', // Need Attention: ochre
  '#d6781f', // About To Sleep: orange
  '#9e4342', // At Risk: brick red
  '#551a41', // Can't Lose Them: plum
  '#706db2', // Hibernating: lavender
  '#514d4f', // Lost: dark grey
  '#918b8e', // Others: grey
] as const;

/**
 * Colours for segment names outside SEGMENT_ORDER (a custom rule table's names, a qualified cluster
 * name such as "Lost (higher spend)", user-given names). Each is >= 13 CIEDE2000 from every standard
 * colour, >= 13 from each other also under deuteranopia and protanopia, and >= 3:1 on white.
 */
export const EXTRA_SEGMENT_COLORS = ['#3379a3', '#8b3a60', '#c6747e', '#ef3b47', '#693424', '#1e7f04', '#5f2488', '#9a79fd'] as const;

/**
 * Marker shapes by segment family (scatter plots), so the families differ by more than colour:
 * loyal = circle, new = square, slipping = triangle, at risk = diamond, gone = triangle-down.
 * Other names get a circle.
 */
export const SEGMENT_SHAPES: Readonly<Record<(typeof SEGMENT_ORDER)[number], string>> = {
  Champions: 'circle',
  'Loyal Customers': 'circle',
  'Potential Loyalist': 'circle',
  'New Customers': 'square',
  Promising: 'square',
  'Need Attention': 'triangle-up',
  'About To Sleep': 'triangle-up',
  'At Risk': 'diamond',
  "Can't Lose Them": 'diamond',
  Hibernating: 'triangle-down',
  Lost: 'triangle-down',
  Others: 'triangle-down',
};

const isStandard = (name: string): name is (typeof SEGMENT_ORDER)[number] => (SEGMENT_ORDER as readonly string[]).includes(name);

/** 32-bit FNV-1a of a string (UTF-16 code units): a stable slot for a name, the same in every run. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The colour of one segment name: its fixed colour if it is a standard RFM segment, otherwise the
 * EXTRA_SEGMENT_COLORS slot its name hashes to (stable across runs, charts and reports; two other
 * names may share a slot, which `segmentPalette` resolves for a known set of names).
 */
export function segmentColor(name: string): string {
  if (isStandard(name)) return SEGMENT_COLORS[SEGMENT_ORDER.indexOf(name)];
  return EXTRA_SEGMENT_COLORS[fnv1a(name) % EXTRA_SEGMENT_COLORS.length];
}

/** Marker shape of a segment name (see SEGMENT_SHAPES). */
export function segmentShape(name: string): string {
  return isStandard(name) ? SEGMENT_SHAPES[name] : 'circle';
}

/** Segment names in reading order: the standard ones in SEGMENT_ORDER, then the others sorted. */
export function segmentOrder(names: Iterable<string>): string[] {
  const present = [...new Set(names)];
  return [...SEGMENT_ORDER.filter((s) => present.includes(s)), ...present.filter((s) => !isStandard(s)).sort()];
}

/** Name → colour for every name a report or notebook draws. */
export type SegmentColorOf = (name: string) => string;

/**
 * One colour per name for a set of names (e.g. every RFM segment and every cluster name of a report):
 * standard names keep their fixed colour; the others, in sorted order, take the slot their name hashes
 * to, or the next free one if another name has it (so, up to EXTRA_SEGMENT_COLORS.length other names,
 * no two names share a colour). A name not in the set falls back to `segmentColor`.
 * The result depends only on the set, not on its order.
 */
export function segmentPalette(names: Iterable<string>): SegmentColorOf {
  const map = new Map<string, string>();
  const others = [...new Set(names)].filter((n) => !isStandard(n)).sort();
  const taken = new Set<number>();
  const n = EXTRA_SEGMENT_COLORS.length;
  for (const name of others) {
    let slot = fnv1a(name) % n;
    if (taken.size < n) while (taken.has(slot)) slot = (slot + 1) % n;
    taken.add(slot);
    map.set(name, EXTRA_SEGMENT_COLORS[slot]);
  }
  return (name: string) => map.get(name) ?? segmentColor(name);
}

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
