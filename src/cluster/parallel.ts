/**
 * Worker threads for the heavy loops (k-means restarts, gap reference sets), behind a synchronous API:
 * tasks go to the workers through shared memory, the calling thread does its own share, then waits on an
 * atomic counter. Results do not depend on the number of threads (every unit of work has its own seed).
 *
 * Workers need the compiled build (dist/cluster/worker.js); from TypeScript sources (tests) everything
 * runs on the calling thread.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SegkitError } from '../errors';
import type { Dense } from './matrix';
import { runRestarts, type RestartBest } from './restarts';

const WORKER_FILE = path.join(__dirname, 'worker.js');

export interface Pool {
  workers: Worker[];
  close(): void;
}

/** Threads to use when the caller does not say: SEGKIT_THREADS, else the machine's available parallelism. */
export function defaultThreads(): number {
  const env = Number(process.env.SEGKIT_THREADS);
  if (Number.isInteger(env) && env >= 1) return env;
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** A pool of `threads − 1` workers (the caller is the last thread), or null when one thread is enough or workers are unavailable. */
export function openPool(threads = defaultThreads()): Pool | null {
  if (!(threads > 1) || !existsSync(WORKER_FILE)) return null;
  const workers = Array.from({ length: Math.min(threads, 64) - 1 }, () => {
    const w = new Worker(WORKER_FILE);
    w.unref();
    return w;
  });
  return {
    workers,
    close: () => {
      for (const w of workers) void w.terminate();
    },
  };
}

/** The same matrix backed by shared memory (a copy unless it already is). */
export function shareDense(X: Dense): Dense {
  if (X.data.buffer instanceof SharedArrayBuffer) return X;
  const data = new Float64Array(new SharedArrayBuffer(X.data.byteLength));
  data.set(X.data);
  return { data, n: X.n, d: X.d };
}

/** Control block: [done, failed, progress] + room for an error message. */
function control(): { sab: SharedArrayBuffer; ints: Int32Array } {
  const sab = new SharedArrayBuffer(12 + 1024);
  return { sab, ints: new Int32Array(sab, 0, 3) };
}

/**
 * Post one message per worker (null = nothing for that worker), run `main` on this thread, then wait for
 * the workers. `tick` is called about every 100 ms while waiting, with the shared progress count.
 */
export function dispatch(pool: Pool, messages: Array<Record<string, unknown> | null>, main: (progress: Int32Array) => void, tick?: (progress: number) => void): void {
  const ctrl = control();
  let expected = 0;
  messages.forEach((m, i) => {
    if (!m) return;
    expected++;
    pool.workers[i].postMessage({ ...m, ctrl: ctrl.sab });
  });
  main(ctrl.ints.subarray(2, 3));
  while (Atomics.load(ctrl.ints, 0) < expected) {
    Atomics.wait(ctrl.ints, 0, Atomics.load(ctrl.ints, 0), 100);
    tick?.(Atomics.load(ctrl.ints, 2));
  }
  if (Atomics.load(ctrl.ints, 1) !== 0) {
    const bytes = new Uint8Array(ctrl.sab, 12);
    const msg = new TextDecoder().decode(bytes.slice(0, bytes.indexOf(0) < 0 ? bytes.length : bytes.indexOf(0)));
    throw new SegkitError('cluster', 'worker_failed', `a worker thread failed: ${msg}`, { hint: 'rerun with { threads: 1 } (or SEGKIT_THREADS=1) to compute on one thread' });
  }
}

/** Split 0..count-1 round-robin over `parts` (part 0 is the calling thread). */
export function share(count: number, parts: number): number[][] {
  const out: number[][] = Array.from({ length: parts }, () => []);
  for (let i = 0; i < count; i++) out[i % parts].push(i);
  return out;
}

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
    parts.slice(1).map((restarts, i) => (restarts.length ? { type: 'restarts', data: shared.data.buffer, n: X.n, d: X.d, k, restarts, seed, maxIter, tolAbs, out: slots[i].out, labels: slots[i].labels, inertias: inertiasSab } : null)),
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
