import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  rfmCharts,
  rfmDistributionChart,
  rfmHeatmap,
  recencyMonetaryScatter,
  segmentBarsChart,
  segmentScale,
  segmentShareChart,
} from '../../src/charts/rfm';
import { renderSvg } from '../../src/charts/render';
import { EXTRA_SEGMENT_COLORS, SEGMENT_COLORS, SEGMENT_ORDER } from '../../src/charts/theme';
import { mulberry32 } from '../../src/random';
import { rfm, segmentSummary, type RfmRun } from '../../src/rfm';
import { captureWarnings } from './fixtures';

const colour = (s: string): string => SEGMENT_COLORS[SEGMENT_ORDER.indexOf(s as (typeof SEGMENT_ORDER)[number])];
const valuesOf = (spec: unknown): Array<Record<string, unknown>> => (spec as { data: { values: Array<Record<string, unknown>> } }).data.values;

/** 5,000 seeded random customers (skewed spend, some refunds). */
function customers(n: number): pl.DataFrame {
  const rand = mulberry32(42);
  return pl.DataFrame({
    customer_id: Array.from({ length: n }, (_, i) => `c${i}`),
    recency_days: Array.from({ length: n }, () => 1 + Math.floor(rand() * 365)),
    frequency: Array.from({ length: n }, () => 1 + Math.floor(-Math.log(1 - rand()) * 3)),
    monetary: Array.from({ length: n }, (_, i) => (i % 500 === 0 ? -20 : Math.round(Math.exp(3 + 2 * rand()) * 100) / 100)),
  });
}

describe('RFM charts', () => {
  let result: RfmRun;
  let summary: pl.DataFrame;
  beforeAll(() => {
    result = captureWarnings(() => rfm(customers(5000))).value;
    summary = segmentSummary(result);
  });

  it('colours each segment with its fixed theme colour, unknown names after in stable distinct colours', () => {
    const s = segmentScale(['Lost', 'VIP', 'Champions', 'Gold']);
    expect(s.domain).toEqual(['Champions', 'Lost', 'Gold', 'VIP']);
    expect(s.range.slice(0, 2)).toEqual([colour('Champions'), colour('Lost')]);
    for (const c of s.range.slice(2)) expect(EXTRA_SEGMENT_COLORS as readonly string[]).toContain(c);
    expect(s.range[2]).not.toBe(s.range[3]);
    // the same names in another order give the same colours
    expect(segmentScale(['Gold', 'Champions', 'VIP', 'Lost'])).toEqual(s);
  });

  it('counts the histogram bars to the number of customers, stating what the log scale leaves out', async () => {
    const m = rfmDistributionChart(result, 'monetary');
    const bars = valuesOf(m);
    expect(bars.reduce((a, b) => a + (b.customers as number), 0)).toBe(5000 - 10);
    expect(JSON.stringify((m as { title: unknown }).title)).toContain('10 with monetary <= 0 not shown on the log scale');
    const f = rfmDistributionChart(result, 'frequency');
    // whole numbers over a short range: one bar per value
    expect(valuesOf(f).every((b) => (b.end as number) - (b.start as number) === 1)).toBe(true);
    expect(valuesOf(f).reduce((a, b) => a + (b.customers as number), 0)).toBe(5000);
    expect(await renderSvg(m)).toContain('<svg');
  });

  it('draws the heatmap with one cell per R × F pair present, means computed by Polars', async () => {
    const h = rfmHeatmap(result);
    const cells = valuesOf(h);
    expect(cells.reduce((a, c) => a + (c.customers as number), 0)).toBe(5000);
    const one = cells.find((c) => c.r_score === 5 && c.f_score === 1)!;
    const mean = result.table.filter(pl.col('r_score').eq(5).and(pl.col('f_score').eq(1))).getColumn('monetary').mean();
    expect(one.mean_monetary).toBeCloseTo(mean as number, 9);
    expect(await renderSvg(h)).toContain('Recency score');
  });

  it('sorts segment bars and share bars, in segment colours', async () => {
    const bars = await renderSvg(segmentBarsChart(summary));
    const present = summary.getColumn('segment').toArray() as string[];
    for (const s of present) expect(bars).toContain(colour(s));
    expect(bars).toContain('Revenue');
    const shares = segmentShareChart(summary);
    expect(valuesOf(shares)).toHaveLength(2 * present.length);
    const svg = await renderSvg(shares);
    expect(svg).toContain('share of revenue');
    expect(svg).toContain(colour(present[0]));
  });

  it('samples the scatter above maxPoints with a seed, and says so', async () => {
    const s = recencyMonetaryScatter(result);
    expect(valuesOf(s)).toHaveLength(3000);
    expect(JSON.stringify((s as { title: unknown }).title)).toContain('random sample of 3,000 of 4,990 customers (seed 1); 10 with monetary <= 0 not shown');
    expect(valuesOf(recencyMonetaryScatter(result))).toEqual(valuesOf(s));
    expect(valuesOf(recencyMonetaryScatter(result, { seed: 2 }))).not.toEqual(valuesOf(s));
    const small = recencyMonetaryScatter(result, { maxPoints: 10_000 });
    expect(valuesOf(small)).toHaveLength(4990);
    expect(await renderSvg(s)).toContain('Recency vs monetary');
  });

  it('renders every chart of rfmCharts', async () => {
    const all = rfmCharts(result, summary);
    expect(Object.keys(all)).toEqual(['recency', 'frequency', 'monetary', 'heatmap', 'segments', 'shares', 'scatter']);
    for (const spec of Object.values(all)) expect((await renderSvg(spec)).startsWith('<svg')).toBe(true);
  });
});
