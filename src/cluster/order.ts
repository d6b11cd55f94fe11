/**
 * Stable, meaningful cluster numbers: k-means labels are arbitrary (they depend on the seeding), so
 * clusters are renumbered by a value that means something, by default the mean monetary value in
 * original units (largest first), so reruns and reports never shuffle them.
 */
import { SegkitError, closest } from '../errors';
import type { FeatureMatrix } from '../types';
import { inverseTransform } from '../features/transform';
import { isFeatureMatrix, type Points } from './matrix';

/** What a cluster looks like to an `orderBy` function. */
export interface ClusterSummary {
  /** Label before renumbering. */
  index: number;
  size: number;
  /** Centroid in feature space. */
  centroid: number[];
  /** Mean of the original-unit rows by column (when fitted on a FeatureMatrix). */
  mean?: Record<string, number>;
}

/**
 * How to order clusters: a column of the feature matrix (mean of its original-unit values), one value
 * per row (mean per cluster), or a function of the cluster summary. Largest first unless `descending: false`.
 */
export type OrderBy = string | ArrayLike<number> | ((cluster: ClusterSummary) => number);

export interface Ordering {
  /** newLabel → oldLabel. */
  perm: number[];
  /** The value of each cluster in the new order (null when ordered by size). */
  values: number[] | null;
  /** Plain words, e.g. "mean monetary, descending". */
  description: string;
}

/** Original-unit values of one column of a feature matrix (kept rows, or the inverse transform of X). */
function originalColumn(fm: FeatureMatrix, j: number): Float64Array {
  const out = new Float64Array(fm.X.length);
  if (fm.original && fm.original.length === fm.X.length) {
    for (let i = 0; i < out.length; i++) out[i] = fm.original[i][j];
  } else {
    const inv = inverseTransform(fm.transform, fm.X);
    for (let i = 0; i < out.length; i++) out[i] = inv[i][j];
  }
  return out;
}

/** Per-cluster mean of a per-row vector. */
function clusterMeans(values: ArrayLike<number>, labels: Int32Array, k: number): number[] {
  const sum = new Float64Array(k);
  const cnt = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    sum[labels[i]] += values[i];
    cnt[labels[i]]++;
  }
  return Array.from(sum, (s, c) => (cnt[c] > 0 ? s / cnt[c] : NaN));
}

/**
 * Work out the renumbering. Default: by mean original-unit `monetary` when X is a FeatureMatrix with
 * that column, else by cluster size; both largest first. Ties keep the larger cluster first, then the old label.
 * @throws SegkitError `cluster/bad_order` (orderBy is not a column, one value per row or a function, or gives a non-finite value).
 */
export function orderClusters(X: Points, labels: Int32Array, centers: number[][], orderBy: OrderBy | undefined, descending = true): Ordering {
  const k = centers.length;
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  const fm = isFeatureMatrix(X) ? X : null;
  let values: number[] | null = null;
  let description = '';

  if (orderBy === undefined) {
    const j = fm ? fm.columns.indexOf('monetary') : -1;
    if (fm && j >= 0) {
      values = clusterMeans(originalColumn(fm, j), labels, k);
      description = 'mean monetary';
    }
  } else if (typeof orderBy === 'string') {
    const j = fm ? fm.columns.indexOf(orderBy) : -1;
    if (!fm || j < 0) {
      const cols = fm ? fm.columns : [];
      const near = closest(orderBy, cols);
      throw new SegkitError('cluster', 'bad_order', `cannot order clusters by "${orderBy}": ${fm ? `it is not a feature column (${cols.join(', ')})` : 'X is a plain array with no column names'}`, {
        where: 'option orderBy',
        hint: fm && near.length ? `did you mean "${near[0]}"? Or pass one value per row: { orderBy: table.getColumn('${orderBy}').toArray() }` : `pass one value per row instead: { orderBy: table.getColumn('${orderBy}').toArray() }`,
      });
    }
    values = clusterMeans(originalColumn(fm, j), labels, k);
    description = `mean ${orderBy}`;
  } else if (typeof orderBy === 'function') {
    const origCols = fm ? fm.columns.map((_, j) => clusterMeans(originalColumn(fm, j), labels, k)) : null;
    values = centers.map((centroid, c) => {
      const mean = origCols && fm ? Object.fromEntries(fm.columns.map((name, j) => [name, origCols[j][c]])) : undefined;
      return orderBy({ index: c, size: sizes[c], centroid, mean });
    });
    description = 'orderBy function';
  } else if (orderBy && typeof (orderBy as ArrayLike<number>).length === 'number') {
    const v = orderBy as ArrayLike<number>;
    if (v.length !== labels.length) {
      throw new SegkitError('cluster', 'bad_order', `orderBy has ${v.length} values but there are ${labels.length} rows`, { where: 'option orderBy', hint: 'give one value per row of X, in the same order' });
    }
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) throw new SegkitError('cluster', 'bad_order', `orderBy value at row ${i} is ${String(v[i])}`, { where: `option orderBy, row ${i}`, hint: 'every ordering value must be a finite number' });
    }
    values = clusterMeans(v, labels, k);
    description = 'mean of the given values';
  } else {
    throw new SegkitError('cluster', 'bad_order', `orderBy must be a column name, one value per row or a function, got ${typeof orderBy}`, { where: 'option orderBy' });
  }

  const idx = Array.from({ length: k }, (_, c) => c);
  const sign = descending ? -1 : 1;
  if (values) {
    const v = values;
    idx.sort((a, b) => sign * (v[a] - v[b]) || sizes[b] - sizes[a] || a - b);
  } else {
    idx.sort((a, b) => sign * (sizes[a] - sizes[b]) || a - b);
    description = 'cluster size';
  }
  return {
    perm: idx,
    values: values ? idx.map((c) => values![c]) : null,
    description: `${description}, ${descending ? 'descending' : 'ascending'}`,
  };
}

/** Apply a renumbering (newLabel → oldLabel) to labels in place. */
export function relabel(labels: Int32Array, perm: number[]): Int32Array {
  const inv = new Int32Array(perm.length);
  perm.forEach((old, nw) => (inv[old] = nw));
  for (let i = 0; i < labels.length; i++) labels[i] = inv[labels[i]];
  return labels;
}
