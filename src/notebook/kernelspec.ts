/**
 * The kernel `segkit run` gives nbclient: a `tslab` kernel spec written for the run, which starts the
 * tslab installed with this segkit (with this Node). The user's registered kernel is not consulted, so
 * a run works whichever clone registered `tslab` with Jupyter, and whether that clone still exists.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SegkitError } from '../errors';

/** Path of tslab's launcher script (bin/tslab of the tslab package segkit depends on). */
export function tslabBinary(): string {
  let pkg: string;
  try {
    pkg = require.resolve('tslab/package.json');
  } catch (e) {
    throw new SegkitError('notebook', 'kernel_missing', 'the tslab package is not installed next to segkit', {
      hint: 'run `make setup` (or npm install) in the segkit checkout',
      cause: e,
    });
  }
  const bin = path.join(path.dirname(pkg), 'bin', 'tslab');
  if (!existsSync(bin)) throw new SegkitError('notebook', 'kernel_missing', 'tslab has no bin/tslab', { where: bin, hint: 'reinstall the npm packages: `make setup`' });
  return bin;
}

/**
 * Write a Jupyter data folder under `dir` holding kernels/tslab/kernel.json for this segkit's tslab,
 * and return it (to put first on JUPYTER_PATH, where Jupyter looks before the user's kernels).
 */
export function writeKernelSpec(dir: string): string {
  const root = path.join(dir, 'jupyter');
  const spec = path.join(root, 'kernels', 'tslab');
  mkdirSync(spec, { recursive: true });
  const kernel = { argv: [process.execPath, tslabBinary(), 'kernel', '--config-path', '{connection_file}'], display_name: 'TypeScript', language: 'typescript' };
  writeFileSync(path.join(spec, 'kernel.json'), JSON.stringify(kernel, null, 1) + '\n');
  return root;
}
