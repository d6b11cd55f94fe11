/**
 * `segkit run NB.ipynb -p k 4 -o out.ipynb`: papermill-style parameterized execution of a
 * TypeScript notebook in a fresh tslab kernel (also `--batch runs.jsonl` for many runs).
 */
import type { Command } from 'commander';
import { SegkitError, isSegkitError } from '../../errors';
import { checkOutputPlace } from '../../io/place';
import { type BatchOutcome, readBatchFile, runBatch } from '../../notebook/batch';
import { type ExecuteOptions, type ExecuteResult, executeNotebook } from '../../notebook/execute';
import { validateParameters } from '../../notebook/inject';
import { type Notebook, readNotebook } from '../../notebook/nbformat';
import { progressWriter } from '../../notebook/progress';
import { type Parameters, loadParameterFile, pairTokens, parseParameterValue } from '../../notebook/values';

interface RunFlags {
  output?: string;
  parameter?: string[];
  raw?: string[];
  parametersFile?: string[];
  cwd?: string;
  timeout?: string;
  html?: boolean;
  htmlOutput?: string;
  reportMode?: boolean;
  allowUnknown?: boolean;
  batch?: string;
  kernel?: string;
  quiet?: boolean;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/**
 * Parameters from -f files, then -p (parsed), then -r (raw strings); later ones win. Also returns a
 * notebook path swallowed by -p/-r, and each -f file with the values it gives that nothing later
 * overrides (so a problem with one of them can name that file).
 */
export function parametersFromFlags(flags: RunFlags): { parameters: Parameters; dangling?: string; files: Array<{ file: string; parameters: Parameters }> } {
  const parameters: Parameters = {};
  const loaded = (flags.parametersFile ?? []).map((file) => ({ file, parameters: loadParameterFile(file) }));
  for (const f of loaded) Object.assign(parameters, f.parameters);
  let dangling: string | undefined;
  for (const [tokens, raw] of [[flags.parameter ?? [], false], [flags.raw ?? [], true]] as const) {
    const { pairs, dangling: d } = pairTokens(tokens);
    dangling ??= d;
    for (const [name, value] of pairs) {
      try {
        parameters[name] = raw ? value : parseParameterValue(value);
      } catch (e) {
        if (e instanceof SegkitError) throw new SegkitError('notebook', e.code, e.message, { where: `parameter ${name}`, hint: e.hint });
        throw e;
      }
    }
  }
  // each name's value came from the last place that set it: keep, per file, the names it had the last word on
  const files = loaded.map(({ file, parameters: p }, i) => ({
    file,
    parameters: Object.fromEntries(Object.entries(p).filter(([name]) => !loaded.slice(i + 1).some((later) => name in later.parameters) && !setOnCommandLine(flags, name))),
  }));
  return { parameters, dangling, files };
}

/** Is `name` set by -p or -r? */
function setOnCommandLine(flags: RunFlags, name: string): boolean {
  return [flags.parameter ?? [], flags.raw ?? []].some((tokens) => pairTokens(tokens).pairs.some(([n]) => n === name));
}

/**
 * Check the values each -f file gives against the notebook's parameters cell before anything runs, so
 * an unknown name or a value of the wrong type names the file it is in (the check of all the values at
 * once, in executeNotebook, cannot tell where each came from).
 */
export function checkParameterFiles(nb: Notebook, files: Array<{ file: string; parameters: Parameters }>, allowUnknown: boolean | undefined): void {
  for (const { file, parameters } of files) {
    try {
      validateParameters(nb, parameters, { allowUnknown });
    } catch (e) {
      if (!isSegkitError(e)) throw e;
      throw new SegkitError(e.stage, e.code, e.message, { where: `parameters file ${file} (-f)`, hint: e.hint, cause: e.cause });
    }
  }
}

function describeFailure(r: ExecuteResult): string {
  const lines: string[] = [];
  if (r.failedCell) {
    const f = r.failedCell;
    lines.push(`segkit run: cell [${f.ordinal}/${f.total}] failed (index ${f.index} in the executed notebook):`);
    const src = f.source.split('\n').filter((l) => l.trim() !== '');
    for (const l of src.slice(0, 3)) lines.push(`    ${l}`);
    if (src.length > 3) lines.push('    …');
  } else lines.push('segkit run: the notebook failed:');
  if (r.error) lines.push(`  ${r.error.ename}: ${r.error.evalue.split('\n').join('\n  ')}`);
  lines.push(`  The executed notebook (error banner at the top): ${r.output}`);
  return lines.join('\n') + '\n';
}

/** Progress on stderr: a line per finished cell; on a terminal the running cell's line ticks in place. */
function progressPrinter(quiet: boolean | undefined): ExecuteOptions['onProgress'] {
  return quiet ? undefined : progressWriter(process.stderr).onProgress;
}

function printBatchSummary(outcomes: BatchOutcome[]): void {
  const failed = outcomes.filter((o) => o.result.status !== 'ok');
  const total = outcomes.reduce((s, o) => s + o.result.durationMs, 0);
  const out = [`batch: ${outcomes.length} runs, ${outcomes.length - failed.length} ok, ${failed.length} failed (${(total / 1000).toFixed(1)}s)`];
  for (const { run, result } of outcomes) {
    const params = JSON.stringify(run.parameters);
    const status = result.status === 'ok' ? 'ok    ' : 'FAILED';
    const why = result.error ? `  ${result.failedCell ? `[${result.failedCell.ordinal}/${result.failedCell.total}] ` : ''}${result.error.ename}: ${result.error.evalue.split('\n')[0]}` : '';
    out.push(`  ${status} run ${run.run} (line ${run.line}) ${params} → ${result.output} (${(result.durationMs / 1000).toFixed(1)}s)${why}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

/** Register `segkit run`. */
export function register(program: Command): void {
  program
    .command('run')
    .description('Run a TypeScript notebook with parameters (papermill-style) in a fresh tslab kernel and save the executed copy')
    .argument('[notebook]', 'the .ipynb to run (its cell tagged "parameters" declares the parameters)')
    .option('-o, --output <file>', 'executed notebook path (default: NAME.out.ipynb next to the input)')
    .option('-p, --parameter <name value...>', 'set a parameter; the value is parsed: number, true/false, null, JSON array/object, else a string (repeatable; NAME=VALUE also works)')
    .option('-r, --raw <name value...>', 'set a parameter to the value as a raw string (repeatable)')
    .option('-f, --parameters-file <file>', 'YAML or JSON file of parameters (repeatable; -p/-r override it)', collect)
    .option('--cwd <dir>', "the kernel's working directory (default: the notebook's folder)")
    .option('--timeout <seconds>', 'fail a cell that runs longer than this (default: no limit)')
    .option('--html', 'also write an HTML export next to the output (OUTPUT.html)')
    .option('--html-output <file>', 'HTML export path (implies --html)')
    .option('--report-mode', 'hide code inputs in the HTML export')
    .option('--allow-unknown', 'inject parameters the notebook does not declare instead of failing')
    .option('--batch <runs.jsonl>', 'run once per line: a JSON object of parameters, optional "_output" path (default NAME.run-<n>.out.ipynb)')
    .option('--kernel <name>', "Jupyter kernel ('tslab': the tslab installed with segkit, whatever Jupyter has registered)", 'tslab')
    .option('-q, --quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Parameters are injected as a cell tagged "injected-parameters" after the cell tagged "parameters",
re-declaring each name with its declared type (let k: number | 'auto' = 4;). Unknown names and values
of the wrong type are rejected before anything runs. A failing cell exits with code 1; the executed
notebook is still written, with an error banner at the top. The executed notebook has execution counts
and is signed for you (Jupyter trusts it, as after \`jupyter trust\`); --html writes one portable file.

Examples:
  $ segkit run notebooks/segmentation.ipynb -p k 4 -p input ../data/sample_transactions.csv
  $ segkit run notebooks/04-segments.ipynb -r customerId 12347 -o runs/k4.ipynb
  $ segkit run notebooks/segmentation.ipynb -p seed=-1 --html --report-mode
  $ segkit run notebooks/segmentation.ipynb --batch runs.jsonl     # {"k": 3} / {"k": 5, "_output": "k5.ipynb"}
Put the notebook before -p/-r (they take every following NAME VALUE pair); write negative numbers as NAME=VALUE.
`,
    )
    .action(async (notebookArg: string | undefined, flags: RunFlags) => {
      const { parameters, dangling, files } = parametersFromFlags(flags);
      const notebook = notebookArg ?? (dangling && /\.ipynb$/i.test(dangling) ? dangling : undefined);
      if (dangling && notebook !== dangling) {
        throw new SegkitError('cli', 'bad_parameter', `-p/-r take NAME VALUE pairs; ${JSON.stringify(dangling)} has no value`, { where: 'run options', hint: 'write -p NAME VALUE (or -p NAME=VALUE)' });
      }
      if (!notebook) throw new SegkitError('cli', 'missing_notebook', 'no notebook given', { hint: 'segkit run NOTEBOOK.ipynb [-p NAME VALUE ...]' });
      const timeout = flags.timeout === undefined ? undefined : Number(flags.timeout);
      if (timeout !== undefined && !(timeout > 0)) {
        throw new SegkitError('cli', 'bad_option', `--timeout must be a positive number of seconds, got ${JSON.stringify(flags.timeout)}`, { where: '--timeout', hint: 'e.g. --timeout 600' });
      }
      if (files.length) checkParameterFiles(readNotebook(notebook), files, flags.allowUnknown);
      const options: ExecuteOptions = {
        parameters,
        allowUnknown: flags.allowUnknown,
        cwd: flags.cwd,
        timeout,
        html: flags.htmlOutput ?? flags.html ?? false,
        reportMode: flags.reportMode,
        kernel: flags.kernel,
        onProgress: progressPrinter(flags.quiet),
      };
      if (flags.batch) {
        if (flags.output) throw new SegkitError('cli', 'bad_option', '-o cannot be used with --batch', { hint: 'set "_output" on each batch line instead' });
        const outcomes = await runBatch(notebook, readBatchFile(flags.batch), {
          ...options,
          onRunStart: (run, output) => {
            if (!flags.quiet) process.stderr.write(`run ${run.run} (line ${run.line}) → ${output}\n`);
          },
        });
        for (const o of outcomes) if (o.result.status !== 'ok') process.stderr.write(describeFailure(o.result));
        printBatchSummary(outcomes);
        if (outcomes.some((o) => o.result.status !== 'ok')) process.exitCode = 1;
        return;
      }
      // the output places are checked before a kernel starts (refuses /proc, a file where a folder is needed, …)
      if (flags.output) checkOutputPlace(flags.output);
      if (flags.htmlOutput) checkOutputPlace(flags.htmlOutput);
      const result = await executeNotebook(notebook, { ...options, output: flags.output });
      if (result.status !== 'ok') {
        process.stderr.write(describeFailure(result));
        process.exitCode = 1;
      }
      const html = result.html ? `\n  html: ${result.html}` : '';
      process.stdout.write(`${result.status === 'ok' ? 'ok' : 'FAILED'} (${(result.durationMs / 1000).toFixed(1)}s): ${result.output}${html}\n`);
    });
}
