/**
 * Analysis → ReportContext: pick the tables, render the charts, word the findings. Pure apart from the
 * chart rendering (vega in Node); the only value not derived from the analysis is `generatedAt`.
 */
import path from 'node:path';
import type { ChartSpec } from '../charts/render';
import { renderSvg } from '../charts/render';
import { rfmCharts } from '../charts/rfm';
import { kSelectionCharts } from '../charts/select-k';
import { SEGMENT_COLORS, SEGMENT_ORDER } from '../charts/theme';
import type { Analysis } from '../pipeline';
import type { SegmentProfile } from '../profile';
import type { ChartBlock, ReportContext, SegmentCard } from './context';
import { findings } from './findings';
import { fmtFixed, fmtInt, fmtMoney } from './format';
import { inlineSvg } from './svg';
import { componentVersions } from './versions';

export interface ReportOptions {
  title?: string;
  subtitle?: string;
  author?: string;
  /** Currency code for money (default GBP). */
  currency?: string;
  /** The generated-at stamp (default: now, UTC). The only value not derived from the data. */
  generatedAt?: string;
  /** Extra parameters to list in the appendix (e.g. the notebook's). */
  parameters?: Record<string, unknown>;
}

export const REPORT_DEFAULTS = { title: 'Customer segmentation', currency: 'GBP' };

const segColor = (name: string): string => {
  const i = (SEGMENT_ORDER as readonly string[]).indexOf(name);
  return i >= 0 ? SEGMENT_COLORS[i] : '#999999';
};

async function block(id: string, spec: ChartSpec | undefined, caption?: string): Promise<ChartBlock[]> {
  if (!spec) return [];
  return [{ id, svg: inlineSvg(await renderSvg(spec), id), caption }];
}

/** A small chart for a segment card: where the segment's medians sit among all customers (percentiles). */
function positionChart(p: SegmentProfile): ChartSpec {
  const values = [
    { dimension: 'Recency (recent = right)', value: Math.round((1 - p.position.recency) * 100) },
    { dimension: 'Frequency', value: Math.round(p.position.frequency * 100) },
    { dimension: 'Monetary', value: Math.round(p.position.monetary * 100) },
  ];
  return {
    width: 220,
    height: 80,
    data: { values },
    layer: [
      { mark: { type: 'bar', color: p.color }, encoding: { y: { field: 'dimension', type: 'nominal', sort: null, title: null }, x: { field: 'value', type: 'quantitative', scale: { domain: [0, 100] }, title: 'percentile among all customers' } } },
      { mark: { type: 'rule', strokeDash: [3, 3], color: '#555' }, encoding: { x: { datum: 50 } } },
    ],
    config: { aria: false },
  } as unknown as ChartSpec;
}

function fmtDate(iso: string | null): string {
  return iso ? iso.replace('T', ' ').slice(0, 16) : '–';
}

function flatten(prefix: string, v: unknown, out: Array<{ name: string; value: string }>): void {
  if (v === undefined || typeof v === 'function') return;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(prefix ? `${prefix}.${k}` : k, x, out);
  } else out.push({ name: prefix, value: JSON.stringify(v) });
}

export async function reportContext(a: Analysis, options: ReportOptions = {}): Promise<ReportContext> {
  const currency = options.currency ?? REPORT_DEFAULTS.currency;
  const profiles = a.profiles.segments;
  const q = a.cleaned.quality;
  const customers = a.rfm.table;
  const summaryRows = a.segmentSummary.toRecords() as Array<Record<string, number | string>>;

  // Charts (rendered in Node; segment colours fixed by src/charts/theme.ts).
  const eda = a.exploration.charts;
  const rc = rfmCharts(a.rfm, a.segmentSummary, { seed: a.options.seed ?? 42 });
  const kc = kSelectionCharts(a.sweep, { chosenK: a.k }) as Record<string, ChartSpec>;
  const exploration = [
    ...(await block('eda-monthly', eda.monthly_revenue as ChartSpec, 'Revenue and active customers per month (cleaned lines).')),
    ...(await block('eda-countries', eda.top_countries, 'Countries by revenue.')),
    ...(await block('eda-customer-revenue', eda.customer_revenue, 'Spend per customer (log scale).')),
    ...(await block('eda-customer-orders', eda.customer_orders, 'Orders per customer.')),
  ];
  const rfm = [
    ...(await block('rfm-shares', rc.shares, 'Share of customers against share of revenue per named segment.')),
    ...(await block('rfm-heatmap', rc.heatmap, 'Mean spend by recency score and frequency score.')),
    ...(await block('rfm-scatter', rc.scatter)),
  ];
  const kcharts: ChartBlock[] = [];
  const WIDE = ['summary', 'silhouettePlot', 'dendrogram'];
  for (const [id, spec] of Object.entries(kc)) {
    for (const b of await block(`k-${id}`, spec)) kcharts.push({ ...b, wide: WIDE.includes(id) });
  }

  const thresholds = a.rfm.thresholds;
  const dims = ['recency', 'frequency', 'monetary'] as const;
  const byDim = Object.fromEntries(thresholds.map((t) => [t.dimension, t]));
  const fmtRange = (d: (typeof dims)[number], lo: number | null, hi: number | null): string => {
    if (lo === null || hi === null) return 'nobody';
    const f = d === 'monetary' ? (v: number) => fmtMoney(v, currency) : fmtInt;
    return lo === hi ? f(lo) : `${f(lo)} – ${f(hi)}`;
  };
  const thresholdRows = Array.from({ length: a.rfm.bins }, (_, i) => a.rfm.bins - i).map((score) => ({
    score,
    cells: dims.map((d) => {
      const r = byDim[d]?.ranges.find((x) => x.score === score);
      return r ? `${fmtRange(d, r.min, r.max)} (${fmtInt(r.customers)})` : '–';
    }),
  }));

  const cards: SegmentCard[] = [];
  for (const p of profiles) {
    cards.push({
      id: p.cluster,
      name: p.name,
      color: p.color,
      description: p.description,
      customers: p.customers,
      customerShare: p.customerShare,
      revenue: p.revenue,
      revenueShare: p.revenueShare,
      avgOrderValue: p.avgOrderValue,
      medianRecency: p.recency.median,
      medianFrequency: p.frequency.median,
      medianMonetary: p.monetary.median,
      topProducts: p.topProducts.slice(0, 5).map((t) => (t.description ? `${t.description.trim()} (${t.product})` : t.product)),
      actions: [p.actions.summary, ...p.actions.actions].filter(Boolean),
      chart: inlineSvg(await renderSvg(positionChart(p)), `card-${p.cluster}`),
    });
  }

  const rec = a.sweep.recommendation;
  const override = a.kSource === 'user' && a.k !== rec.k ? `You chose k = ${a.k}; the evidence recommends k = ${rec.k}. The segments below use k = ${a.k}.` : undefined;
  const rows = a.sweep.perK.map((r) => ({
    ...r,
    chosen: r.k === a.k,
    gapText: r.gap === undefined || r.gap === null ? '–' : `${fmtFixed(r.gap, 3)} ± ${fmtFixed(r.gapSE, 3)}`,
  }));

  const parameters: Array<{ name: string; value: string }> = [];
  flatten('', { k: a.options.k ?? 'auto', kUsed: a.k, seed: a.options.seed ?? 42, nInit: a.options.nInit ?? 10, asOf: a.rfm.asOf, bins: a.rfm.bins, method: a.rfm.method }, parameters);
  const { onProgress: _p, ...rest } = a.options;
  void _p;
  flatten('options', rest, parameters);
  if (options.parameters) flatten('notebook', options.parameters, parameters);

  const totalMs = Object.values(a.timings).reduce((s, v) => s + v, 0);
  const warnings = a.warnings.map((w) => `[${w.stage}] ${w.message}`);
  const src = a.transactions.source;
  return {
    meta: {
      title: options.title ?? REPORT_DEFAULTS.title,
      subtitle: options.subtitle,
      author: options.author,
      dataset: path.basename(src.path),
      asOf: a.rfm.asOf,
      generatedAt: options.generatedAt ?? new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      segkitVersion: componentVersions()[0].version,
      currency,
    },
    summary: {
      customers: a.profiles.customers,
      revenue: a.profiles.revenue,
      orders: a.profiles.orders,
      k: a.k,
      findings: findings({ profiles, customers, currency }),
      segments: profiles.map((p) => ({
        name: p.name,
        color: p.color,
        customers: p.customers,
        customerShare: p.customerShare,
        revenue: p.revenue,
        revenueShare: p.revenueShare,
        action: p.actions.summary,
      })),
    },
    quality: {
      file: path.basename(src.path),
      rowsRead: q.rowsRead,
      rowsKept: q.rowsKept,
      keptShare: q.rowsRead ? q.rowsKept / q.rowsRead : 0,
      rules: q.rules.map((r) => ({ label: r.label, removed: r.removed, share: q.rowsRead ? r.removed / q.rowsRead : 0 })),
      first: fmtDate(q.dateRange.first),
      last: fmtDate(q.dateRange.last),
      orderDefinition: a.transactions.orders === 'invoice' ? 'a distinct invoice number' : 'a customer’s purchases on one calendar day (the file has no invoice column)',
      warnings: q.warnings.map((w) => w.message),
    },
    exploration: { charts: exploration },
    rfm: {
      bins: a.rfm.bins,
      method: a.rfm.method,
      thresholdHeader: ['Recency (days)', 'Frequency (orders)', 'Monetary'],
      thresholdRows,
      segments: summaryRows.map((r) => ({
        segment: r.segment,
        color: segColor(String(r.segment)),
        customers: r.customers,
        customerShare: r.customer_share,
        revenue: r.revenue,
        revenueShare: r.revenue_share,
        avgOrderValue: r.avg_order_value,
        medianRecency: r.median_recency_days,
        medianFrequency: r.median_frequency,
        medianMonetary: r.median_monetary,
      })),
      others: a.rfm.others,
      charts: rfm,
    },
    kselection: {
      explanation: rec.explanation,
      override,
      notes: `Silhouette ${a.sweep.silhouetteSample >= customers.height ? `on all ${fmtInt(customers.height)} customers` : `on a seeded sample of ${fmtInt(a.sweep.silhouetteSample)} customers`}. ${a.sweep.elbow.note}`,
      rows,
      charts: kcharts,
    },
    segmentsIntro: `k-means with k = ${a.k} on log-scaled, standardized recency, frequency and monetary value (${a.profiles.order}). Each segment is named after the RFM segment that best matches it; its description places its medians against the whole customer base.`,
    segments: cards,
    appendix: {
      input: { path: src.path, sha256: src.sha256 ?? 'not computed', rows: src.rowsRead },
      parameters,
      versions: componentVersions(),
      runTime: `${(totalMs / 1000).toFixed(1)} s of analysis (${Object.entries(a.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')})`,
      warnings,
    },
  };
}
