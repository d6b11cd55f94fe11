/**
 * PCA-Part seeding (Su & Dy 2007): split the cluster with the largest sum of squares in two through its
 * mean, across its first principal axis, until there are k; the centres are the means of the parts.
 * Deterministic, and good where k-means++ is weakest: for k = 2 the relaxed k-means optimum is exactly
 * the split along the first principal component (Ding & He 2004).
 */
import type { Dense } from './matrix';

interface Part {
  idx: Int32Array;
  mean: Float64Array;
  sse: number;
  cov: Float64Array;
}

function part(X: Dense, idx: Int32Array): Part {
  const { data, d } = X;
  const mean = new Float64Array(d);
  for (let t = 0; t < idx.length; t++) for (let j = 0; j < d; j++) mean[j] += data[idx[t] * d + j];
  for (let j = 0; j < d; j++) mean[j] /= idx.length || 1;
  const cov = new Float64Array(d * d);
  let sse = 0;
  const v = new Float64Array(d);
  for (let t = 0; t < idx.length; t++) {
    const base = idx[t] * d;
    for (let j = 0; j < d; j++) {
      v[j] = data[base + j] - mean[j];
      sse += v[j] * v[j];
    }
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[a * d + b] += v[a] * v[b];
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a];
  return { idx, mean, sse, cov };
}

/** First principal axis of a d × d covariance by power iteration. */
function principalAxis(cov: Float64Array, d: number): Float64Array {
  let v = new Float64Array(d);
  // start from the largest-variance coordinate axis (deterministic, never orthogonal to the answer in practice)
  let jmax = 0;
  for (let j = 1; j < d; j++) if (cov[j * d + j] > cov[jmax * d + jmax]) jmax = j;
  v[jmax] = 1;
  for (let it = 0; it < 200; it++) {
    const w = new Float64Array(d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) w[a] += cov[a * d + b] * v[b];
    let norm = 0;
    for (let a = 0; a < d; a++) norm += w[a] * w[a];
    norm = Math.sqrt(norm);
    if (norm === 0) return v;
    let delta = 0;
    for (let a = 0; a < d; a++) {
      w[a] /= norm;
      delta += Math.abs(w[a] - v[a]);
    }
    v = w;
    if (delta < 1e-12) break;
  }
  return v;
}

/** k centres (k × d) by PCA-Part, or null when the data cannot be split k ways (too many identical rows). */
export function pcaPart(X: Dense, k: number): Float64Array | null {
  const { data, n, d } = X;
  const parts: Part[] = [part(X, Int32Array.from({ length: n }, (_, i) => i))];
  while (parts.length < k) {
    let w = 0;
    for (let p = 1; p < parts.length; p++) if (parts[p].sse > parts[w].sse) w = p;
    const c = parts[w];
    if (!(c.sse > 0)) return null;
    const axis = principalAxis(c.cov, d);
    const left: number[] = [];
    const right: number[] = [];
    for (let t = 0; t < c.idx.length; t++) {
      const i = c.idx[t];
      let proj = 0;
      for (let j = 0; j < d; j++) proj += (data[i * d + j] - c.mean[j]) * axis[j];
      (proj <= 0 ? left : right).push(i);
    }
    if (left.length === 0 || right.length === 0) return null;
    parts.splice(w, 1, part(X, Int32Array.from(left)), part(X, Int32Array.from(right)));
  }
  const centers = new Float64Array(k * d);
  parts.forEach((p, q) => centers.set(p.mean, q * d));
  return centers;
}
