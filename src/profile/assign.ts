/**
 * Scoring new customers with a saved model: raw recency (days), frequency (orders) and monetary value
 * → R/F/M scores with the training thresholds → named segment with the model's rules → the model's
 * feature transform → the nearest centroid (cluster, name) and the distance to every centroid.
 */
import pl from 'nodejs-polars';
import { SegkitError, closest } from '../errors';
import { applyTransform } from '../features/transform';
import { OTHERS } from '../rfm/rules';
import type { ScoreThresholds } from '../types';
import type { SegmentModel } from './model';
import { ruleAt } from './names';

/** A new customer: raw values by name. `recency` may be written `recency_days`; other model features by their column name. */
export interface NewCustomer {
  customer_id?: string | number | null;
  recency?: number;
  recency_days?: number;
  frequency?: number;
  monetary?: number;
  [column: string]: unknown;
}

export interface Assignment {
  customer_id: string | null;
  recency_days: number;
  frequency: number;
  monetary: number;
  r_score: number;
  f_score: number;
  m_score: number;
  rfm_code: string;
  /** Named RFM segment from the scores and the model's rules. */
  segment: string;
  /** The model's label 0..k-1 of the nearest centroid. */
  cluster: number;
  name: string;
  /** "1 · Champions", as in the profiles and charts. */
  label: string;
  /** Euclidean distance (feature space) to the nearest centroid. */
  distance: number;
  /** Distance to each centroid, in label order. */
  distances: number[];
}

/** Values equal to this many decimals tie, as when the training customers were scored. */
const TIE_DECIMALS = 6;

/**
 * Score one raw value 1..bins with training thresholds. Cut points (quantile, breaks) are applied as
 * in scoring; for 'rank' a value gets the score whose training range it reaches (a training value gets
 * exactly its own score; values between ranges take the lower one; beyond the extremes, the extreme score).
 * Recency is reversed: fewer days scores higher.
 */
export function scoreValue(th: ScoreThresholds, value: number): number {
  const f = 10 ** TIE_DECIMALS;
  const v = Math.round(value * f) / f;
  const n = th.bins;
  const reversed = th.dimension === 'recency';
  if (th.cuts && th.method !== 'rank') {
    const s = 1 + th.cuts.filter((c) => c <= v).length;
    return reversed ? n + 1 - s : s;
  }
  const filled = th.ranges.filter((r) => r.min !== null && r.max !== null).sort((a, b) => a.score - b.score);
  if (!filled.length) throw new SegkitError('model', 'model_invalid', `the ${th.dimension} thresholds have no score range`, { where: `rfm.thresholds (${th.dimension})` });
  let score = filled[0].score;
  for (const r of filled) {
    if (reversed ? (r.max as number) >= v : (r.min as number) <= v) score = r.score;
  }
  return score;
}

const ALIASES: Record<string, string[]> = {
  recency_days: ['recency_days', 'recency', 'r'],
  frequency: ['frequency', 'f', 'orders'],
  monetary: ['monetary', 'm', 'spend'],
  customer_id: ['customer_id', 'id', 'customer', 'customerid'],
};

/** The key of `obj` for a column (its aliases, case-insensitive), or undefined. */
function keyFor(keys: string[], column: string): string | undefined {
  const wanted = ALIASES[column] ?? [column];
  for (const w of wanted) {
    const k = keys.find((x) => x.toLowerCase() === w.toLowerCase());
    if (k !== undefined) return k;
  }
  return undefined;
}

/** Columns the model needs from each customer: R, F, M (for the scores) and the feature columns. */
function neededColumns(model: SegmentModel): string[] {
  return [...new Set(['recency_days', 'frequency', 'monetary', ...model.features.columns])];
}

function numberAt(v: unknown, column: string, where: string): number {
  // Numbers, bigints and number-like text (a CSV read as text) are accepted.
  const x = typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v.trim())) ? Number(v.trim()) : v;
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new SegkitError('model', 'bad_customer', `${column} must be a finite number, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`, {
      where: `${where}, ${column}`,
      hint: 'give recency in days, frequency as a count of orders and monetary as total spend',
    });
  }
  if ((column === 'recency_days' || column === 'frequency') && x < 0) {
    throw new SegkitError('model', 'bad_customer', `${column} cannot be negative, got ${x}`, { where: `${where}, ${column}` });
  }
  return x;
}

/** A field that may be meant for `column`: one whose name starts the other's, else the closest by edit distance. */
function suggest(column: string, keys: string[]): string | undefined {
  const c = column.toLowerCase();
  const prefix = keys.find((k) => k.length >= 3 && (c.startsWith(k.toLowerCase()) || k.toLowerCase().startsWith(c)));
  return prefix ?? closest(column, keys, 1)[0];
}

function assignRows(model: SegmentModel, records: Array<Record<string, unknown>>, describe: (i: number) => string): Assignment[] {
  const needed = neededColumns(model);
  const values = records.map((r, i) => {
    const keys = Object.keys(r);
    const keyOf = Object.fromEntries(needed.map((c) => [c, keyFor(keys, c)]));
    const absent = needed.filter((c) => keyOf[c] === undefined);
    if (absent.length) {
      const free = keys.filter((k) => !Object.values(keyOf).includes(k) && keyFor([k], 'customer_id') === undefined);
      const near = absent.map((c) => suggest(c, free)).filter((x): x is string => !!x);
      throw new SegkitError('model', 'missing_column', `the customers have no ${absent.join(', ')} (the model needs ${needed.join(', ')})`, {
        where: `${describe(i)} (fields: ${keys.join(', ') || 'none'})`,
        hint: `give ${absent.map((c) => `"${c}"`).join(', ')}${near.length ? ` (closest fields: ${[...new Set(near)].join(', ')})` : ''}`,
      });
    }
    return Object.fromEntries(needed.map((c) => [c, numberAt(r[keyOf[c]!], c, describe(i))])) as Record<string, number>;
  });
  const X = applyTransform(
    model.features.transform,
    values.map((v) => model.features.columns.map((c) => v[c])),
  );
  const [tr, tf, tm] = model.rfm.thresholds;
  const n = model.rfm.bins;
  const sep = n > 9 ? '-' : '';
  return values.map((v, i) => {
    const r = scoreValue(tr, v.recency_days);
    const f = scoreValue(tf, v.frequency);
    const m = scoreValue(tm, v.monetary);
    const distances = model.kmeans.centroids.map((c) => Math.sqrt(c.reduce((s, cj, j) => s + (X[i][j] - cj) ** 2, 0)));
    let cluster = 0;
    for (let c = 1; c < distances.length; c++) if (distances[c] < distances[cluster]) cluster = c;
    const idKey = keyFor(Object.keys(records[i]), 'customer_id');
    const id = idKey !== undefined ? records[i][idKey] : undefined;
    return {
      customer_id: id === undefined || id === null ? null : String(id),
      recency_days: v.recency_days,
      frequency: v.frequency,
      monetary: v.monetary,
      r_score: r,
      f_score: f,
      m_score: m,
      rfm_code: `${r}${sep}${f}${sep}${m}`,
      segment: ruleAt(model.rfm.rules, n, r, f, m) ?? OTHERS,
      cluster,
      name: model.clusters[cluster].name,
      label: model.clusters[cluster].label ?? `${cluster + 1} · ${model.clusters[cluster].name}`,
      distance: distances[cluster],
      distances,
    };
  });
}

/** The assignments as a DataFrame: id, R/F/M, scores, segment, cluster, cluster_name, distance, distance_0..k-1. */
export function assignmentsTable(assignments: Assignment[], k: number): pl.DataFrame {
  const col = <K extends keyof Assignment>(key: K): Array<Assignment[K]> => assignments.map((a) => a[key]);
  return pl.DataFrame({
    customer_id: pl.Series('customer_id', col('customer_id'), pl.Utf8),
    recency_days: pl.Series('recency_days', col('recency_days'), pl.Float64),
    frequency: pl.Series('frequency', col('frequency'), pl.Float64),
    monetary: pl.Series('monetary', col('monetary'), pl.Float64),
    r_score: pl.Series('r_score', col('r_score'), pl.Int32),
    f_score: pl.Series('f_score', col('f_score'), pl.Int32),
    m_score: pl.Series('m_score', col('m_score'), pl.Int32),
    rfm_code: pl.Series('rfm_code', col('rfm_code'), pl.Utf8),
    segment: pl.Series('segment', col('segment'), pl.Utf8),
    cluster: pl.Series('cluster', col('cluster'), pl.Int32),
    cluster_name: pl.Series('cluster_name', col('name'), pl.Utf8),
    distance: pl.Series('distance', col('distance'), pl.Float64),
    ...Object.fromEntries(Array.from({ length: k }, (_, c) => [`distance_${c}`, pl.Series(`distance_${c}`, assignments.map((a) => a.distances[c]), pl.Float64)])),
  });
}

/**
 * Score new customers with a model (see loadModel). One customer (an object) gives one Assignment; a
 * list gives a list; a DataFrame (columns recency_days or recency, frequency, monetary, optional
 * customer_id, plus any other feature column of the model) gives a DataFrame (see assignmentsTable).
 * @throws SegkitError `model/not_a_model`, `model/model_invalid`, `model/bad_customer` (a customer without finite, non-negative recency, frequency and monetary), `model/missing_column` (a table without them), `features/bad_row`, `features/not_finite`.
 */
export function assignSegments(model: SegmentModel, customer: NewCustomer): Assignment;
export function assignSegments(model: SegmentModel, customers: NewCustomer[]): Assignment[];
export function assignSegments(model: SegmentModel, customers: pl.DataFrame): pl.DataFrame;
export function assignSegments(model: SegmentModel, customers: NewCustomer | NewCustomer[] | pl.DataFrame): Assignment | Assignment[] | pl.DataFrame {
  if (!model || model.format !== 'segkit-segment-model') {
    throw new SegkitError('model', 'not_a_model', 'assignSegments needs a segment model (createModel or loadModel)', {
      where: 'argument model',
      hint: 'load one with await loadModel(file), or make one with createModel({ rfm: rfm, features: features, kmeans: kmeans }) (tslab: spell each property out)',
    });
  }
  if (customers && typeof (customers as pl.DataFrame).groupBy === 'function') {
    const df = customers as pl.DataFrame;
    const records = df.toRecords() as Array<Record<string, unknown>>;
    const idKey = keyFor(df.columns, 'customer_id');
    const out = assignRows(model, records, (i) => `row ${i + 1}${idKey ? ` (customer ${String(records[i][idKey])})` : ''}`);
    return assignmentsTable(out, model.kmeans.k);
  }
  if (Array.isArray(customers)) {
    if (!customers.length) return [];
    return assignRows(model, customers as Array<Record<string, unknown>>, (i) => `customer ${i + 1}${customers[i]?.customer_id != null ? ` ("${String(customers[i].customer_id)}")` : ''}`);
  }
  if (typeof customers !== 'object' || customers === null) {
    throw new SegkitError('model', 'bad_customer', `expected a customer { recency, frequency, monetary }, a list of them or a DataFrame, got ${JSON.stringify(customers)}`, { where: 'argument customers' });
  }
  return assignRows(model, [customers as Record<string, unknown>], () => 'customer')[0];
}
