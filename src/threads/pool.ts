/**
 * Worker threads for the heavy loops (k-means restarts, gap reference sets, stability resamples), behind
 * a synchronous API: tasks go to the workers through shared memory, the calling thread does its own
 * share, then waits on an atomic counter. Results do not depend on the number of threads (every unit of
 * work has its own seed).
 *
 * This is the one module that starts threads and reads SEGKIT_THREADS; the work itself is a task that a
 * stage defines (./registry.ts). Workers need the compiled build (dist/threads/worker.js); from
 * TypeScript sources (tests) everything runs on the calling thread.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SegkitError } from '../errors';
import type { Task } from './registry';

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

/** The same numbers backed by shared memory (a copy unless they already are). */
export function sharedFloat64(data: Float64Array): Float64Array {
  if (data.buffer instanceof SharedArrayBuffer) return data;
  const out = new Float64Array(new SharedArrayBuffer(data.byteLength));
  out.set(data);
  return out;
}

/** Control block: [done, failed, progress] + room for an error message. */
function control(): { sab: SharedArrayBuffer; ints: Int32Array } {
  const sab = new SharedArrayBuffer(12 + 1024);
  return { sab, ints: new Int32Array(sab, 0, 3) };
}

/**
 * Post one message of `task` per worker (null = nothing for that worker), run `main` on this thread, then
 * wait for the workers. `tick` is called about every 100 ms while waiting, with the shared progress count.
 * @throws SegkitError `cluster/worker_failed` when a worker's task threw.
 */
export function dispatch<M extends object>(pool: Pool, task: Task<M>, messages: Array<M | null>, main: (progress: Int32Array) => void, tick?: (progress: number) => void): void {
  const ctrl = control();
  let expected = 0;
  messages.forEach((m, i) => {
    if (!m) return;
    expected++;
    pool.workers[i].postMessage({ ...m, task: task.name, file: task.file, ctrl: ctrl.sab });
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
