/**
 * Build dist/ when it is older than src/ (tests that spawn the CLI or run notebooks use the build).
 * A lock folder keeps parallel test workers from building at once. `make test` builds first, so in CI
 * this is a freshness check only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './shared';

function newestMtime(dir: string, re: RegExp): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, re));
    else if (re.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Ensure dist/index.js and each of `required` (paths under dist/) exist and are newer than src/. */
export function ensureBuilt(required: string[] = ['cli/main.js']): void {
  const built = path.join(ROOT, 'dist', 'index.js');
  const fresh = (): boolean =>
    existsSync(built) && required.every((f) => existsSync(path.join(ROOT, 'dist', f))) && statSync(built).mtimeMs >= newestMtime(path.join(ROOT, 'src'), /\.(ts|json)$/);
  if (fresh()) return;
  const lock = path.join(os.tmpdir(), `segkit-build-${ROOT.replace(/[^\w]/g, '_')}.lock`);
  const deadline = Date.now() + 280_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000) rmdirSync(lock);
      if (Date.now() > deadline) throw new Error(`waited too long for another build of dist/ (lock ${lock})`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (fresh()) return;
    try {
      execFileSync('npx', ['--no-install', 'tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch (e) {
      // tsc still emits on type errors (`make typecheck` reports them); only a missing build is fatal here.
      if (!existsSync(built)) throw e;
      console.warn(`tsc reported errors while building dist/:\n${String((e as { stdout?: Buffer }).stdout ?? '')}`);
    }
  } finally {
    rmdirSync(lock);
  }
}
