/**
 * Input files must never be overwritten by an output (`segkit rfm -i tx.csv -o tx.csv` would replace the
 * transactions with the customer table). Every file the reader opens is remembered here (by its real
 * path, so a symbolic link or another spelling of the path is caught too), and the atomic writers refuse
 * a target that is one of them. The command line turns this on ({@link protectInputs}); library code
 * that means to rewrite a file it read is left alone.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { SegkitError } from '../errors';

const inputs = new Set<string>();
let on = false;

/** Refuse outputs that are input files from now on (the CLI calls this once). */
export function protectInputs(): void {
  on = true;
}

const real = (file: string): string => {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
};

/** Remember `file` as an input of this process. */
export function rememberInput(file: string): void {
  if (on) inputs.add(real(file));
}

/** Throw SegkitError('io', 'output_is_input') when writing `target` would replace an input file. */
export function refuseInputAsOutput(target: string): void {
  if (inputs.size && inputs.has(real(target))) {
    throw new SegkitError('io', 'output_is_input', `the output "${target}" is the input file: writing it would replace the transactions`, {
      where: target,
      hint: 'choose another output name (e.g. rfm.csv next to the input)',
    });
  }
}
