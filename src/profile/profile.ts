/**
 * profileSegments: one "segment card" per cluster, in the model's label order: size and revenue (with
 * shares), orders and average order value, R/F/M summaries in original units, the mix of RFM named
 * segments, top countries and products (from the transactions), standardized feature means (snake
 * plot), a plain-words description, a unique suggested name and recommended actions.
 *
 * Everything is plain JSON-serialisable data; `profilesTable` gives a DataFrame view.
 */
import pl from 'nodejs-polars';
import { segmentPalette } from '../palette';
import { SegkitError, warn } from '../errors';
import { wholeNumber } from '../options';
import { DEFAULT_SEGMENT_RULES, type RuleTable } from '../rfm/rules';
import type { FeatureMatrix, KMeansModel, RfmResult, TransactionTable } from '../types';
import { actionsFor, parseActionTable, type ActionTable, type SegmentActions } from './actions';
import { clustersOfRows, tableOf } from './align';
import { DIMENSIONS, DIMENSION_COLUMNS, baselineOf, describeClusters, type Dimension, type Level } from './describe';
import { nameClusters, type NameBasis } from './names';
import { summarize, type Summary } from './stats';
import { groupLines, topCountriesBy, topProductsBy, transactionFrame, type CountryRow, type ProductRow } from './transactions';

export interface SegmentMixRow {
  segment: string;
  customers: number;
  /** Share of the cluster's customers. */
  share: number;
}

/** Everything a segment card shows, for one cluster. */
export interface SegmentProfile {
  /** The model's label (0..k-1); profiles come in this order. */
  cluster: number;
  /** "1 · Champions": number from 1 plus name, the key of the cluster colour scale in charts. */
  label: string;
  name: string;
  /** The RFM named segment the name comes from (its actions apply), or null. */
  segment: string | null;
  nameBasis: NameBasis;
  nameReason: string;
  /** "Bought recently, buys often, spends the most". */
  description: string;
  /** "Low recency, high frequency, high monetary" (recency in days: low = recent). */
  levelText: string;
  levels: Record<Dimension, Level>;
  /** Percentile of the cluster's medians among all customers (0..1). */
  position: Record<Dimension, number>;
  color: string;
  customers: number;
  customerShare: number;
  /** Σ monetary of its customers. */
  revenue: number;
  revenueShare: number;
  /** Σ frequency of its customers. */
  orders: number;
  /** revenue / orders. */
  avgOrderValue: number;
  recency: Summary;
  frequency: Summary;
  monetary: Summary;
  /** Median R, F, M scores (rounded half up), or null when the table has no scores. */
  medianScores: { r: number; f: number; m: number } | null;
  /** RFM named segments inside the cluster, largest first. */
  segmentMix: SegmentMixRow[];
  topCountries: CountryRow[];
  topProducts: ProductRow[];
  /** Mean of each feature in the model's (standardized) feature space. */
  standardized: Record<string, number>;
  /** The centroid in original units (inverse transform; winsorizing cannot be undone), when known. */
  centroid: Record<string, number> | null;
  actions: SegmentActions;
}

export interface ProfileOptions {
  /** The feature matrix the model was fitted on: matches customers by id and gives exact standardized means. */
  features?: FeatureMatrix | null;
  /** Cleaned transactions, for top products and countries (left empty without). */
  transactions?: TransactionTable | pl.DataFrame | null;
  /** Top products and countries per cluster (label order) already computed by a source (`source.segmentTops`): used instead of `transactions`. */
  tops?: { products: ProductRow[][]; countries: CountryRow[][] } | null;
  /** How many products and countries to list. Default 5. */
  top?: number;
  /** Your own cluster names, one per cluster in label order. */
  names?: string[];
  /** Action table (object or JSON text) merged over the defaults of src/data/actions.json. */
  actions?: ActionTable | string | null;
  /** Rule table for naming from median scores. Default: the RFM result's rules, else the 11 named segments. */
  rules?: RuleTable | null;
}

/** Defaults of the profile stage. */
export const PROFILE_DEFAULTS = { top: 5 } as const;

/** The profiles and what they were measured against (plain JSON). */
export interface ProfileResult {
  k: number;
  /** How the model orders its labels (profiles follow it), e.g. "mean monetary, descending". */
  order: string;
  customers: number;
  /** Σ monetary over all customers. */
  revenue: number;
  /** Σ frequency over all customers. */
  orders: number;
  /** One per cluster, in label order. */
  segments: SegmentProfile[];
  /** Named segment × cluster counts (long form), for the cross-tab heatmap. */
  crossTab: CrossTabRow[];
  /** The whole customer base's tertiles (the cut points of low / moderate / high in the descriptions). */
  tertiles: Record<Dimension, [number, number]>;
  /** Feature columns of `standardized` (in order). */
  features: string[];
  /** Whether transactions were given (top products and countries are empty without them). */
  withTransactions: boolean;
}

/** Everything in one object: what the pipeline passes. */
export interface ProfileInput extends ProfileOptions {
  rfm: RfmResult | pl.DataFrame;
  model: KMeansModel;
}

export interface CrossTabRow {
  cluster: number;
  label: string;
  segment: string;
  customers: number;
  shareOfCluster: number;
  shareOfSegment: number;
}

/** The profiles of a ProfileResult (or a bare list of profiles). */
export function segmentsOf(x: ProfileResult | SegmentProfile[]): SegmentProfile[] {
  if (Array.isArray(x)) return x;
  if (x && Array.isArray((x as ProfileResult).segments)) return (x as ProfileResult).segments;
  throw new SegkitError('profile', 'bad_input', 'expected the result of profileSegments (or its .segments)', { where: 'argument profiles' });
}

const median = (v: number[]): number => summarize(v).median;

/**
 * Profile every cluster of `model` over the customers of `rfm`:
 * `profileSegments(rfm, model, { features, transactions })` or `profileSegments({ rfm, model, features, transactions })`.
 * @throws SegkitError `profile/bad_input` (not an RFM result and a fitted model), `profile/missing_column`, `profile/size_mismatch`, `profile/customers_not_clustered` (customers and model do not match), `profile/bad_option` (top), `profile/bad_names`, `profile/actions_invalid`, `profile/actions_not_json`, `profile/actions_unknown_field` (names and actions).
 */
export function profileSegments(input: ProfileInput): ProfileResult;
export function profileSegments(rfm: RfmResult | pl.DataFrame, model: KMeansModel, options?: ProfileOptions): ProfileResult;
export function profileSegments(a: ProfileInput | RfmResult | pl.DataFrame, b?: KMeansModel, c: ProfileOptions = {}): ProfileResult {
  if (b === undefined) {
    const input = a as ProfileInput;
    if (!input || typeof input !== 'object' || !('model' in input) || !('rfm' in input)) {
      throw new SegkitError('profile', 'bad_input', 'profileSegments needs the RFM result and the fitted model', {
        where: 'arguments',
        hint: 'call profileSegments(rfm, model, { features, transactions }) or profileSegments({ rfm, model, features, transactions })',
      });
    }
    const { rfm, model, ...options } = input;
    return profile(rfm, model, options);
  }
  return profile(a as RfmResult | pl.DataFrame, b, c);
}

function profile(rfm: RfmResult | pl.DataFrame, model: KMeansModel, options: ProfileOptions): ProfileResult {
  const table = tableOf(rfm);
  const missing = Object.values(DIMENSION_COLUMNS).filter((c) => !table.columns.includes(c));
  if (missing.length) {
    throw new SegkitError('profile', 'missing_column', `the customer table has no ${missing.join(', ')} column`, {
      where: `customer table (columns: ${table.columns.join(', ')})`,
      hint: 'profile the result of rfm(clean)',
    });
  }
  const top = wholeNumber(options.top ?? PROFILE_DEFAULTS.top, { stage: 'profile', name: 'top', min: 0 });
  const labels = clustersOfRows(table, model, options.features);
  const k = model.k;
  const n = table.height;
  const col = (c: string): Float64Array => table.getColumn(c).cast(pl.Float64).toTypedArray() as Float64Array;
  const values: Record<Dimension, Float64Array> = { recency: col('recency_days'), frequency: col('frequency'), monetary: col('monetary') };
  const hasScores = ['r_score', 'f_score', 'm_score'].every((c) => table.columns.includes(c));
  const scores = hasScores ? (['r_score', 'f_score', 'm_score'].map(col) as [Float64Array, Float64Array, Float64Array]) : null;
  const segments = table.columns.includes('segment') ? (table.getColumn('segment').toArray() as Array<string | null>) : null;

  // Per cluster: row indices.
  const rows: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) rows[labels[i]].push(i);
  const pick = (v: Float64Array, idx: number[]): number[] => idx.map((i) => v[i]);

  const empty = rows.map((idx, c) => (idx.length ? -1 : c)).filter((c) => c >= 0);
  if (empty.length) {
    warn('profile', 'empty_cluster', `cluster${empty.length > 1 ? 's' : ''} ${empty.map((c) => c + 1).join(', ')} ha${empty.length > 1 ? 've' : 's'} no customers: ${empty.length > 1 ? 'their' : 'its'} statistics are NaN (null in JSON); fit with a smaller k`);
  }
  const totalRevenue = values.monetary.reduce((a, b) => a + b, 0);
  const baseline = baselineOf(values);
  const medians = rows.map((idx) => Object.fromEntries(DIMENSIONS.map((d) => [d, median(pick(values[d], idx))])) as Record<Dimension, number>);
  const descriptions = describeClusters(medians, baseline);

  const mixes: SegmentMixRow[][] = rows.map((idx) => {
    if (!segments) return [];
    const counts = new Map<string, number>();
    for (const i of idx) {
      const s = segments[i] ?? 'Others';
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    return [...counts.entries()]
      .map(([segment, customers]) => ({ segment, customers, share: customers / idx.length }))
      .sort((a, b) => b.customers - a.customers || a.segment.localeCompare(b.segment));
  });
  const medianScores = rows.map((idx) =>
    scores && idx.length ? { r: Math.round(median(pick(scores[0], idx))), f: Math.round(median(pick(scores[1], idx))), m: Math.round(median(pick(scores[2], idx))) } : null,
  );
  const result = rfm === table ? null : (rfm as RfmResult & { rules?: RuleTable });
  const bins = result?.bins ?? (scores ? Math.max(...scores.map((s) => s.reduce((a, b) => Math.max(a, b), 0))) : undefined);
  const rules = options.rules ?? result?.rules ?? DEFAULT_SEGMENT_RULES;
  const names = nameClusters(
    rows.map((_, c) => ({ mix: mixes[c], medianScores: medianScores[c], position: descriptions[c].position, levels: descriptions[c].levels })),
    { rules, bins, names: options.names },
  );

  // Standardized means: exact means of the feature rows, else the centroids (the means at convergence).
  const columns = options.features?.columns ?? model.columns ?? (model.centroids[0] ?? []).map((_, j) => `feature ${j + 1}`);
  const standardized: number[][] = options.features ? featureMeans(options.features, model.labels, k) : model.centroids.map((c) => [...c]);

  // Transactions: top products and countries.
  let products: ProductRow[][] = Array.from({ length: k }, () => []);
  let countries = products.map(() => [] as ReturnType<typeof topCountriesBy>[number]);
  if (options.tops) {
    products = options.tops.products.map((p) => p.slice(0, top));
    countries = options.tops.countries.map((p) => p.slice(0, top));
  } else if (options.transactions) {
    const asOf = result?.asOf || null;
    const df = transactionFrame(options.transactions, asOf);
    const groupOf = table.select(pl.col('customer_id').cast(pl.Utf8)).withColumns(pl.Series('group', labels, pl.Int32));
    const grouped = groupLines(df, groupOf);
    products = topProductsBy(df, groupOf, k, top, grouped);
    countries = topCountriesBy(df, groupOf, k, top, grouped);
  }

  const actionTable = options.actions == null ? null : parseActionTable(options.actions, 'option actions');
  // Each cluster in its name's colour, as the RFM segment of that name is drawn (charts/theme.ts)
  const colorOf = segmentPalette(names.map((x) => x.name));
  const segmentsOut = rows.map((idx, c): SegmentProfile => {
    const revenue = pick(values.monetary, idx).reduce((a, b) => a + b, 0);
    const orders = pick(values.frequency, idx).reduce((a, b) => a + b, 0);
    const { name, segment, basis, reason } = names[c];
    const { summary, actions } = actionsFor(name, actionTable, segment ?? undefined);
    return {
      cluster: c,
      label: `${c + 1} · ${name}`,
      name,
      segment,
      nameBasis: basis,
      nameReason: reason,
      description: descriptions[c].description,
      levelText: descriptions[c].levelText,
      levels: descriptions[c].levels,
      position: descriptions[c].position,
      color: colorOf(name),
      customers: idx.length,
      customerShare: n > 0 ? idx.length / n : 0,
      revenue,
      revenueShare: totalRevenue !== 0 ? revenue / totalRevenue : 0,
      orders,
      avgOrderValue: orders > 0 ? revenue / orders : 0,
      recency: summarize(pick(values.recency, idx)),
      frequency: summarize(pick(values.frequency, idx)),
      monetary: summarize(pick(values.monetary, idx)),
      medianScores: medianScores[c],
      segmentMix: mixes[c],
      topCountries: countries[c],
      topProducts: products[c],
      standardized: Object.fromEntries(columns.map((name, j) => [name, standardized[c]?.[j] ?? NaN])),
      centroid: model.centroidsOriginal ? Object.fromEntries(columns.map((name, j) => [name, model.centroidsOriginal![c][j]])) : null,
      actions: { summary, actions },
    };
  });
  return {
    k,
    order: model.order,
    customers: n,
    revenue: totalRevenue,
    orders: values.frequency.reduce((x, y) => x + y, 0),
    segments: segmentsOut,
    crossTab: segmentCrossTab(segmentsOut),
    tertiles: baseline.tertiles,
    features: [...columns],
    withTransactions: !!options.transactions || !!options.tops,
  };
}

/** Mean feature row per cluster. */
function featureMeans(features: FeatureMatrix, labels: number[], k: number): number[][] {
  const d = features.columns.length;
  const sum = Array.from({ length: k }, () => new Array<number>(d).fill(0));
  const cnt = new Array<number>(k).fill(0);
  features.X.forEach((row, i) => {
    const c = labels[i];
    cnt[c]++;
    for (let j = 0; j < d; j++) sum[c][j] += row[j];
  });
  return sum.map((s, c) => s.map((v) => (cnt[c] ? v / cnt[c] : NaN)));
}

/** The profiles as a DataFrame, one row per cluster (for `show()` and CSV). */
export function profilesTable(profiles: ProfileResult | SegmentProfile[]): pl.DataFrame {
  const ps = segmentsOf(profiles);
  const f64 = (name: string, get: (p: SegmentProfile) => number): pl.Series => pl.Series(name, ps.map(get), pl.Float64);
  const str = (name: string, get: (p: SegmentProfile) => string | null): pl.Series => pl.Series(name, ps.map(get), pl.Utf8);
  return pl.DataFrame([
    pl.Series('cluster', ps.map((p) => p.cluster), pl.Int32),
    str('name', (p) => p.name),
    pl.Series('customers', ps.map((p) => p.customers), pl.Int64),
    f64('customer_share', (p) => p.customerShare),
    f64('revenue', (p) => p.revenue),
    f64('revenue_share', (p) => p.revenueShare),
    f64('orders', (p) => p.orders),
    f64('avg_order_value', (p) => p.avgOrderValue),
    f64('median_recency', (p) => p.recency.median),
    f64('median_frequency', (p) => p.frequency.median),
    f64('median_monetary', (p) => p.monetary.median),
    str('top_segment', (p) => p.segmentMix[0]?.segment ?? null),
    str('description', (p) => p.description),
    str('action', (p) => p.actions.summary),
  ]);
}

/** Segment × cluster counts (long form): one row per (cluster, named segment) with customers and shares. */
export function segmentCrossTab(result: ProfileResult | SegmentProfile[]): CrossTabRow[] {
  const profiles = segmentsOf(result);
  const bySegment = new Map<string, number>();
  for (const p of profiles) for (const m of p.segmentMix) bySegment.set(m.segment, (bySegment.get(m.segment) ?? 0) + m.customers);
  return profiles.flatMap((p) =>
    p.segmentMix.map((m) => ({ cluster: p.cluster, label: p.label, segment: m.segment, customers: m.customers, shareOfCluster: m.share, shareOfSegment: m.customers / bySegment.get(m.segment)! })),
  );
}
