/**
 * Run segkit commands in this process (commander with exitOverride), capturing stdout and stderr: a
 * SegkitError becomes its one-line message on stderr and exit code 1, as bin/segkit.js prints it.
 */
import { Command } from 'commander';
import { vi } from 'vitest';
import { isSegkitError } from '../../src/errors';

export type Register = (program: Command) => void;

export async function runCommands(registers: Register[], args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  let code = 0;
  const program = new Command().name('segkit').exitOverride();
  for (const register of registers) register(program);
  try {
    await program.parseAsync(['node', 'segkit', ...args]);
  } catch (e) {
    if (!isSegkitError(e)) throw e;
    process.stderr.write(e.toLine() + '\n');
    code = 1;
  } finally {
    vi.restoreAllMocks();
  }
  return { code, out, err };
}
