/**
 * Vega-Lite specs for segments (clusters): snake plot of standardized means, R/F/M box plots per
 * cluster (from the profiles' precomputed quartiles), PCA scatter of customers with centroids, cluster
 * size and revenue bars, named segment × cluster heatmap, and one customer's purchase timeline.
 * A cluster has the same colour in every chart: its name's colour (the profile's `color`, from
 * segmentPalette), as the RFM segment of that name has, or `colorOf`'s when given (a report passes one
 * palette for all its names); profiles without colours fall back to the cluster palette by label.
 */
import { SegkitError } from '../errors';
import { labelsMismatch } from '../messages';
import { DEFAULT_SEED } from '../options';
import { fitPca, project } from '../profile/pca';
import { segmentsOf, segmentCrossTab, type ProfileResult, type SegmentProfile } from '../profile/profile';
import type { CustomerDetails } from '../profile/lookup';
import { mulberry32, sampleIndices } from '../random';
import type { FeatureMatrix, KMeansModel } from '../types';
import type { ChartSpec } from './render';
import { clusterColorScale, MONEY_LABEL_EXPR, segmentOrder, type SegmentColorOf } from './theme';

type Profiles = ProfileResult | SegmentProfile[];

const spec = (s: object): ChartSpec => ({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', ...s }) as unknown as ChartSpec;
const fmt = (n: number): string => n.toLocaleString('en-GB');

const FEATURE_LABELS: Record<string, string> = {
  recency_days: 'Recency (days)',
  frequency: 'Frequency (orders)',
  monetary: 'Monetary',
  tenure_days: 'Tenure (days)',
  avg_order_value: 'Average order value',
  items: 'Items',
};
const featureLabel = (c: string): string => FEATURE_LABELS[c] ?? c;

function profilesOf(x: Profiles): SegmentProfile[] {
  const p = segmentsOf(x);
  if (!p.length) throw new SegkitError('charts', 'no_profiles', 'there are no segment profiles to chart', { where: 'profiles', hint: 'pass the result of profileSegments()' });
  return p;
}

/** Colour options of the cluster charts. */
export interface ClusterColorOptions {
  /** Colour of each cluster by its name (default: each profile's `color`, its name's colour). */
  colorOf?: SegmentColorOf;
}

/** The colour scale of the profiles' labels ("1 · Champions", …), in label order: each label in its name's colour (`colorOf`, else the profile's own `color`). */
export function profileColorScale(profiles: Profiles, colorOf?: SegmentColorOf): { domain: string[]; range: string[] } {
  const ps = profilesOf(profiles);
  if (colorOf) return { domain: ps.map((p) => p.label), range: ps.map((p) => colorOf(p.name)) };
  if (ps.every((p) => p.color)) return { domain: ps.map((p) => p.label), range: ps.map((p) => p.color) };
  return clusterColorScale(ps.map((p) => p.label));
}

/** Snake plot: each cluster's mean of every feature in standardized units (0 = the average customer). */
export function snakePlot(profiles: Profiles, options: ClusterColorOptions = {}): ChartSpec {
  const ps = profilesOf(profiles);
  const features = Object.keys(ps[0].standardized);
  const values = ps.flatMap((p) => features.map((f, j) => ({ label: p.label, feature: featureLabel(f), order: j, value: p.standardized[f] })));
  return spec({
    title: { text: 'Snake plot: cluster means in standardized units', subtitle: '0 = the average customer; features after the model\'s transform (log1p and scaling)' },
    width: 360,
    height: 240,
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 50 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'feature', type: 'nominal', sort: features.map(featureLabel), title: null, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: 'Standardized mean' },
      color: { field: 'label', type: 'nominal', title: 'Cluster', scale: profileColorScale(ps, options.colorOf), sort: ps.map((p) => p.label), legend: { labelLimit: 240 } },
      tooltip: [{ field: 'label', title: 'cluster' }, { field: 'feature' }, { field: 'value', type: 'quantitative', format: '.2f' }],
    },
  });
}

export interface BoxPlotOptions extends ClusterColorOptions {
  /** Log scale for monetary (used only when every whisker is > 0). Default true. */
  logMonetary?: boolean;
}

/** Box plots of recency, frequency and monetary per cluster, from the profiles' quartiles and Tukey whiskers (outliers not drawn). */
export function clusterBoxPlots(profiles: Profiles, options: BoxPlotOptions = {}): ChartSpec {
  const ps = profilesOf(profiles);
  const scale = profileColorScale(ps, options.colorOf);
  const labels = ps.map((p) => p.label);
  const panel = (dim: 'recency' | 'frequency' | 'monetary', title: string): object => {
    const values = ps.map((p) => ({ label: p.label, ...p[dim] }));
    const log = dim === 'monetary' && (options.logMonetary ?? true) && values.every((v) => v.lowerWhisker > 0);
    const x = { type: 'quantitative', title: `${title}${log ? ' (log scale)' : ''}`, scale: log ? { type: 'log' } : { zero: false } };
    const y = { field: 'label', type: 'nominal', title: null, sort: labels, axis: { labelLimit: 240 } };
    return {
      width: 200,
      height: { step: 24 },
      data: { name: dim },
      layer: [
        { mark: { type: 'rule' }, encoding: { y, x: { field: 'lowerWhisker', ...x }, x2: { field: 'upperWhisker' } } },
        {
          mark: { type: 'bar', size: 14 },
          encoding: {
            y,
            x: { field: 'q1', ...x },
            x2: { field: 'q3' },
            color: { field: 'label', type: 'nominal', scale, legend: null },
            tooltip: [
              { field: 'label', title: 'cluster' },
              { field: 'median', type: 'quantitative', format: ',.1f' },
              { field: 'q1', type: 'quantitative', format: ',.1f' },
              { field: 'q3', type: 'quantitative', format: ',.1f' },
              { field: 'mean', type: 'quantitative', format: ',.1f' },
            ],
          },
        },
        { mark: { type: 'tick', color: 'white', size: 14, thickness: 2 }, encoding: { y, x: { field: 'median', ...x } } },
      ],
    };
  };
  // Inline named datasets (one per panel), so the spec carries its data at the top level.
  const datasets = Object.fromEntries((['recency', 'frequency', 'monetary'] as const).map((d) => [d, ps.map((p) => ({ label: p.label, ...p[d] }))]));
  return spec({
    title: { text: 'Recency, frequency and monetary value by cluster', subtitle: 'boxes: quartiles; white tick: median; whiskers: 1.5 × IQR (outliers not drawn)' },
    datasets,
    hconcat: [panel('recency', 'Days since last purchase'), panel('frequency', 'Orders'), panel('monetary', 'Monetary value')],
  });
}

export interface PcaScatterOptions extends ClusterColorOptions {
  /** At most this many customers are drawn (a seeded random sample, stated in the subtitle). Default 2000. */
  sample?: number;
  seed?: number;
}

/**
 * Customers on the first two principal components of the feature matrix, coloured by cluster, with the centroids.
 * @throws SegkitError `charts/size_mismatch` (a feature matrix that is not the model's), `charts/no_profiles`, `profile/too_few_rows`.
 */
export function pcaScatter(features: FeatureMatrix, model: Pick<KMeansModel, 'labels' | 'centroids'>, profiles: Profiles, options: PcaScatterOptions = {}): ChartSpec {
  const ps = profilesOf(profiles);
  const n = features.X.length;
  if (model.labels.length !== n) {
    throw labelsMismatch('charts', model.labels.length, 'feature matrix', n, { where: 'pcaScatter', hint: 'pass the feature matrix the model was fitted on' });
  }
  const max = options.sample ?? 2000;
  const seed = options.seed ?? DEFAULT_SEED;
  const pca = fitPca(features.X);
  let rows = Array.from({ length: n }, (_, i) => i);
  let note = `all ${fmt(n)} customers`;
  if (n > max) {
    rows = Array.from(sampleIndices(mulberry32(seed), n, max)).sort((a, b) => a - b);
    note = `random sample of ${fmt(max)} of ${fmt(n)} customers (seed ${seed})`;
  }
  const xy = project(pca, rows.map((i) => features.X[i]));
  const labelOf = (c: number): string => ps[c]?.label ?? `${c + 1}`;
  const points = rows.map((i, r) => ({ id: features.ids[i], label: labelOf(model.labels[i]), pc1: xy[r][0], pc2: xy[r][1] ?? 0 }));
  const cxy = project(pca, model.centroids);
  const centroids = model.centroids.map((_, c) => ({ label: labelOf(c), pc1: cxy[c][0], pc2: cxy[c][1] ?? 0 }));
  const pct = (x: number | undefined): string => `${Math.round(100 * (x ?? 0))}%`;
  const scale = profileColorScale(ps, options.colorOf);
  return spec({
    title: { text: 'Customers on the first two principal components', subtitle: `${note}; PC1 explains ${pct(pca.explained[0])}, PC2 ${pct(pca.explained[1])} of the variance; crosses: centroids` },
    width: 420,
    height: 300,
    datasets: { points, centroids },
    layer: [
      {
        data: { name: 'points' },
        // fillOpacity, not opacity: Chromium's PDF writes a transparency group per point for `opacity` (MBs for a few thousand points).
        mark: { type: 'circle', size: 14, opacity: 1, fillOpacity: 0.55 },
        encoding: {
          x: { field: 'pc1', type: 'quantitative', title: `PC1 (${pct(pca.explained[0])})` },
          y: { field: 'pc2', type: 'quantitative', title: `PC2 (${pct(pca.explained[1])})` },
          color: { field: 'label', type: 'nominal', scale, title: 'Cluster', sort: ps.map((p) => p.label), legend: { labelLimit: 240 } },
          tooltip: [{ field: 'id', title: 'customer' }, { field: 'label', title: 'cluster' }],
        },
      },
      {
        data: { name: 'centroids' },
        mark: { type: 'point', shape: 'cross', size: 260, filled: true, stroke: '#111', strokeWidth: 1.2 },
        encoding: {
          x: { field: 'pc1', type: 'quantitative' },
          y: { field: 'pc2', type: 'quantitative' },
          color: { field: 'label', type: 'nominal', scale, title: 'Cluster', sort: ps.map((p) => p.label) },
          tooltip: [{ field: 'label', title: 'centroid of' }],
        },
      },
    ],
  });
}

/** Customers and revenue per cluster (bars, with shares in the labels). */
export function clusterSizeChart(profiles: Profiles, options: ClusterColorOptions = {}): ChartSpec {
  const ps = profilesOf(profiles);
  const scale = profileColorScale(ps, options.colorOf);
  const values = ps.map((p) => ({ label: p.label, customers: p.customers, customerShare: p.customerShare, revenue: p.revenue, revenueShare: p.revenueShare }));
  const bar = (field: 'customers' | 'revenue', share: string, title: string, format: string): object => ({
    title,
    width: 230,
    height: { step: 22 },
    encoding: { y: { field: 'label', type: 'nominal', title: null, sort: ps.map((p) => p.label), axis: { labelLimit: 240 } } },
    layer: [
      {
        mark: 'bar',
        encoding: {
          x: { field, type: 'quantitative', title, axis: field === 'revenue' ? { labelExpr: MONEY_LABEL_EXPR } : { format } },
          color: { field: 'label', type: 'nominal', scale, legend: null },
          tooltip: [{ field: 'label', title: 'cluster' }, { field, type: 'quantitative', format: ',.0f' }, { field: share, type: 'quantitative', format: '.1%', title: 'share' }],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { x: { field, type: 'quantitative' }, text: { field: share, type: 'quantitative', format: '.0%' } } },
    ],
  });
  return spec({
    title: { text: 'Cluster size and revenue', subtitle: 'labels: share of all customers / of all revenue' },
    data: { values },
    hconcat: [bar('customers', 'customerShare', 'Customers', ',d'), bar('revenue', 'revenueShare', 'Revenue', '~s')],
  });
}

/** Heatmap of RFM named segments × clusters: colour = share of the cluster's customers, text = customers. */
export function segmentClusterHeatmap(profiles: Profiles): ChartSpec {
  const ps = profilesOf(profiles);
  const rows = segmentCrossTab(ps);
  if (!rows.length) throw new SegkitError('charts', 'no_segments', 'the profiles have no named-segment mix (the customer table had no segment column)', { where: 'segmentClusterHeatmap', hint: 'profile the result of rfm(), which names segments' });
  const order = segmentOrder(rows.map((r) => r.segment));
  return spec({
    title: { text: 'RFM segments within each cluster', subtitle: 'colour: share of the cluster’s customers; number: customers' },
    width: { step: 70 },
    height: { step: 22 },
    data: { values: rows },
    encoding: {
      x: { field: 'label', type: 'nominal', title: 'Cluster', sort: ps.map((p) => p.label), axis: { labelAngle: -30, labelLimit: 240 } },
      y: { field: 'segment', type: 'nominal', title: 'RFM segment', sort: order },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: { field: 'shareOfCluster', type: 'quantitative', title: 'Share of cluster', scale: { scheme: 'blues', domain: [0, 1] }, legend: { format: '%' } },
          tooltip: [
            { field: 'label', title: 'cluster' },
            { field: 'segment' },
            { field: 'customers', type: 'quantitative', format: ',' },
            { field: 'shareOfCluster', type: 'quantitative', format: '.1%', title: 'share of cluster' },
            { field: 'shareOfSegment', type: 'quantitative', format: '.1%', title: 'share of segment' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'customers', type: 'quantitative', format: ',' },
          color: { condition: { test: 'datum.shareOfCluster > 0.5', value: 'white' }, value: '#222' },
        },
      },
    ],
  });
}

/**
 * One customer's orders (line) and spend (bars) by month.
 * @throws SegkitError `charts/no_timeline` (the customer has no dated transactions).
 */
export function customerTimelineChart(details: CustomerDetails): ChartSpec {
  if (!details.timeline.length) {
    throw new SegkitError('charts', 'no_timeline', `customer "${details.customerId}" has no dated transactions to chart`, { where: 'customerTimelineChart', hint: 'pass { transactions } to customerDetails' });
  }
  return spec({
    title: { text: `Customer ${details.customerId}: purchases by month`, subtitle: `bars: spend; line: orders${details.clusterLabel ? `; cluster ${details.clusterLabel}` : ''}` },
    width: Math.min(520, Math.max(200, 26 * details.timeline.length)),
    height: 200,
    data: { values: details.timeline },
    encoding: { x: { field: 'month', type: 'ordinal', title: 'Month', axis: { labelAngle: -45 } } },
    layer: [
      { mark: { type: 'bar', color: '#9ecae1' }, encoding: { y: { field: 'spend', type: 'quantitative', title: 'Spend' }, tooltip: [{ field: 'month' }, { field: 'spend', type: 'quantitative', format: ',.2f' }, { field: 'orders' }] } },
      { mark: { type: 'line', color: '#1f4e79', point: true }, encoding: { y: { field: 'orders', type: 'quantitative', title: 'Orders', axis: { tickMinStep: 1 } } } },
    ],
    resolve: { scale: { y: 'independent' } },
  });
}

/**
 * Every segment chart, keyed by name (the PCA scatter only with features and a fitted model).
 * @throws SegkitError `charts/no_profiles`, `charts/no_segments`, `charts/size_mismatch` (a feature matrix that is not the model's), `profile/too_few_rows` (PCA).
 */
export function segmentCharts(profiles: Profiles, fitted?: { features: FeatureMatrix; model: Pick<KMeansModel, 'labels' | 'centroids'> }, options: PcaScatterOptions = {}): Record<string, ChartSpec> {
  const out: Record<string, ChartSpec> = {
    snake: snakePlot(profiles, options),
    boxplots: clusterBoxPlots(profiles, options),
    sizes: clusterSizeChart(profiles, options),
  };
  if (segmentsOf(profiles).some((p) => p.segmentMix.length)) out.crossTab = segmentClusterHeatmap(profiles);
  if (fitted) out.pca = pcaScatter(fitted.features, fitted.model, profiles, options);
  return out;
}
