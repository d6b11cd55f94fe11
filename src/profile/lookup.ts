/**
 * customerDetails: one customer at a glance: R/F/M values and scores, named segment, cluster and its
 * name, first and last purchase, top products, countries and a monthly purchase timeline.
 */
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import { DEFAULT_SEGMENT_RULES, type RuleTable } from '../rfm/rules';
import type { FeatureMatrix, KMeansModel, RfmResult, TransactionTable } from '../types';
import type { SegmentActions } from './actions';
import { clustersOfRows, idsOf, tableOf } from './align';
import { assignSegments } from './assign';
import type { SegmentModel } from './model';
import { segmentsOf, type ProfileResult, type SegmentProfile } from './profile';
import { monthlyTimeline, topCountriesBy, topProductsBy, transactionFrame, type CountryRow, type ProductRow, type TimelineRow } from './transactions';

export interface CustomerDetails {
  customerId: string;
  recencyDays: number;
  frequency: number;
  monetary: number;
  scores: { r: number; f: number; m: number } | null;
  rfmCode: string | null;
  rfmScore: number | null;
  segment: string | null;
  /** The rule table's description of the segment. */
  segmentDescription: string | null;
  cluster: number | null;
  clusterName: string | null;
  clusterLabel: string | null;
  clusterDescription: string | null;
  actions: SegmentActions | null;
  /** YYYY-MM-DD. */
  firstPurchase: string | null;
  lastPurchase: string | null;
  tenureDays: number | null;
  avgOrderValue: number | null;
  items: number | null;
  topProducts: ProductRow[];
  countries: CountryRow[];
  /** Orders and spend per month, first to last purchase month (zeros filled in). */
  timeline: TimelineRow[];
}

export interface LookupOptions {
  /** A fitted model (its labels) or a saved segment model (the customer is scored with it). */
  model?: KMeansModel | SegmentModel | null;
  /** The feature matrix the fitted model was fitted on (matches customers by id). */
  features?: FeatureMatrix | null;
  /** Profiles of the fitted model, for the cluster's name, description and actions. */
  profiles?: ProfileResult | SegmentProfile[] | null;
  /** Cleaned transactions, for products, countries and the timeline. */
  transactions?: TransactionTable | pl.DataFrame | null;
  /** Products to list. Default 5. */
  top?: number;
}

const day = (v: unknown): string | null => (v instanceof Date ? v.toISOString().slice(0, 10) : v == null ? null : String(v).slice(0, 10));
const num = (v: unknown): number | null => (v == null ? null : Number(v));

/** Edit distance (Levenshtein), two rows. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The ids closest to `id`: fewest edits, then the longest shared beginning, then in order. */
export function closestIds(id: string, ids: string[], max = 3): string[] {
  const want = id.toLowerCase();
  const shared = (s: string): number => {
    let k = 0;
    while (k < s.length && k < want.length && s[k] === want[k]) k++;
    return k;
  };
  return [...new Set(ids)]
    .map((c) => ({ c, d: distance(want, c.toLowerCase()), p: shared(c.toLowerCase()) }))
    .sort((x, y) => x.d - y.d || y.p - x.p || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((x) => x.c);
}

/** Find a customer id in `ids`: exact, then trimmed, then without a trailing ".0" (ids read as floats). */
function findId(ids: string[], id: string | number): number {
  const want = String(id);
  const tries = [want, want.trim(), want.trim().replace(/\.0+$/, '')];
  for (const t of tries) {
    const i = ids.indexOf(t);
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * Details of one customer of the RFM table. Unknown ids are an error naming the closest ids.
 * @throws SegkitError `profile/unknown_customer` (the id is not in the customer table; the closest ids are named), `profile/bad_input`, `profile/missing_column`, `profile/size_mismatch`, `profile/customers_not_clustered`.
 */
export function customerDetails(rfm: RfmResult | pl.DataFrame, customerId: string | number, options: LookupOptions = {}): CustomerDetails {
  const table = tableOf(rfm);
  const ids = idsOf(table);
  const row = findId(ids, customerId);
  if (row < 0) {
    const near = closestIds(String(customerId).trim(), ids, 3);
    throw new SegkitError('profile', 'unknown_customer', `customer "${String(customerId)}" is not among the ${ids.length.toLocaleString('en-GB')} customers`, {
      where: 'argument customerId',
      hint: near.length ? `closest ids: ${near.join(', ')}` : 'the customer table is empty',
    });
  }
  const id = ids[row];
  const rec = table.slice(row, 1).toRecords()[0] as Record<string, unknown>;
  const result = rfm === table ? null : (rfm as RfmResult & { rules?: RuleTable });
  const rules = result?.rules ?? DEFAULT_SEGMENT_RULES;
  const segment = rec.segment == null ? null : String(rec.segment);

  // Cluster: the fitted labels, or scoring with a saved model.
  let cluster: number | null = null;
  let clusterName: string | null = null;
  let clusterLabel: string | null = null;
  let clusterDescription: string | null = null;
  let actions: SegmentActions | null = null;
  const model = options.model;
  if (model && 'format' in model) {
    const a = assignSegments(model as SegmentModel, { ...rec, customer_id: id });
    cluster = a.cluster;
    clusterName = a.name;
    clusterLabel = a.label;
    clusterDescription = (model as SegmentModel).clusters[a.cluster].description;
  } else if (model) {
    cluster = clustersOfRows(table, model as KMeansModel, options.features)[row];
  }
  const profile = cluster !== null && options.profiles ? segmentsOf(options.profiles).find((p) => p.cluster === cluster) : undefined;
  if (profile) {
    clusterName = profile.name;
    clusterLabel = profile.label;
    clusterDescription = profile.description;
    actions = profile.actions;
  } else if (cluster !== null && clusterName === null) {
    clusterLabel = `${cluster + 1}`;
  }

  let topProducts: ProductRow[] = [];
  let countries: CountryRow[] = [];
  let timeline: TimelineRow[] = [];
  let first = day(rec.first_purchase);
  let last = day(rec.last_purchase);
  if (options.transactions) {
    const raw = options.transactions;
    const all = typeof (raw as pl.DataFrame).groupBy === 'function' ? (raw as pl.DataFrame) : (raw as TransactionTable).df;
    // The customer's rows first (cheap), then the checks and the asOf cut-off on those few rows.
    const mine = all && all.columns?.includes('customer_id') ? all.filter(pl.col('customer_id').cast(pl.Utf8).eq(pl.lit(id))) : all;
    const df = transactionFrame(mine, result?.asOf || null);
    const groupOf = pl.DataFrame({ customer_id: [id], group: [0] }).withColumns(pl.col('group').cast(pl.Int32));
    topProducts = topProductsBy(df, groupOf, 1, options.top ?? 5)[0];
    countries = topCountriesBy(df, groupOf, 1, Number.MAX_SAFE_INTEGER)[0];
    const tx = options.transactions;
    const orders = typeof (tx as pl.DataFrame).groupBy === 'function' ? 'invoice' : (tx as TransactionTable).orders ?? 'invoice';
    timeline = monthlyTimeline(df, orders);
    if (df.columns.includes('date') && df.height) {
      first ??= day(df.getColumn('date').min());
      last ??= day(df.getColumn('date').max());
    }
  }
  const hasScores = rec.r_score != null && rec.f_score != null && rec.m_score != null;
  return {
    customerId: id,
    recencyDays: Number(rec.recency_days),
    frequency: Number(rec.frequency),
    monetary: Number(rec.monetary),
    scores: hasScores ? { r: Number(rec.r_score), f: Number(rec.f_score), m: Number(rec.m_score) } : null,
    rfmCode: rec.rfm_code == null ? null : String(rec.rfm_code),
    rfmScore: num(rec.rfm_score),
    segment,
    segmentDescription: segment ? rules.rules.find((r) => r.segment === segment)?.description ?? null : null,
    cluster,
    clusterName,
    clusterLabel,
    clusterDescription,
    actions,
    firstPurchase: first,
    lastPurchase: last,
    tenureDays: num(rec.tenure_days),
    avgOrderValue: num(rec.avg_order_value),
    items: num(rec.items),
    topProducts,
    countries,
    timeline,
  };
}
