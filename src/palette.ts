/**
 * Segment names in reading order, their colours and their marker shapes: one palette for every chart,
 * table and card, so a segment has the same colour everywhere (notebook, HTML, PDF) and charts stay
 * readable in greyscale (colours differ in lightness too).
 *
 * A neutral module below profile/ (which names clusters after segments and colours them) and charts/
 * (which draws them): both import it, neither imports the other for it.
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
