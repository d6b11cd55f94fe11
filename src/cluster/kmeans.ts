/**
 * fitKMeans: k-means++ with `nInit` restarts (the lowest inertia wins), seeded and deterministic, with
 * clusters renumbered in a stable, meaningful order (see ./order.ts).
 *
 * Two engines run the same algorithm: 'segkit' (default; typed arrays with Hamerly's exact acceleration)
 * and 'ml-kmeans' (restarts around ml-kmeans 6, kept for cross-checks and small data).
 */
import { kmeans as mlKmeans } from 'ml-kmeans';
import { SegkitError, warn, type SegkitWarning } from '../errors';
import { tooFewCustomers } from '../messages';
import { DEFAULT_RESTARTS, DEFAULT_SEED, finiteNumber, oneOf, wholeNumber } from '../options';
import type { KMeansModel } from '../types';
import { inverseTransform } from '../features/transform';
import { assignNearest, lloyd } from './lloyd';
import { openPool, type Pool } from '../threads';
import { parallelRestarts } from './parallel';
import { runRestarts, subSeed } from './restarts';
import { isFeatureMatrix, toDense, toRows, type Dense, type Points } from './matrix';
import { orderClusters, relabel, type OrderBy } from './order';

export interface KMeansOptions {
  /** Number of clusters (2 ≤ k ≤ customers − 1). Required. */
  k: number;
  /** Restarts from independent k-means++ seedings; the lowest inertia is kept. Default 10. */
  nInit?: number;
  /** Seed of the PRNG (reruns with the same seed give the same result). Default 42. */
  seed?: number;
  /** Maximum Lloyd iterations per restart. Default 300 (scikit-learn's). */
  maxIterations?: number;
  /** Relative tolerance: stop when the total squared centre shift ≤ tolerance × mean feature variance. Default 1e-4 (scikit-learn's). */
  tolerance?: number;
  /** Cluster order: column name, per-row values or a function. Default: mean original monetary when present, else size. */
  orderBy?: OrderBy;
  /** Largest value first (default true). */
  descending?: boolean;
  /** 'segkit' (default) or 'ml-kmeans'. */
  engine?: 'segkit' | 'ml-kmeans';
  /** Start from these centres (k × d) instead of k-means++; runs once. */
  init?: number[][];
  /** Threads for the restarts on large data. Default: the machine's (SEGKIT_THREADS overrides); 1 = this thread only. Results do not depend on it. */
  threads?: number;
}

/** Defaults of the cluster stage. */
export const KMEANS_DEFAULTS = {
  nInit: DEFAULT_RESTARTS,
  seed: DEFAULT_SEED,
  maxIterations: 300,
  tolerance: 1e-4,
  descending: true,
  engine: 'segkit' as 'segkit' | 'ml-kmeans',
} as const;

/** The best of the restarts, before renumbering. */
export interface CoreFit {
  labels: Int32Array;
  centers: Float64Array;
  inertia: number;
  iterations: number;
  converged: boolean;
  inertias: number[];
}

/**
 * Validate k against the data size; the messages name the parameter and the limits.
 * @throws SegkitError `<stage>/too_few_customers` (fewer than 3), `<stage>/bad_k` (not a whole number, below 2, or above customers − 1).
 */
export function checkK(value: unknown, n: number, stage: 'cluster' | 'select-k' = 'cluster', where = 'option k'): number {
  if (n < 3) throw tooFewCustomers(stage, 'clustering', n);
  const k = wholeNumber(value, { stage, name: 'k', where, code: 'bad_k', hint: 'e.g. { k: 4 }' });
  if (k < 2) throw new SegkitError(stage, 'bad_k', `k must be at least 2, got ${k}`, { where, hint: 'one cluster is no segmentation: use k ≥ 2' });
  if (k > n - 1) {
    throw new SegkitError(stage, 'bad_k', `k = ${k} is more than the number of customers − 1 (${n - 1})`, { where, hint: `use k ≤ ${n - 1}` });
  }
  return k;
}

/** Mean of the column variances (scikit-learn scales `tol` by it). */
export function meanVariance(X: Dense): number {
  const { data, n, d } = X;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += data[i * d + j];
    m /= n;
    let s = 0;
    for (let i = 0; i < n; i++) s += (data[i * d + j] - m) ** 2;
    total += s / n;
  }
  return total / d;
}

/** Below this many point-restarts (n × nInit) threads cost more than they save. */
const PARALLEL_MIN_WORK = 200_000;

/** k-means with restarts on a dense matrix (no validation, no renumbering): the engine behind fitKMeans and sweepK. */
export function kmeansCore(
  X: Dense,
  k: number,
  o: { nInit: number; seed: number; maxIterations: number; tolerance: number; engine?: 'segkit' | 'ml-kmeans'; init?: number[][]; tolAbs?: number; pool?: Pool | null },
): CoreFit {
  const tolAbs = o.tolAbs ?? o.tolerance * meanVariance(X);
  if (o.engine === 'ml-kmeans') return mlKmeansRestarts(X, k, o, tolAbs);
  if (o.init) {
    const fit = lloyd(X, Float64Array.from(o.init.flat()), k, o.maxIterations, tolAbs);
    return { ...fit, inertias: [fit.inertia] };
  }
  if (o.pool && o.pool.workers.length > 0 && X.n * o.nInit >= PARALLEL_MIN_WORK) {
    const { best, inertias } = parallelRestarts(o.pool, X, k, o.nInit, o.seed, o.maxIterations, tolAbs);
    return { labels: best.labels, centers: best.centers, inertia: best.inertia, iterations: best.iterations, converged: best.converged, inertias };
  }
  const { best, inertias } = runRestarts(X, k, Array.from({ length: o.nInit }, (_, r) => r), o.seed, o.maxIterations, tolAbs);
  return { labels: best!.labels, centers: best!.centers, inertia: best!.inertia, iterations: best!.iterations, converged: best!.converged, inertias: Array.from({ length: o.nInit }, (_, r) => inertias.get(r)!) };
}

/** The same restarts around ml-kmeans (kept to cross-check the typed-array engine). */
function mlKmeansRestarts(X: Dense, k: number, o: { nInit: number; seed: number; maxIterations: number; init?: number[][] }, tolAbs: number): CoreFit {
  const rows = toRows(X.data, X.n, X.d);
  let best: CoreFit | null = null;
  const inertias: number[] = [];
  const runs = o.init ? 1 : o.nInit;
  for (let r = 0; r < runs; r++) {
    const res = mlKmeans(rows, k, {
      initialization: o.init ?? 'kmeans++',
      seed: subSeed(o.seed, r) >>> 1,
      maxIterations: o.maxIterations,
      tolerance: tolAbs,
    });
    const centers = Float64Array.from(res.centroids.flat());
    const { labels, inertia } = assignNearest(X, centers, k);
    inertias.push(inertia);
    if (!best || inertia < best.inertia) best = { labels, centers, inertia, iterations: res.iterations, converged: res.converged, inertias };
  }
  return best!;
}

/**
 * Fit k-means on a feature matrix (or plain rows). Labels are 0..k-1 in a stable order (default: mean
 * original-unit monetary, descending; else cluster size). Deterministic for a given seed.
 * @throws SegkitError `cluster/bad_k`, `cluster/too_few_customers` (see checkK), `cluster/bad_option` (nInit, maxIterations, tolerance, seed, engine, init), `cluster/bad_input`, `cluster/not_finite` (X), `cluster/bad_order` (orderBy), `cluster/worker_failed`.
 */
export function fitKMeans(X: Points, options: KMeansOptions): KMeansModel {
  if (!options || typeof options !== 'object') {
    throw new SegkitError('cluster', 'bad_option', 'fitKMeans needs options with k, e.g. fitKMeans(X, { k: 4 })', { where: 'options' });
  }
  const dense = toDense(X, 'cluster');
  const k = checkK(options.k, dense.n);
  const nInit = wholeNumber(options.nInit ?? KMEANS_DEFAULTS.nInit, { stage: 'cluster', name: 'nInit', min: 1 });
  const maxIterations = wholeNumber(options.maxIterations ?? KMEANS_DEFAULTS.maxIterations, { stage: 'cluster', name: 'maxIterations', min: 1 });
  const tolerance = finiteNumber(options.tolerance ?? KMEANS_DEFAULTS.tolerance, { stage: 'cluster', name: 'tolerance', min: 0 });
  const seed = finiteNumber(options.seed ?? KMEANS_DEFAULTS.seed, { stage: 'cluster', name: 'seed' });
  const engine = oneOf(options.engine ?? KMEANS_DEFAULTS.engine, ['segkit', 'ml-kmeans'] as const, { stage: 'cluster', name: 'engine' });
  if (options.init && (options.init.length !== k || options.init.some((c) => c.length !== dense.d))) {
    throw new SegkitError('cluster', 'bad_option', `init must have k = ${k} centres of ${dense.d} values`, { where: 'option init' });
  }

  const pool = engine === 'segkit' && !options.init && dense.n * nInit >= PARALLEL_MIN_WORK ? openPool(options.threads) : null;
  let fit: CoreFit;
  try {
    fit = kmeansCore(dense, k, { nInit, seed, maxIterations, tolerance, engine, init: options.init, pool });
  } finally {
    pool?.close();
  }
  return finishModel(X, dense, fit, { k, nInit, seed, engine, orderBy: options.orderBy, descending: options.descending ?? KMEANS_DEFAULTS.descending });
}

/** Renumber, summarise and package a core fit as a KMeansModel. */
export function finishModel(
  X: Points,
  dense: Dense,
  fit: CoreFit,
  o: { k: number; nInit: number; seed: number; engine: string; orderBy?: OrderBy; descending: boolean },
): KMeansModel {
  const { k } = o;
  const centers = toRows(fit.centers, k, dense.d);
  const ord = orderClusters(X, fit.labels, centers, o.orderBy, o.descending);
  const labels = relabel(Int32Array.from(fit.labels), ord.perm);
  const centroids = ord.perm.map((old) => centers[old]);
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  const warnings: SegkitWarning[] = [];
  if (sizes.some((s) => s === 0)) {
    warnings.push(warn('cluster', 'empty_cluster', `k-means ended with ${sizes.filter((s) => s === 0).length} empty cluster(s) at k = ${k}: the data has fewer distinct customers than clusters`));
  }
  const fm = isFeatureMatrix(X) ? X : null;
  return {
    k,
    labels: Array.from(labels),
    centroids,
    inertia: fit.inertia,
    iterations: fit.iterations,
    sizes,
    seed: o.seed,
    nInit: o.nInit,
    order: ord.description,
    ...(fm ? { columns: [...fm.columns], centroidsOriginal: inverseTransform(fm.transform, centroids) } : {}),
    ...(ord.values ? { orderValues: ord.values } : {}),
    converged: fit.converged,
    restartInertias: fit.inertias,
    engine: o.engine,
  };
}

/**
 * The nearest centroid of each row (rows in the model's feature space), i.e. the cluster of new customers.
 * @throws SegkitError `cluster/bad_input` (rows of another width than the centroids, or not rows at all), `cluster/not_finite`.
 */
export function assignClusters(model: Pick<KMeansModel, 'centroids'>, X: Points): number[] {
  const dense = toDense(X, 'cluster');
  const d = model.centroids[0]?.length ?? 0;
  if (dense.n > 0 && dense.d !== d) {
    throw new SegkitError('cluster', 'bad_input', `rows have ${dense.d} features but the model's centroids have ${d}`, { where: 'X', hint: 'apply the model\'s feature transform to the new customers first (applyTransform)' });
  }
  return Array.from(assignNearest(dense, Float64Array.from(model.centroids.flat()), model.centroids.length).labels);
}
