/** Worker thread entry (see ./parallel.ts): runs k-means restarts or gap reference sets on shared memory. */
import { parentPort } from 'node:worker_threads';
import { runRestarts } from './restarts';
import { referenceLogW, type ReferenceBox } from '../select-k/gap';
import { bootstrapLabels } from '../select-k/stability';

interface Message {
  type: 'restarts' | 'gap' | 'stability';
  ctrl: SharedArrayBuffer;
  [key: string]: unknown;
}

function restarts(m: Message): void {
  const X = { data: new Float64Array(m.data as SharedArrayBuffer), n: m.n as number, d: m.d as number };
  const k = m.k as number;
  const { best, inertias } = runRestarts(X, k, m.restarts as number[], m.seed as number, m.maxIter as number, m.tolAbs as number);
  const all = new Float64Array(m.inertias as SharedArrayBuffer);
  for (const [r, v] of inertias) all[r] = v;
  if (!best) return;
  const out = new Float64Array(m.out as SharedArrayBuffer);
  out.set([1, best.r, best.inertia, best.iterations, best.converged ? 1 : 0]);
  out.set(best.centers, 5);
  new Int32Array(m.labels as SharedArrayBuffer).set(best.labels);
}

function gap(m: Message, progress: Int32Array): void {
  const out = new Float64Array(m.out as SharedArrayBuffer);
  const kMax = m.kMax as number;
  for (const b of m.bs as number[]) {
    out.set(referenceLogW(m.box as ReferenceBox, b, m.settings as Parameters<typeof referenceLogW>[2]), b * kMax);
    Atomics.add(progress, 0, 1);
  }
}

function stability(m: Message): void {
  const X = { data: new Float64Array(m.data as SharedArrayBuffer), n: m.n as number, d: m.d as number };
  const out = new Int32Array(m.out as SharedArrayBuffer);
  for (const b of m.bs as number[]) out.set(bootstrapLabels(X, m.k as number, b, m.settings as Parameters<typeof bootstrapLabels>[3]), b * X.n);
}

parentPort?.on('message', (m: Message) => {
  const ctrl = new Int32Array(m.ctrl, 0, 3);
  try {
    if (m.type === 'restarts') restarts(m);
    else if (m.type === 'stability') stability(m);
    else gap(m, ctrl.subarray(2, 3));
  } catch (e) {
    const text = new TextEncoder().encode(String((e as Error)?.stack ?? e).slice(0, 1000));
    new Uint8Array(m.ctrl, 12, 1024).set(text.subarray(0, 1023));
    Atomics.store(ctrl, 1, 1);
  } finally {
    Atomics.add(ctrl, 0, 1);
    Atomics.notify(ctrl, 0);
  }
});
