/** Labels given by users (any integers, e.g. scikit-learn's or R's 1-based ones) → codes 0..k-1. */
import { SegkitError } from '../errors';

export interface Encoded {
  codes: Int32Array;
  k: number;
  /** The original label of each code, ascending. */
  values: number[];
}

export function encodeLabels(labels: ArrayLike<number>, n: number, where = 'labels'): Encoded {
  if (!labels || labels.length !== n) {
    throw new SegkitError('select-k', 'bad_labels', `${where} has ${labels?.length ?? 0} entries but X has ${n} rows`, { where, hint: 'give one cluster label per row of X' });
  }
  const map = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new SegkitError('select-k', 'bad_labels', `${where}[${i}] is ${String(v)}, not a cluster label`, { where: `${where}, row ${i}`, hint: 'labels must be finite numbers' });
    }
    if (!map.has(v)) map.set(v, 0);
  }
  const values = [...map.keys()].sort((a, b) => a - b);
  values.forEach((v, c) => map.set(v, c));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = map.get(labels[i])!;
  return { codes, k: values.length, values };
}

/** Index metrics need 2 ≤ clusters ≤ n − 1 (as scikit-learn). */
export function checkClusterCount(k: number, n: number, metric: string): void {
  if (k < 2 || k > n - 1) {
    throw new SegkitError('select-k', 'bad_labels', `${metric} needs between 2 and n − 1 = ${n - 1} distinct labels, got ${k}`, {
      where: 'labels',
      hint: k < 2 ? 'all points are in one cluster: there is nothing to compare' : 'every point is its own cluster: use fewer clusters',
    });
  }
}
