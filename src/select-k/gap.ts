/**
 * The gap statistic (Tibshirani, Walther & Hastie 2001) exactly as R's cluster::clusGap defines it:
 * W_k = ½ Σ_clusters Σ_{i<j in cluster} d(i,j)^dPower / n_cluster (Euclidean d, dPower 1 by default),
 * B reference sets drawn uniformly in the box of the data's principal components ('scaledPCA') or of the
 * data itself ('original'), gap = E*[log W_k] − log W_k, SE = sd(log W*_k)·√(1 + 1/B), and k chosen by
 * maxSE's rules (default 'firstSEmax').
 */
import { SegkitError, type Progress } from '../errors';
import { tooFewCustomers } from '../messages';
import { DEFAULT_RESTARTS, DEFAULT_SEED, finiteNumber, oneOf, wholeNumber, withDefaults } from '../options';
import { mulberry32, sampleIndices } from '../random';
import { takeRows, toDense, type Dense, type Points } from '../cluster/matrix';
import { kmeansCore } from '../cluster/kmeans';
import { defineTask, dispatch, openPool, share, type Pool } from '../threads';
import { subSeed } from '../cluster/restarts';
import type { GapResult } from '../types';
import { symmetricEigen } from './linalg';
import { pairDistanceSum } from './pairsum';

export type MaxSEMethod = GapResult['method'];
export const MAXSE_METHODS: MaxSEMethod[] = ['firstSEmax', 'Tibs2001SEmax', 'globalSEmax', 'firstmax', 'globalmax'];

export interface GapOptions {
  /** Largest k (k runs 1..kMax). Default 10. */
  kMax?: number;
  /** Number of reference sets. Default 50. */
  B?: number;
  /** 'scaledPCA' (default, as clusGap) or 'original'. */
  spaceH0?: 'scaledPCA' | 'original';
  /** Rule for choosing k. Default 'firstSEmax'. */
  method?: MaxSEMethod;
  /** Multiplier of the SE in the rule. Default 1. */
  seFactor?: number;
  /** Power of the distances in W_k. Default 1 (clusGap's default). */
  dPower?: number;
  /** k-means restarts per clustering. Default 10 (as `kmeans(nstart = 10)`). */
  nInit?: number;
  /** k-means iteration cap. Default 50 (as R's `iter.max = 50` in the reference runs). */
  maxIterations?: number;
  /** Above this many rows, run on a seeded sample of this size. Default 5000. */
  sample?: number;
  seed?: number;
  onProgress?: Progress;
  /** Labels of the (possibly sampled) data for k ≥ 2, to reuse an existing clustering instead of refitting. */
  dataLabels?: (k: number) => ArrayLike<number> | undefined;
  /** Threads for the reference sets. Default: the machine's (SEGKIT_THREADS overrides); 1 = this thread only. */
  threads?: number;
  /** A pool of worker threads to use instead of opening one (sweepK passes its own). */
  pool?: Pool | null;
}

export const GAP_DEFAULTS = {
  kMax: 10,
  B: 50,
  spaceH0: 'scaledPCA' as const,
  method: 'firstSEmax' as MaxSEMethod,
  seFactor: 1,
  dPower: 1,
  nInit: DEFAULT_RESTARTS,
  maxIterations: 50,
  sample: 5000,
  seed: DEFAULT_SEED,
};

/** The error for a gap method that is not one of MAXSE_METHODS. */
function unknownGapMethod(method: unknown): SegkitError {
  return new SegkitError('select-k', 'bad_option', `unknown gap method "${String(method)}"`, { where: 'option gap.method', hint: `use one of ${MAXSE_METHODS.join(', ')}` });
}

/** clusGap's W_k of a labelling (codes 0..k-1). */
export function withinDispersion(X: Dense, codes: ArrayLike<number>, k: number, dPower = 1): number {
  const { data, n, d } = X;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[codes[i]]++;
  const start = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) start[c + 1] = start[c] + sizes[c];
  const fill = Int32Array.from(start.subarray(0, k));
  const buf = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const pos = fill[codes[i]]++;
    for (let j = 0; j < d; j++) buf[pos * d + j] = data[i * d + j];
  }
  let total = 0;
  for (let c = 0; c < k; c++) {
    const m = sizes[c];
    if (m < 2) continue;
    const lo = start[c];
    const hi = start[c + 1];
    let s = 0;
    const simd = dPower === 1 ? pairDistanceSum(buf, lo, hi, d) : null;
    if (simd !== null) s = simd;
    else if (dPower === 2) {
      // Σ_{i<j} |xi − xj|² = m · Σ |xi − mean|²
      for (let j = 0; j < d; j++) {
        let mean = 0;
        for (let i = lo; i < hi; i++) mean += buf[i * d + j];
        mean /= m;
        for (let i = lo; i < hi; i++) s += (buf[i * d + j] - mean) ** 2;
      }
      s *= m;
    } else if (d === 2 && dPower === 1) {
      for (let i = lo; i < hi; i++) {
        const x = buf[2 * i];
        const y = buf[2 * i + 1];
        for (let t = i + 1; t < hi; t++) {
          const dx = x - buf[2 * t];
          const dy = y - buf[2 * t + 1];
          s += Math.sqrt(dx * dx + dy * dy);
        }
      }
    } else if (d === 3 && dPower === 1) {
      for (let i = lo; i < hi; i++) {
        const x = buf[3 * i];
        const y = buf[3 * i + 1];
        const z = buf[3 * i + 2];
        for (let t = i + 1; t < hi; t++) {
          const dx = x - buf[3 * t];
          const dy = y - buf[3 * t + 1];
          const dz = z - buf[3 * t + 2];
          s += Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
      }
    } else {
      for (let i = lo; i < hi; i++) {
        for (let t = i + 1; t < hi; t++) {
          let q = 0;
          for (let j = 0; j < d; j++) q += (buf[i * d + j] - buf[t * d + j]) ** 2;
          s += dPower === 1 ? Math.sqrt(q) : Math.pow(q, dPower / 2);
        }
      }
    }
    total += s / m;
  }
  return 0.5 * total;
}

/**
 * clusGap's maxSE(): choose k from gap values f and their SEs (k = index + 1).
 * @throws SegkitError `select-k/bad_input` (gap values and SEs of different lengths), `select-k/bad_option` (an unknown method).
 */
export function maxSE(f: number[], se: number[], method: MaxSEMethod = 'firstSEmax', seFactor = 1): number {
  const K = f.length;
  if (K < 1 || se.length !== K) throw new SegkitError('select-k', 'bad_input', `maxSE needs gap values and SEs of the same length ≥ 1 (got ${K} and ${se.length})`, { where: 'maxSE' });
  const fSE = se.map((s) => seFactor * s);
  const whichMax = (v: number[]): number => v.reduce((best, x, i) => (x > v[best] ? i : best), 0) + 1;
  const firstDecrease = (): number => {
    for (let i = 0; i < K - 1; i++) if (f[i + 1] - f[i] <= 0) return i + 1;
    return K;
  };
  const leftWithinSE = (nc: number): number => {
    for (let i = 0; i < nc - 1; i++) if (f[i] >= f[nc - 1] - fSE[nc - 1]) return i + 1;
    return nc;
  };
  switch (method) {
    case 'firstmax':
      return firstDecrease();
    case 'globalmax':
      return whichMax(f);
    case 'Tibs2001SEmax':
      for (let i = 0; i < K - 1; i++) if (f[i] >= f[i + 1] - fSE[i + 1]) return i + 1;
      return K;
    case 'firstSEmax':
      return leftWithinSE(firstDecrease());
    case 'globalSEmax':
      return leftWithinSE(whichMax(f));
    default:
      throw unknownGapMethod(method);
  }
}

/** The box reference data are drawn in: the data's range along its principal axes ('scaledPCA') or its own axes. */
export interface ReferenceBox {
  n: number;
  d: number;
  mean: number[];
  /** d × d rotation (eigenvectors as columns, row-major), or null for 'original'. */
  V: number[] | null;
  lo: number[];
  hi: number[];
}

/** clusGap's H0 box: centre the data, rotate by the right singular vectors (scaledPCA), take each column's range. */
export function referenceBox(X: Dense, spaceH0: 'scaledPCA' | 'original'): ReferenceBox {
  const { data, n, d } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const xs = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xs[i * d + j] = data[i * d + j] - mean[j];
  let V: Float64Array | null = null;
  let rot = xs;
  if (spaceH0 === 'scaledPCA') {
    const C = new Float64Array(d * d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) C[a * d + b] += xs[i * d + a] * xs[i * d + b];
    V = symmetricEigen(C, d).V;
    rot = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < d; c++) {
        let s = 0;
        for (let a = 0; a < d; a++) s += xs[i * d + a] * V[a * d + c];
        rot[i * d + c] = s;
      }
    }
  }
  const lo = new Array<number>(d).fill(Infinity);
  const hi = new Array<number>(d).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = rot[i * d + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  return { n, d, mean: Array.from(mean), V: V ? Array.from(V) : null, lo, hi };
}

/** One reference data set: uniform in the box, back-transformed like clusGap (z1 Vᵀ + mean). */
export function drawReference(box: ReferenceBox, rand: () => number): Dense {
  const { n, d, lo, hi, V, mean } = box;
  const z1 = new Float64Array(n * d);
  // column by column, as R's apply(rng.x1, 2, runif)
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) z1[i * d + j] = lo[j] + rand() * (hi[j] - lo[j]);
  const z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      let s = 0;
      if (V) for (let c = 0; c < d; c++) s += z1[i * d + c] * V[a * d + c];
      else s = z1[i * d + a];
      z[i * d + a] = s + mean[a];
    }
  }
  return { data: z, n, d };
}

export interface ReferenceSettings {
  kMax: number;
  nInit: number;
  maxIterations: number;
  dPower: number;
  seed: number;
}

/** log W_k for k = 1..kMax of one data set, clustering it with k-means (or the given labels). */
function logWs(X: Dense, s: ReferenceSettings, seed: number, given?: (k: number) => ArrayLike<number> | undefined): number[] {
  const out: number[] = [];
  for (let k = 1; k <= s.kMax; k++) {
    let codes: ArrayLike<number>;
    if (k === 1) codes = new Int32Array(X.n);
    else codes = given?.(k) ?? kmeansCore(X, k, { nInit: s.nInit, seed: subSeed(seed, k), maxIterations: s.maxIterations, tolerance: 1e-4 }).labels;
    out.push(Math.log(withinDispersion(X, codes, k, s.dPower)));
  }
  return out;
}

/** log W*_k, k = 1..kMax, of reference set b (its own seed, so any thread computes the same values). */
export function referenceLogW(box: ReferenceBox, b: number, s: ReferenceSettings): number[] {
  const z = drawReference(box, mulberry32(subSeed(s.seed + 7919, b)));
  return logWs(z, s, subSeed(s.seed + 104_729, b));
}

/** In a worker: log W* of the reference sets `bs`, into `out` at b × kMax (the progress counter goes up by one per set). */
const GAP_TASK = defineTask<{ box: ReferenceBox; settings: ReferenceSettings; kMax: number; bs: number[]; out: SharedArrayBuffer }>('select-k/gap', __filename, (m, progress) => {
  const out = new Float64Array(m.out);
  for (const b of m.bs) {
    out.set(referenceLogW(m.box, b, m.settings), b * m.kMax);
    Atomics.add(progress, 0, 1);
  }
});

/** log W* of all B reference sets, spread over the pool's threads when there is one. */
function referenceSets(box: ReferenceBox, s: ReferenceSettings, B: number, pool: Pool | null, progress: (done: number) => void): number[][] {
  const out: number[][] = new Array(B);
  if (!pool || pool.workers.length === 0 || box.n * B < 20_000) {
    for (let b = 0; b < B; b++) {
      out[b] = referenceLogW(box, b, s);
      progress(b + 1);
    }
    return out;
  }
  const parts = share(B, pool.workers.length + 1);
  const sab = new SharedArrayBuffer(8 * B * s.kMax);
  const flat = new Float64Array(sab);
  let last = 0;
  const report = (done: number): void => {
    if (done > last) {
      last = done;
      progress(done);
    }
  };
  dispatch(
    pool,
    GAP_TASK,
    parts.slice(1).map((bs) => (bs.length ? { box, settings: s, kMax: s.kMax, bs, out: sab } : null)),
    (shared) => {
      for (const b of parts[0]) {
        flat.set(referenceLogW(box, b, s), b * s.kMax);
        report(Atomics.add(shared, 0, 1) + 1);
      }
    },
    report,
  );
  report(B);
  for (let b = 0; b < B; b++) out[b] = Array.from(flat.subarray(b * s.kMax, (b + 1) * s.kMax));
  return out;
}

/**
 * The gap statistic for k = 1..kMax, with clusGap's table and the k chosen by `method`.
 * @throws SegkitError `select-k/bad_option` (kMax, B, nInit, sample, method, spaceH0, dPower), `select-k/too_few_customers`, `select-k/bad_k` (kMax above customers − 1), `select-k/bad_input`, `select-k/not_finite` (X), `cluster/worker_failed`.
 */
export function gapStatistic(X: Points, options: GapOptions = {}): GapResult {
  const o = withDefaults(GAP_DEFAULTS, options);
  let dense = toDense(X, 'select-k');
  wholeNumber(o.kMax, { stage: 'select-k', name: 'kMax', label: 'gap kMax', where: 'option gap.kMax', min: 2 });
  wholeNumber(o.B, { stage: 'select-k', name: 'B', label: 'gap B', where: 'option gap.B', min: 1 });
  wholeNumber(o.nInit, { stage: 'select-k', name: 'nInit', label: 'gap nInit', where: 'option gap.nInit', min: 1 });
  wholeNumber(o.sample, { stage: 'select-k', name: 'sample', label: 'gap sample', where: 'option gap.sample', min: 3 });
  if (!MAXSE_METHODS.includes(o.method)) throw unknownGapMethod(o.method);
  oneOf(o.spaceH0, ['scaledPCA', 'original'] as const, { stage: 'select-k', name: 'spaceH0', where: 'option gap.spaceH0' });
  finiteNumber(o.dPower, { stage: 'select-k', name: 'dPower', where: 'option gap.dPower', above: 0 });
  if (dense.n < 3) throw tooFewCustomers('select-k', 'the gap statistic', dense.n);
  const sampled = dense.n > o.sample;
  if (sampled) dense = takeRows(dense, sampleIndices(mulberry32(o.seed ^ 0x9e3779b9), dense.n, o.sample));
  if (o.kMax > dense.n - 1) {
    throw new SegkitError('select-k', 'bad_k', `gap kMax = ${o.kMax} is more than the number of customers − 1 (${dense.n - 1})`, { where: 'option gap.kMax', hint: `use kMax ≤ ${dense.n - 1}` });
  }
  const total = o.B + 1;
  const settings: ReferenceSettings = { kMax: o.kMax, nInit: o.nInit, maxIterations: o.maxIterations, dPower: o.dPower, seed: o.seed };
  const logW = logWs(dense, settings, o.seed, sampled ? undefined : o.dataLabels);
  o.onProgress?.(1, total, 'gap statistic: data');
  const box = referenceBox(dense, o.spaceH0);
  const own = o.pool === undefined && dense.n * o.B >= 20_000 ? openPool(o.threads) : null;
  let ref: number[][];
  try {
    ref = referenceSets(box, settings, o.B, o.pool ?? own, (done) => o.onProgress?.(1 + done, total, `gap statistic: reference set ${done}/${o.B}`));
  } finally {
    own?.close();
  }
  const perK = logW.map((lw, i) => {
    const vals = ref.map((r) => r[i]);
    const m = vals.reduce((a, v) => a + v, 0) / vals.length;
    const v = vals.length > 1 ? vals.reduce((a, x) => a + (x - m) ** 2, 0) / (vals.length - 1) : 0;
    return { k: i + 1, logW: lw, expectedLogW: m, gap: m - lw, se: Math.sqrt((1 + 1 / o.B) * v) };
  });
  const k = maxSE(perK.map((r) => r.gap), perK.map((r) => r.se), o.method, o.seFactor);
  return { perK, k, method: o.method, seFactor: o.seFactor, B: o.B, spaceH0: o.spaceH0, dPower: o.dPower, n: dense.n, sampled };
}
