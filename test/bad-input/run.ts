/**
 * Running the built CLI for the bad-input catalogue: a private snapshot of dist/ (other work may rebuild
 * dist/ while the catalogue runs; `make build` removes it first), runs with a time limit, a few at a time,
 * optionally as an unprivileged user; and the checks every case gets.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import pl from 'nodejs-polars';
import { ensureBuilt } from '../helpers/build';
import { ROOT } from '../helpers/shared';
import { LIBRARY_SYNTAX, csvRows, type Case, type CaseContext } from './cases';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  timedOut: boolean;
  ms: number;
}

/**
 * Copy dist/ (and bin/segkit.js) into `dir`, with links to node_modules, templates and src, so the runs
 * use one consistent build. Returns the path of the snapshot's bin/segkit.js.
 */
export function snapshotBuild(dir: string): string {
  for (let attempt = 0; ; attempt++) {
    try {
      ensureBuilt();
      mkdirSync(path.join(dir, 'bin'), { recursive: true });
      cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
      if (!existsSync(path.join(dir, 'dist', 'cli', 'main.js')) || !existsSync(path.join(dir, 'dist', 'index.js'))) throw new Error('dist/ was incomplete while copying');
      break;
    } catch (e) {
      if (attempt >= 5) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
    }
  }
  copyFileSync(path.join(ROOT, 'bin', 'segkit.js'), path.join(dir, 'bin', 'segkit.js'));
  for (const x of ['node_modules', 'templates', 'src', 'package.json']) if (!existsSync(path.join(dir, x))) symlinkSync(path.join(ROOT, x), path.join(dir, x));
  chmodSync(dir, 0o755);
  return path.join(dir, 'bin', 'segkit.js');
}

/** A counting semaphore: at most `n` runs at once. */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/** Run `node bin args` in `cwd`; kill it after `timeoutMs`. */
export function runCli(bin: string, args: string[], opts: { cwd: string; timeoutMs: number; unprivileged?: boolean; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env };
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.unprivileged ? { uid: 65534, gid: 65534 } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const keep = (into: Buffer[]) => (b: Buffer): void => {
      size += b.length;
      if (size < 8 << 20) into.push(b);
    };
    child.stdout.on('data', keep(out));
    child.stderr.on('data', keep(err));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8'), timedOut, ms: Date.now() - t0 });
    });
  });
}

/** `@name` → fixture, `%name` → the case's folder, `%%x` → `%x`. */
export function expandArgs(args: string[], c: CaseContext): string[] {
  return args.map((a) => (a.startsWith('%%') ? a.slice(1) : a.startsWith('@') ? c.fx(a.slice(1)) : a === '%' ? c.dir : a.startsWith('%') ? path.join(c.dir, a.slice(1)) : a));
}

const STACK = /^\s+at (?:.+ \()?(?:\/|node:|file:)[^\n]*:\d+:\d+\)?$/m;
const PANIC = /panicked at|stack backtrace|RUST_BACKTRACE|thread '[^']*' panicked|fatal runtime error|Segmentation fault|core dumped|FATAL ERROR/i;
const ERROR_LINE = /^segkit(?: [\w-]+)?(?: [\w-]+)? error\b/;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const MAX_STDERR = 16 * 1024;

const matches = (text: string, s: string | RegExp): boolean => (typeof s === 'string' ? text.toLowerCase().includes(s.toLowerCase()) : s.test(text));
const show = (s: string | RegExp): string => (typeof s === 'string' ? JSON.stringify(s) : String(s));

/** Every file under `dir` (relative paths). */
export function walk(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, base) : [path.relative(base, p)];
  });
}

/** Problems with a finished output file (or folder of outputs). */
export function incomplete(file: string): string[] {
  if (!existsSync(file)) return [`missing output ${path.basename(file)}`];
  if (statSync(file).isDirectory()) return walk(file).flatMap((f) => incomplete(path.join(file, f)));
  const name = path.basename(file);
  try {
    if (/\.csv(\.gz)?$/.test(name)) {
      const raw = readFileSync(file);
      const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
      if (!text.endsWith('\n')) return [`${name} does not end with a newline`];
      const rows = csvRows(text);
      const width = rows[0]?.length ?? 0;
      const bad = rows.findIndex((r) => r.length !== width);
      return bad >= 0 ? [`${name}: row ${bad + 1} has ${rows[bad].length} fields, the header ${width}`] : [];
    }
    if (name.endsWith('.ndjson')) {
      readFileSync(file, 'utf8').split('\n').filter(Boolean).forEach((l) => JSON.parse(l));
      return [];
    }
    if (name.endsWith('.json')) return (JSON.parse(readFileSync(file, 'utf8')), []);
    if (name.endsWith('.parquet')) return (pl.readParquet(file), []);
    if (name.endsWith('.html')) return readFileSync(file, 'utf8').trimEnd().endsWith('</html>') ? [] : [`${name} does not end with </html>`];
    if (name.endsWith('.svg')) return readFileSync(file, 'utf8').includes('</svg>') ? [] : [`${name} has no </svg>`];
    return [];
  } catch (e) {
    return [`${name} does not read back: ${(e as Error).message.slice(0, 200)}`];
  }
}


/** Every problem with a case's run (empty when the case passes). */
export function problems(k: Case, r: RunResult, c: CaseContext): string[] {
  const p: string[] = [];
  const all = `${r.out}\n${r.err}`;
  if (r.timedOut) p.push(`did not finish within ${r.ms} ms (hang?)`);
  else if (r.signal) p.push(`killed by ${r.signal}`);
  if (!r.timedOut && r.code !== k.code) p.push(`exit code ${r.code}, expected ${k.code}`);
  if (STACK.test(all)) p.push('prints a stack trace');
  if (PANIC.test(all)) p.push('prints panic or crash text');
  if (/this is unexpected/.test(r.err)) p.push('reports an unexpected (non-segkit) error');
  if (/\[object Object\]|\bundefined\b/.test(r.err)) p.push('the message holds "undefined" or "[object Object]"');
  if (r.err.length > MAX_STDERR) p.push(`stderr is ${r.err.length} characters (a message should quote at most a short excerpt)`);
  if (CONTROL.test(r.err)) p.push('stderr holds raw control characters (quote them escaped)');
  if (k.code !== 0 && !r.timedOut) {
    const lines = r.err.split('\n').filter((l) => l.trim() !== '');
    const at = lines.findIndex((l) => ERROR_LINE.test(l));
    if (at < 0) p.push('no "segkit … error" line on stderr');
    else if (at > 0 && lines.slice(at + 1).some((l) => /^segkit .* warning\b/.test(l))) p.push('the error line is neither first nor last: warnings follow it');
  }
  const hay = k.code === 0 ? all : r.err;
  for (const s of k.says ?? []) if (!matches(hay, s)) p.push(`does not say ${show(s)}`);
  for (const s of k.never ?? []) if (matches(all, s)) p.push(`says ${show(s)}${s === LIBRARY_SYNTAX ? ' (library option syntax on the CLI)' : ''}`);
  const temps = walk(c.dir).filter((f) => /\.tmp-\d+|\.\d+\.tmp$/.test(f));
  if (temps.length) p.push(`temporary files left: ${temps.join(', ')}`);
  for (const o of k.outputs ?? []) {
    const file = expandArgs([o], c)[0];
    if (k.code === 0 && r.code === 0) p.push(...incomplete(file));
    else if (k.code !== 0 && existsSync(file) && !k.setup) p.push(`output ${o.slice(1)} exists after a failed run`);
  }
  if (k.check && !r.timedOut) {
    try {
      p.push(...k.check(r, c));
    } catch (e) {
      p.push(`check failed: ${(e as Error).message.slice(0, 300)}`);
    }
  }
  return p;
}
