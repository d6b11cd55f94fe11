/**
 * A kernel that belongs to no checkout. In a throw-away Jupyter data folder (JUPYTER_DATA_DIR, so the
 * user's own kernels are untouched): a second "clone" (this Makefile and launcher, node_modules linked)
 * registers the kernel with `make kernel` and is deleted; this checkout's notebooks still run, with plain
 * nbconvert and with `segkit run`. A notebook outside every checkout gets a clear message.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeNotebook, readNotebook } from '../../src/notebook';
import { ROOT } from '../helpers/shared';

const NOTEBOOK = path.join(ROOT, 'test', 'fixtures', 'notebooks', 'no-params.ipynb');
const HELLO = 'hello from a notebook without parameters';

let tmp: string;
let env: NodeJS.ProcessEnv;
const savedEnv = { JUPYTER_DATA_DIR: process.env.JUPYTER_DATA_DIR, JUPYTER_PATH: process.env.JUPYTER_PATH, PATH: process.env.PATH };

/** `jupyter nbconvert --execute` of `notebook` in its own folder, with the throw-away Jupyter data folder. */
function nbconvert(notebook: string, out: string): { status: number | null; stderr: string; text: string } {
  const r = spawnSync('/usr/bin/jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=tslab', '--ExecutePreprocessor.startup_timeout=60', '--output-dir', path.dirname(out), '--output', path.basename(out), notebook], {
    cwd: path.dirname(notebook),
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  let text = '';
  try {
    text = readFileSync(out, 'utf8');
  } catch {
    text = '';
  }
  return { status: r.status, stderr: r.stderr, text };
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'segkit-kernel-'));
  // npx puts node_modules/.bin on PATH; a user's shell does not (the launcher's last resort is a tslab on PATH).
  const PATH = (process.env.PATH ?? '').split(path.delimiter).filter((p) => !p.includes('node_modules')).join(path.delimiter);
  env = { ...process.env, PATH, JUPYTER_DATA_DIR: path.join(tmp, 'jupyter-data') };
  delete env.JUPYTER_PATH;
  // What other tests' kernels see is not changed: only this file's process and children get the folder.
  process.env.JUPYTER_DATA_DIR = env.JUPYTER_DATA_DIR;
  process.env.PATH = PATH;
  delete process.env.JUPYTER_PATH;
});
afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  rmSync(tmp, { recursive: true, force: true });
});

describe('the tslab kernel belongs to no checkout', () => {
  it('registered from a second clone that is then deleted, it still runs this checkout\'s notebooks', () => {
    const clone = path.join(tmp, 'clone2');
    mkdirSync(path.join(clone, 'scripts', 'jupyter'), { recursive: true });
    copyFileSync(path.join(ROOT, 'Makefile'), path.join(clone, 'Makefile'));
    copyFileSync(path.join(ROOT, 'scripts', 'jupyter', 'tslab-kernel.sh'), path.join(clone, 'scripts', 'jupyter', 'tslab-kernel.sh'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));

    const first = execFileSync('make', ['-s', '-C', clone, 'kernel'], { env, encoding: 'utf8' });
    expect(first).toContain('registering the tslab Jupyter kernel');
    expect(execFileSync('make', ['-s', '-C', clone, 'kernel'], { env, encoding: 'utf8' })).toBe(''); // idempotent, quiet
    const spec = path.join(env.JUPYTER_DATA_DIR!, 'kernels', 'tslab');
    expect(readFileSync(path.join(spec, 'kernel.json'), 'utf8')).not.toContain(clone);
    expect(readFileSync(path.join(spec, 'fallback'), 'utf8').trim()).toBe(clone);

    rmSync(clone, { recursive: true, force: true });
    const r = nbconvert(NOTEBOOK, path.join(tmp, 'out', 'plain.ipynb'));
    expect(r.stderr).not.toMatch(/Kernel died|No such file/);
    expect(r.status).toBe(0);
    expect(r.text).toContain(HELLO);
  }, 180_000);

  it('says which tslab is missing for a notebook outside every checkout (the registering clone gone)', () => {
    const outside = path.join(tmp, 'outside');
    mkdirSync(outside, { recursive: true });
    copyFileSync(NOTEBOOK, path.join(outside, 'nb.ipynb'));
    const r = nbconvert(path.join(outside, 'nb.ipynb'), path.join(outside, 'out.ipynb'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`segkit: no tslab for a notebook in ${outside}`);
    expect(r.stderr).toContain('Run `make setup` in the segkit checkout that holds the notebook');
  }, 180_000);

  it('segkit run uses its own tslab, whatever Jupyter has registered (here: a launcher with nothing to launch)', async () => {
    const outside = path.join(tmp, 'outside');
    const result = await executeNotebook(path.join(outside, 'nb.ipynb'), { output: path.join(outside, 'run.ipynb') });
    expect(result.status).toBe('ok');
    expect(JSON.stringify(readNotebook(result.output).cells)).toContain(HELLO);
  }, 180_000);
});
