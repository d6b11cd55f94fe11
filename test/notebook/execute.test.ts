/**
 * `segkit run` for real: Jupyter (nbclient) + the tslab kernel on tiny fixture notebooks.
 * Each execution costs about 4 s, so assertions are grouped per run.
 */
import { Command } from 'commander';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { register as registerRun } from '../../src/cli/commands/run';
import { renderSvg } from '../../src/charts/render';
import { VERSION } from '../../src/version';
import { INJECTED_TAG, type Notebook, type ProgressEvent, cellSource, executeNotebook, executeScriptPath, exportHtml, readNotebook } from '../../src/notebook';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'notebooks');
let dir: string;
const at = (name: string): string => path.join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-run-test-'));
  cpSync(FIXTURES, dir, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
  delete process.env.SEGKIT_PYTHON;
});

/** Run `segkit run ARGS` in-process; capture stdout, stderr, the exit code and a thrown error. */
async function cli(args: string[]): Promise<{ out: string; err: string; code: number; thrown?: { code?: string; message: string; hint?: string } }> {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
  let thrown: { code?: string; message: string; hint?: string } | undefined;
  try {
    const program = new Command().exitOverride();
    registerRun(program);
    await program.parseAsync(['run', ...args], { from: 'user' });
  } catch (e) {
    thrown = e as typeof thrown;
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  const code = thrown ? 1 : Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out: out.join(''), err: err.join(''), code, thrown };
}

const outputsOf = (nb: Notebook): string =>
  nb.cells.flatMap((c) => (c.outputs ?? []).map((o) => (Array.isArray(o.text) ? o.text.join('') : String(o.text ?? '')))).join('');
const injectedCells = (nb: Notebook): number[] => nb.cells.flatMap((c, i) => (c.metadata.tags?.includes(INJECTED_TAG) ? [i] : []));

describe('segkit run (real Jupyter + tslab)', () => {
  it('injects parameters of every type, records run metadata, writes report-mode HTML; a rerun replaces the injected cell', async () => {
    writeFileSync(at('p.yaml'), 'weights: [0.5, 2]\nopts: {depth: 3, mode: slow}\nk: 9\n');
    const r = await cli([at('params.ipynb'), '-f', at('p.yaml'), '-p', 'k', '4', '-r', 'input', 'data/y.csv', '-p', 'verbose', 'true', '-p', 'note', 'null', '-p', 'retries=5', '-o', at('out/p1.ipynb'), '--html', '--report-mode']);
    expect(r.thrown).toBeUndefined();
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^\[kernel\] \d+\.\ds {2}tslab ready$/m);
    expect(r.err).toMatch(/^\[4\/4\] \d+\.\ds {2}if \(k === 'auto'\) console\.log\('K auto'\);$/m);
    expect(r.out).toMatch(/^ok \(\d+\.\ds\): .*p1\.ipynb\n {2}html: .*p1\.html$/m);

    const nb = readNotebook(at('out/p1.ipynb'));
    expect(injectedCells(nb)).toEqual([2]);
    const printed = outputsOf(nb);
    const params = JSON.parse(/PARAMS (.*)/.exec(printed)![1]) as Record<string, unknown>;
    expect(params).toEqual({ k: 4, input: 'data/y.csv', verbose: true, note: null, weights: [0.5, 2], opts: { depth: 3, mode: 'slow' } });
    expect(printed).toContain('K plus one 5'); // k kept its type number | 'auto' and is a number
    expect(printed).toContain('RETRIES 6'); // a let parameter is still a let
    expect(printed).toContain(`CWD ${dir}`); // the kernel ran in the notebook's folder
    const meta = nb.metadata.segkit as Record<string, unknown>;
    expect(meta).toMatchObject({ version: VERSION, status: 'ok', parameters: { k: 4, input: 'data/y.csv', retries: 5, note: null } });
    expect(Date.parse(meta.end as string) - Date.parse(meta.start as string)).toBe(meta.durationMs);

    const reportHtml = readFileSync(at('out/p1.html'), 'utf8');
    expect(reportHtml).toContain('K plus one 5');
    expect(reportHtml).not.toContain('compiles only if k keeps its declared type');
    await exportHtml(at('out/p1.ipynb'), at('out/full.html'));
    expect(readFileSync(at('out/full.html'), 'utf8')).toContain('compiles only if k keeps its declared type');

    const events: ProgressEvent[] = [];
    const again = await executeNotebook(at('out/p1.ipynb'), { parameters: { k: 'auto', input: 'z.csv' }, output: at('out/p2.ipynb'), onProgress: (e) => events.push(e) });
    expect(again).toMatchObject({ status: 'ok', output: at('out/p2.ipynb') });
    const nb2 = readNotebook(at('out/p2.ipynb'));
    expect(injectedCells(nb2)).toEqual([2]);
    expect(cellSource(nb2.cells[2])).toContain("let k: number | 'auto' = \"auto\";");
    expect(outputsOf(nb2)).toMatch(/K auto[\s\S]*RETRIES 2/);
    expect(events.filter((e) => e.kind === 'cell-done').map((e) => (e.kind === 'cell-done' ? `${e.ordinal}/${e.total}` : ''))).toEqual(['1/4', '2/4', '3/4', '4/4']);
  }, 90_000);

  it('the HTML export keeps charts as inline SVG (nbconvert 6 would strip an image/svg+xml output to its text)', async () => {
    const svg = await renderSvg({ data: { values: [{ a: 'x', b: 3 }, { a: 'y', b: 5 }] }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } });
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: 'code', id: 'c1', metadata: {}, execution_count: 1, source: 'show(chart)', outputs: [{ output_type: 'display_data', metadata: {}, data: { 'image/svg+xml': svg, 'text/plain': 'chart' } }] }],
    };
    writeFileSync(at('chart.ipynb'), JSON.stringify(nb));
    await exportHtml(at('chart.ipynb'), at('chart.html'), { reportMode: true });
    const html = readFileSync(at('chart.html'), 'utf8');
    const inline = html.slice(html.indexOf('<svg'), html.lastIndexOf('</svg>') + 6);
    expect(inline.match(/<path[^>]*class="background"|<rect|<path/g)?.length ?? 0).toBeGreaterThan(2); // the bars survive, not only the labels
    expect(inline).toContain('<text');
    expect(html).not.toContain('&lt;svg');
  }, 60_000);

  it('a failing cell: exit code 1, stderr names the cell and error, the notebook is written with a banner', async () => {
    const r = await cli([at('failing.ipynb'), '-q']);
    expect(r.thrown).toBeUndefined();
    expect(r.code).toBe(1);
    expect(r.err).toContain('segkit run: cell [3/4] failed (index 3 in the executed notebook):');
    expect(r.err).toContain("      throw new Error('boom from fixture');");
    expect(r.err).toContain('  Error: boom from fixture');
    expect(r.err).not.toMatch(/^\[\d/m); // -q: no progress lines
    const nb = readNotebook(at('failing.out.ipynb'));
    const banner = cellSource(nb.cells[0]);
    expect(nb.cells[0].metadata.tags).toEqual(['segkit-error-banner']);
    expect(banner).toContain('Cell **[3/4]** (index 3 in this notebook');
    expect(banner).toContain('raised **Error**: boom from fixture');
    expect(banner).toContain('First line: `if (fail) {`');
    expect(outputsOf(nb)).toContain('before');
    expect(outputsOf(nb)).not.toContain('after the failing cell');
    expect(nb.metadata.segkit).toMatchObject({ status: 'error', failedCell: { index: 3, ordinal: 3 }, error: { ename: 'Error', evalue: 'boom from fixture' } });
  }, 60_000);

  it('--batch runs every line, writes one output each, and summarises (exit 1 when one failed)', async () => {
    writeFileSync(at('runs.jsonl'), `{"fail": false}\n\n{"fail": true, "_output": ${JSON.stringify(at('out/b2.ipynb'))}}\n`);
    const r = await cli([at('failing.ipynb'), '--batch', at('runs.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^batch: 2 runs, 1 ok, 1 failed/m);
    expect(r.out).toMatch(/ok {5}run 1 \(line 1\) \{"fail":false\} → .*failing\.run-1\.out\.ipynb/);
    expect(r.out).toMatch(/FAILED run 2 \(line 3\) \{"fail":true\} → .*b2\.ipynb .*\[4\/5\] Error: boom from fixture/);
    expect(readNotebook(at('failing.run-1.out.ipynb')).metadata.segkit).toMatchObject({ status: 'ok', parameters: { fail: false } });
    expect(outputsOf(readNotebook(at('failing.run-1.out.ipynb')))).toContain('after the failing cell');
    expect(readNotebook(at('out/b2.ipynb')).metadata.segkit).toMatchObject({ status: 'error' });

    writeFileSync(at('bad.jsonl'), '{"fail": false}\n{"fial": true}\n{"fail": "yes"}\n');
    const bad = await cli([at('failing.ipynb'), '--batch', at('bad.jsonl')]);
    expect(bad.thrown?.code).toBe('batch_invalid');
    expect(bad.thrown?.message).toMatch(/2 batch line\(s\) are invalid, nothing was run: line 2: unknown parameter "fial".*line 3: parameter fail is declared as boolean/);
  }, 60_000);

  it('a notebook without a parameters cell gets the values at the top, with a warning', async () => {
    const r = await cli([at('no-params.ipynb'), '-p', 'greeting', 'hi', '-q']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning \[NO_PARAMETERS_CELL\]: the notebook has no cell tagged "parameters"/);
    const nb = readNotebook(at('no-params.out.ipynb'));
    expect(injectedCells(nb)).toEqual([0]);
    expect(cellSource(nb.cells[0])).toContain('const greeting = "hi";');
    expect(outputsOf(nb)).toContain('hello from a notebook without parameters');
  }, 60_000);

  it('rejects bad input before running anything', async () => {
    const unknown = await cli([at('params.ipynb'), '-p', 'kk', '3', '-o', at('never.ipynb')]);
    expect(unknown.thrown).toMatchObject({ code: 'unknown_parameter' });
    expect(unknown.thrown?.message).toContain("the notebook's parameters are: k, input, verbose, note, weights, opts, retries");
    const wrong = await cli([at('params.ipynb'), '-p', 'k', 'fast', '-o', at('never.ipynb')]);
    expect(wrong.thrown?.message).toContain("parameter k is declared as number | 'auto' but the value \"fast\" is a string");
    const invalid = await cli([at('invalid.ipynb')]);
    expect(invalid.thrown).toMatchObject({ code: 'invalid_notebook' });
    expect(existsSync(at('never.ipynb'))).toBe(false);
    const swallowed = await cli(['-p', 'k', '3', at('nothing-here.ipynb')]); // notebook after -p is recovered
    expect(swallowed.thrown?.message).toMatch(/cannot read the notebook/);
  });

  it('a missing kernel or Python is a SegkitError that points at make setup', async () => {
    const kernel = await cli([at('no-params.ipynb'), '--kernel', 'no-such-kernel', '-q']);
    expect(kernel.thrown).toMatchObject({ code: 'kernel_missing' });
    expect(kernel.thrown?.hint).toMatch(/make setup/);
    process.env.SEGKIT_PYTHON = '/nonexistent/python3';
    const python = await cli([at('no-params.ipynb'), '-q']);
    expect(python.thrown).toMatchObject({ code: 'python_missing' });
    expect(python.thrown?.hint).toMatch(/make setup/);
    expect(executeScriptPath()).toBe(path.resolve(__dirname, '..', '..', 'src', 'notebook', 'execute.py'));
  }, 30_000);
});
