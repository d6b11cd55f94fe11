/**
 * The installed CLI for real: `node bin/segkit.js` (which loads dist/) for `--help`, every command's
 * `--help`, `--version`, usage errors and SegkitErrors (one line + a hint, exit 1; `--verbose` adds
 * the stack). The examples in every help are also parsed by the real program (options, choices,
 * required options, arguments), so an example that would fail on its options is caught here.
 * `segkit inspect` runs on every notebook in notebooks/ and must agree with inspectParameters.
 * Builds dist/ first when it is older than src/ (`make test` has built it already).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CommanderError } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { parametersFromFlags } from '../../src/cli/commands/run';
import { createProgram } from '../../src/cli/main';
import { inspectParameters, readNotebook, validateParameters } from '../../src/notebook';
import { ROOT, SAMPLE } from '../helpers/shared';
import { ensureBuilt } from '../helpers/build';
import { shellWords } from '../helpers/shell';

const COMMANDS = ['run', 'inspect', 'report', 'eda', 'rfm', 'assign', 'generate', 'load', 'migrate', 'clv'];
const BIN = path.join(ROOT, 'bin', 'segkit.js');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string>; files: string[] };

// ---- build dist/ when stale (shared by the CLI and notebook tests; a lock keeps two workers from building at once)


// ---- running the CLI

interface Run {
  code: number;
  out: string;
  err: string;
}
const execFileP = promisify(execFile);
async function segkit(args: string[], cwd = ROOT): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [BIN, ...args], { cwd, timeout: 120_000, maxBuffer: 16 << 20 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof x.code !== 'number') throw e;
    return { code: x.code, out: x.stdout ?? '', err: x.stderr ?? '' };
  }
}
const lines = (s: string): string[] => s.split('\n').filter((l) => l.trim() !== '');

/** The `$ segkit …` lines under "Examples:". */
function exampleLines(help: string): string[] {
  const at = help.indexOf('\nExamples:\n');
  if (at < 0) return [];
  return help
    .slice(at)
    .split('\n')
    .map((l) => /^\s+\$ (segkit .*)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined);
}


const help: Record<string, Run> = {};

beforeAll(async () => {
  ensureBuilt();
  // Every help at once: each start of the CLI costs about a second.
  const runs = await Promise.all([segkit(['--help']), ...COMMANDS.map((c) => segkit([c, '--help']))]);
  help.segkit = runs[0];
  COMMANDS.forEach((c, i) => (help[c] = runs[i + 1]));
}, 300_000);

describe('segkit --help', () => {
  it('lists every command with a one-line summary, and ends with examples', () => {
    const { code, out, err } = help.segkit;
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: segkit \[options\] \[command\]/);
    const listed = out.slice(out.indexOf('\nCommands:\n'), out.indexOf('\nExamples:\n'));
    for (const c of COMMANDS) expect(listed, `command ${c} in segkit --help`).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(out).toContain('--verbose');
    const ex = exampleLines(out);
    expect(ex.length).toBeGreaterThanOrEqual(COMMANDS.length);
    for (const c of COMMANDS) expect(ex.some((l) => l.startsWith(`segkit ${c} `)), `an example of ${c} in segkit --help`).toBe(true);
    expect(out).toContain('segkit <command> --help');
  });

  it('`segkit help rfm` is `segkit rfm --help`', async () => {
    const r = await segkit(['help', 'rfm']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(help.rfm.out);
  });

  it('without a command: the usage on stderr and a non-zero exit', async () => {
    const r = await segkit([]);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: segkit/);
  });
});

describe.each(COMMANDS)('segkit %s --help', (command) => {
  it('describes the command and ends with examples of it', () => {
    const { code, out, err } = help[command];
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^Usage: segkit ${command} `));
    expect(out).toMatch(/\nOptions:\n/);
    expect(out).toContain('\nExamples:\n');
    const ex = exampleLines(out);
    expect(ex.length, `$ segkit ${command} … lines under Examples:`).toBeGreaterThanOrEqual(1);
    for (const l of ex) expect(l.startsWith(`segkit ${command} `), l).toBe(true);
  });

  it('every example parses with the real options (names, values, choices, required options; notebook parameters)', async () => {
    const problems: string[] = [];
    for (const line of exampleLines(help[command].out)) {
      const words = shellWords(line).slice(1);
      const notebooks = words.filter((w) => /^notebooks\/.*\.ipynb$/.test(w) && !existsSync(path.join(ROOT, w)));
      if (notebooks.length) problems.push(`${line}\n    names a notebook that does not exist: ${notebooks.join(', ')}`);
      const program = createProgram();
      const errors: string[] = [];
      program.configureOutput({ writeErr: (s) => errors.push(s), writeOut: () => undefined });
      let run: { notebook?: string; flags: Record<string, unknown> } | undefined;
      for (const c of program.commands) c.action(() => undefined); // parse only: do not run
      program.commands.find((c) => c.name() === 'run')!.action((notebook: string | undefined, flags: Record<string, unknown>) => {
        run = { notebook, flags };
      });
      try {
        await program.parseAsync(words, { from: 'user' });
      } catch (e) {
        if (!(e instanceof CommanderError)) throw e;
        problems.push(`${line}\n    ${errors.join('').trim().replace(/\n/g, '\n    ')}`);
      }
      // `segkit run NB -p …` of a notebook that ships: its -p/-r names and values must suit the notebook.
      if (run?.notebook && existsSync(path.join(ROOT, run.notebook))) {
        try {
          validateParameters(readNotebook(path.join(ROOT, run.notebook)), parametersFromFlags({ ...run.flags, parametersFile: undefined }).parameters);
        } catch (e) {
          problems.push(`${line}\n    ${(e as Error).message}`);
        }
      }
    }
    expect(problems, `examples of segkit ${command} --help that the CLI rejects`).toEqual([]);
  });
});

describe('segkit --version', () => {
  it("prints package.json's version", async () => {
    for (const flag of ['--version', '-V']) {
      const r = await segkit([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`${pkg.version}\n`);
    }
  });

  it('works as `npx segkit` in the repo (package.json declares the bin)', async () => {
    expect(pkg.bin).toEqual({ segkit: 'bin/segkit.js' });
    expect(statSync(BIN).mode & 0o111, 'bin/segkit.js is executable').not.toBe(0);
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const { stdout } = await execFileP('npx', ['--no-install', 'segkit', '--version'], { cwd: path.join(ROOT, 'notebooks') });
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  it('the package ships what the CLI reads at run time', () => {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{
      files: Array<{ path: string }>;
    }>;
    const files = new Set(packed[0].files.map((f) => f.path));
    for (const f of ['bin/segkit.js', 'package.json', 'dist/index.js', 'dist/cli/main.js', 'src/notebook/execute.py', 'templates/report.hbs', 'templates/report.css', 'src/data/segments.json']) {
      expect(files.has(f), `${f} in npm pack`).toBe(true);
    }
    for (const f of readdirSync(path.join(ROOT, 'templates', 'partials'))) expect(files.has(`templates/partials/${f}`), `templates/partials/${f} in npm pack`).toBe(true);
    expect([...files].some((f) => f.startsWith('test/') || f.startsWith('node_modules/'))).toBe(false);
  });
});

describe('usage errors: one line, a hint, a non-zero exit', () => {
  it('an unknown command', async () => {
    const r = await segkit(['segmnt']);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    expect(lines(r.err)).toEqual(["segkit error: unknown command 'segmnt'", '  Hint: run "segkit --help" for the options and examples']);
  });

  it('an unknown option names the command', async () => {
    const r = await segkit(['rfm', '--input', SAMPLE, '--binz', '4']);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    expect(lines(r.err)).toHaveLength(2);
    expect(lines(r.err)[0]).toBe("segkit rfm error: unknown option '--binz' (Did you mean --bins?)");
    expect(lines(r.err)[1]).toBe('  Hint: run "segkit rfm --help" for the options and examples');
  });

  it('a value outside the choices, a missing required option, a stray argument', async () => {
    const [choice, required, stray] = await Promise.all([
      segkit(['rfm', '--input', SAMPLE, '--method', 'median']),
      segkit(['assign', '--recency', '3']),
      segkit(['eda', SAMPLE]),
    ]);
    expect(lines(choice.err)[0]).toMatch(/^segkit rfm error: option '--method <method>' argument 'median' is invalid\. Allowed choices are rank, quantile, breaks\./);
    expect(lines(required.err)[0]).toBe("segkit assign error: required option '-m, --model <file>' not specified");
    expect(lines(stray.err)[0]).toMatch(/^segkit eda error: (required option '-i, --input <file>' not specified|too many arguments for 'eda')/);
    for (const r of [choice, required, stray]) {
      expect(r.code).toBe(1);
      expect(lines(r.err)).toHaveLength(2);
      expect(lines(r.err)[1]).toMatch(/^ {2}Hint: run "segkit \w+ --help"/);
    }
  });
});

describe('SegkitError: "segkit <stage> error [code]: …" + Hint, exit 1; --verbose adds the stack', () => {
  /** The error line and the hint right after it; asserts there is exactly one error line and no stack. */
  function errorAndHint(r: Run): [string, string] {
    const ls = lines(r.err);
    const at = ls.findIndex((l) => / error \[[\w-]+\]: /.test(l));
    expect(at, `an error line in:\n${r.err}`).toBeGreaterThanOrEqual(0);
    expect(ls.filter((l) => / error \[[\w-]+\]: /.test(l))).toHaveLength(1);
    expect(ls[at + 1]).toMatch(/^ {2}Hint: \S/);
    return [ls[at], ls[at + 1]];
  }

  it('report --input missing.csv: the file is named, no stack trace', async () => {
    const r = await segkit(['report', '--input', 'missing.csv', '--out-dir', os.tmpdir()]);
    expect(r.code).toBe(1);
    const [line] = errorAndHint(r);
    expect(line).toMatch(/^segkit io error \[file_not_found\]: .*missing\.csv/);
    expect(r.err).not.toMatch(/^\s+at /m);
  });

  it('rfm --bins 99: the parameter is named, no stack trace; with --verbose (before or after the command) the stack follows', async () => {
    const args = ['rfm', '--input', SAMPLE, '--bins', '99'];
    const [plain, after, before] = await Promise.all([segkit(args), segkit([...args, '--verbose']), segkit(['--verbose', ...args])]);
    expect(plain.code).toBe(1);
    expect(plain.out).toBe('');
    const [line, hint] = errorAndHint(plain);
    expect(line).toMatch(/^segkit rfm error \[\w+\]: .*99.*bins/);
    expect(hint.length).toBeGreaterThan('  Hint: '.length + 10);
    expect(plain.err).not.toMatch(/^\s+at /m);
    for (const r of [after, before]) {
      expect(r.code).toBe(1);
      expect(errorAndHint(r)[0]).toBe(line);
      expect(r.err).toMatch(/^SegkitError: .*99/m);
      expect(r.err).toMatch(/^\s+at .*rfm/m);
    }
  });

  it('inspect of a missing notebook', async () => {
    const r = await segkit(['inspect', 'notebooks/nope.ipynb']);
    expect(r.code).toBe(1);
    expect(errorAndHint(r)[0]).toMatch(/^segkit notebook error \[\w+\]: .*nope\.ipynb/);
  });
});

describe('segkit inspect on every notebook in notebooks/', () => {
  const notebooks = readdirSync(path.join(ROOT, 'notebooks'))
    .filter((f) => f.endsWith('.ipynb') && !f.endsWith('.out.ipynb'))
    .sort()
    .map((f) => `notebooks/${f}`);
  const table: Record<string, Run> = {};
  const json: Record<string, Run> = {};
  let none: Run;
  beforeAll(async () => {
    const runs = await Promise.all([
      ...notebooks.map((nb) => segkit(['inspect', nb])),
      ...notebooks.map((nb) => segkit(['inspect', nb, '--json'])),
      segkit(['inspect', path.join('test', 'fixtures', 'notebooks', 'no-params.ipynb')]),
    ]);
    notebooks.forEach((nb, i) => {
      table[nb] = runs[i];
      json[nb] = runs[notebooks.length + i];
    });
    none = runs[runs.length - 1];
  }, 300_000);

  it('finds the notebooks', () => {
    expect(notebooks).toContain('notebooks/segmentation.ipynb');
  });

  it.each(notebooks)('%s: a table of NAME, TYPE, DEFAULT, DESCRIPTION with one row per parameter', (nb) => {
    const info = inspectParameters(readNotebook(path.join(ROOT, nb)));
    const r = table[nb];
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const ls = r.out.trimEnd().split('\n');
    expect(ls[0]).toBe(`Parameters of ${nb} (cell ${info.cellIndex}, tagged "parameters"):`);
    expect(ls[1]).toMatch(/^NAME +TYPE +DEFAULT +DESCRIPTION$/);
    const rows = ls.slice(2);
    expect(rows).toHaveLength(info.parameters.length);
    info.parameters.forEach((p, i) => {
      expect(rows[i].startsWith(`${p.name} `), rows[i]).toBe(true);
      expect(rows[i]).toContain(p.type);
    });
  });

  it.each(notebooks)('%s --json: the same as inspectParameters', (nb) => {
    const r = json[nb];
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ notebook: nb, ...inspectParameters(readNotebook(path.join(ROOT, nb))) });
  });

  it('a notebook without a parameters cell says so', () => {
    expect(none.code).toBe(0);
    expect(none.out).toMatch(/no-params\.ipynb has no cell tagged "parameters"/);
  });
});
