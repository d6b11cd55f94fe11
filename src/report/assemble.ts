/**
 * Analysis → ReportContext: pick the tables, render the charts, word the findings. Pure apart from the
 * chart rendering (vega in Node); the only value not derived from the analysis is `generatedAt`.
 */
import path from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { SegkitError } from '../errors';
import type { ChartSpec } from '../charts/render';
import { renderSvg, themed } from '../charts/render';
import { recencyMonetaryScatter, rfmHeatmap, segmentShareChart } from '../charts/rfm';
import { kSelectionCharts } from '../charts/select-k';
import { chartLocale, segmentPalette, type SegmentColorOf } from '../charts/theme';
import type { Analysis } from '../pipeline';
import type { SegmentProfile } from '../profile';
import type { ChartBlock, ReportContext, SegmentCard } from './context';
import { findings, kEvidence } from './findings';
import { CURRENCY_SYMBOLS, fmtFixed, fmtInt, fmtMoney, fmtPct } from './format';
import { compactSvg, inlineSvg } from './svg';
import { VERSION } from '../version';
import { componentVersions } from './versions';
import { migrationSection } from './migration-section';
import { clvSection } from './clv-section';

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

/**
 * The report's one colour per segment name: every RFM segment and every cluster name, so a k-means
 * segment named "Champions" and the RFM segment Champions share a colour in every chart, swatch and card.
 */
export function reportPalette(a: Pick<Analysis, 'segmentSummary' | 'profiles'>): SegmentColorOf {
  const rfmNames = a.segmentSummary.columns.includes('segment') ? (a.segmentSummary.getColumn('segment').toArray() as unknown[]).map(String) : [];
  return segmentPalette([...rfmNames, ...a.profiles.segments.map((p) => p.name)]);
}

/**
 * Chart sizes in CSS pixels for an A4 page with 16 mm margins: the text is 178 mm (672 px) wide; a cell
 * of the two-column chart grid is half that less the gap. Charts are rendered at exactly these widths
 * (see `fitted`), so none is scaled down in print and the type size is the same in every chart.
 */
export const CHART_WIDTH = { full: 664, half: 322 } as const;

/** Scatter points and silhouette bars drawn at most in the report (larger inputs are sampled, and the sample is stated). */
export const REPORT_SAMPLES = { scatterPoints: 2000, silhouetteBars: 400 } as const;

interface Fit {
  /** Total width in px (axes, legend and title included). */
  width: number;
  /** Total height in px; omit to keep the spec's own (e.g. a step per bar). */
  height?: number;
}

/** Break a long title or subtitle into lines of at most `max` characters (Vega draws an array as lines). */
function wrapLines(text: unknown, max: number): unknown {
  if (typeof text !== 'string' || text.length <= max) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A chart spec made ready for the report page: long titles wrapped to the width, numbers in the report's
 * currency, and no per-mark ARIA labels (a static page has no tooltips; the figure caption describes the
 * chart, and it keeps thousands of scatter points from carrying customer ids and bloating the file).
 * `plot` sets the plotting area of single and layered views (concatenated ones keep their own layout).
 */
export function reportSpec(spec: ChartSpec, fit: Fit, currency: string, plot?: { width: number; height?: number }): ChartSpec {
  const s = { ...(spec as unknown as Record<string, unknown>) };
  if (plot && !isConcat(s)) {
    s.width = plot.width;
    const stepHeight = typeof s.height === 'object' && s.height !== null;
    if (plot.height !== undefined && !stepHeight) s.height = plot.height;
  }
  const title = s.title;
  if (title && typeof title === 'object' && !Array.isArray(title)) {
    const t = title as { text?: unknown; subtitle?: unknown };
    s.title = { ...t, text: wrapLines(t.text, Math.floor(fit.width / 8.5)), subtitle: wrapLines(t.subtitle, Math.floor(fit.width / 6.3)) };
  } else if (typeof title === 'string') s.title = wrapLines(title, Math.floor(fit.width / 8.5));
  const config = (s.config as Record<string, unknown> | undefined) ?? {};
  s.config = { ...config, aria: false, locale: chartLocale(CURRENCY_SYMBOLS[currency]?.trim() ?? `${currency} `) };
  return s as unknown as ChartSpec;
}

const isConcat = (s: Record<string, unknown>): boolean => ['hconcat', 'vconcat', 'concat', 'facet', 'repeat'].some((k) => k in s);

const svgSize = (svg: string): { width: number; height: number } => {
  const m = /^<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  return { width: Number(m?.[1] ?? 0), height: Number(m?.[2] ?? 0) };
};

/**
 * Render a chart at an exact outer size: the plotting area is set, the chart rendered, and the area
 * corrected by what the axes, legend and title took (Vega-Lite's own "fit" autosize clips axis titles of
 * layered charts when rendered in Node). The corrections resize the same Vega view (no recompile).
 * Concatenated charts are rendered at their own size.
 */
async function fitted(spec: ChartSpec, fit: Fit, currency: string): Promise<string> {
  if (isConcat(spec as unknown as Record<string, unknown>)) return renderSvg(reportSpec(spec, fit, currency));
  let plot = { width: fit.width - 90, height: fit.height === undefined ? undefined : fit.height - 80 };
  const first = reportSpec(spec, fit, currency, plot);
  let view: vega.View;
  try {
    const loader = vega.loader();
    loader.load = async (uri: string) => {
      throw new SegkitError('charts', 'network_forbidden', `a chart tried to load "${uri}"; segkit charts use inline data only`);
    };
    view = new vega.View(vega.parse(vl.compile(themed(first)).spec), { renderer: 'none', loader });
  } catch {
    return renderSvg(first); // renderSvg says what is wrong with the spec
  }
  try {
    let svg = await view.toSVG();
    // Never squeeze the plot below 30 % of the room (a legend or an axis title wider than that cannot
    // shrink; such a chart stays a little larger and the page scales it down).
    const minW = fit.width * 0.3;
    const minH = fit.height === undefined ? 0 : fit.height / 2;
    for (let pass = 0; pass < 3; pass++) {
      const got = svgSize(svg);
      const dw = fit.width - got.width;
      const dh = fit.height === undefined ? 0 : fit.height - got.height;
      if (Math.abs(dw) < 2 && Math.abs(dh) < 2) break;
      const next = { width: Math.max(minW, plot.width + dw), height: plot.height === undefined ? undefined : Math.max(minH, plot.height + dh) };
      if (next.width === plot.width && next.height === plot.height) break;
      plot = next;
      view.width(plot.width);
      if (plot.height !== undefined) view.height(plot.height);
      await view.runAsync();
      svg = await view.toSVG();
    }
    return svg;
  } finally {
    view.finalize();
  }
}

async function svgOf(id: string, spec: ChartSpec, fit: Fit, currency: string): Promise<string> {
  return inlineSvg(compactSvg(await fitted(spec, fit, currency)), id);
}

async function block(id: string, spec: ChartSpec | undefined, fit: Fit, currency: string, caption?: string): Promise<ChartBlock[]> {
  if (!spec) return [];
  return [{ id, svg: await svgOf(id, spec, fit, currency), caption, wide: fit.width > CHART_WIDTH.half }];
}

/** A small chart for a segment card: where the segment's medians sit among all customers (percentiles). */
function positionChart(p: SegmentProfile, color: string): ChartSpec {
  const values = [
    { dimension: 'Recency', value: Math.round((1 - p.position.recency) * 100) },
    { dimension: 'Frequency', value: Math.round(p.position.frequency * 100) },
    { dimension: 'Monetary', value: Math.round(p.position.monetary * 100) },
  ];
  return {
    title: { text: 'Percentile among all customers', subtitle: 'right = more recent, more orders, more spend', fontSize: 11, subtitleFontSize: 9.5 },
    height: 72,
    data: { values },
    layer: [
      {
        mark: { type: 'bar', color },
        encoding: {
          y: { field: 'dimension', type: 'nominal', sort: null, title: null },
          x: { field: 'value', type: 'quantitative', scale: { domain: [0, 100] }, title: null, axis: { values: [0, 25, 50, 75, 100], format: 'd' } },
        },
      },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#222' }, encoding: { y: { field: 'dimension', type: 'nominal', sort: null }, x: { field: 'value', type: 'quantitative' }, text: { field: 'value', type: 'quantitative' } } },
      { mark: { type: 'rule', strokeDash: [3, 3], color: '#555' }, encoding: { x: { datum: 50 } } },
    ],
  } as unknown as ChartSpec;
}

/** The executive summary's chart: each segment's share of customers against its share of revenue, in the segments' colours. */
function segmentSharesSpec(profiles: SegmentProfile[], colorOf: SegmentColorOf): ChartSpec {
  const labels = profiles.map((p) => p.label);
  const measures = ['share of customers', 'share of revenue'];
  const values = profiles.flatMap((p) => [
    { segment: p.label, measure: measures[0], share: p.customerShare },
    { segment: p.label, measure: measures[1], share: p.revenueShare },
  ]);
  return {
    title: { text: 'Share of customers vs share of revenue', subtitle: 'light bar: share of all customers; dark bar: share of all revenue' },
    height: { step: 14 },
    data: { values },
    encoding: {
      y: { field: 'segment', type: 'nominal', sort: labels, title: null, axis: { labelLimit: 220 } },
      yOffset: { field: 'measure', type: 'nominal', sort: measures },
      x: { field: 'share', type: 'quantitative', title: null, scale: { domain: [0, 1] }, axis: { format: '.0%', values: [0, 0.25, 0.5, 0.75, 1] } },
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          color: { field: 'segment', type: 'nominal', scale: { domain: labels, range: profiles.map((p) => colorOf(p.name)) }, legend: null },
          opacity: { field: 'measure', type: 'nominal', sort: measures, scale: { domain: measures, range: [0.4, 1] }, title: null, legend: { orient: 'bottom', symbolType: 'square' } },
        },
      },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#222' }, encoding: { text: { field: 'share', type: 'quantitative', format: '.1%' } } },
    ],
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

  // Charts (rendered in Node; segment colours fixed by src/charts/theme.ts): one colour per segment
  // name, the same for a cluster and an RFM segment of that name; sizes fit the page (see CHART_WIDTH).
  const colorOf = reportPalette(a);
  const seed = a.options.seed ?? 42;
  const full = (height?: number): Fit => ({ width: CHART_WIDTH.full, height });
  const half = (height?: number): Fit => ({ width: CHART_WIDTH.half, height });
  const eda = a.exploration.charts;
  const exploration = [
    ...(await block('eda-monthly', eda.monthly_revenue as ChartSpec, full(270), currency, 'Revenue (bars, left axis) and active customers (line, right axis) per month, cleaned lines.')),
    ...(await block('eda-customer-revenue', eda.customer_revenue, half(250), currency, 'Spend per customer over the whole period (log scale).')),
    ...(await block('eda-customer-orders', eda.customer_orders, half(250), currency, 'Orders per customer (log scale).')),
    ...(await block('eda-countries', eda.top_countries, half(), currency, 'Countries by revenue; labels: share of all revenue.')),
    ...(await block('eda-products', eda.top_products, half(), currency, 'Products by revenue; labels: share of all revenue.')),
  ];
  const qualityCharts = [
    ...(await block('quality-missing', eda.missing, half(), currency, 'Share of lines with no value, per column of the file (before cleaning).')),
    ...(await block('quality-cancellations', eda.cancellations, half(230), currency, 'Cancelled and returned lines per month, before cleaning.')),
  ];
  const scatter = recencyMonetaryScatter(a.rfm, { seed, maxPoints: REPORT_SAMPLES.scatterPoints, colorOf });
  const scatterNote = (scatter as { title?: { subtitle?: string } }).title?.subtitle ?? '';
  const rfm = [
    ...(await block('rfm-shares', segmentShareChart(a.segmentSummary, { colorOf }), half(), currency, 'Share of customers (light) against share of revenue (dark) per named segment.')),
    ...(await block('rfm-heatmap', rfmHeatmap(a.rfm), half(330), currency, 'Mean spend per customer by recency score and frequency score.')),
    ...(await block('rfm-scatter', scatter, full(470), currency, `Each dot is a customer (${scatterNote}), coloured and shaped by named RFM segment.`)),
  ];

  // The silhouette plot shows the segments' names when the sweep's labels at this k are the model's.
  const pts = a.sweep.silhouettePoints?.find((x) => x.k === a.k);
  const sameLabels = !!pts && pts.rows.every((row, i) => a.model.labels[row] === pts.labels[i]);
  const kc = kSelectionCharts(a.sweep, {
    chosenK: a.k,
    clusterLabels: sameLabels ? profiles.map((p) => p.label) : undefined,
    clusterColors: sameLabels ? profiles.map((p) => colorOf(p.name)) : undefined,
    maxBars: REPORT_SAMPLES.silhouetteBars,
  }) as Record<string, ChartSpec>;
  // Reading order: the panel of every index, then the curves in pairs, then the structure (silhouettes, tree).
  const K_LAYOUT: Array<[string, Fit, string | undefined]> = [
    ['summary', full(), 'Every index at every k: shaded, the signals the recommendation counts (a local peak of the silhouette or Calinski-Harabasz, a local dip of Davies-Bouldin, the gap statistic’s SE rule, the elbow); outlined, the recommended k (dashed: the k in use, if you chose another).'],
    ['elbow', half(230), undefined],
    ['silhouette', half(230), undefined],
    ['calinskiHarabasz', half(230), undefined],
    ['daviesBouldin', half(230), undefined],
    ['gap', half(230), undefined],
    ['stability', half(230), undefined],
    ['silhouettePlot', half(250), sameLabels ? 'Each horizontal line is a customer, sorted within its segment (colours as in the segment cards).' : 'Each horizontal line is a customer, sorted within the sweep’s cluster at this k.'],
    ['dendrogram', half(250), 'Ward’s hierarchical clustering of a sample, as a cross-check of the k-means structure.'],
  ];
  const kcharts: ChartBlock[] = [];
  for (const [id, fit, caption] of K_LAYOUT) kcharts.push(...(await block(`k-${id}`, kc[id], fit, currency, caption)));
  for (const [id, spec] of Object.entries(kc)) if (!K_LAYOUT.some(([k]) => k === id)) kcharts.push(...(await block(`k-${id}`, spec, half(230), currency)));

  // Every chart drawn from a sample says so in its subtitle; the appendix lists them together.
  const sampling: string[] = [];
  if (scatterNote.startsWith('random sample')) sampling.push(`Recency vs monetary scatter: ${scatterNote}.`);
  if (a.sweep.silhouetteSample < customers.height) sampling.push(`Silhouette: computed on a seeded sample of ${fmtInt(a.sweep.silhouetteSample)} of ${fmtInt(customers.height)} customers.`);
  if (pts && pts.values.length > REPORT_SAMPLES.silhouetteBars) sampling.push(`Silhouette plot: ${fmtInt(REPORT_SAMPLES.silhouetteBars)} bars drawn for ${fmtInt(pts.values.length)} customers (evenly thinned within each segment).`);
  if (a.sweep.gap?.sampled) sampling.push(`Gap statistic: a seeded sample of ${fmtInt(a.sweep.gap.n)} customers.`);
  if (a.sweep.dendrogram && a.sweep.dendrogram.rows.length < customers.height) sampling.push(`Dendrogram: a seeded sample of ${fmtInt(a.sweep.dendrogram.rows.length)} customers.`);

  const sizeChart = await svgOf('summary-shares', segmentSharesSpec(profiles, colorOf), { width: CHART_WIDTH.full }, currency);

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
      color: colorOf(p.name),
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
      chart: await svgOf(`card-${p.cluster}`, positionChart(p, colorOf(p.name)), { width: CHART_WIDTH.half, height: 130 }, currency),
      mix: p.segmentMix.length ? p.segmentMix.slice(0, 3).map((m) => `${m.segment} ${fmtPct(m.share, 0)}`).join(', ') : undefined,
      nameReason: p.nameReason ? `Named for: ${p.nameReason}.` : undefined,
    });
  }

  const rec = a.sweep.recommendation;
  const override = a.kSource === 'user' && a.k !== rec.k ? `You chose k = ${a.k}; the evidence recommends k = ${rec.k}. The segments below use k = ${a.k}.` : undefined;
  const votes = rec.votes;
  const STATUS: Record<string, string> = { candidate: 'considered', 'outside-range': 'outside the range', 'small-segment': 'set aside: small segment', unstable: 'set aside: unstable' };
  const rows = a.sweep.perK.map((r) => {
    const c = rec.candidates?.find((x) => x.k === r.k);
    const has = (s: string): boolean => (c ? (c.signals as string[]).includes(s) : votes[s] === r.k);
    return {
      ...r,
      chosen: r.k === a.k,
      recommended: r.k === rec.k,
      gapText: r.gap === undefined || r.gap === null ? '–' : `${fmtFixed(r.gap, 3)} ± ${fmtFixed(r.gapSE, 3)}`,
      // The signals the recommendation counts (or, for a sweep without them, the k each index votes for), marked in the appendix table.
      vote: { elbow: has('elbow'), silhouette: has('silhouette'), calinskiHarabasz: has('calinskiHarabasz'), daviesBouldin: has('daviesBouldin'), gap: has('gap') },
      smallestShare: c && Number.isFinite(c.smallestShare) ? c.smallestShare : undefined,
      status: r.k === rec.k ? 'recommended' : r.k === rec.runnerUp?.k ? 'runner-up' : c ? STATUS[c.status] : '',
    };
  });
  const evidence = kEvidence({ sweep: a.sweep, k: a.k, kSource: a.kSource });

  const parameters: Array<{ name: string; value: string }> = [];
  flatten('', { k: a.options.k ?? 'auto', kUsed: a.k, seed: a.options.seed ?? 42, nInit: a.options.nInit ?? 10, asOf: a.rfm.asOf, bins: a.rfm.bins, method: a.rfm.method }, parameters);
  const { onProgress: _p, ...rest } = a.options;
  void _p;
  flatten('options', rest, parameters);
  if (options.parameters) flatten('notebook', options.parameters, parameters);

  const totalMs = Object.values(a.timings).reduce((s, v) => s + v, 0);
  const warnings = a.warnings.map((w) => `[${w.stage}] ${w.message}`);
  const src = a.source;
  // a file by its name; a database table by its URL without the password
  const dataset = src.kind === 'file' ? path.basename(src.label) : src.label;
  return {
    meta: {
      title: options.title ?? REPORT_DEFAULTS.title,
      subtitle: options.subtitle,
      author: options.author,
      dataset,
      asOf: a.rfm.asOf,
      generatedAt: options.generatedAt ?? new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      segkitVersion: VERSION,
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
        color: colorOf(p.name),
        customers: p.customers,
        customerShare: p.customerShare,
        revenue: p.revenue,
        revenueShare: p.revenueShare,
        action: p.actions.summary,
      })),
      chart: sizeChart,
      chartCaption: 'Each segment’s share of all customers (light) against its share of all revenue (dark), in the segments’ colours.',
      kNote: [evidence.support, evidence.alternative].filter(Boolean).join(' '),
    },
    quality: {
      file: dataset,
      rowsRead: q.rowsRead,
      rowsKept: q.rowsKept,
      keptShare: q.rowsRead ? q.rowsKept / q.rowsRead : 0,
      rules: q.rules.map((r) => ({ label: r.label, removed: r.removed, share: q.rowsRead ? r.removed / q.rowsRead : 0 })),
      first: fmtDate(q.dateRange.first),
      last: fmtDate(q.dateRange.last),
      orderDefinition: src.orders === 'invoice' ? 'a distinct invoice number' : 'a customer’s purchases on one calendar day (the file has no invoice column)',
      warnings: q.warnings.map((w) => w.message),
      charts: qualityCharts,
    },
    exploration: { charts: exploration },
    rfm: {
      bins: a.rfm.bins,
      method: a.rfm.method,
      thresholdHeader: ['Recency (days)', 'Frequency (orders)', 'Monetary'],
      thresholdRows,
      segments: summaryRows.map((r) => ({
        segment: r.segment,
        color: colorOf(String(r.segment)),
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
      alternative: evidence.rerun,
      override,
      notes: `Silhouette ${a.sweep.silhouetteSample >= customers.height ? `on all ${fmtInt(customers.height)} customers` : `on a seeded sample of ${fmtInt(a.sweep.silhouetteSample)} customers`}. ${a.sweep.elbow.note.replace(/^./, (c) => c.toUpperCase())}.`.replace(/\.\.$/, '.'),
      rows,
      charts: kcharts,
    },
    ...(a.migration ? { migration: await migrationSection(a.migration, { currency, colorOf, chart: (id, spec, caption) => block(id, spec, full(), currency, caption) }) } : {}),
    segmentsIntro: `k-means with k = ${a.k} on log-scaled, standardized recency, frequency and monetary value (${a.profiles.order}). Each segment is named after the RFM segment whose rule its median R, F and M scores fall in (qualified by how it differs when two segments share a rule, or described in plain words when no rule is free); its description places its medians against the whole customer base.`,
    segments: cards,
    ...(a.clv ? { clv: await clvSection(a, { currency, colorOf, cards, chart: (id, spec, caption) => block(id, spec, full(), currency, caption) }) } : {}),
    appendix: {
      input: {
        kind: src.kind === 'file' ? 'File' : src.kind === 'postgres' ? 'PostgreSQL table' : 'ClickHouse table',
        path: src.label,
        sha256: src.kind === 'file' ? (src.file?.sha256 ?? 'not computed') : null,
        server: src.server
          ? `${src.kind === 'postgres' ? 'PostgreSQL' : 'ClickHouse'} ${src.server.version}${src.server.cluster ? `; Distributed table over ${src.server.shards} shards (cluster ${src.server.cluster}, local table ${src.server.localTable})${src.server.keptOn ? `; cleaned rows kept on ${src.server.keptOn === 'shards' ? 'each shard' : 'the node asked'}` : ''}` : ''}`
          : null,
        rows: src.rowsRead,
      },
      parameters,
      versions: componentVersions(),
      runTime: `${(totalMs / 1000).toFixed(1)} s of analysis (${Object.entries(a.timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')})`,
      sampling,
      warnings,
    },
  };
}
