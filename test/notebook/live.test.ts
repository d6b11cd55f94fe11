/**
 * Progress lines: one line updated in place, silent for quick steps, on a terminal (a real pty for the
 * package's sweepK) and for `segkit run`'s cells. In a notebook: test/notebooks (analyze, sweepK).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { liveLine } from '../../src/notebook/live';
import { type ProgressEvent, progressWriter } from '../../src/notebook/progress';
import { ensureBuilt } from '../helpers/build';
import { ROOT } from '../helpers/shared';

/** A terminal-like stream that keeps what is written (isTTY decides the behaviour under test). */
const stream = (isTTY: boolean): NodeJS.WriteStream & { out: string } => {
  const s = { isTTY, out: '', write: (x: string) => ((s.out += x), true) };
  return s as unknown as NodeJS.WriteStream & { out: string };
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('liveLine', () => {
  it('stays silent before the delay, then rewrites one line, throttled, and ends it', async () => {
    const s = stream(true);
    const line = liveLine({ stream: s, delayMs: 80, intervalMs: 40 })!;
    line.update('step 1');
    expect(s.out).toBe('');
    await sleep(100);
    line.update('step 2');
    line.update('step 3'); // within the interval: skipped
    await sleep(50);
    line.update('step 4');
    line.done('finished');
    expect(s.out).toMatch(/^\rstep 2 {2}0\.\d s\rstep 4 {2}0\.\d s\rfinished {5,}\n$/);
  });

  it('writes nothing for a step quicker than the delay, and nothing off a terminal', () => {
    const quick = stream(true);
    const line = liveLine({ stream: quick, delayMs: 10_000 })!;
    line.update('x');
    line.done('done');
    expect(quick.out).toBe('');
    expect(liveLine({ stream: stream(false) })).toBeNull();
    const now = stream(true);
    const immediate = liveLine({ stream: now, immediate: true })!;
    immediate.update('reading big.csv (900 MB)…');
    immediate.done('read 1 lines');
    expect(now.out).toMatch(/^\rreading big\.csv \(900 MB\)… {2}0\.0 s\rread 1 lines {10,}\n$/);
  });
});

describe("segkit run's progress on a terminal", () => {
  const start: ProgressEvent = { kind: 'cell-start', index: 3, ordinal: 2, total: 4, firstLine: 'const sweep = seg.sweepK(X);' };
  const done: ProgressEvent = { ...start, kind: 'cell-done', elapsedMs: 1234, totalMs: 5000, status: 'ok' };

  it('ticks the running cell in place every second, then prints its finished line', async () => {
    const s = stream(true);
    const w = progressWriter(s);
    w.onProgress(start);
    await sleep(1100);
    w.onProgress(done);
    expect(s.out).toBe(
      '\r[2/4] 0.0s  const sweep = seg.sweepK(X); (running)\r[2/4] 1.0s  const sweep = seg.sweepK(X); (running)\r[2/4] 1.2s  const sweep = seg.sweepK(X);' + ' '.repeat(10) + '\n',
    );
  });

  it('prints only finished cells off a terminal (logs, CI)', () => {
    const s = stream(false);
    const w = progressWriter(s);
    w.onProgress(start);
    w.onProgress(done);
    expect(s.out).toBe('[2/4] 1.2s  const sweep = seg.sweepK(X);\n');
  });
});

describe('the package sweepK in a real terminal (pty)', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('shows a progress line by default, updated in place; progress: false turns it off', () => {
    const code = `
      const seg = require(${JSON.stringify(path.join(ROOT, 'dist'))});
      (async () => {
        const tx = await seg.readTransactions(${JSON.stringify(path.join(ROOT, 'data', 'sample_transactions.csv'))});
        const X = seg.buildFeatures(seg.rfm(seg.cleanTransactions(tx).clean));
        const o = { k: [2, 5], seed: 1, nInit: 3, gap: { B: 4 }, stability: { B: 3 }, dendrogram: false };
        const a = seg.sweepK(X, o);
        process.stderr.write('BETWEEN\\n');
        const b = seg.sweepK(X, { ...o, progress: false });
        process.stdout.write('SAME ' + (a.recommendation.k === b.recommendation.k) + '\\n');
      })();`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-pty-'));
    writeFileSync(path.join(dir, 'sweep.js'), code);
    let out: string;
    try {
      // A line shows after 1.5 s by default; 0 here so that a short sweep shows it on any machine.
      out = execFileSync('script', ['-qec', `'${process.execPath}' '${path.join(dir, 'sweep.js')}'`, '/dev/null'], { encoding: 'utf8', cwd: ROOT, timeout: 120_000, env: { ...process.env, SEGKIT_PROGRESS_DELAY_MS: '0' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [first, second] = out.split('BETWEEN');
    expect(first).toMatch(/\rk sweep \[[█░]+\] \d+\/\d+ +\d+%/);
    expect(first.split('\r').length).toBeGreaterThan(3); // the same line rewritten
    expect(first).toMatch(/\rk sweep: k = 2\.\.5 in \d+\.\d s; recommended k = \d+ *\r?\n/);
    expect(second).not.toContain('k sweep');
    expect(second).toContain('SAME true');
  }, 120_000);
});
