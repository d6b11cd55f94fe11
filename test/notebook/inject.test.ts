/** Injection, validation, error extraction and `segkit inspect` (no kernel needed). */
import { Command } from 'commander';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register as registerInspect } from '../../src/cli/commands/inspect';
import { type SegkitWarning, setWarningSink } from '../../src/errors';
import {
  INJECTED_TAG,
  type Notebook,
  cellSource,
  describeCellError,
  formatProgress,
  injectParameters,
  inspectParameters,
  parseNotebook,
  readNotebook,
} from '../../src/notebook';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'notebooks');
const fixture = (name: string): Notebook => readNotebook(path.join(FIXTURES, name));
const tagged = (nb: Notebook, tag: string): number[] => nb.cells.flatMap((c, i) => (c.metadata.tags?.includes(tag) ? [i] : []));

afterEach(() => {
  process.exitCode = undefined;
});

describe('injectParameters', () => {
  it('adds one injected cell right after the parameters cell, re-declaring with the declared keyword and type', () => {
    const nb = injectParameters(fixture('params.ipynb'), { k: 4, input: 'data/y.csv', note: 'hi', weights: [2], opts: { depth: 3 }, retries: 5 });
    expect(tagged(nb, INJECTED_TAG)).toEqual([2]);
    const src = cellSource(nb.cells[2]);
    expect(src).toContain("let k: number | 'auto' = 4;");
    expect(src).toContain('const input: string = "data/y.csv";');
    expect(src).toContain('const note = "hi";');
    expect(src).toContain('const weights = [2];');
    expect(src).toContain('const opts = {"depth":3};');
    expect(src).toContain('let retries: number = 5;');
    expect(nb.cells[2].id).toMatch(/^segkit-/);
  });

  it('replaces an earlier injected cell and error banner instead of adding another', () => {
    const once = injectParameters(fixture('params.ipynb'), { k: 4 });
    once.cells.unshift({ cell_type: 'markdown', metadata: { tags: ['segkit-error-banner'] }, source: 'failed' });
    const twice = injectParameters(once, { k: 7 });
    expect(tagged(twice, INJECTED_TAG)).toEqual([2]);
    expect(cellSource(twice.cells[2])).toContain('= 7;');
    expect(twice.cells.length).toBe(fixture('params.ipynb').cells.length + 1);
    expect(tagged(injectParameters(once, {}), INJECTED_TAG)).toEqual([]);
  });

  it('rejects unknown names (listing the parameters, suggesting the closest) unless allowUnknown', () => {
    const nb = fixture('params.ipynb');
    expect(() => injectParameters(nb, { kk: 4 })).toThrow(/unknown parameter "kk"; the notebook's parameters are: k, input, verbose, note, weights, opts, retries/);
    try {
      injectParameters(nb, { kk: 4 });
    } catch (e) {
      expect(e).toMatchObject({ code: 'unknown_parameter', stage: 'notebook' });
      expect((e as { hint: string }).hint).toMatch(/did you mean k\?.*--allow-unknown/);
    }
    // several unknown names: one message, the parameter list and the hint said once
    try {
      injectParameters(nb, { kk: 4, inptu: 'x', zzzzzz: 1 });
      expect.unreachable();
    } catch (e) {
      const { message, hint } = e as { message: string; hint: string };
      expect(message).toContain('unknown parameters "kk", "inptu", "zzzzzz"');
      expect(message.split("the notebook's parameters are").length).toBe(2);
      expect(hint).toMatch(/did you mean k \(for kk\), input \(for inptu\)\?/);
      expect(hint.split('--allow-unknown').length).toBe(2);
    }
    const ok = injectParameters(nb, { extra: [1] }, { allowUnknown: true });
    expect(cellSource(ok.cells[2])).toContain('const extra = [1];');
    expect(() => injectParameters(nb, { 'bad-name': 1 }, { allowUnknown: true })).toThrow(/not a valid TypeScript name/);
  });

  it('rejects a value of the wrong type, naming both types; a union accepts each member', () => {
    const nb = fixture('params.ipynb');
    expect(() => injectParameters(nb, { k: 'fast' })).toThrow(/parameter k is declared as number \| 'auto' but the value "fast" is a string/);
    expect(() => injectParameters(nb, { input: 12 })).toThrow(/declared as string but the value 12 is a number/);
    expect(() => injectParameters(nb, { weights: { a: 1 } })).toThrow(/declared as array/);
    expect(() => injectParameters(nb, { verbose: 'yes', retries: 'x' })).toThrow(/verbose .*; parameter retries/);
    expect(() => injectParameters(nb, { k: 'auto', note: [1, 2] })).not.toThrow(); // 'auto' literal; a null default takes anything
    try {
      injectParameters(nb, { input: 12 });
    } catch (e) {
      expect(e).toMatchObject({ code: 'parameter_type' });
      expect((e as { hint: string }).hint).toMatch(/-r input/);
    }
  });

  it('puts the values first, with a warning, when there is no parameters cell', () => {
    const warnings: SegkitWarning[] = [];
    const prev = setWarningSink((w) => warnings.push(w));
    try {
      const nb = injectParameters(fixture('no-params.ipynb'), { anything: 1 });
      expect(tagged(nb, INJECTED_TAG)).toEqual([0]);
      expect(warnings.map((w) => w.code)).toEqual(['NO_PARAMETERS_CELL']);
    } finally {
      setWarningSink(prev);
    }
  });
});

describe('parseNotebook', () => {
  it('rejects files that are not JSON or not nbformat 4 with a clear error', () => {
    expect(() => readNotebook(path.join(FIXTURES, 'invalid.ipynb'))).toThrow(/not a Jupyter notebook: the file is not valid JSON/);
    expect(() => parseNotebook('{"nbformat": 3, "worksheets": []}', 'old.ipynb')).toThrow(/nbformat is 3, segkit needs 4/);
    expect(() => parseNotebook('{"nbformat": 4, "cells": [{"cell_type": "code"}]}')).toThrow(/cell 0 has no text source/);
    expect(() => readNotebook(path.join(FIXTURES, 'nope.ipynb'))).toThrow(/cannot read the notebook/);
  });
});

describe('describeCellError', () => {
  const cell = (stderr: string) => ({ cell_type: 'code' as const, metadata: {}, source: 'x', outputs: [{ output_type: 'stream', name: 'stderr', text: stderr }] });
  it('reads Node stacks, custom errors, uncaught exceptions and compile diagnostics from stderr', () => {
    const stack = 'evalmachine.<anonymous>:3\nthrow new Error("boom");\n^\n\nError: boom\n    at evalmachine.<anonymous>:3:7\n    at sigintHandlersWrap (node:vm:280:12)\n';
    expect(describeCellError(cell(stack))).toMatchObject({ ename: 'Error', evalue: 'boom' });
    expect(describeCellError(cell(stack)).traceback).not.toMatch(/sigintHandlersWrap/);
    expect(describeCellError(cell('warning first\nMyErr: m\nsecond line\n    at foo (evalmachine.<anonymous>:7:7)\n'))).toMatchObject({ ename: 'MyErr', evalue: 'm\nsecond line' });
    expect(describeCellError(cell('UncaughtException: TypeError: late\n    at Timeout._onTimeout (evalmachine.<anonymous>:3:26)\n'))).toMatchObject({ ename: 'TypeError', evalue: 'late' });
    expect(describeCellError(cell("1:7 - Type 'string' is not assignable to type 'number'.\n"))).toMatchObject({ ename: 'TypeScriptError', evalue: "1:7 - Type 'string' is not assignable to type 'number'." });
    expect(describeCellError(cell('str\n'))).toMatchObject({ ename: 'Error', evalue: 'str' });
    expect(describeCellError(cell(''), { ename: 'CellTimeoutError', evalue: 'too slow' })).toMatchObject({ ename: 'CellTimeoutError' });
  });
});

describe('formatProgress', () => {
  it('prints one line per finished cell', () => {
    const line = formatProgress({ kind: 'cell-done', index: 4, ordinal: 3, total: 12, elapsedMs: 1234, totalMs: 5000, status: 'ok', firstLine: 'const tx = await seg.readTransactions(input, { mapping: m });' }, 30);
    expect(line).toBe('[3/12] 1.2s  const tx = await seg.readTran…');
    expect(formatProgress({ kind: 'cell-start', index: 0, ordinal: 1, total: 1, firstLine: 'x' })).toBeNull();
  });
});

describe('segkit inspect', () => {
  async function inspectCli(args: string[]): Promise<string> {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    try {
      const program = new Command().exitOverride();
      registerInspect(program);
      await program.parseAsync(['inspect', ...args], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    return out.join('');
  }

  it('prints a table of name, type, default and description', async () => {
    const text = await inspectCli([path.join(FIXTURES, 'params.ipynb')]);
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/Parameters of .*params\.ipynb \(cell 1, tagged "parameters"\)/);
    expect(lines[1]).toMatch(/^NAME\s+TYPE\s+DEFAULT\s+DESCRIPTION$/);
    expect(lines[2]).toMatch(/^k\s+number \| 'auto'\s+'auto'\s+number of clusters, or 'auto'$/);
    expect(text).toMatch(/input\s+string \(inferred\)\s+'\.\.\/data\/x\.csv'\s+input file/);
    expect(text).toMatch(/opts\s+object \(inferred\)\s+\{ depth: 2, mode: 'fast' \}\s+options/);
    expect(lines.length).toBe(2 + 7);
  });

  it('prints JSON with --json, and says so when there is no parameters cell', async () => {
    const json = JSON.parse(await inspectCli([path.join(FIXTURES, 'params.ipynb'), '--json'])) as ReturnType<typeof inspectParameters>;
    expect(json.cellIndex).toBe(1);
    expect(json.parameters.find((p) => p.name === 'weights')).toMatchObject({ type: 'array', defaultValue: [1, 2, 3], help: 'one weight per feature' });
    expect(await inspectCli([path.join(FIXTURES, 'no-params.ipynb')])).toMatch(/has no cell tagged "parameters"/);
  });
});
