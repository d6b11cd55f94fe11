/**
 * sweepK's options: what each means and defaults to, and `resolveSweep`, which checks them against the
 * data and fills the defaults in, before any computing starts (a bad option costs nothing).
 */
import { SegkitError, type Progress } from '../errors';
import { tooFewCustomers } from '../messages';
import { wholeNumber } from '../options';
import type { KneedleOptions } from './kneedle';
import { toDense, type Dense, type Points } from '../cluster/matrix';
import { KMEANS_DEFAULTS, checkK } from '../cluster/kmeans';
import type { OrderBy } from '../cluster/order';
import { GAP_DEFAULTS, type GapOptions } from './gap';
import { resolveRecommendOptions, type RecommendOptions } from './recommend';
import { STABILITY_DEFAULTS, type StabilityOptions } from './stability';
import type { DendrogramOptions } from './dendrogram';

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

/** The sweep's settings, checked against the data, with every default filled in. */
export interface SweepPlan {
  X: Points;
  dense: Dense;
  n: number;
  kMin: number;
  kMax: number;
  /** kMin..kMax. */
  ks: number[];
  seed: number;
  nInit: number;
  maxIterations: number;
  tolerance: number;
  /** The silhouette is exact up to this many customers. */
  silLimit: number;
  recommend: ReturnType<typeof resolveRecommendOptions>;
  /** null: that evidence is skipped. */
  gap: GapOptions | null;
  stability: StabilityOptions | null;
  dendrogram: DendrogramOptions | null;
}

/** An evidence option: false → skipped (null), true or absent → its defaults ({}), an object → as given. */
function sub<T extends object>(v: T | boolean | undefined): T | null {
  if (v === false) return null;
  return v === true || v === undefined ? ({} as T) : v;
}

/**
 * Check sweepK's options against the data and fill in the defaults.
 * @throws SegkitError `select-k/bad_k` (k not a range of whole numbers, empty, or outside 2..customers − 1),
 *   `select-k/too_few_customers` (fewer than 3), `select-k/bad_option` (silhouetteSample, nInit, recommend),
 *   `select-k/sample_too_small` (a gap or stability sample smaller than kMax + 1).
 */
export function resolveSweep(X: Points, options: SweepOptions): SweepPlan {
  const dense = toDense(X, 'select-k', 'X');
  const n = dense.n;
  const [kMin, kMax] = options.k ?? SWEEP_DEFAULTS.k;
  if (!Array.isArray(options.k ?? SWEEP_DEFAULTS.k) || !Number.isInteger(kMin) || !Number.isInteger(kMax)) {
    throw new SegkitError('select-k', 'bad_k', `k must be a range [kMin, kMax] of whole numbers, got ${JSON.stringify(options.k)}`, { where: 'option k', hint: 'e.g. { k: [2, 10] }' });
  }
  if (n < 3) throw tooFewCustomers('select-k', 'choosing k', n);
  if (kMin > kMax) throw new SegkitError('select-k', 'bad_k', `the k range [${kMin}, ${kMax}] is empty: kMin > kMax`, { where: 'option k', hint: `write it as [${kMax}, ${kMin}]` });
  checkK(kMin, n, 'select-k', 'option k (kMin)');
  checkK(kMax, n, 'select-k', 'option k (kMax)');
  const seed = options.seed ?? SWEEP_DEFAULTS.seed;
  const nInit = options.nInit ?? SWEEP_DEFAULTS.nInit;
  const maxIterations = options.maxIterations ?? SWEEP_DEFAULTS.maxIterations;
  const tolerance = options.tolerance ?? SWEEP_DEFAULTS.tolerance;
  const silLimit = options.silhouetteSample ?? SWEEP_DEFAULTS.silhouetteSample;
  wholeNumber(silLimit, { stage: 'select-k', name: 'silhouetteSample', min: 3 });
  wholeNumber(nInit, { stage: 'select-k', name: 'nInit', min: 1 });
  const recommend = resolveRecommendOptions(options.recommend, 'option recommend');
  const gap = sub<GapOptions>(options.gap);
  const stability = sub<StabilityOptions>(options.stability);
  const dendrogram = sub<DendrogramOptions>(options.dendrogram);
  for (const [name, o, def] of [
    ['stability', stability, STABILITY_DEFAULTS.sample],
    ['gap', gap, GAP_DEFAULTS.sample],
  ] as const) {
    const m = o ? Math.min(n, o.sample ?? def) : n;
    if (o && m < kMax + 1) {
      throw new SegkitError('select-k', 'sample_too_small', `the ${name} sample of ${m} customers is too small for k up to ${kMax} (it needs at least kMax + 1 = ${kMax + 1})`, {
        where: `option ${name}.sample`,
        hint: `use { ${name}: { sample: ${Math.max(kMax + 1, 100)} } } or more, or { ${name}: false }`,
      });
    }
  }
  const ks = Array.from({ length: kMax - kMin + 1 }, (_, i) => kMin + i);
  return { X, dense, n, kMin, kMax, ks, seed, nInit, maxIterations, tolerance, silLimit, recommend, gap, stability, dendrogram };
}
