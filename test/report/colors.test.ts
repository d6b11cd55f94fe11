/**
 * One colour per segment name: the fixed palette of the standard RFM segments, a stable colour for any
 * other name, distinct colours for the names of one report, and readable colours (contrast on white).
 */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../src/charts/render';
import { recencyMonetaryScatter, segmentShareChart } from '../../src/charts/rfm';
import { stabilityChart } from '../../src/charts/select-k';
import { EXTRA_SEGMENT_COLORS, SEGMENT_COLORS, SEGMENT_ORDER, segmentColor, segmentColorScale, segmentPalette } from '../../src/charts/theme';
import type { KSweep } from '../../src/types';

const STANDARD = ['Champions', 'Loyal Customers', 'Potential Loyalist', 'New Customers', 'Promising', 'Need Attention', 'About To Sleep', 'At Risk', "Can't Lose Them", 'Hibernating', 'Lost', 'Others'];

/** WCAG 2 contrast ratio of a colour against white, computed here from the sRGB definition. */
function contrastOnWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

describe('segment colours', () => {
  it('the 11 standard RFM segments and Others each have their own fixed colour, readable on white', () => {
    expect([...SEGMENT_ORDER]).toEqual(STANDARD);
    const colours = STANDARD.map(segmentColor);
    expect(colours).toEqual([...SEGMENT_COLORS]);
    expect(new Set(colours).size).toBe(12);
    for (const c of [...colours, ...EXTRA_SEGMENT_COLORS]) expect(contrastOnWhite(c), c).toBeGreaterThanOrEqual(3);
    // Fallback colours never repeat a standard one.
    for (const c of EXTRA_SEGMENT_COLORS) expect(colours).not.toContain(c);
  });

  it('a custom segment name gets a stable colour from the fallback palette, whatever else is drawn', () => {
    const vip = segmentColor('VIP');
    expect(EXTRA_SEGMENT_COLORS as readonly string[]).toContain(vip);
    expect(segmentColor('VIP')).toBe(vip);
    // Same colour in palettes built from the same names in any order.
    const names = ['VIP', 'Bargain hunters', 'Champions', 'Window shoppers', 'Lost'];
    const a = segmentPalette(names);
    const b = segmentPalette([...names].reverse());
    for (const n of names) expect(a(n)).toBe(b(n));
    expect(a('Champions')).toBe(SEGMENT_COLORS[0]);
    expect(a('Lost')).toBe(SEGMENT_COLORS[10]);
  });

  it('distinct names of one report get distinct colours, up to the size of the fallback palette', () => {
    const custom = Array.from({ length: EXTRA_SEGMENT_COLORS.length }, (_, i) => `Tier ${i + 1}`);
    const colorOf = segmentPalette([...STANDARD, ...custom]);
    const all = [...STANDARD, ...custom].map(colorOf);
    expect(new Set(all).size).toBe(all.length);
  });

  it('clusters named after the same RFM segment (qualified or numbered names) differ from it and from each other', () => {
    // The names src/profile/names.ts gives a second and third cluster that are mostly Lost.
    const names = ['Lost', 'Lost (higher spend)', 'Lost 3', 'Cluster 4'];
    const colorOf = segmentPalette(names);
    expect(colorOf('Lost')).toBe(SEGMENT_COLORS[SEGMENT_ORDER.indexOf('Lost')]);
    expect(new Set(names.map(colorOf)).size).toBe(4);
  });

  it('segmentColorScale lists standard names in palette order, then the others sorted', () => {
    const scale = segmentColorScale(['VIP', 'Lost', 'Champions', 'Bargain hunters']);
    expect(scale.domain).toEqual(['Champions', 'Lost', 'Bargain hunters', 'VIP']);
    expect(scale.range.slice(0, 2)).toEqual([SEGMENT_COLORS[0], SEGMENT_COLORS[10]]);
    expect(segmentColorScale()).toEqual({ domain: STANDARD, range: [...SEGMENT_COLORS] });
  });
});

describe('RFM charts with a report palette', () => {
  const summary = pl.DataFrame({
    segment: ['VIP', 'Champions', 'Lost'],
    customers: [10, 20, 70],
    revenue: [500, 400, 100],
    customer_share: [0.1, 0.2, 0.7],
    revenue_share: [0.5, 0.4, 0.1],
  });
  const colorOf = segmentPalette(['VIP', 'Champions', 'Lost']);

  it('the share chart colours every segment, custom ones included, by the palette', () => {
    const spec = segmentShareChart(summary, { colorOf }) as unknown as { encoding: { color: { scale: { domain: string[]; range: string[] } } } };
    const { domain, range } = spec.encoding.color.scale;
    domain.forEach((d, i) => expect(range[i]).toBe(colorOf(d)));
    expect(range[domain.indexOf('VIP')]).toBe(segmentColor('VIP'));
  });

  it('the recency × monetary scatter shows segments by shape as well as colour, with one legend', async () => {
    const table = pl.DataFrame({
      customer_id: ['a', 'b', 'c', 'd'],
      recency_days: [5, 300, 120, 200],
      frequency: [9, 1, 2, 3],
      monetary: [900, 10, 50, 80],
      segment: ['Champions', 'Lost', 'Need Attention', 'At Risk'],
    });
    const spec = recencyMonetaryScatter(table, { colorOf }) as unknown as { mark: Record<string, unknown>; encoding: Record<string, { field: string; scale: { domain: string[]; range: string[] } }> };
    expect(spec.encoding.shape.field).toBe('segment');
    expect(new Set(spec.encoding.shape.scale.range).size).toBe(4);
    // fillOpacity, never opacity below 1 (Chromium writes a transparency group per point for opacity).
    expect(spec.mark.opacity).toBe(1);
    expect(spec.mark.fillOpacity).toBeLessThan(1);
    const svg = await renderSvg(spec as never);
    // One legend titled Segment (colour and shape merged), not two.
    expect(svg.split('>Segment<').length - 1).toBe(1);
    expect(svg.toLowerCase()).toContain(`fill="${colorOf('At Risk')}"`);
  });
});

describe('stability chart', () => {
  it('names its bands right of the plot, where the line never runs', async () => {
    const perK = [2, 3, 4, 5, 6, 7, 8, 9, 10].map((k, i) => ({ k, inertia: 100 - k, silhouette: 0.5, calinskiHarabasz: 100, daviesBouldin: 1, stability: [0.98, 0.84, 0.93, 0.92, 0.87, 0.74, 0.68, 0.71, 0.71][i] }));
    const sweep = { perK, recommendation: { k: 2 }, chosenK: 2 } as unknown as KSweep;
    const svg = await renderSvg(stabilityChart(sweep));
    const xOf = (t: string) => Number(new RegExp(`translate\\(([\\d.]+),[\\d.]+\\)"[^>]*>${t}<`).exec(svg)?.[1]);
    // The line's points: symbol paths with a translate; the rightmost is at k = 10.
    const points = [...svg.matchAll(/<path[^>]*transform="translate\(([\d.]+),[\d.]+\)"[^>]*d="M[^"]*A/g)].map((m) => Number(m[1]));
    expect(points.length).toBeGreaterThanOrEqual(9);
    const right = Math.max(...points);
    for (const band of ['highly stable', 'stable', 'moderately stable', 'unstable']) expect(xOf(band), band).toBeGreaterThan(right + 3);
  });
});
