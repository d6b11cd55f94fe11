/**
 * sweepK: fit k-means for every k in a range and gather the evidence for choosing k (inertia and its
 * elbow, silhouette, Calinski-Harabasz, Davies-Bouldin, gap statistic, stability, a Ward dendrogram),
 * then one recommendation with a plain-words explanation.
 */
import { SegkitError, warn, type Progress, type SegkitWarning } from '../errors';
import { mulberry32, sampleIndices } from '../random';
import type { KResult, KSweep, SilhouettePoints } from '../types';
import { takeRows, toDense, toRows, type Points } from '../cluster/matrix';
import { shareDense } from '../cluster/parallel';
import { openPool } from '../threads';
import { DEFAULTS as KMEANS_DEFAULTS, checkK, kmeansCore } from '../cluster/kmeans';
import { orderClusters, relabel, type OrderBy } from '../cluster/order';
import { GAP_DEFAULTS, gapStatistic, type GapOptions } from './gap';
import { calinskiHarabaszDense, daviesBouldinDense } from './indices';
import { kneedle, type KneedleOptions } from './kneedle';
import { encodeLabels } from './labels';
import { RECOMMEND_DEFAULTS, overrideRecommendation, recommendK, resolveRecommendOptions, type RecommendOptions } from './recommend';
import { silhouetteDense } from './silhouette';
import { STABILITY_DEFAULTS, stability, type StabilityOptions } from './stability';
import { DENDROGRAM_DEFAULTS, wardDendrogram, type DendrogramOptions } from './dendrogram';

export interface SweepOptions {
  /** Inclusive range [kMin, kMax]. Default [2, 10]. */
  k?: [number, number];
  /** Seed for every random choice (k-means seeding, samples, reference sets, resamples). Default 42. */
  seed?: number;
  /** k-means restarts per k. Default 10. */
  nInit?: number;
  maxIterations?: number;
  tolerance?: number;
  /** Silhouette exact up to this many customers, on a seeded sample of this size above it. Default 10,000. */
  silhouetteSample?: number;
  /** Gap statistic options, or false to skip it. Default on: B = 50, scaledPCA, firstSEmax, sample 5,000. */
  gap?: GapOptions | boolean;
  /** Stability options, or false to skip. Default on: 20 bootstrap resamples of a 2,000-customer sample. */
  stability?: StabilityOptions | boolean;
  /** Ward dendrogram options, or false to skip. Default on: 300 customers. */
  dendrogram?: DendrogramOptions | boolean;
  kneedle?: KneedleOptions;
  /**
   * How the recommendation chooses (docs/choosing-k.md): its k range (default 3..8 inside the sweep; k = 2
   * stays in the sweep as the coarsest split), the least segment share (default 0.03) and the stability
   * it prefers (default mean ARI 0.75).
   */
  recommend?: RecommendOptions;
  /** The user's k, shown beside the recommendation (both appear in reports). */
  userK?: number;
  /** Cluster order for sizes and per-point labels (as fitKMeans). */
  orderBy?: OrderBy;
  descending?: boolean;
  onProgress?: Progress;
  /** Threads for k-means restarts and gap reference sets on large data. Default: the machine's (SEGKIT_THREADS overrides); 1 = this thread only. Results do not depend on it. */
  threads?: number;
}

export const SWEEP_DEFAULTS = {
  k: [2, 10] as [number, number],
  seed: KMEANS_DEFAULTS.seed,
  nInit: KMEANS_DEFAULTS.nInit,
  maxIterations: KMEANS_DEFAULTS.maxIterations,
  tolerance: KMEANS_DEFAULTS.tolerance,
  silhouetteSample: 10_000,
};

function sub<T extends object>(v: T | boolean | undefined): T | null {
  if (v === false) return null;
  return v === true || v === undefined ? ({} as T) : v;
}

/** Sweep k over a range and recommend one, with the evidence. */
export function sweepK(X: Points, options: SweepOptions = {}): KSweep {
  const dense = toDense(X, 'select-k', 'X');
  const n = dense.n;
  const [kMin, kMax] = options.k ?? SWEEP_DEFAULTS.k;
  if (!Array.isArray(options.k ?? SWEEP_DEFAULTS.k) || !Number.isInteger(kMin) || !Number.isInteger(kMax)) {
    throw new SegkitError('select-k', 'bad_k', `k must be a range [kMin, kMax] of whole numbers, got ${JSON.stringify(options.k)}`, { where: 'option k', hint: 'e.g. { k: [2, 10] }' });
  }
  if (n < 3) throw new SegkitError('select-k', 'too_few_customers', `choosing k needs at least 3 customers, got ${n}`, { where: 'X', hint: 'check the filters upstream: the customer table has almost no rows' });
  if (kMin > kMax) throw new SegkitError('select-k', 'bad_k', `the k range [${kMin}, ${kMax}] is empty: kMin > kMax`, { where: 'option k', hint: `write it as [${kMax}, ${kMin}]` });
  checkK(kMin, n, 'select-k', 'option k (kMin)');
  checkK(kMax, n, 'select-k', 'option k (kMax)');
  const seed = options.seed ?? SWEEP_DEFAULTS.seed;
  const nInit = options.nInit ?? SWEEP_DEFAULTS.nInit;
  const maxIterations = options.maxIterations ?? SWEEP_DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? SWEEP_DEFAULTS.tolerance;
  const silLimit = options.silhouetteSample ?? SWEEP_DEFAULTS.silhouetteSample;
  if (!Number.isInteger(silLimit) || silLimit < 3) throw new SegkitError('select-k', 'bad_option', `silhouetteSample must be a whole number ≥ 3, got ${silLimit}`, { where: 'option silhouetteSample' });
  if (!Number.isInteger(nInit) || nInit < 1) throw new SegkitError('select-k', 'bad_option', `nInit must be a whole number ≥ 1, got ${nInit}`, { where: 'option nInit' });
  const recommendOpts = resolveRecommendOptions(options.recommend, 'option recommend');
  const gapOpts = sub<GapOptions>(options.gap);
  const stabOpts = sub<StabilityOptions>(options.stability);
  const dendroOpts = sub<DendrogramOptions>(options.dendrogram);
  for (const [name, o, def] of [
    ['stability', stabOpts, STABILITY_DEFAULTS.sample],
    ['gap', gapOpts, GAP_DEFAULTS.sample],
  ] as const) {
    const m = o ? Math.min(n, o.sample ?? def) : n;
    if (o && m < kMax + 1) {
      throw new SegkitError('select-k', 'sample_too_small', `the ${name} sample of ${m} customers is too small for k up to ${kMax} (it needs at least kMax + 1 = ${kMax + 1})`, {
        where: `option ${name}.sample`,
        hint: `use { ${name}: { sample: ${Math.max(kMax + 1, 100)} } } or more, or { ${name}: false }`,
      });
    }
  }
  const warnings: SegkitWarning[] = [];
  const ks = Array.from({ length: kMax - kMin + 1 }, (_, i) => kMin + i);
  const B = gapOpts ? gapOpts.B ?? GAP_DEFAULTS.B : 0;
  const total = ks.length + (gapOpts ? B + 1 : 0) + (stabOpts ? ks.length : 0) + (dendroOpts ? 1 : 0);
  let done = 0;
  const tick = (label: string): void => options.onProgress?.(++done, total, label);

  // silhouette sample: the same customers for every k
  if (options.silhouetteSample !== undefined && options.silhouetteSample > n) {
    warnings.push(warn('select-k', 'sample_larger_than_data', `silhouetteSample ${options.silhouetteSample} is more than the ${n} customers: the silhouette is exact on all of them`));
  }
  const silRows = n > silLimit ? Array.from(sampleIndices(mulberry32(seed ^ 0x51ed270b), n, silLimit)).sort((a, b) => a - b) : null;
  const silX = silRows ? takeRows(dense, silRows) : dense;
  const silN = silX.n;

  // worker threads for restarts and reference sets when the data are large enough to pay for them
  const gapN = gapOpts ? Math.min(n, gapOpts.sample ?? GAP_DEFAULTS.sample) : 0;
  const stabN = stabOpts ? Math.min(n, stabOpts.sample ?? STABILITY_DEFAULTS.sample) * (stabOpts.B ?? STABILITY_DEFAULTS.B) : 0;
  const pool = n * nInit >= 200_000 || gapN * B >= 20_000 || stabN >= 20_000 ? openPool(options.threads) : null;
  const data = pool ? shareDense(dense) : dense;
  try {
    const perK: KResult[] = [];
    const labelsByK = new Map<number, Int32Array>();
    const silByK = new Map<number, Float64Array>();
    const fitOne = (k: number): void => {
      const fit = kmeansCore(data, k, { nInit, seed, maxIterations, tolerance, pool });
      const ord = orderClusters(X, fit.labels, toRows(fit.centers, k, dense.d), options.orderBy, options.descending ?? true);
      const labels = relabel(Int32Array.from(fit.labels), ord.perm);
      labelsByK.set(k, labels);
      const sizes = new Array<number>(k).fill(0);
      for (let i = 0; i < n; i++) sizes[labels[i]]++;
      const silCodes = silRows ? Int32Array.from(silRows, (i) => labels[i]) : labels;
      const enc = encodeLabels(silCodes, silN);
      let sil = NaN;
      if (enc.k >= 2) {
        const s = silhouetteDense(silX, enc.codes, enc.k);
        silByK.set(k, s);
        sil = s.reduce((a, v) => a + v, 0) / s.length;
      }
      perK.push({
        k,
        inertia: fit.inertia,
        silhouette: sil,
        calinskiHarabasz: calinskiHarabaszDense(dense, labels, k),
        daviesBouldin: daviesBouldinDense(dense, labels, k),
        sizes,
      });
    };
    for (const k of ks) {
      fitOne(k);
      tick(`k-means and indices, k = ${k}`);
    }

    const knee = kneedle(ks, perK.map((r) => r.inertia), options.kneedle);
    const elbow = { k: knee.knee, note: knee.note };

    let gap: KSweep['gap'];
    if (gapOpts) {
      const offset = done;
      gap = gapStatistic(data, {
        kMax,
        nInit,
        seed,
        pool,
        ...gapOpts,
        dataLabels: (k) => labelsByK.get(k),
        onProgress: (d, _t, label) => {
          done = offset + d;
          options.onProgress?.(done, total, label);
        },
      });
      done = offset + B + 1;
      if (gap.sampled) warnings.push(warn('select-k', 'gap_sampled', `gap statistic computed on a seeded sample of ${gap.n} of the ${n} customers`));
      for (const r of perK) {
        const g = gap.perK[r.k - 1];
        if (g) Object.assign(r, { gap: g.gap, gapSE: g.se, logW: g.logW, expectedLogW: g.expectedLogW });
      }
    }
    if (stabOpts) {
      for (const r of perK) {
        const s = stability(data, r.k, { nInit, maxIterations, ...stabOpts, seed: stabOpts.seed ?? seed }, pool);
        Object.assign(r, { stability: s.mean, stabilitySD: s.sd, stabilitySE: s.se, stabilityReading: s.reading });
        tick(`stability, k = ${r.k}`);
      }
    }

    let recommendation = recommendK({ perK, elbow, gap }, recommendOpts);
    let chosenK = recommendation.k;
    if (options.userK !== undefined) {
      const u = checkK(options.userK, n, 'select-k', 'option userK');
      if (!labelsByK.has(u)) fitOne(u);
      recommendation = overrideRecommendation(recommendation, u);
      chosenK = u;
    }
    const silhouettePoints: SilhouettePoints[] = [];
    for (const k of new Set([recommendation.k, chosenK])) {
      const s = silByK.get(k);
      const labels = labelsByK.get(k);
      if (!s || !labels) continue;
      const rows = silRows ?? Array.from({ length: n }, (_, i) => i);
      silhouettePoints.push({ k, rows, labels: rows.map((i) => labels[i]), values: Array.from(s) });
    }
    // the extra fit for an out-of-range userK is evidence for that k only, not part of the sweep table
    const inRange = perK.filter((r) => r.k >= kMin && r.k <= kMax);

    let dendrogram: KSweep['dendrogram'];
    if (dendroOpts) {
      dendrogram = wardDendrogram(dense, { seed, ...dendroOpts });
      tick('Ward dendrogram');
    }
    const sweep: KSweep = {
      perK: inRange,
      elbow,
      silhouetteSample: silN,
      recommendation,
      chosenK,
      silhouettePoints,
      ...(gap ? { gap } : {}),
      ...(dendrogram ? { dendrogram } : {}),
      settings: {
        n,
        k: [kMin, kMax],
        seed,
        nInit,
        maxIterations,
        tolerance,
        silhouetteSample: silLimit,
        silhouetteExact: silRows === null,
        gap: gapOpts ? { ...GAP_DEFAULTS, nInit, ...gapOpts } : false,
        stability: stabOpts ? { ...STABILITY_DEFAULTS, nInit, ...stabOpts } : false,
        dendrogram: dendroOpts ? { ...DENDROGRAM_DEFAULTS, ...dendroOpts } : false,
        recommend: { ...RECOMMEND_DEFAULTS, ...recommendOpts },
      },
      warnings,
    };
    return sweep;
  } finally {
    pool?.close();
  }
}

/** Choose another k than the recommendation after the sweep (both are kept and shown). */
export function overrideK(sweep: KSweep, k: number, note?: string): KSweep {
  const n = (sweep.settings?.n as number | undefined) ?? Infinity;
  if (!Number.isInteger(k) || k < 2 || k > n - 1) {
    throw new SegkitError('select-k', 'bad_k', `cannot choose k = ${k}: it must be a whole number between 2 and ${n - 1}`, { where: 'k' });
  }
  return { ...sweep, recommendation: overrideRecommendation(sweep.recommendation, k, note), chosenK: k };
}
