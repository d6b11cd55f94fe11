/**
 * Calinski-Harabasz (higher is better) and Davies-Bouldin (lower is better), as scikit-learn defines them.
 * Both are O(n·d) given the labels, so they run on every customer.
 */
import { toDense, type Dense, type Points } from '../cluster/matrix';
import { checkClusterCount, encodeLabels } from './labels';

/** Cluster means (k × d) and sizes. */
export function clusterMeans(X: Dense, codes: Int32Array, k: number): { means: Float64Array; sizes: Float64Array } {
  const { data, n, d } = X;
  const means = new Float64Array(k * d);
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    sizes[c]++;
    for (let j = 0; j < d; j++) means[c * d + j] += data[i * d + j];
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= sizes[c] || 1;
  return { means, sizes };
}

/** CH from codes (no checks). */
export function calinskiHarabaszDense(X: Dense, codes: Int32Array, k: number): number {
  const { data, n, d } = X;
  const { means, sizes } = clusterMeans(X, codes, k);
  const overall = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) overall[j] += data[i * d + j];
  for (let j = 0; j < d; j++) overall[j] /= n;
  let extra = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (means[c * d + j] - overall[j]) ** 2;
    extra += sizes[c] * s;
  }
  let intra = 0;
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    for (let j = 0; j < d; j++) intra += (data[i * d + j] - means[c * d + j]) ** 2;
  }
  return intra === 0 ? 1 : (extra * (n - k)) / (intra * (k - 1));
}

/** DB from codes (no checks). */
export function daviesBouldinDense(X: Dense, codes: Int32Array, k: number): number {
  const { data, n, d } = X;
  const { means, sizes } = clusterMeans(X, codes, k);
  const intra = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = codes[i];
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[i * d + j] - means[c * d + j]) ** 2;
    intra[c] += Math.sqrt(s);
  }
  for (let c = 0; c < k; c++) intra[c] /= sizes[c] || 1;
  const dist = new Float64Array(k * k);
  let allZeroIntra = true;
  let allZeroDist = true;
  for (let c = 0; c < k; c++) if (Math.abs(intra[c]) > 1e-8) allZeroIntra = false;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (means[a * d + j] - means[b * d + j]) ** 2;
      dist[a * k + b] = Math.sqrt(s);
      if (Math.abs(dist[a * k + b]) > 1e-8) allZeroDist = false;
    }
  }
  if (allZeroIntra || allZeroDist) return 0;
  let total = 0;
  for (let a = 0; a < k; a++) {
    let worst = -Infinity;
    for (let b = 0; b < k; b++) {
      const dd = dist[a * k + b] === 0 ? Infinity : dist[a * k + b];
      const r = (intra[a] + intra[b]) / dd;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return total / k;
}

/**
 * Calinski-Harabasz index of a labelling: between- over within-cluster dispersion, scaled by (n − k)/(k − 1). Higher is better.
 * @throws SegkitError `select-k/bad_labels`, `select-k/bad_input`, `select-k/not_finite`.
 */
export function calinskiHarabasz(X: Points, labels: ArrayLike<number>): number {
  const dense = toDense(X, 'select-k');
  const { codes, k } = encodeLabels(labels, dense.n);
  checkClusterCount(k, dense.n, 'Calinski-Harabasz');
  return calinskiHarabaszDense(dense, codes, k);
}

/**
 * Davies-Bouldin index of a labelling: mean over clusters of the worst (s_a + s_b) / d(c_a, c_b). Lower is better.
 * @throws SegkitError `select-k/bad_labels`, `select-k/bad_input`, `select-k/not_finite`.
 */
export function daviesBouldin(X: Points, labels: ArrayLike<number>): number {
  const dense = toDense(X, 'select-k');
  const { codes, k } = encodeLabels(labels, dense.n);
  checkClusterCount(k, dense.n, 'Davies-Bouldin');
  return daviesBouldinDense(dense, codes, k);
}
