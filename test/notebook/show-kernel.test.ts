/**
 * show() and progress in a real tslab kernel, run by `segkit run` (nbclient): the chart lands in its own
 * cell without `await`; a progress line is one output replaced in place; executed notebooks have
 * execution counts and are signed for this user; the HTML export of `segkit run --html` loads nothing,
 * and plain `jupyter nbconvert --to html` of the executed notebook draws the chart (as its PNG).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Notebook, type NotebookOutput, executeNotebook, readNotebook } from '../../src/notebook';
import { VEGALITE_MIME } from '../../src/notebook/show/chart';
import { ensureBuilt } from '../helpers/build';
import { drawnImages, isSigned } from '../helpers/notebook';
import { ROOT } from '../helpers/shared';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'notebooks', 'show.ipynb');
const text = (v: unknown): string => (Array.isArray(v) ? v.join('') : String(v ?? ''));

let dir: string;
let nb: Notebook;
let out: string;
let html: string;
beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-show-kernel-'));
  out = path.join(dir, 'show.out.ipynb');
  html = path.join(dir, 'show.out.html');
  const r = await executeNotebook(FIXTURE, { output: out, html, timeout: 120 });
  expect(r.error?.evalue).toBeUndefined();
  nb = readNotebook(out);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outputs = (i: number): NotebookOutput[] => nb.cells[i].outputs ?? [];

describe('show() and progress in a real kernel (segkit run)', () => {
  it('puts a chart bundle in the cell that showed it, without await, before what follows', () => {
    const [chart, after] = outputs(2);
    expect(chart.output_type).toBe('display_data');
    expect(Object.keys(chart.data ?? {}).sort()).toEqual([VEGALITE_MIME, 'image/png', 'image/svg+xml', 'text/markdown', 'text/plain'].sort());
    expect(text(chart.data?.['text/plain'])).toMatch(/^\[chart\] Fixture bars \(\d+×\d+ px\)$/);
    expect(after).toMatchObject({ output_type: 'stream', name: 'stdout' });
    expect(text(after.text)).toBe('after the chart\n');
  });

  it('shows a DataFrame given as the last expression as one HTML table, nothing else', () => {
    expect(outputs(3)).toHaveLength(1);
    expect(text(outputs(3)[0].data?.['text/html'])).toContain('25 rows × 2 columns (first 10 and last 10 rows shown)');
  });

  it('keeps one output for a progress line updated 30 times: its last state', () => {
    expect(outputs(4).map((o) => [o.output_type, text(o.data?.['text/plain'])])).toEqual([['display_data', 'all 30 steps done']]);
  });

  it('saves a \\r-rewritten stream line as the terminal shows it', () => {
    expect(outputs(5).map((o) => text(o.text))).toEqual(['count 3\n']);
  });

  it('gives sweepK a progress line by default, none with progress: false', () => {
    const lines = outputs(6).map((o) => text(o.data?.['text/plain'] ?? o.text));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^k sweep: k = 2\.\.3 in \d+\.\d s; recommended k = [23]$/);
  });

  it('numbers the executed cells', () => {
    const counts = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.execution_count);
    expect(counts).toEqual(counts.map((_, i) => i + 1));
  });

  it('signs the executed notebook for this user (and the signature is of this content)', () => {
    expect(isSigned(out)).toBe(true);
    const changed = path.join(dir, 'changed.ipynb');
    writeFileSync(changed, readFileSync(out, 'utf8').replace('after the chart', 'after the chart!'));
    expect(isSigned(changed)).toBe(false);
  });

  it('writes a --html export that loads nothing from outside and draws the chart inline', async () => {
    const page = readFileSync(html, 'utf8');
    expect(page).not.toContain('file://');
    expect(page).not.toMatch(/<script[^>]*\bsrc=/);
    const seen = await drawnImages(page);
    expect(seen.requests).toEqual([]);
    expect(seen.svgShapes).toBeGreaterThan(3);
  }, 60_000);

  it('draws the chart (its PNG) in a plain `jupyter nbconvert --to html` of the executed notebook', async () => {
    execFileSync('/usr/bin/jupyter', ['nbconvert', '--to', 'html', out, '--output', 'plain.html'], { stdio: 'pipe' });
    const seen = await drawnImages(readFileSync(path.join(dir, 'plain.html'), 'utf8'));
    expect(seen.images).toHaveLength(1);
    expect(seen.images[0].width).toBeGreaterThan(100);
    expect(seen.images[0].inked).toBeGreaterThan(1000);
  }, 60_000);
});
