/**
 * Running line-level work as steps, with Polars' memory given back between them.
 *
 * A nodejs-polars table is a small JavaScript object holding a native one. `releaseMemory` (a full
 * garbage collection) finds the unreachable wrappers, but their native finalizers run later, on a turn of
 * the event loop: a synchronous run of steps frees none of its intermediate tables until it returns. So a
 * step function is written as a generator that yields after each step; {@link runSteps} runs it in one go
 * (a garbage collection at each yield, as before), {@link runStepsAsync} also lets the event loop turn at
 * each yield, so the tables of the step before are freed before the next one starts (10M lines: the file
 * path's resident memory after exploring 2.8 → 2.0 GB, bench/memory.md).
 */
import { releaseMemory } from '../io/memory';

/** Yielded between steps: the number of rows worked on (below 1M nothing is collected). */
export type Steps<T> = Generator<number, T, void>;

/** One turn of the event loop (native finalizers of collected tables run there). */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** releaseMemory, then a turn of the event loop so the collected tables are freed now (large inputs only). */
export async function releaseMemoryNow(rows = Infinity, threshold = 1_000_000): Promise<void> {
  if (rows < threshold) return;
  releaseMemory(rows, threshold);
  await nextTurn();
}

/** Run steps synchronously (a garbage collection at each step on large inputs). */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    releaseMemory(r.value);
  }
}

/** Run steps, freeing each step's tables before the next starts (large inputs). Same results as runSteps. */
export async function runStepsAsync<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await releaseMemoryNow(r.value);
  }
}
