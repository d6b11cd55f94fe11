/**
 * Tests that need the compiled build: worker threads (dist/threads/worker.js) give the same results as one
 * thread, and notebooks/03-k-selection.ipynb executes with real Jupyter + tslab (it imports ../dist).
 * dist/ is rebuilt first when it is older than src/ (the same lock as the other notebook tests).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeNotebook, readNotebook } from '../../src/notebook';
import { ROOT, SAMPLE } from '../helpers/shared';
import { ensureBuilt } from '../helpers/build';

beforeAll(() => ensureBuilt(['threads/worker.js']), 300_000);

/** Run a script against dist/ in a fresh Node process and parse the JSON it prints. */
function node<T>(script: string): T {
  const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, SEGKIT_THREADS: '' } });
  return JSON.parse(out) as T;
}

describe('worker threads', () => {
  it('give exactly the one-thread results for k-means restarts, the gap statistic and stability', () => {
    const r = node<{ same: Record<string, boolean>; workers: number }>(`
      const seg = require('./dist');
      const { openPool } = require('./dist/threads');
      const rand = seg.mulberry32(5);
      const X = Array.from({ length: 30000 }, () => [rand(), rand(), rand() * 2]);
      const pool = openPool(3);
      const a1 = seg.fitKMeans(X, { k: 5, nInit: 8, threads: 1 });
      const a2 = seg.fitKMeans(X, { k: 5, nInit: 8, threads: 3 });
      const small = X.slice(0, 2000);
      const g1 = seg.gapStatistic(small, { kMax: 4, B: 12, nInit: 2, threads: 1 });
      const g2 = seg.gapStatistic(small, { kMax: 4, B: 12, nInit: 2, threads: 3 });
      const s1 = seg.stability(small, 3, { B: 12, nInit: 2 });
      const s2 = seg.stability(small, 3, { B: 12, nInit: 2 }, pool);
      pool.close();
      console.log(JSON.stringify({ workers: pool.workers.length, same: {
        labels: JSON.stringify(a1.labels) === JSON.stringify(a2.labels),
        inertia: a1.inertia === a2.inertia,
        restarts: JSON.stringify(a1.restartInertias) === JSON.stringify(a2.restartInertias),
        gap: JSON.stringify(g1) === JSON.stringify(g2),
        stability: JSON.stringify(s1) === JSON.stringify(s2),
      } }));
    `);
    expect(r.workers).toBe(2);
    expect(r.same).toEqual({ labels: true, inertia: true, restarts: true, gap: true, stability: true });
  }, 120_000);
});

describe('notebooks/03-k-selection.ipynb', () => {
  it('is committed with an introduction, a parameters cell and no outputs', () => {
    const nb = readNotebook(path.join(ROOT, 'notebooks', '03-k-selection.ipynb'));
    expect(nb.cells[0].cell_type).toBe('markdown');
    expect(nb.cells[1].metadata.tags).toEqual(['parameters']);
    expect(nb.cells.every((c) => !c.outputs || c.outputs.length === 0)).toBe(true);
  });

  it('executes on the sample data with a user k, showing every chart and both ks', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-k-nb-'));
    // The progress line shows for steps over 1.5 s; this short sweep may be quicker: show it from the start.
    process.env.SEGKIT_PROGRESS_DELAY_MS = '0';
    const r = await executeNotebook(path.join(ROOT, 'notebooks', '03-k-selection.ipynb'), {
      parameters: { input: SAMPLE, kMax: 6, gapB: 10, resamples: 5, nInit: 3, k: 3 },
      output: path.join(dir, 'out.ipynb'),
      timeout: 300,
    }).finally(() => delete process.env.SEGKIT_PROGRESS_DELAY_MS);
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    const outputs = readNotebook(r.output).cells.flatMap((c) => c.outputs ?? []);
    const text = outputs.map((o) => JSON.stringify(o)).join('\n');
    const svgs = outputs.filter((o) => (o as { data?: Record<string, unknown> }).data?.['image/svg+xml']);
    expect(svgs.length).toBeGreaterThanOrEqual(9); // summary, elbow, silhouette ×2, CH, DB, gap, stability, dendrogram
    expect(text).toMatch(/Recommended k = \d/);
    expect(text).toContain('In use: k = 3.');
    expect(text).toMatch(/k sweep: k = 2\.\.6 in \d+\.\d s; recommended k = \d/); // the live progress line, in its final state
    expect(text).toMatch(/Kneedle: (elbow at \d|no clear elbow)/);
    expect(text).toContain('clusters ordered by mean monetary, descending');
  }, 300_000);
});
