/**
 * k-means restarts with the typed-array engine: a start (restart 0: PCA-Part; the others: k-means++),
 * Lloyd's iterations, then Hartigan's single-point transfers. Restart r is seeded from (seed, r) alone,
 * so the result is the same whether restarts run one after another or spread over worker threads.
 */
import { mulberry32, sampleIndices } from '../random';
import { kmeansPlusPlus, lloyd, workspace } from './lloyd';
import { takeRows, type Dense } from './matrix';
import { pcaPart } from './pcapart';

/** A 32-bit seed for restart (or resample) r derived from the user's seed (murmur3 finaliser). */
export function subSeed(seed: number, r: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(r + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface RestartBest {
  r: number;
  labels: Int32Array;
  centers: Float64Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

/** Subsample size for the first phase of a restart (0 = none: small data go straight to all points). */
export function presampleSize(n: number): number {
  if (n < PRESAMPLE_FROM) return 0;
  return Math.max(1000, Math.min(Math.round(n / 10), 50_000));
}
export const PRESAMPLE_FROM = Number(process.env.SEGKIT_PRESAMPLE_FROM ?? 4000);

/** Run the given restarts; returns the best (lowest inertia, then lowest r) and every restart's inertia. */
export function runRestarts(X: Dense, k: number, restarts: number[], seed: number, maxIter: number, tolAbs: number): { best: RestartBest | null; inertias: Map<number, number> } {
  const ws = workspace(X.n);
  const inertias = new Map<number, number>();
  let best: RestartBest | null = null;
  for (const r of restarts) {
    // restart 0 starts from the deterministic PCA-Part split, the others from seeded k-means++
    let init = r === 0 ? pcaPart(X, k) : null;
    if (!init) {
      const rand = mulberry32(subSeed(seed, r));
      const m = presampleSize(X.n);
      if (m > 0) {
        // converge on a seeded subsample first: the full data then need only a few iterations
        const S = takeRows(X, sampleIndices(rand, X.n, m));
        const sws = workspace(m);
        init = lloyd(S, kmeansPlusPlus(S, k, rand, sws), k, maxIter, tolAbs, sws).centers;
      } else init = kmeansPlusPlus(X, k, rand, ws);
    }
    const fit = lloyd(X, init, k, maxIter, tolAbs, ws, REFINE_EACH);
    inertias.set(r, fit.inertia);
    if (!best || fit.inertia < best.inertia || (fit.inertia === best.inertia && r < best.r)) {
      // lloyd's labels live in the reused workspace: copy the ones we keep
      best = { r, labels: Int32Array.from(fit.labels), centers: fit.centers, inertia: fit.inertia, iterations: fit.iterations, converged: fit.converged };
    }
  }
  if (best && !REFINE_EACH) {
    // Hartigan's transfers polish the best restart (a Lloyd fixed point, so Lloyd stops at once)
    const fit = lloyd(X, best.centers, k, maxIter, tolAbs, ws, true);
    if (fit.inertia <= best.inertia) best = { ...best, labels: Int32Array.from(fit.labels), centers: fit.centers, inertia: fit.inertia };
  }
  return { best, inertias };
}
const REFINE_EACH = process.env.SEGKIT_REFINE_EACH === '1';
