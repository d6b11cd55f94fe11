/**
 * `executeNotebook`: inject parameters, run every cell in a fresh tslab kernel (nbclient via
 * execute.py), and write the executed notebook, also when a cell fails (with a banner on top).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SegkitError } from '../errors';
import { withAtomicOutput, writeFileAtomic } from '../io/atomic';
import { VERSION } from '../version';
import { type CellError, type FailedCell, describeCellError, errorBannerCell, failedCellInfo } from './failure';
import { injectParameters } from './inject';
import { writeKernelSpec } from './kernelspec';
import { type Notebook, firstLine, parseNotebook, readNotebook, serializeNotebook } from './nbformat';
import type { ProgressEvent } from './progress';
import { type PythonEvent, runExecuteScript } from './python';
import type { Parameters } from './values';

/** Options of {@link executeNotebook}. Every one is optional. */
export interface ExecuteOptions {
  /** Parameter values (default none: the notebook runs with its defaults). */
  parameters?: Parameters;
  /** Inject names the parameters cell does not declare (default false: an error). */
  allowUnknown?: boolean;
  /** Executed notebook path (default `NAME.out.ipynb` next to the input). */
  output?: string;
  /** Working directory of the kernel (default the notebook's folder). */
  cwd?: string;
  /** Per-cell timeout in seconds (default none). */
  timeout?: number;
  /** Also write an HTML export: true for `OUTPUT.html` next to the output, or a path (default false). */
  html?: boolean | string;
  /** Hide code inputs in the HTML export (default false). */
  reportMode?: boolean;
  /**
   * Jupyter kernel name (default 'tslab'). 'tslab' is this segkit's own tslab (a kernel spec written for
   * the run), whatever is registered with Jupyter; another name is looked up among the registered kernels.
   */
  kernel?: string;
  /** Called as the kernel starts and as each cell starts and finishes. */
  onProgress?: (e: ProgressEvent) => void;
}

/** What {@link executeNotebook} did. A failed cell is a result with status 'error', not an exception. */
export interface ExecuteResult {
  status: 'ok' | 'error';
  /** Path of the executed notebook (written in both cases). */
  output: string;
  /** Path of the HTML export, when asked for. */
  html?: string;
  failedCell?: FailedCell;
  error?: CellError;
  durationMs: number;
}

/** The default output path: `NAME.out.ipynb` next to `input`. */
export function defaultOutputPath(input: string, suffix = '.out'): string {
  return path.join(path.dirname(input), `${path.basename(input).replace(/\.ipynb$/i, '')}${suffix}.ipynb`);
}

function checkCwd(cwd: string): void {
  let ok = false;
  try {
    ok = statSync(cwd).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new SegkitError('notebook', 'cwd_not_found', 'the working directory does not exist', { where: cwd, hint: 'pass an existing folder to --cwd' });
}

/**
 * Run the notebook at `input` with `options.parameters` (papermill-style) and write the executed copy.
 * Throws SegkitError before running when the notebook or the parameters are invalid, and when
 * Python, nbclient or the tslab kernel are missing; a failing cell gives `status: 'error'`.
 */
/**
 * Refuse a parameter that holds a password in a URL (postgres://user:secret@…): injected parameters are
 * saved in the executed notebook, which gets shared. Passwords belong in PGPASSWORD / CLICKHOUSE_PASSWORD.
 */
export function checkNoSecrets(parameters: Record<string, unknown>): void {
  const visit = (v: unknown, name: string): void => {
    if (typeof v === 'string' && /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i.test(v)) {
      throw new SegkitError('notebook', 'secret_in_parameter', `parameter "${name}" holds a URL with a password, which would be saved in the executed notebook`, {
        where: `parameter ${name}`,
        hint: 'drop the password from the URL and set it in the environment instead: PGPASSWORD for postgres://, CLICKHOUSE_PASSWORD for clickhouse://',
      });
    }
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${name}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, `${name}.${k}`);
  };
  for (const [k, v] of Object.entries(parameters)) visit(v, k);
}

export async function executeNotebook(input: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const t0 = Date.now();
  const started = new Date(t0);
  const parameters = options.parameters ?? {};
  checkNoSecrets(parameters);
  const prepared = injectParameters(readNotebook(input), parameters, { allowUnknown: options.allowUnknown });
  const cwd = path.resolve(options.cwd ?? path.dirname(path.resolve(input)));
  checkCwd(cwd);
  const output = options.output ?? defaultOutputPath(input);
  prepared.metadata.kernelspec ??= { name: 'tslab', display_name: 'TypeScript', language: 'typescript' };

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'segkit-run-'));
  let executed: Notebook;
  let done: PythonEvent | undefined;
  try {
    const inPath = path.join(tmp, 'input.ipynb');
    const outPath = path.join(tmp, 'executed.ipynb');
    writeFileSync(inPath, serializeNotebook(prepared));
    const kernel = options.kernel ?? 'tslab';
    const args = ['execute', '--input', inPath, '--output', outPath, '--cwd', cwd, '--kernel', kernel];
    if (options.timeout && options.timeout > 0) args.push('--timeout', String(options.timeout));
    const env: Record<string, string> = kernel === 'tslab' ? { JUPYTER_PATH: [writeKernelSpec(tmp), process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter) } : {};
    const run = await runExecuteScript(
      args,
      (e) => {
        const p = toProgress(e, prepared, t0);
        if (p) options.onProgress?.(p);
      },
      env,
    );
    done = run.events.find((e) => e.event === 'done');
    executed = parseNotebook(readFileSync(outPath, 'utf8'), outPath);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  let failedCell: FailedCell | undefined;
  let error: CellError | undefined;
  if (done?.status === 'error' && typeof done.failed_index === 'number') {
    const reply = { ename: done.ename as string | undefined, evalue: done.evalue as string | undefined };
    error = describeCellError(executed.cells[done.failed_index], reply);
    failedCell = failedCellInfo(executed, done.failed_index);
    executed.cells.unshift(errorBannerCell(executed, failedCell, error));
  } else if (done?.status === 'error') {
    error = { ename: String(done.ename ?? 'Error'), evalue: String(done.evalue ?? 'the run failed'), traceback: '' };
  }
  const status = error ? 'error' : 'ok';
  const ended = new Date();
  executed.metadata.segkit = {
    version: VERSION,
    input: path.resolve(input),
    cwd,
    parameters,
    start: started.toISOString(),
    end: ended.toISOString(),
    durationMs: ended.getTime() - t0,
    status,
    ...(failedCell ? { failedCell: { index: failedCell.index, ordinal: failedCell.ordinal, firstLine: failedCell.firstLine } } : {}),
    ...(error ? { error: { ename: error.ename, evalue: error.evalue } } : {}),
  };
  await writeFileAtomic(output, serializeNotebook(executed));
  await signNotebook(output);

  let html: string | undefined;
  if (options.html) {
    html = typeof options.html === 'string' ? options.html : output.replace(/\.ipynb$/i, '') + '.html';
    await exportHtml(output, html, { reportMode: options.reportMode });
  }
  return { status, output, ...(html ? { html } : {}), ...(failedCell ? { failedCell } : {}), ...(error ? { error } : {}), durationMs: Date.now() - t0 };
}

/**
 * Trust a notebook for the user running segkit, as `jupyter trust` does (its signature goes into Jupyter's
 * database, not the file): Jupyter then shows its rich outputs (SVG charts, HTML) when it is opened.
 */
export async function signNotebook(notebook: string): Promise<void> {
  await runExecuteScript(['sign', '--input', notebook]);
}

/** Write an HTML export of a notebook (nbconvert's HTMLExporter; `reportMode` hides code inputs). */
export async function exportHtml(notebook: string, html: string, options: { reportMode?: boolean } = {}): Promise<void> {
  await withAtomicOutput(html, async (tmpPath) => {
    await runExecuteScript(['html', '--input', notebook, '--output', tmpPath, ...(options.reportMode ? ['--report-mode'] : [])]);
  });
}

function toProgress(e: PythonEvent, nb: Notebook, t0: number): ProgressEvent | null {
  if (e.event !== 'kernel_ready' && e.event !== 'cell_start' && e.event !== 'cell_done') return null;
  if (e.event === 'kernel_ready') return { kind: 'kernel', elapsedMs: Math.round(Number(e.elapsed) * 1000) };
  const index = Number(e.index);
  const cell = nb.cells[index];
  const common = { index, ordinal: Number(e.ordinal), total: Number(e.total), firstLine: cell ? firstLine(cell) : '' };
  if (e.event === 'cell_start') return { kind: 'cell-start', ...common };
  return {
    kind: 'cell-done',
    ...common,
    elapsedMs: Math.round(Number(e.elapsed) * 1000),
    totalMs: Date.now() - t0,
    status: e.status === 'error' ? 'error' : 'ok',
  };
}
