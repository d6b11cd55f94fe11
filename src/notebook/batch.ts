/**
 * Batch runs: one notebook, many parameter sets (a JSON Lines file, one object per line).
 *
 * Every line is validated against the notebook's parameters before the first run starts, so a typo
 * on line 7 does not cost six runs. Each run gets a fresh kernel and its own output file.
 */
import { readFileSync } from 'node:fs';
import { SegkitError } from '../errors';
import { type ExecuteOptions, type ExecuteResult, defaultOutputPath, executeNotebook } from './execute';
import { validateParameters } from './inject';
import { readNotebook } from './nbformat';
import type { Parameters } from './values';

/** One line of a batch file. */
export interface BatchRun {
  /** 1-based run number (non-blank lines counted). */
  run: number;
  /** Line number in the batch file. */
  line: number;
  parameters: Parameters;
  /** The `_output` key of the line, when given. */
  output?: string;
}

/** Read a batch file: one JSON object of parameters per line; `_output` sets that run's output path. */
export function readBatchFile(file: string): BatchRun[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SegkitError('notebook', 'batch_file', `cannot read the batch file: ${(e as Error).message}`, { where: file, hint: 'check the path given to --batch' });
  }
  const runs: BatchRun[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    const where = `${file}:${i + 1}`;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      throw new SegkitError('notebook', 'batch_file', `line is not valid JSON (${(e as Error).message}): ${raw.slice(0, 80)}`, { where, hint: 'write one JSON object per line, e.g. {"k": 4}' });
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      throw new SegkitError('notebook', 'batch_file', `line is not a JSON object: ${raw.slice(0, 80)}`, { where, hint: 'write one JSON object per line, e.g. {"k": 4}' });
    }
    const { _output, ...parameters } = obj as Parameters;
    if (_output !== undefined && typeof _output !== 'string') {
      throw new SegkitError('notebook', 'batch_file', '"_output" must be a string (the output path)', { where, hint: 'e.g. {"k": 4, "_output": "runs/k4.ipynb"}' });
    }
    runs.push({ run: runs.length + 1, line: i + 1, parameters, ...(_output ? { output: _output } : {}) });
  });
  if (runs.length === 0) throw new SegkitError('notebook', 'batch_file', 'the batch file has no runs', { where: file, hint: 'write one JSON object per line' });
  return runs;
}

/** One finished batch run. */
export interface BatchOutcome {
  run: BatchRun;
  result: ExecuteResult;
}

/**
 * Run `notebook` once per batch line, in order. `options.parameters` are common to all runs; a
 * line's values override them. Outputs default to `NAME.run-<n>.out.ipynb` next to the notebook.
 * Throws (before running anything) when a line has unknown names or wrong types.
 */
export async function runBatch(
  notebook: string,
  runs: BatchRun[],
  options: ExecuteOptions & { onRunStart?: (run: BatchRun, output: string) => void } = {},
): Promise<BatchOutcome[]> {
  const nb = readNotebook(notebook);
  const merged = runs.map((r) => ({ ...(options.parameters ?? {}), ...r.parameters }));
  const problems: string[] = [];
  merged.forEach((params, i) => {
    try {
      validateParameters(nb, params, { allowUnknown: options.allowUnknown });
    } catch (e) {
      problems.push(`line ${runs[i].line}: ${(e as Error).message}`);
    }
  });
  if (problems.length) {
    throw new SegkitError('notebook', 'batch_invalid', `${problems.length} batch line(s) are invalid, nothing was run: ${problems.join('; ')}`, {
      hint: 'fix these lines (or pass --allow-unknown for extra names) and run again',
    });
  }
  const outcomes: BatchOutcome[] = [];
  for (const [i, run] of runs.entries()) {
    const output = run.output ?? defaultOutputPath(notebook, `.run-${run.run}.out`);
    options.onRunStart?.(run, output);
    const html = options.html === true ? true : undefined; // a single --html path cannot serve several runs
    const result = await executeNotebook(notebook, { ...options, parameters: merged[i], output, html });
    outcomes.push({ run, result });
  }
  return outcomes;
}
