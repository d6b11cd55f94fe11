/**
 * The report section "Customer value" (templates/partials/clv.hbs) from an analysis's lifetime-value run
 * (analyze(…, { clv })): what was fitted, the holdout check (the calibration/holdout chart of purchases per
 * frequency, actual vs predicted holdout revenue per RFM segment, the error figures against the naive
 * forecast), and the expected value per segment. It also puts "expected N-month value" on the segment
 * cards (`cards`, changed in place) and gives the per-customer columns of the CSV export
 * ({@link clvColumns}). When there is no forecast the section says why in words; no NaN reaches it.
 */
import pl from 'nodejs-polars';
import type { ChartSpec } from '../../charts/render';
import type { SegmentColorOf } from '../../charts/theme';
import { clvCalibrationChart, clvSegmentRevenueChart, clvValueChart, valueByGroup, type ClvAnalysis } from '../../clv';
import { SEGMENT_ORDER } from '../../charts/theme';
import { withClusters } from '../../profile';
import type { Analysis } from '../../pipeline';
import type { ChartBlock, SegmentCard } from '../context';
import { CURRENCY_SYMBOLS, fmtInt, fmtMoney, fmtPct } from '../format';

export interface ClvValueRow {
  segment: string;
  color: string;
  customers: number;
  value: number;
  perCustomer: number;
  share: number;
  pAlive: number;
}

export interface ClvContext {
  /** False when there is no forecast: `reason` says why and nothing else is filled. */
  ok: boolean;
  reason: string | null;
  intro: string;
  kpis: Array<{ value: string; label: string }>;
  /** The holdout check in words, or why there is none. */
  check: string;
  /** Error figures of the check (model vs naive). */
  errors: Array<{ measure: string; model: string; naive: string }>;
  /** Expected value per report segment (the cards' segments). */
  segments: ClvValueRow[];
  /** Per RFM segment (today's). */
  rfmSegments: ClvValueRow[];
  note: string;
  charts: ChartBlock[];
}

export type RenderChart = (id: string, spec: ChartSpec, caption: string) => Promise<ChartBlock[]>;

export interface ClvSectionOptions {
  currency: string;
  chart: RenderChart;
  colorOf?: SegmentColorOf;
  /** The segment cards: each gets `expectedValue` (changed in place). */
  cards?: SegmentCard[];
}

const finite = (v: number): number => (Number.isFinite(v) ? v : 0);

/** customer_id → report segment name (the k-means segments of the cards). */
function reportSegments(a: Analysis): pl.DataFrame {
  const names = a.profiles.segments.map((p) => p.name);
  return withClusters(a.rfm, a.model, { features: a.features, names })
    .select(pl.col('customer_id').cast(pl.Utf8), pl.col('cluster_name').alias('segment'));
}

function rows(byGroup: pl.DataFrame, values: pl.DataFrame, groups: pl.DataFrame, colorOf: SegmentColorOf): ClvValueRow[] {
  const alive = values
    .select(pl.col('customer_id').cast(pl.Utf8), 'p_alive')
    .join(groups, { on: 'customer_id', how: 'left' })
    .withColumns(pl.col('segment').fillNull('(none)'))
    .groupBy('segment')
    .agg(pl.col('p_alive').mean().alias('p'));
  const pOf = new Map((alive.toRecords() as Array<{ segment: string; p: number }>).map((r) => [r.segment, r.p]));
  return (byGroup.toRecords() as Array<{ group: string; customers: number; clv: number; clv_per_customer: number; share: number }>).map((r) => ({
    segment: r.group,
    color: colorOf(r.group),
    customers: Number(r.customers),
    value: finite(r.clv),
    perCustomer: finite(r.clv_per_customer),
    share: finite(r.share),
    pAlive: finite(pOf.get(r.group) ?? 0),
  }));
}

export async function clvSection(a: Analysis, options: ClvSectionOptions): Promise<ClvContext> {
  const clv = a.clv as ClvAnalysis;
  const { currency } = options;
  const colorOf = options.colorOf ?? ((): string => '#888');
  const money = (v: number): string => fmtMoney(v, currency);
  const empty: ClvContext = { ok: false, reason: null, intro: '', kpis: [], check: '', errors: [], segments: [], rfmSegments: [], note: '', charts: [] };
  if (!clv || clv.status !== 'ok' || !clv.values || !clv.bgnbd || !clv.gammaGamma || !clv.summary) {
    return { ...empty, reason: `No forecast of customer value: ${clv?.reason ?? 'the models were not fitted'}.` };
  }
  const { horizon, discount, occasions } = clv.options;
  const values = clv.values;
  const total = finite(Number(values.getColumn('clv').sum()));
  const s = clv.summary;
  const intro =
    `Expected value of each customer over the next ${horizon} months, discounted ${fmtPct(discount, 1).replace(' %', ' %')} a month: the BG/NBD model of repeat purchases ` +
    `(how often each customer buys and how likely they are to have stopped) times the Gamma-Gamma model of spend per purchase, ` +
    `fitted on ${fmtInt(s.counts.customers)} customers to ${s.calibrationEnd} (${fmtInt(s.counts.repeatCustomers)} of them with repeat purchases; ` +
    `a purchase is ${occasions === 'day' ? 'a customer’s day with orders' : 'an invoice'}). As in Python’s lifetimes (Fader, Hardie & Lee 2005; Fader & Hardie 2013).`;
  const pAlive = (values.getColumn('p_alive').toArray() as number[]).reduce((t, v) => t + v, 0) / values.height;
  const kpis = [
    { value: money(total), label: `expected value, next ${horizon} months` },
    { value: money(total / values.height), label: 'per customer' },
    { value: fmtPct(pAlive, 0), label: 'mean probability of being active' },
    { value: fmtInt(finite(Number(values.getColumn('expected_purchases').sum()))), label: `expected purchases, next ${horizon} months` },
  ];

  // the check
  const charts: ChartBlock[] = [];
  let check: string;
  const errors: ClvContext['errors'] = [];
  const h = clv.holdout;
  if (h) {
    const v = h.validation;
    const t = v.totals;
    const period = `${h.summary.holdout!.from} to ${h.summary.holdout!.to}`;
    const better = v.mae.model < v.mae.naive;
    check =
      `Checked on a holdout: fitted on the days to ${h.summary.calibrationEnd} only, the model forecast ${fmtInt(t.predicted)} purchases for ${period} by those ${fmtInt(t.customers)} customers; ` +
      `they made ${fmtInt(t.actual)} (the forecast is ${fmtPct(Math.abs(t.relativeError), 1)} ${t.relativeError < 0 ? 'low' : 'high'}). ` +
      `The naive forecast, each customer’s earlier repeat rate, gives ${fmtInt(t.naive)}. Per customer the model is ${better ? 'closer' : 'not closer'} than the naive forecast on average ` +
      `(mean absolute error ${v.mae.model.toFixed(3)} vs ${v.mae.naive.toFixed(3)} purchases)${better ? '.' : ': treat the values below as a rough guide.'}` +
      (h.summary.holdout!.newCustomers ? ` ${fmtInt(h.summary.holdout!.newCustomers)} customers who first bought in the holdout are not part of the check.` : '');
    errors.push(
      { measure: 'Purchases in the holdout (total)', model: fmtInt(t.predicted), naive: fmtInt(t.naive) },
      { measure: `Actual: ${fmtInt(t.actual)} · error of the total`, model: fmtPct((t.predicted - t.actual) / Math.max(t.actual, 1), 1), naive: fmtPct((t.naive - t.actual) / Math.max(t.actual, 1), 1) },
      { measure: 'Mean absolute error per customer (purchases)', model: v.mae.model.toFixed(3), naive: v.mae.naive.toFixed(3) },
    );
    if (t.predictedValue !== undefined && t.actualValue !== undefined && Number.isFinite(t.predictedValue) && Number.isFinite(t.actualValue)) {
      errors.push({ measure: `Revenue in the holdout (actual ${money(t.actualValue)})`, model: money(t.predictedValue), naive: '–' });
    }
    charts.push(...(await options.chart('clv-calibration', clvCalibrationChart(v, { currency: CURRENCY_SYMBOLS[currency]?.trim() }), `Mean purchases per customer in the holdout (${period}) by repeat purchases before it: actual, BG/NBD and the naive repeat rate.`)));
    if (h.bySegment && h.bySegment.columns.includes('predicted_revenue') && h.bySegment.height) {
      const order = [...SEGMENT_ORDER] as string[];
      charts.push(...(await options.chart('clv-holdout-revenue', clvSegmentRevenueChart(h.bySegment, { order, currency: CURRENCY_SYMBOLS[currency]?.trim() }), `Holdout revenue per RFM segment as of ${h.summary.calibrationEnd} (the day before the holdout): actual vs predicted by the models fitted before it.`)));
    }
  } else {
    check = `The model is not checked on a holdout in this report: ${(clv.holdoutReason ?? 'no holdout was asked for').replace(/^no holdout check: /, '')}.`;
  }

  // value per segment
  const groups = reportSegments(a);
  const byReport = valueByGroup(values, groups, 'segment');
  const segments = rows(byReport, values, groups, colorOf);
  const rfmGroups = a.rfm.table.select(pl.col('customer_id').cast(pl.Utf8), pl.col('segment'));
  const rfmSegments = rows(valueByGroup(values, rfmGroups, 'segment'), values, rfmGroups, colorOf);
  charts.push(...(await options.chart('clv-value', clvValueChart(byReport, horizon, { colorOf, order: a.profiles.segments.map((p) => p.name), currency: CURRENCY_SYMBOLS[currency]?.trim() }), `Expected value of the next ${horizon} months per segment (label: per customer).`)));

  for (const card of options.cards ?? []) {
    const r = segments.find((x) => x.segment === card.name);
    if (!r) continue;
    card.expectedValue = `${money(r.value)} (${money(r.perCustomer)} per customer)`;
    card.expectedValueLabel = `Expected ${horizon}-month value`;
  }
  const bg = clv.bgnbd.params;
  const gg = clv.gammaGamma.params;
  const warn = [...clv.bgnbd.warnings, ...clv.gammaGamma.warnings].map((w) => w.message);
  const note =
    `BG/NBD r = ${bg.r.toPrecision(3)}, α = ${bg.alpha.toPrecision(3)}, a = ${bg.a.toPrecision(3)}, b = ${bg.b.toPrecision(3)} (${s.unit}); Gamma-Gamma p = ${gg.p.toPrecision(3)}, q = ${gg.q.toPrecision(3)}, γ = ${gg.gamma.toPrecision(3)}. ` +
    `The value assumes customers keep behaving as in the data (no seasonality, no campaigns) and that spend per purchase does not depend on how often they buy (correlation ${clv.gammaGamma.correlation.toFixed(2)}).` +
    ` Customers who bought only once count as active (the model has seen no gap after a repeat purchase), so P(active) is high in segments of one-time buyers.` +
    (warn.length ? ` Notes from the fit: ${warn.map((w) => w.replace(/\.?$/, '.')).join(' ')}` : '') +
    ` The per-customer CSV has each customer’s clv (expected ${horizon}-month value) and p_alive.`;
  return { ok: true, reason: null, intro, kpis, check, errors, segments, rfmSegments, note, charts };
}

/** The lifetime-value run with its customer ids mapped by `f` (pseudonymized reports), or as it is. */
export function clvWithIds(clv: ClvAnalysis | undefined, f: (id: string) => string): ClvAnalysis | undefined {
  if (!clv?.values) return clv;
  const ids = (clv.values.getColumn('customer_id').toArray() as unknown[]).map((id) => f(String(id)));
  return { ...clv, values: clv.values.withColumns(pl.Series('customer_id', ids, pl.Utf8)) };
}

/**
 * `table` (a per-customer export with customer_id) with the CLV columns clv (expected value over the
 * horizon, discounted) and p_alive joined by customer; unchanged when there is no forecast. A customer the
 * models did not see (no purchase occasion, e.g. returns only) gets 0 for both.
 */
export function clvColumns(a: Pick<Analysis, 'clv'>, table: pl.DataFrame): pl.DataFrame {
  const clv = a.clv;
  if (!clv || clv.status !== 'ok' || !clv.values) return table;
  const v = clv.values.select(pl.col('customer_id').cast(pl.Utf8), pl.col('clv'), pl.col('p_alive'));
  const id = table.getColumn('customer_id').dtype;
  return table
    .withColumns(pl.col('customer_id').cast(pl.Utf8).alias('__id'))
    .join(v.rename({ customer_id: '__id' }), { on: '__id', how: 'left' })
    .drop('__id')
    .withColumns(pl.col('clv').fillNull(0), pl.col('p_alive').fillNull(0))
    .withColumns(pl.col('customer_id').cast(id));
}
