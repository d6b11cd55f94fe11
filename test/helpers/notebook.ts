/**
 * Execute a notebook for a test with real Jupyter + the tslab kernel, and return the executed JSON.
 * Uses nbconvert directly (the papermill-style runner is tested in test/notebook/).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openOffline } from './browser';

export interface ExecutedNotebook {
  cells: Array<{ cell_type: string; source: string | string[]; outputs?: Array<Record<string, unknown>>; metadata?: Record<string, unknown> }>;
}

export function executeWithNbconvert(notebook: string, timeoutSec = 600): ExecutedNotebook {
  const out = mkdtempSync(path.join(os.tmpdir(), 'segkit-nb-'));
  execFileSync(
    '/usr/bin/jupyter',
    ['nbconvert', '--to', 'notebook', '--execute', `--ExecutePreprocessor.timeout=${timeoutSec}`, '--ExecutePreprocessor.kernel_name=tslab', '--output-dir', out, '--output', 'out.ipynb', notebook],
    { cwd: path.dirname(notebook), stdio: 'pipe' },
  );
  return JSON.parse(readFileSync(path.join(out, 'out.ipynb'), 'utf8')) as ExecutedNotebook;
}

/** All text the executed notebook printed or displayed (stream text, text/plain, text/html, image/svg+xml). */
export function outputText(nb: ExecutedNotebook): string {
  const parts: string[] = [];
  for (const c of nb.cells) {
    for (const o of c.outputs ?? []) {
      if (typeof o.text === 'string') parts.push(o.text);
      else if (Array.isArray(o.text)) parts.push(o.text.join(''));
      const data = o.data as Record<string, string | string[]> | undefined;
      if (data) for (const v of Object.values(data)) parts.push(Array.isArray(v) ? v.join('') : String(v));
    }
  }
  return parts.join('\n');
}

/** Error outputs of an executed notebook (empty when every cell ran). */
export function errorOutputs(nb: ExecutedNotebook): Array<Record<string, unknown>> {
  return nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === 'error'));
}

/** Is the notebook trusted for this user (nbformat's NotebookNotary, what Jupyter checks on opening)? */
export function isSigned(file: string): boolean {
  const py = 'import sys, nbformat\nfrom nbformat.sign import NotebookNotary\nprint(NotebookNotary().check_signature(nbformat.read(sys.argv[1], as_version=4)))';
  return execFileSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' }).trim() === 'True';
}

/**
 * Open HTML in headless Chromium (network blocked) and measure every <img>: loaded size and how many of
 * its pixels are not background (drawn through a canvas), so a blank or broken image counts as missing.
 */
export async function drawnImages(html: string): Promise<{ images: Array<{ width: number; inked: number }>; requests: string[]; svgShapes: number }> {
  const page = await openOffline(html);
  try {
    const images = await page.page.evaluate(() =>
      Array.from(document.images).map((img) => {
        const c = document.createElement('canvas');
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        let inked = 0;
        if (c.width && c.height) {
          const d = ctx.getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] + d[i + 1] + d[i + 2] < 600) inked++;
        }
        return { width: img.naturalWidth, inked };
      }),
    );
    const svgShapes = await page.page.evaluate(() => document.querySelectorAll('svg path, svg rect').length);
    return { images, requests: page.requests, svgShapes };
  } finally {
    await page.close();
  }
}
