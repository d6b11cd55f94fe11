import { describe, expect, it } from 'vitest';
import { dendrogramSegments, elbowChart, gapChart, kSelectionCharts, kSummaryPanel, silhouettePlot } from '../../src/charts/select-k';
import { renderSvg } from '../../src/charts/render';
import { sweepK } from '../../src/select-k/sweep';
import { wardDendrogram } from '../../src/select-k/dendrogram';
import { blobs } from './fixtures';

const { X } = blobs(3, 30, 2);
const sweep = sweepK(X, { k: [2, 6], nInit: 2, gap: { B: 8 }, stability: { B: 4 }, dendrogram: { sample: 40 }, userK: 4 });

type Layered = { layer: Array<{ data?: { values: Array<Record<string, unknown>> }; mark: { type: string } | string }>; data?: { values: Array<Record<string, unknown>> }; title: { text: string; subtitle: string } };

describe('k-selection charts', () => {
  it('every chart is plain JSON with inline data and renders to SVG', async () => {
    const charts = kSelectionCharts(sweep);
    expect(Object.keys(charts)).toEqual(['summary', 'elbow', 'silhouette', 'calinskiHarabasz', 'daviesBouldin', 'gap', 'stability', 'silhouettePlot', 'dendrogram']);
    for (const [name, spec] of Object.entries(charts)) {
      expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
      const svg = await renderSvg(spec);
      expect(svg.startsWith('<svg'), name).toBe(true);
    }
  });

  it('the elbow chart marks the knee, or says there is none', () => {
    const spec = elbowChart(sweep) as unknown as Layered;
    if (sweep.elbow.k === null) expect(spec.title.subtitle).toBe(sweep.elbow.note);
    else expect(JSON.stringify(spec)).toContain(`elbow k = ${sweep.elbow.k}`);
    const none = elbowChart({ ...sweep, elbow: { k: null, note: 'no clear elbow: flat' } }) as unknown as Layered;
    expect(none.title.subtitle).toBe('no clear elbow: flat');
    expect(JSON.stringify(none)).not.toContain('elbow k =');
  });

  it('the gap chart has ±SE bars for k = 1..kMax and circles the chosen k', () => {
    const spec = gapChart(sweep) as unknown as Layered;
    const values = spec.data!.values as Array<{ k: number; gap: number; lo: number; hi: number; chosen: boolean }>;
    expect(values.map((v) => v.k)).toEqual([1, 2, 3, 4, 5, 6]);
    values.forEach((v, i) => expect(v.hi - v.lo).toBeCloseTo(2 * sweep.gap!.perK[i].se, 12));
    expect(values.filter((v) => v.chosen).map((v) => v.k)).toEqual([sweep.gap!.k]);
  });

  it('the summary panel highlights the recommended and the chosen k and shades each index\'s vote', () => {
    const spec = kSummaryPanel(sweep) as unknown as Layered;
    const cells = spec.data!.values as Array<{ index: string; k: string; best: string }>;
    expect(cells.find((c) => c.index === 'Silhouette ↑' && c.k === 'k = 3')!.best).toBe('vote');
    expect(spec.title.subtitle).toContain('Recommended k = 3');
    expect(spec.title.subtitle).toContain('in use: k = 4 (your choice)');
    expect(JSON.stringify(spec.layer.slice(2))).toContain('"k = 3"');
    expect(JSON.stringify(spec.layer.slice(2))).toContain('"k = 4"');
  });

  it('the silhouette plot shows the chosen k, thinned evenly per cluster', () => {
    const spec = silhouettePlot(sweep, { maxBars: 30 }) as unknown as Layered;
    expect(spec.title.text).toBe('Silhouette of each customer, k = 4');
    const bars = spec.layer[0].data!.values;
    expect(bars.length).toBeGreaterThanOrEqual(28);
    expect(bars.length).toBeLessThanOrEqual(32);
    const named = silhouettePlot(sweep.silhouettePoints!.find((p) => p.k === 3)!, { clusterLabels: ['1 · A', '2 · B', '3 · C'] }) as unknown as Layered;
    expect(new Set(named.layer[0].data!.values.map((r) => r.cluster))).toEqual(new Set(['1 · A', '2 · B', '3 · C']));
  });

  it('draws the silhouettes as one filled shape per cluster (no sub-pixel bars with seams between them)', async () => {
    const svg = await renderSvg(silhouettePlot(sweep, { maxBars: 400 }));
    // Vega draws each cluster's area as its own mark group with one path
    expect(svg.match(/class="mark-area role-mark/g)).toHaveLength(4);
    expect(svg).not.toContain('mark-rect');
  });

  it('dendrogram segments: two legs and a bar per merge, at the merge heights', () => {
    const d = wardDendrogram([[0], [1], [5], [6]]);
    const segs = dendrogramSegments(d);
    expect(segs).toHaveLength(9);
    expect(Math.max(...segs.map((s) => s.y2))).toBeCloseTo(5 * Math.SQRT2, 12);
    expect(segs.filter((s) => s.y === s.y2 && s.x !== s.x2).map((s) => s.y)).toEqual(d.merges.map((m) => m.height));
  });

  it('refuses what it cannot draw', () => {
    expect(() => gapChart({ ...sweep, gap: undefined })).toThrow(/no gap statistic/);
    expect(() => kSelectionCharts({ ...sweep, perK: [] })).toThrow(/no k sweep/);
  });
});
