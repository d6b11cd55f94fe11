/**
 * The bad-input catalogue (issue #19): every case of ./cases.ts run through the built CLI
 * (`node bin/segkit.js`, on a private snapshot of dist/), a few at a time, each in its own folder.
 * A case passes when ./run.ts `problems` finds nothing: right exit code, no hang, no stack trace or panic,
 * a located message that says what and where, bounded stderr without raw control characters, and no
 * half-written output.
 *
 * Unprivileged cases run as uid 65534 when the tests run as root (file modes do not stop root).
 * Full-disk cases mount a 64 KB tmpfs and fill it; without mount rights (not root, or a container that
 * forbids it) they are skipped with a message.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, type Case, type CaseContext, type Theme } from './cases';
import { makeFixtures } from './fixtures';
import { expandArgs, limiter, problems, runCli, snapshotBuild, type RunResult } from './run';

const THEMES: Theme[] = ['files', 'schemas', 'values', 'flags', 'notebooks', 'models', 'outputs', 'hostile'];
const isRoot = process.getuid?.() === 0;
/** Runs at once: the machine has 2 cores and most of a run is Node starting up and waiting on files. */
const limit = limiter(Number(process.env.SEGKIT_CATALOGUE_JOBS ?? 3));

let root = '';
let fx = '';
let bin = '';
let sharedTmp = '';
const mounts: string[] = [];
let mountProblem: string | null = null;
const hashes = new Map<string, string>();

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'segkit-bad-input-'));
  chmodSync(root, 0o755);
  bin = snapshotBuild(path.join(root, 'build'));
  fx = await makeFixtures(path.join(root, 'fx'));
  chmodSync(fx, 0o755);
  for (const f of readdirSync(fx)) hashes.set(f, sha(path.join(fx, f)));
  sharedTmp = path.join(root, 'tmp');
  mkdirSync(sharedTmp);
  chmodSync(sharedTmp, 0o1777);
}, 300_000);

afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', [m], { stdio: 'ignore' });
    } catch {
      /* left for the run folder's clean-up to report */
    }
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Mount a 64 KB tmpfs at `dir` and fill it; returns why it could not, or null. */
function fullDisk(dir: string): string | null {
  if (mountProblem !== null) return mountProblem;
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0777', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    mountProblem = `cannot mount a small tmpfs here (${isRoot ? String((e as { stderr?: Buffer }).stderr ?? e).trim() : 'not root'})`;
    return mountProblem;
  }
  mounts.push(dir);
  const fd = openSync(path.join(dir, 'filler'), 'w');
  try {
    const block = Buffer.alloc(4096, 120);
    for (;;) writeSync(fd, block);
  } catch {
    /* ENOSPC: full */
  } finally {
    closeSync(fd);
  }
  return null;
}

const results = new Map<string, { result: RunResult; problems: string[] }>();

async function runCase(k: Case): Promise<{ result: RunResult; problems: string[]; skipped?: string }> {
  const dir = path.join(root, 'cases', k.id);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const c: CaseContext = { dir, fx: (name) => path.join(fx, name) };
  if (k.fullDisk) {
    const why = fullDisk(path.join(dir, 'full'));
    if (why) return { result: { code: null, signal: null, out: '', err: '', timedOut: false, ms: 0 }, problems: [], skipped: why };
  }
  k.setup?.(c);
  const result = await limit(() =>
    runCli(bin, expandArgs(k.args, c), {
      cwd: dir,
      timeoutMs: k.timeoutMs ?? (k.args[0] === 'report' ? 240_000 : 90_000),
      unprivileged: k.unprivileged && isRoot,
      env: k.unprivileged && isRoot ? { TMPDIR: sharedTmp, HOME: sharedTmp } : {},
    }),
  );
  return { result, problems: problems(k, result, c) };
}

describe('the catalogue', () => {
  it('has at least 150 cases over every theme, each with a unique id', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CASES.map((k) => k.id)).size).toBe(CASES.length);
    for (const t of THEMES) expect(CASES.filter((k) => k.theme === t).length, t).toBeGreaterThanOrEqual(8);
    for (const k of CASES) if (k.code !== 0) expect(k.says?.length ?? 0, `${k.id} names what it expects the message to say`).toBeGreaterThan(0);
  });
});

for (const theme of THEMES) {
  describe.concurrent(`bad input: ${theme}`, () => {
    for (const k of CASES.filter((x) => x.theme === theme)) {
      const label = `${k.id}: ${k.what}${k.issue ? ` [issue #19: ${k.issue}]` : ''}${k.knownBug ? ` [open bug: ${k.knownBug}]` : ''}`;
      it(label, async (ctx) => {
        const { result, problems: found, skipped } = await runCase(k);
        if (skipped) {
          console.warn(`SKIPPED ${k.id}: ${skipped}`);
          ctx.skip();
          return;
        }
        results.set(k.id, { result, problems: found });
        if (process.env.SEGKIT_CATALOGUE_LOG) appendFileSync(process.env.SEGKIT_CATALOGUE_LOG, JSON.stringify({ id: k.id, theme: k.theme, issue: k.issue, ms: result.ms, code: result.code, problems: found, err: result.err.slice(0, 600) }) + '\n');
        if (k.knownBug) {
          // an open bug, recorded: the case must still find it; once fixed, remove the mark from cases.ts
          expect(found.length, `${k.id} passes now: its bug (${k.knownBug}) looks fixed; remove knownBug from the case`).toBeGreaterThan(0);
          return;
        }
        const detail = found.length ? `\n--- stderr ---\n${result.err.slice(0, 1500)}\n--- stdout ---\n${result.out.slice(0, 500)}` : '';
        expect(found, `segkit ${k.args.join(' ')}${detail}`).toEqual([]);
      }, 400_000);
    }
  });
}

describe('after the catalogue', () => {
  it('no case changed a fixture', () => {
    const changed = [...hashes].filter(([f, h]) => sha(path.join(fx, f)) !== h).map(([f]) => f);
    expect(changed).toEqual([]);
  });
});
