/**
 * A dense row-major matrix in one Float64Array: what the k-means and metric loops run on.
 * Converting from `number[][]` or a FeatureMatrix checks shape and finiteness once, with clear errors.
 */
import { SegkitError, type Stage } from '../errors';
import type { FeatureMatrix } from '../types';

export interface Dense {
  data: Float64Array;
  n: number;
  d: number;
}

/** Anything the clustering functions accept as points. */
export type Points = FeatureMatrix | number[][] | Dense;

export function isFeatureMatrix(x: unknown): x is FeatureMatrix {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Array.isArray((x as FeatureMatrix).X) && Array.isArray((x as FeatureMatrix).columns);
}

export function isDense(x: unknown): x is Dense {
  return typeof x === 'object' && x !== null && (x as Dense).data instanceof Float64Array;
}

/** Convert and validate: rectangular, at least one column, every value finite. */
export function toDense(X: Points, stage: Stage = 'cluster', what = 'X'): Dense {
  if (isDense(X)) return X;
  const rows = isFeatureMatrix(X) ? X.X : X;
  if (!Array.isArray(rows)) {
    throw new SegkitError(stage, 'bad_input', `${what} must be a FeatureMatrix or an array of rows (number[][]), got ${typeof X}`, { where: what });
  }
  const n = rows.length;
  const d = n > 0 ? rows[0]?.length ?? 0 : 0;
  if (n > 0 && d === 0) throw new SegkitError(stage, 'bad_input', `${what} has rows with no values`, { where: `${what}, row 0`, hint: 'give at least one feature column' });
  const data = new Float64Array(n * d);
  const columns = isFeatureMatrix(X) ? X.columns : undefined;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (!r || r.length !== d) {
      throw new SegkitError(stage, 'bad_input', `row ${i} of ${what} has ${r?.length ?? 0} values, expected ${d}`, { where: `${what}, row ${i}` });
    }
    for (let j = 0; j < d; j++) {
      const v = r[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const col = columns ? `column "${columns[j]}"` : `column ${j}`;
        const id = isFeatureMatrix(X) && X.ids[i] !== undefined ? ` (customer ${X.ids[i]})` : '';
        throw new SegkitError(stage, 'not_finite', `${what} has ${String(v)} in ${col} at row ${i}${id}`, {
          where: `${what}, row ${i}, ${col}`,
          hint: 'every feature must be a finite number: fill or drop missing/infinite values before clustering (buildFeatures reports them)',
        });
      }
      data[i * d + j] = v;
    }
  }
  return { data, n, d };
}

/** Rows `idx` of a dense matrix as a new dense matrix. */
export function takeRows(m: Dense, idx: ArrayLike<number>): Dense {
  const { d } = m;
  const out = new Float64Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) {
    const base = idx[r] * d;
    for (let j = 0; j < d; j++) out[r * d + j] = m.data[base + j];
  }
  return { data: out, n: idx.length, d };
}

/** Back to rows (for small matrices: centroids). */
export function toRows(data: Float64Array, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, (i + 1) * d)));
}
