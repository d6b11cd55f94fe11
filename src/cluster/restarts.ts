/**
 * k-means restarts with the typed-array engine: a start (restart 0: PCA-Part; the others: k-means++),
 * Lloyd's iterations, then Hartigan's single-point transfers. Restart r is seeded from (seed, r) alone,
 * so the result is the same whether restarts run one after another or spread over worker threads.
 */
import { mulberry32, sampleIndices } from '../random';
import { kmeansPlusPlus, lloyd, workspace, type Workspace } from './lloyd';
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

/** Subsample sizes a restart converges on before the full data: 500, 1500, 4500, … below n/2 (none for small data). */
export function presampleLevels(n: number): number[] {
  const out: number[] = [];
  if (n < PRESAMPLE_FROM) return out;
  for (let m = 500; m < n / 2; m *= 3) out.push(m);
  return out;
}
/** Data smaller than this go straight to all points (the coarse levels would not pay). */
const PRESAMPLE_FROM = 4000;

/**
 * A k-means++ start; on large data refined coarse to fine: converge on a small seeded subsample, then
 * on 3× larger ones from there, so the full data need only a few iterations.
 */
function seededStart(X: Dense, k: number, rand: () => number, maxIter: number, tolAbs: number, ws: Workspace): Float64Array {
  const levels = presampleLevels(X.n);
  if (levels.length === 0) return kmeansPlusPlus(X, k, rand, ws);
  const idx = sampleIndices(rand, X.n, levels[levels.length - 1]);
  let centers: Float64Array | null = null;
  for (const m of levels) {
    const S = takeRows(X, idx.subarray(0, m));
    const sws = workspace(m);
    centers = lloyd(S, centers ?? kmeansPlusPlus(S, k, rand, sws), k, maxIter, tolAbs, sws).centers;
  }
  return centers!;
}

/** Run the given restarts; returns the best (lowest inertia, then lowest r) and every restart's inertia. */
export function runRestarts(X: Dense, k: number, restarts: number[], seed: number, maxIter: number, tolAbs: number): { best: RestartBest | null; inertias: Map<number, number> } {
  const ws = workspace(X.n);
  const inertias = new Map<number, number>();
  let best: RestartBest | null = null;
  for (const r of restarts) {
    // restart 0 starts from the deterministic PCA-Part split, the others from seeded k-means++
    const init = (r === 0 ? pcaPart(X, k) : null) ?? seededStart(X, k, mulberry32(subSeed(seed, r)), maxIter, tolAbs, ws);
    const fit = lloyd(X, init, k, maxIter, tolAbs, ws);
    inertias.set(r, fit.inertia);
    if (!best || fit.inertia < best.inertia || (fit.inertia === best.inertia && r < best.r)) {
      // lloyd's labels live in the reused workspace: copy the ones we keep
      best = { r, labels: Int32Array.from(fit.labels), centers: fit.centers, inertia: fit.inertia, iterations: fit.iterations, converged: fit.converged };
    }
  }
  if (best) {
    // Hartigan's transfers polish the best restart only (on every restart they cost more and seldom
    // change which one wins); the best is a Lloyd fixed point, so Lloyd stops at once
    const fit = lloyd(X, best.centers, k, maxIter, tolAbs, ws, true);
    if (fit.inertia <= best.inertia) best = { ...best, labels: Int32Array.from(fit.labels), centers: fit.centers, inertia: fit.inertia };
  }
  return { best, inertias };
}
