/**
 * k-means restarts spread over a worker pool (../threads): the restarts task and how its results are
 * gathered. Restart r is seeded from (seed, r) alone, so the best restart is the same as running them in order.
 */
import { defineTask, dispatch, share, sharedFloat64, type Pool } from '../threads';
import type { Dense } from './matrix';
import { runRestarts, type RestartBest } from './restarts';

/** The same matrix backed by shared memory (a copy unless it already is). */
export function shareDense(X: Dense): Dense {
  const data = sharedFloat64(X.data);
  return data === X.data ? X : { data, n: X.n, d: X.d };
}

interface RestartsMessage {
  data: ArrayBufferLike;
  n: number;
  d: number;
  k: number;
  restarts: number[];
  seed: number;
  maxIter: number;
  tolAbs: number;
  out: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  inertias: SharedArrayBuffer;
}

/** In a worker: run some restarts; the best goes to `out` ([found, r, inertia, iterations, converged, centres…]) and `labels`. */
const RESTARTS_TASK = defineTask<RestartsMessage>('cluster/restarts', __filename, (m) => {
  const X = { data: new Float64Array(m.data), n: m.n, d: m.d };
  const { best, inertias } = runRestarts(X, m.k, m.restarts, m.seed, m.maxIter, m.tolAbs);
  const all = new Float64Array(m.inertias);
  for (const [r, v] of inertias) all[r] = v;
  if (!best) return;
  const out = new Float64Array(m.out);
  out.set([1, best.r, best.inertia, best.iterations, best.converged ? 1 : 0]);
  out.set(best.centers, 5);
  new Int32Array(m.labels).set(best.labels);
});

/** k-means restarts spread over the pool; the same best restart as running them in order. */
export function parallelRestarts(pool: Pool, X: Dense, k: number, nInit: number, seed: number, maxIter: number, tolAbs: number): { best: RestartBest; inertias: number[] } {
  const shared = shareDense(X);
  const parts = share(nInit, pool.workers.length + 1);
  const slots = parts.slice(1).map(() => ({ out: new SharedArrayBuffer(8 * (5 + k * X.d)), labels: new SharedArrayBuffer(4 * X.n) }));
  const inertiasSab = new SharedArrayBuffer(8 * nInit);
  const inertias = new Float64Array(inertiasSab);
  let mine: ReturnType<typeof runRestarts> | null = null;
  dispatch(
    pool,
    RESTARTS_TASK,
    parts.slice(1).map((restarts, i) => (restarts.length ? { data: shared.data.buffer, n: X.n, d: X.d, k, restarts, seed, maxIter, tolAbs, out: slots[i].out, labels: slots[i].labels, inertias: inertiasSab } : null)),
    () => {
      mine = runRestarts(shared, k, parts[0], seed, maxIter, tolAbs);
      for (const [r, v] of mine.inertias) inertias[r] = v;
    },
  );
  let best = mine!.best;
  slots.forEach((s, i) => {
    if (!parts[i + 1].length) return;
    const o = new Float64Array(s.out);
    if (o[0] !== 1) return;
    const cand: RestartBest = { r: o[1], inertia: o[2], iterations: o[3], converged: o[4] === 1, centers: o.slice(5, 5 + k * X.d), labels: Int32Array.from(new Int32Array(s.labels)) };
    if (!best || cand.inertia < best.inertia || (cand.inertia === best.inertia && cand.r < best.r)) best = cand;
  });
  return { best: best!, inertias: Array.from(inertias) };
}
