/**
 * Run src/notebook/execute.py (nbclient / nbconvert) with Debian's Python and read its JSON events.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SegkitError } from '../errors';

/** One JSON line printed by execute.py. */
export interface PythonEvent {
  event: 'start' | 'kernel_ready' | 'cell_start' | 'cell_done' | 'done' | 'fatal';
  [key: string]: unknown;
}

const SETUP_HINT = 'run `make setup` (installs jupyter-nbconvert, python3-nbclient and registers the tslab kernel)';

/** The Python that runs execute.py: $SEGKIT_PYTHON, else /usr/bin/python3 (Debian's, which has nbclient). */
export function pythonExecutable(): string {
  return process.env.SEGKIT_PYTHON || '/usr/bin/python3';
}

/**
 * Path of execute.py. It stays in src/notebook/ (it is not compiled), so it is found from this
 * file's folder when running from src/ (vitest) and via `../../src/notebook` from dist/notebook/.
 */
export function executeScriptPath(): string {
  const candidates = [path.join(__dirname, 'execute.py'), path.join(__dirname, '..', '..', 'src', 'notebook', 'execute.py')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new SegkitError('notebook', 'script_missing', 'cannot find execute.py, the notebook runner', {
      where: candidates.join(' or '),
      hint: 'reinstall segkit: the package must ship src/notebook/execute.py',
    });
  }
  return found;
}

/** What one execute.py process did. */
export interface PythonRun {
  exitCode: number | null;
  events: PythonEvent[];
  /** The last 20 000 characters of its stderr. */
  stderr: string;
}

/**
 * Run `execute.py <args>`, calling `onEvent` for each event as it arrives. Throws SegkitError when
 * Python is missing or execute.py reports a fatal setup problem (missing packages or kernel).
 */
export function runExecuteScript(args: string[], onEvent: (e: PythonEvent) => void = () => undefined, env: Record<string, string> = {}): Promise<PythonRun> {
  const python = pythonExecutable();
  const script = executeScriptPath();
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, PYTHONUNBUFFERED: '1' } });
    const events: PythonEvent[] = [];
    let stderr = '';
    let buffer = '';
    const addStderr = (s: string): void => {
      stderr = (stderr + s).slice(-20_000);
    };
    const line = (l: string): void => {
      if (!l.trim()) return;
      let e: PythonEvent;
      try {
        e = JSON.parse(l) as PythonEvent;
      } catch {
        addStderr(l + '\n');
        return;
      }
      events.push(e);
      onEvent(e);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      lines.forEach(line);
    });
    child.stderr.setEncoding('utf8').on('data', addStderr);
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(
        new SegkitError('notebook', 'python_missing', `cannot start Python to run the notebook: ${e.message}`, {
          where: python,
          hint: `${SETUP_HINT}, or set SEGKIT_PYTHON to a Python 3 that has nbclient`,
          cause: e,
        }),
      );
    });
    child.on('close', (code) => {
      line(buffer);
      const fatal = events.find((e) => e.event === 'fatal');
      if (fatal) {
        const what: Record<string, string> = {
          python_deps: `the Python packages for running notebooks are missing (${String(fatal.message)})`,
          kernel_missing: `the Jupyter kernel is not installed: ${String(fatal.message)}`,
          kernel_start: `the Jupyter kernel did not start: ${String(fatal.message)}`,
        };
        const code_ = String(fatal.code);
        reject(
          new SegkitError('notebook', code_, what[code_] ?? String(fatal.message), {
            where: python,
            hint: code_ === 'python_deps' ? `${SETUP_HINT}, or set SEGKIT_PYTHON to a Python that has them` : `${SETUP_HINT}; \`/usr/bin/jupyter kernelspec list\` must show tslab`,
          }),
        );
        return;
      }
      if (!events.some((e) => e.event === 'done')) {
        reject(
          new SegkitError('notebook', 'runner_failed', `the notebook runner stopped (exit code ${code}) without finishing: ${stderr.trim().split('\n').slice(-5).join(' | ') || 'no message'}`, {
            where: script,
            hint: SETUP_HINT,
          }),
        );
        return;
      }
      resolve({ exitCode: code, events, stderr });
    });
  });
}
