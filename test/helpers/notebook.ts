/**
 * Execute a notebook for a test with real Jupyter + the tslab kernel, and return the executed JSON.
 * Uses nbconvert directly (the papermill-style runner is tested in test/notebook/).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
