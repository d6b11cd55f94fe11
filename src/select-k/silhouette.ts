/**
 * Silhouette (Rousseeuw 1987), exact on all points or on a seeded sample, as scikit-learn computes it:
 * s(i) = (b − a) / max(a, b), a = mean distance to the other members of its cluster, b = the smallest mean
 * distance to another cluster; 0 for a point alone in its cluster.
 */
import { SegkitError } from '../errors';
import { DEFAULT_SEED, wholeNumber } from '../options';
import { mulberry32, sampleIndices } from '../random';
import { takeRows, toDense, type Dense, type Points } from '../cluster/matrix';
import { checkClusterCount, encodeLabels } from './labels';

/** Per-point silhouettes from codes 0..k-1 (no checks). O(n²·d) time, O(n·k) memory. */
export function silhouetteDense(X: Dense, codes: Int32Array, k: number): Float64Array {
  const { data, n, d } = X;
  const sums = new Float64Array(n * k);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  if (d === 2) {
    for (let i = 0; i < n; i++) {
      const xi = data[2 * i];
      const yi = data[2 * i + 1];
      const li = codes[i];
      const ri = i * k;
      for (let j = i + 1; j < n; j++) {
        const dx = xi - data[2 * j];
        const dy = yi - data[2 * j + 1];
        const dist = Math.sqrt(dx * dx + dy * dy);
        sums[ri + codes[j]] += dist;
        sums[j * k + li] += dist;
      }
    }
  } else if (d === 3) {
    for (let i = 0; i < n; i++) {
      const xi = data[3 * i];
      const yi = data[3 * i + 1];
      const zi = data[3 * i + 2];
      const li = codes[i];
      const ri = i * k;
      for (let j = i + 1; j < n; j++) {
        const dx = xi - data[3 * j];
        const dy = yi - data[3 * j + 1];
        const dz = zi - data[3 * j + 2];
        const dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
        sums[ri + codes[j]] += dist;
        sums[j * k + li] += dist;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const li = codes[i];
      for (let j = i + 1; j < n; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const diff = data[i * d + t] - data[j * d + t];
          s += diff * diff;
        }
        const dist = Math.sqrt(s);
        sums[i * k + codes[j]] += dist;
        sums[j * k + li] += dist;
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const li = codes[i];
    if (counts[li] <= 1) {
      out[i] = 0;
      continue;
    }
    const a = sums[i * k + li] / (counts[li] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === li || counts[c] === 0) continue;
      const m = sums[i * k + c] / counts[c];
      if (m < b) b = m;
    }
    const den = Math.max(a, b);
    out[i] = den > 0 ? (b - a) / den : 0;
  }
  return out;
}

/**
 * Per-point silhouettes of all rows (exact).
 * @throws SegkitError `select-k/bad_labels`, `select-k/bad_input`, `select-k/not_finite`.
 */
export function silhouetteSamples(X: Points, labels: ArrayLike<number>): number[] {
  const dense = toDense(X, 'select-k');
  const { codes, k } = encodeLabels(labels, dense.n);
  checkClusterCount(k, dense.n, 'silhouette');
  return Array.from(silhouetteDense(dense, codes, k));
}

export interface SilhouetteOptions {
  /** Compute on a seeded random sample of this many rows (scikit-learn's `sample_size`). Default: all rows. */
  sampleSize?: number;
  /** Seed of the sample. Default 42. */
  seed?: number;
}

/**
 * Mean silhouette, exact or on a seeded sample of `sampleSize` rows.
 * @throws SegkitError `select-k/bad_labels` (labels of another length, or fewer than 2 or more than n − 1 clusters), `select-k/bad_option`, `select-k/sample_too_large` (sampleSize), `select-k/bad_input`, `select-k/not_finite` (X).
 */
export function silhouette(X: Points, labels: ArrayLike<number>, options: SilhouetteOptions = {}): number {
  const dense = toDense(X, 'select-k');
  const { codes, k } = encodeLabels(labels, dense.n);
  let m = dense;
  let c = codes;
  let kk = k;
  if (options.sampleSize !== undefined) {
    const s = options.sampleSize;
    wholeNumber(s, { stage: 'select-k', name: 'sampleSize', min: 3 });
    if (s > dense.n) {
      throw new SegkitError('select-k', 'sample_too_large', `sampleSize ${s} is more than the ${dense.n} rows available`, { where: 'option sampleSize', hint: `use sampleSize ≤ ${dense.n}, or leave it out for the exact silhouette` });
    }
    if (s < dense.n) {
      const idx = sampleIndices(mulberry32(options.seed ?? DEFAULT_SEED), dense.n, s);
      m = takeRows(dense, idx);
      const enc = encodeLabels(Array.from(idx, (i) => codes[i]), s);
      c = enc.codes;
      kk = enc.k;
    }
  }
  checkClusterCount(kk, m.n, 'silhouette');
  const s = silhouetteDense(m, c, kk);
  let total = 0;
  for (let i = 0; i < s.length; i++) total += s[i];
  return total / s.length;
}
