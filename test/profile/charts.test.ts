/** Segment charts: every spec renders; one colour per cluster across charts; PCA and sampling stated. */
import { describe, expect, it } from 'vitest';
import { clusterBoxPlots, clusterSizeChart, customerTimelineChart, pcaScatter, segmentCharts, segmentClusterHeatmap, snakePlot } from '../../src/charts/profile';
import { renderSvg } from '../../src/charts/render';
import { EXTRA_SEGMENT_COLORS, SEGMENT_COLORS, SEGMENT_ORDER } from '../../src/charts/theme';
import { fitKMeans } from '../../src/cluster';
import { buildFeatures } from '../../src/features';
import { customerDetails, fitPca, profileSegments, project } from '../../src/profile';
import { transactions } from '../fixtures/profile/groups';
import { errorOf, fixtureRfm, quiet } from './helpers';

const r = fixtureRfm();
const X = quiet(() => buildFeatures(r));
const model = quiet(() => fitKMeans(X, { k: 5, seed: 1 }));
const tx = transactions();
const profiles = profileSegments(r, model, { features: X, transactions: tx });
const labels = profiles.segments.map((p) => p.label);

type Json = Record<string, unknown>;
/** Every `scale` object with a domain in a spec (deep). */
function scales(x: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(x)) x.forEach((v) => scales(v, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x as Json)) {
      if (k === 'scale' && v && typeof v === 'object' && 'domain' in (v as Json) && 'range' in (v as Json)) out.push(v as Json);
      else scales(v, out);
    }
  }
  return out;
}

describe('segment charts', () => {
  const charts = segmentCharts(profiles, { features: X, model });

  it('has every chart the issue lists, and each renders to SVG', async () => {
    expect(Object.keys(charts).sort()).toEqual(['boxplots', 'crossTab', 'pca', 'sizes', 'snake']);
    for (const spec of Object.values(charts)) {
      const svg = await renderSvg(spec);
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('Champions');
    }
  });

  it('carries its data at the top level, so show() draws every chart (not JSON)', () => {
    for (const spec of [...Object.values(charts), customerTimelineChart(customerDetails(r, 'A1', { transactions: tx }))]) {
      expect('data' in spec || 'datasets' in spec).toBe(true);
    }
  });

  it("colours each cluster with its name's colour in every chart: an RFM name's fixed colour, distinct colours otherwise", () => {
    const colours = profiles.segments.map((p) => p.color);
    for (const [name, spec] of Object.entries(charts)) {
      if (name === 'crossTab') continue; // coloured by share, not by cluster
      const found = scales(spec);
      expect(found.length, name).toBeGreaterThan(0);
      for (const s of found) {
        expect(s.domain).toEqual(labels);
        expect(s.range).toEqual(colours);
      }
    }
    expect(new Set(colours).size).toBe(colours.length);
    for (const p of profiles.segments) {
      const i = (SEGMENT_ORDER as readonly string[]).indexOf(p.name);
      if (i >= 0) expect(p.color, p.name).toBe(SEGMENT_COLORS[i]);
      else expect(EXTRA_SEGMENT_COLORS as readonly string[], p.name).toContain(p.color);
    }
  });

  it('draws the snake plot from the standardized means', () => {
    const values = (snakePlot(profiles) as unknown as { data: { values: Json[] } }).data.values;
    expect(values).toHaveLength(15);
    expect(values[0]).toEqual({ label: '1 · Champions', feature: 'Recency (days)', order: 0, value: profiles.segments[0].standardized.recency_days });
  });

  it('draws box plots from the profiles’ quartiles, monetary on a log scale when positive', () => {
    const spec = clusterBoxPlots(profiles) as unknown as { datasets: Record<string, Json[]>; hconcat: Array<{ data: { name: string }; layer: Array<{ encoding: { x: { scale?: Json } } }> }> };
    expect(spec.hconcat.map((h) => h.data.name)).toEqual(['recency', 'frequency', 'monetary']);
    expect(spec.datasets.recency[0]).toMatchObject({ label: labels[0], q1: 2.25, median: 3.5, q3: 4.75 });
    expect(spec.hconcat[2].layer[0].encoding.x.scale).toEqual({ type: 'log' });
    expect((clusterBoxPlots(profiles, { logMonetary: false }) as unknown as typeof spec).hconcat[2].layer[0].encoding.x.scale).toEqual({ zero: false });
  });

  it('states the PCA sample and the variance explained; centroids on top', () => {
    const spec = pcaScatter(X, model, profiles, { sample: 10, seed: 3 }) as unknown as { title: { subtitle: string }; datasets: Record<string, Json[]> };
    expect(spec.title.subtitle).toMatch(/^random sample of 10 of 30 customers \(seed 3\); PC1 explains \d+%, PC2 \d+% of the variance/);
    expect(spec.datasets.points).toHaveLength(10);
    expect(spec.datasets.centroids.map((v) => v.label)).toEqual(labels);
    expect(pcaScatter(X, model, profiles, { sample: 10, seed: 3 })).toEqual(spec);
    const all = pcaScatter(X, model, profiles) as unknown as typeof spec;
    expect(all.title.subtitle).toMatch(/^all 30 customers/);
    expect(errorOf(() => pcaScatter(X, { ...model, labels: [0] }, profiles)).code).toBe('size_mismatch');
  });

  it('draws sizes, revenue and the segment × cluster cross-tab', async () => {
    const sizes = clusterSizeChart(profiles) as unknown as { data: { values: Json[] } };
    expect(sizes.data.values[0]).toMatchObject({ label: labels[0], customers: 6, customerShare: 0.2 });
    const heat = segmentClusterHeatmap(profiles) as unknown as { data: { values: Json[] } };
    expect(heat.data.values).toEqual(profiles.crossTab);
    expect(await renderSvg(clusterSizeChart(profiles.segments))).toContain('Revenue');
  });

  it('draws one customer’s timeline', async () => {
    const d = customerDetails(r, 'A2', { model, features: X, profiles, transactions: tx });
    const spec = customerTimelineChart(d) as unknown as { data: { values: Json[] }; title: { text: string } };
    expect(spec.data.values).toEqual(d.timeline);
    expect(spec.title.text).toBe('Customer A2: purchases by month');
    expect(await renderSvg(customerTimelineChart(d))).toContain('Orders');
    expect(errorOf(() => customerTimelineChart({ ...d, timeline: [] })).code).toBe('no_timeline');
  });
});

describe('fitPca', () => {
  it('finds the direction of points on a line, sign fixed, 100% explained', () => {
    const rows = [0, 1, 2, 3, 4].map((t) => [t, 2 * t, 5]);
    const p = fitPca(rows);
    expect(p.components[0][0]).toBeCloseTo(1 / Math.sqrt(5), 10);
    expect(p.components[0][1]).toBeCloseTo(2 / Math.sqrt(5), 10);
    expect(p.explained[0]).toBeCloseTo(1, 12);
    // Scores on PC1: (t − 2) √5.
    expect(project(p, rows, 1).map((x) => x[0])).toEqual([-2, -1, 0, 1, 2].map((t) => expect.closeTo(t * Math.sqrt(5), 10)));
  });

  it('agrees with the covariance eigenvalues of a 2-D example worked by hand', () => {
    // Points (±1, 0) and (0, ±2): covariance diag(2/3, 8/3) → variances 8/3 then 2/3 along y then x.
    const p = fitPca([[1, 0], [-1, 0], [0, 2], [0, -2]]);
    expect(p.variances[0]).toBeCloseTo(8 / 3, 12);
    expect(p.variances[1]).toBeCloseTo(2 / 3, 12);
    expect(p.components[0].map(Math.abs)).toEqual([expect.closeTo(0, 12), expect.closeTo(1, 12)]);
  });
});
