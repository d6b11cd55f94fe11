/**
 * Vega-Lite specs for choosing k: elbow with the knee, silhouette / Calinski-Harabasz / Davies-Bouldin
 * against k, gap with ±SE bars, stability, the per-point silhouette plot, the Ward dendrogram and a
 * summary panel of every index with the recommendation highlighted. Inline data only.
 */
import { SegkitError } from '../errors';
import type { Dendrogram, KSweep, SilhouettePoints } from '../types';
import type { ChartSpec } from './render';
import { ACCENT, CLUSTER_COLORS } from './theme';

export interface KChartOptions {
  /** The k in use (a user's override); default the sweep's chosen or recommended k. */
  chosenK?: number;
  /** Cluster names for the silhouette plot, index = cluster label (e.g. the profiles' "1 · Champions"). */
  clusterLabels?: string[];
  /** Colours for the silhouette plot, index = cluster label (a report passes its segments' colours); default CLUSTER_COLORS. */
  clusterColors?: string[];
  /** Most bars drawn in the silhouette plot (evenly thinned within each cluster). Default 600. */
  maxBars?: number;
}

const HIGHLIGHT = CLUSTER_COLORS[1];
const spec = (s: object): ChartSpec => ({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...s }) as unknown as ChartSpec;
const W = 340;
const H = 220;

function checkSweep(sweep: KSweep): void {
  if (!sweep || !Array.isArray(sweep.perK) || sweep.perK.length === 0) {
    throw new SegkitError('charts', 'no_sweep', 'there is no k sweep to chart', { where: 'sweep', hint: 'pass the result of sweepK()' });
  }
}

const recK = (s: KSweep): number => s.recommendation.k;
const useK = (s: KSweep, o: KChartOptions): number => o.chosenK ?? s.chosenK ?? s.recommendation.k;

/** A vertical rule at k with a label, as layers (the label starts clear of a highlight ring of size 220 on the rule). */
function kRule(k: number, text: string, color: string = HIGHLIGHT): object[] {
  return [
    { data: { values: [{ k }] }, mark: { type: 'rule', strokeDash: [4, 3], color }, encoding: { x: { field: 'k', type: 'quantitative' } } },
    {
      data: { values: [{ k, text }] },
      mark: { type: 'text', align: 'left', dx: 12, baseline: 'top', y: 2, color, fontWeight: 'bold' },
      encoding: { x: { field: 'k', type: 'quantitative' }, text: { field: 'text' } },
    },
  ];
}

function kAxis(ks: number[]): object {
  return { field: 'k', type: 'quantitative', title: 'k (number of segments)', scale: { domain: [Math.min(...ks) - 0.3, Math.max(...ks) + 0.3], nice: false }, axis: { values: ks, format: 'd', grid: false } };
}

/** Inertia (within-cluster sum of squares) against k, the kneedle elbow marked (or "no clear elbow"). */
export function elbowChart(sweep: KSweep): ChartSpec {
  checkSweep(sweep);
  const values = sweep.perK.map((r) => ({ k: r.k, inertia: r.inertia }));
  const ks = values.map((v) => v.k);
  const layers: object[] = [
    { mark: { type: 'line', point: { filled: true, size: 45 }, color: ACCENT }, encoding: { x: kAxis(ks), y: { field: 'inertia', type: 'quantitative', title: 'Inertia (WCSS)', scale: { zero: false } }, tooltip: [{ field: 'k' }, { field: 'inertia', format: ',.1f' }] } },
  ];
  if (sweep.elbow.k !== null) {
    const knee = values.find((v) => v.k === sweep.elbow.k);
    layers.push(...kRule(sweep.elbow.k, `elbow k = ${sweep.elbow.k}`));
    if (knee) layers.push({ data: { values: [knee] }, mark: { type: 'point', shape: 'circle', size: 220, filled: false, strokeWidth: 2.5, color: HIGHLIGHT }, encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 'inertia', type: 'quantitative' } } });
  }
  return spec({
    title: { text: 'Elbow: inertia against k', subtitle: sweep.elbow.k === null ? sweep.elbow.note : `kneedle finds the elbow at k = ${sweep.elbow.k}` },
    width: W,
    height: H,
    data: { values },
    layer: layers,
  });
}

type IndexKey = 'silhouette' | 'calinskiHarabasz' | 'daviesBouldin' | 'stability';
const INDEX_INFO: Record<IndexKey, { title: string; axis: string; lower: boolean; format: string }> = {
  silhouette: { title: 'Mean silhouette against k', axis: 'Mean silhouette ↑', lower: false, format: '.3f' },
  calinskiHarabasz: { title: 'Calinski-Harabasz against k', axis: 'Calinski-Harabasz ↑', lower: false, format: ',.1f' },
  daviesBouldin: { title: 'Davies-Bouldin against k', axis: 'Davies-Bouldin ↓', lower: true, format: '.3f' },
  stability: { title: 'Stability against k', axis: 'Mean adjusted Rand index', lower: false, format: '.2f' },
};

/** One index against k with its best k circled and the recommended k marked. */
export function indexChart(sweep: KSweep, key: 'silhouette' | 'calinskiHarabasz' | 'daviesBouldin', options: KChartOptions = {}): ChartSpec {
  checkSweep(sweep);
  const info = INDEX_INFO[key];
  const values = sweep.perK.filter((r) => Number.isFinite(r[key])).map((r) => ({ k: r.k, value: r[key] }));
  const ks = sweep.perK.map((r) => r.k);
  const best = values.reduce<{ k: number; value: number } | null>((b, v) => (!b || (info.lower ? v.value < b.value : v.value > b.value) ? v : b), null);
  const better = info.lower ? 'lower is better' : 'higher is better';
  const subtitle =
    key === 'silhouette'
      ? sweep.silhouetteSample < ((sweep.settings?.n as number) ?? Infinity)
        ? `${better}; on a seeded sample of ${sweep.silhouetteSample.toLocaleString('en-GB')} customers`
        : `${better}; exact, on all ${sweep.silhouetteSample.toLocaleString('en-GB')} customers`
      : best
        ? `${better}; best at k = ${best.k}`
        : better;
  return spec({
    title: { text: info.title, subtitle },
    width: W,
    height: H,
    data: { values },
    layer: [
      { mark: { type: 'line', point: { filled: true, size: 45 }, color: ACCENT }, encoding: { x: kAxis(ks), y: { field: 'value', type: 'quantitative', title: info.axis, scale: { zero: false } }, tooltip: [{ field: 'k' }, { field: 'value', title: key, format: info.format }] } },
      ...(best ? [{ data: { values: [best] }, mark: { type: 'point', size: 220, filled: false, strokeWidth: 2.5, color: HIGHLIGHT }, encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' } } }] : []),
      ...kRule(useK(sweep, options), `k = ${useK(sweep, options)}`, '#555'),
    ],
  });
}

/** Gap statistic for k = 1..kMax with ±1 SE bars and the k its rule chose. */
export function gapChart(sweep: KSweep): ChartSpec {
  checkSweep(sweep);
  const g = sweep.gap;
  if (!g) throw new SegkitError('charts', 'no_gap', 'the sweep has no gap statistic', { where: 'sweep.gap', hint: 'run sweepK without { gap: false }' });
  const values = g.perK.map((r) => ({ k: r.k, gap: r.gap, lo: r.gap - r.se, hi: r.gap + r.se, se: r.se, chosen: r.k === g.k }));
  const ks = values.map((v) => v.k);
  return spec({
    title: { text: 'Gap statistic with ±1 SE', subtitle: `${g.method}, B = ${g.B} reference sets (${g.spaceH0}) on ${g.sampled ? `a seeded sample of ${g.n.toLocaleString('en-GB')}` : `all ${g.n.toLocaleString('en-GB')}`} customers: k = ${g.k}${g.k === 1 ? ' (no clear structure)' : ''}` },
    width: W,
    height: H,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#888' }, encoding: { x: kAxis(ks), y: { field: 'lo', type: 'quantitative', title: 'Gap', scale: { zero: false } }, y2: { field: 'hi' } } },
      { mark: { type: 'line', point: { filled: true, size: 45 }, color: ACCENT }, encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 'gap', type: 'quantitative' }, tooltip: [{ field: 'k' }, { field: 'gap', format: '.4f' }, { field: 'se', title: 'SE', format: '.4f' }] } },
      { transform: [{ filter: 'datum.chosen' }], mark: { type: 'point', size: 220, filled: false, strokeWidth: 2.5, color: HIGHLIGHT }, encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 'gap', type: 'quantitative' } } },
    ],
  });
}

/** Mean ARI between bootstrap fits against k, on bands of the usual reading. */
export function stabilityChart(sweep: KSweep, options: KChartOptions = {}): ChartSpec {
  checkSweep(sweep);
  const values = sweep.perK.filter((r) => r.stability !== undefined).map((r) => ({ k: r.k, ari: r.stability!, reading: r.stabilityReading ?? '' }));
  if (!values.length) throw new SegkitError('charts', 'no_stability', 'the sweep has no stability values', { where: 'sweep.perK[].stability', hint: 'run sweepK without { stability: false }' });
  const ks = sweep.perK.map((r) => r.k);
  const lo = Math.min(0.4, ...values.map((v) => v.ari));
  const bands = [
    { from: 0.85, to: 1, band: 'highly stable' },
    { from: 0.75, to: 0.85, band: 'stable' },
    { from: 0.6, to: 0.75, band: 'moderately stable' },
    { from: lo, to: 0.6, band: 'unstable' },
  ];
  return spec({
    title: { text: 'Stability under bootstrap resampling', subtitle: 'mean adjusted Rand index between k-means fits on resampled customers' },
    width: W,
    height: H,
    layer: [
      {
        data: { values: bands },
        mark: { type: 'rect', opacity: 0.35 },
        encoding: {
          y: { field: 'from', type: 'quantitative', scale: { domain: [lo, 1] }, title: 'Mean ARI' },
          y2: { field: 'to' },
          color: { field: 'band', type: 'nominal', title: 'Reading', scale: { domain: bands.map((b) => b.band), range: ['#a6dba0', '#d9f0d3', '#fee0b6', '#f4a582'] }, legend: null },
        },
      },
      // Each band named beside it, right of the plot (readable in greyscale, no legend, and never under the line).
      {
        data: { values: bands.map((b) => ({ ...b, mid: (b.from + b.to) / 2 })).filter((b) => b.to - b.from >= 0.08) },
        mark: { type: 'text', align: 'left', baseline: 'middle', x: 'width', dx: 4, fontSize: 9.5, color: '#555', fontStyle: 'italic' },
        encoding: { y: { field: 'mid', type: 'quantitative' }, text: { field: 'band' } },
      },
      { data: { values }, mark: { type: 'line', point: { filled: true, size: 45 }, color: ACCENT }, encoding: { x: kAxis(ks), y: { field: 'ari', type: 'quantitative' }, tooltip: [{ field: 'k' }, { field: 'ari', format: '.3f' }, { field: 'reading' }] } },
      ...kRule(useK(sweep, options), `k = ${useK(sweep, options)}`, '#555'),
    ],
  });
}

/** Per-point silhouettes for one k: each cluster's values sorted, as horizontal bars (thinned evenly when many). */
export function silhouettePlot(sweep: KSweep | SilhouettePoints, options: KChartOptions = {}): ChartSpec {
  let pts: SilhouettePoints | undefined;
  if ('values' in sweep) pts = sweep;
  else {
    const k = useK(sweep, options);
    pts = sweep.silhouettePoints?.find((p) => p.k === k) ?? sweep.silhouettePoints?.find((p) => p.k === recK(sweep));
  }
  if (!pts || pts.values.length === 0) {
    throw new SegkitError('charts', 'no_silhouettes', 'no per-point silhouettes for this k', { where: 'sweep.silhouettePoints', hint: 'the sweep keeps them for the recommended and the chosen k; use overrideK before sweeping, or sweepK({ userK })' });
  }
  const k = pts.k;
  const maxBars = options.maxBars ?? 600;
  const name = (c: number): string => options.clusterLabels?.[c] ?? `Cluster ${c + 1}`;
  const n = pts.values.length;
  const mean = pts.values.reduce((a, v) => a + v, 0) / n;
  const rows: Array<{ cluster: string; pos: number; s: number }> = [];
  let pos = 0;
  const clusters = [...new Set(pts.labels)].sort((a, b) => a - b);
  for (const c of clusters) {
    const vals = pts.values.filter((_, i) => pts!.labels[i] === c).sort((a, b) => b - a);
    const take = Math.max(1, Math.round((vals.length / n) * Math.min(maxBars, n)));
    for (let t = 0; t < take; t++) {
      const v = vals[Math.min(vals.length - 1, Math.floor(((t + 0.5) * vals.length) / take))];
      rows.push({ cluster: name(c), pos: pos++, s: v });
    }
    pos += Math.max(2, Math.round(Math.min(maxBars, n) / 60));
  }
  const domain = clusters.map(name);
  return spec({
    title: { text: `Silhouette of each customer, k = ${k}`, subtitle: `mean ${mean.toFixed(3)} over ${n.toLocaleString('en-GB')} customers${n > maxBars ? ` (${rows.length} bars drawn, evenly thinned)` : ''}; negative = closer to another segment` },
    width: W,
    height: 280,
    layer: [
      {
        // One filled area per cluster (stepped: a flat edge per customer), not hundreds of sub-pixel bars,
        // whose anti-aliased edges showed as white seams inside each block.
        data: { values: rows },
        mark: { type: 'area', orient: 'horizontal', interpolate: 'step' },
        encoding: {
          y: { field: 'pos', type: 'quantitative', axis: null, title: null, scale: { reverse: true, nice: false, zero: false } },
          x: { field: 's', type: 'quantitative', title: 'Silhouette', scale: { domain: [Math.min(-0.2, ...rows.map((r) => r.s)), 1] } },
          color: { field: 'cluster', type: 'nominal', title: null, scale: { domain, range: clusters.map((c) => options.clusterColors?.[c] ?? CLUSTER_COLORS[c % CLUSTER_COLORS.length]) }, legend: { orient: 'bottom', direction: 'horizontal', columns: 2, labelLimit: 220, symbolType: 'square' } },
        },
      },
      { data: { values: [{ m: mean }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#222' }, encoding: { x: { field: 'm', type: 'quantitative' } } },
    ],
  });
}

/** Segment coordinates of a dendrogram drawn without crossings (leaves along x, heights up y). */
export function dendrogramSegments(d: Dendrogram): Array<{ x: number; x2: number; y: number; y2: number }> {
  const n = d.rows.length;
  const xOf = new Map<number, number>();
  d.order.forEach((leaf, i) => xOf.set(leaf, i));
  const yOf = new Map<number, number>();
  for (let i = 0; i < n; i++) yOf.set(i, 0);
  const segs: Array<{ x: number; x2: number; y: number; y2: number }> = [];
  d.merges.forEach((m, i) => {
    const id = n + i;
    const xa = xOf.get(m.a)!;
    const xb = xOf.get(m.b)!;
    const ya = yOf.get(m.a)!;
    const yb = yOf.get(m.b)!;
    segs.push({ x: xa, x2: xa, y: ya, y2: m.height }, { x: xb, x2: xb, y: yb, y2: m.height }, { x: Math.min(xa, xb), x2: Math.max(xa, xb), y: m.height, y2: m.height });
    xOf.set(id, (xa + xb) / 2);
    yOf.set(id, m.height);
  });
  return segs;
}

/** Ward dendrogram of the sampled customers, with the cut that gives the chosen k. */
export function dendrogramChart(sweep: KSweep | Dendrogram, options: KChartOptions = {}): ChartSpec {
  const d = 'merges' in sweep ? sweep : sweep.dendrogram;
  if (!d) throw new SegkitError('charts', 'no_dendrogram', 'the sweep has no dendrogram', { where: 'sweep.dendrogram', hint: 'run sweepK without { dendrogram: false }' });
  const k = 'merges' in sweep ? options.chosenK : useK(sweep, options);
  const n = d.rows.length;
  const layers: object[] = [
    {
      data: { values: dendrogramSegments(d) },
      mark: { type: 'rule', color: ACCENT, strokeWidth: 1 },
      encoding: {
        x: { field: 'x', type: 'quantitative', axis: null, title: null, scale: { domain: [-1, n] } },
        x2: { field: 'x2' },
        y: { field: 'y', type: 'quantitative', title: 'Merge height (Ward)' },
        y2: { field: 'y2' },
      },
    },
  ];
  if (k !== undefined && k >= 2 && k <= n) {
    const hi = d.merges[n - k]?.height;
    const lo = d.merges[n - k - 1]?.height ?? 0;
    if (hi !== undefined) {
      layers.push(
        { data: { values: [{ y: (hi + lo) / 2 }] }, mark: { type: 'rule', strokeDash: [5, 3], color: HIGHLIGHT, strokeWidth: 1.5 }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        { data: { values: [{ y: (hi + lo) / 2, text: `cut for k = ${k}` }] }, mark: { type: 'text', align: 'right', baseline: 'bottom', x: 'width', dy: -2, color: HIGHLIGHT, fontWeight: 'bold' }, encoding: { y: { field: 'y', type: 'quantitative' }, text: { field: 'text' } } },
      );
    }
  }
  const all = 'merges' in sweep ? undefined : (sweep.settings?.n as number | undefined);
  const who = all !== undefined && all === n ? `all ${n} customers` : `a seeded sample of ${n} customers`;
  return spec({ title: { text: 'Ward dendrogram', subtitle: `${who}; long vertical lines before a merge mean well-separated groups` }, width: 2 * W, height: H, layer: layers });
}

/** One table of every index by k: the best value per index and the recommended (and chosen) k highlighted. */
export function kSummaryPanel(sweep: KSweep, options: KChartOptions = {}): ChartSpec {
  checkSweep(sweep);
  const rec = recK(sweep);
  const chosen = useK(sweep, options);
  const rowsDef: Array<{ key: string; label: string; get: (r: KSweep['perK'][number]) => number | undefined; lower: boolean; fmt: (v: number) => string }> = [
    { key: 'inertia', label: 'Inertia (elbow)', get: (r) => r.inertia, lower: true, fmt: (v) => v.toLocaleString('en-GB', { maximumFractionDigits: v >= 1000 ? 0 : 1 }) },
    { key: 'silhouette', label: 'Silhouette ↑', get: (r) => r.silhouette, lower: false, fmt: (v) => v.toFixed(3) },
    { key: 'calinskiHarabasz', label: 'Calinski-Harabasz ↑', get: (r) => r.calinskiHarabasz, lower: false, fmt: (v) => v.toLocaleString('en-GB', { maximumFractionDigits: 0 }) },
    { key: 'daviesBouldin', label: 'Davies-Bouldin ↓', get: (r) => r.daviesBouldin, lower: true, fmt: (v) => v.toFixed(3) },
    { key: 'gap', label: 'Gap', get: (r) => r.gap, lower: false, fmt: (v) => v.toFixed(3) },
    { key: 'stability', label: 'Stability (ARI) ↑', get: (r) => r.stability, lower: false, fmt: (v) => v.toFixed(2) },
  ];
  const votes = sweep.recommendation.votes;
  const inRange = (k: number | null | undefined): boolean => k !== null && k !== undefined && sweep.perK.some((r) => r.k === k);
  if (votes.gap !== null && votes.gap !== undefined && !inRange(votes.gap)) rowsDef[4].label = `Gap (votes k = ${votes.gap})`;
  const voteOf: Record<string, number | null | undefined> = { inertia: votes.elbow, silhouette: votes.silhouette, calinskiHarabasz: votes.calinskiHarabasz, daviesBouldin: votes.daviesBouldin, gap: votes.gap };
  // With the rule's candidates, the shaded cells are its signals (local optima, the gap's SE rule, the elbow)
  const candidates = sweep.recommendation.candidates;
  const signalOf: Record<string, string> = { inertia: 'elbow', silhouette: 'silhouette', calinskiHarabasz: 'calinskiHarabasz', daviesBouldin: 'daviesBouldin', gap: 'gap' };
  const isSignal = (key: string, k: number): boolean => {
    if (!candidates) return voteOf[key] === k;
    const c = candidates.find((x) => x.k === k);
    return !!c && (c.signals as string[]).includes(signalOf[key]);
  };
  const cells: Array<{ index: string; k: string; text: string; best: string; order: number }> = [];
  rowsDef.forEach((def, order) => {
    const vals = sweep.perK.map((r) => ({ k: r.k, v: def.get(r) }));
    if (!vals.some((x) => x.v !== undefined && Number.isFinite(x.v))) return;
    for (const { k, v } of vals) {
      const text = v === undefined || !Number.isFinite(v) ? '–' : def.fmt(v);
      const isBest = def.key === 'stability' ? false : isSignal(def.key, k);
      cells.push({ index: def.label, k: `k = ${k}`, text, best: isBest ? 'vote' : k === rec ? 'recommended' : 'other', order });
    }
  });
  const indexOrder = rowsDef.map((r) => r.label).filter((l) => cells.some((c) => c.index === l));
  const kOrder = sweep.perK.map((r) => `k = ${r.k}`);
  const range = sweep.recommendation.range;
  const subtitle = candidates
    ? `Recommended k = ${rec}${range ? ` of k = ${range[0] === range[1] ? range[0] : `${range[0]}–${range[1]}`}` : ''}${chosen !== rec ? `; in use: k = ${chosen} (your choice)` : ''}. Shaded: the signals (local optima of each index, the gap's SE rule, the elbow).`
    : `Recommended k = ${rec} (${sweep.recommendation.rule})${chosen !== rec ? `; in use: k = ${chosen} (your choice)` : ''}. Shaded: the k each index votes for.`;
  return spec({
    title: { text: 'Evidence for k: every index at a glance', subtitle },
    data: { values: cells },
    width: Math.max(360, 70 * kOrder.length),
    height: 28 * indexOrder.length,
    encoding: {
      x: { field: 'k', type: 'ordinal', sort: kOrder, title: null, axis: { orient: 'top', labelAngle: 0 } },
      y: { field: 'index', type: 'ordinal', sort: indexOrder, title: null, axis: { labelLimit: 200 } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: { color: { field: 'best', type: 'nominal', legend: null, scale: { domain: ['vote', 'recommended', 'other'], range: ['#fdb863', '#dbe9f6', '#f7f7f7'] } } },
      },
      { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'text' } } },
      {
        data: { values: [{ k: `k = ${rec}` }] },
        mark: { type: 'rect', fill: null, stroke: ACCENT, strokeWidth: 2.5 },
        encoding: { x: { field: 'k', type: 'ordinal', sort: kOrder }, y: { value: 0 }, y2: { value: 28 * indexOrder.length } },
      },
      ...(chosen !== rec && kOrder.includes(`k = ${chosen}`)
        ? [{ data: { values: [{ k: `k = ${chosen}` }] }, mark: { type: 'rect', fill: null, stroke: HIGHLIGHT, strokeWidth: 2.5, strokeDash: [5, 3] }, encoding: { x: { field: 'k', type: 'ordinal', sort: kOrder }, y: { value: 0 }, y2: { value: 28 * indexOrder.length } } }]
        : []),
    ],
  });
}

/**
 * Every k-selection chart the sweep supports, keyed by name, in reading order.
 * @throws SegkitError `charts/no_sweep` (no k sweep), and for a chart asked for by name, `charts/no_gap`, `charts/no_stability`, `charts/no_silhouettes`, `charts/no_dendrogram` when the sweep has none.
 */
export function kSelectionCharts(sweep: KSweep, options: KChartOptions = {}): Record<string, ChartSpec> {
  checkSweep(sweep);
  const out: Record<string, ChartSpec> = { summary: kSummaryPanel(sweep, options), elbow: elbowChart(sweep) };
  if (sweep.perK.some((r) => Number.isFinite(r.silhouette))) out.silhouette = indexChart(sweep, 'silhouette', options);
  out.calinskiHarabasz = indexChart(sweep, 'calinskiHarabasz', options);
  out.daviesBouldin = indexChart(sweep, 'daviesBouldin', options);
  if (sweep.gap) out.gap = gapChart(sweep);
  if (sweep.perK.some((r) => r.stability !== undefined)) out.stability = stabilityChart(sweep, options);
  if (sweep.silhouettePoints?.length) out.silhouettePlot = silhouettePlot(sweep, options);
  if (sweep.dendrogram) out.dendrogram = dendrogramChart(sweep, options);
  return out;
}
