/**
 * Principal components of a small feature matrix (d columns, d small): the covariance matrix's
 * eigenvectors by Jacobi rotations. Signs are fixed (largest-magnitude loading positive) so plots
 * do not flip between runs.
 */
import { SegkitError } from '../errors';

export interface Pca {
  /** Column means subtracted before projecting. */
  mean: number[];
  /** Components (unit vectors), largest variance first: components[p][j]. */
  components: number[][];
  /** Variance along each component. */
  variances: number[];
  /** Share of the total variance of each component (0..1). */
  explained: number[];
}

/** Eigen-decomposition of a symmetric d × d matrix (cyclic Jacobi). Returns eigenvalues and column eigenvectors V[i][p]. */
export function jacobiEigen(A: number[][]): { values: number[]; vectors: number[][] } {
  const d = A.length;
  const a = A.map((r) => [...r]);
  const v: number[][] = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((r, i) => r[i]), vectors: v };
}

/** Fit PCA on rows (n × d). */
export function fitPca(rows: number[][]): Pca {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  if (n < 2 || d < 1) throw new SegkitError('profile', 'too_few_rows', `PCA needs at least 2 rows with a value each, got ${n} × ${d}`, { where: 'feature matrix' });
  const mean = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const r of rows) {
    for (let i = 0; i < d; i++) {
      const di = r[i] - mean[i];
      for (let j = i; j < d; j++) cov[i][j] += (di * (r[j] - mean[j])) / (n - 1);
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[i][j] = cov[j][i];
  const { values, vectors } = jacobiEigen(cov);
  const order = values.map((_, p) => p).sort((x, y) => values[y] - values[x] || x - y);
  const components = order.map((p) => {
    const comp = vectors.map((row) => row[p]);
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(comp[j]) > Math.abs(comp[big]) + 1e-12) big = j;
    return comp[big] < 0 ? comp.map((x) => -x) : comp;
  });
  const variances = order.map((p) => Math.max(values[p], 0));
  const total = variances.reduce((a, b) => a + b, 0);
  return { mean, components, variances, explained: variances.map((v) => (total > 0 ? v / total : 0)) };
}

/** Coordinates of rows on the first `dims` components. */
export function project(pca: Pca, rows: number[][], dims = 2): number[][] {
  const comps = pca.components.slice(0, dims);
  return rows.map((r) => comps.map((c) => c.reduce((s, w, j) => s + w * (r[j] - pca.mean[j]), 0)));
}
