/**
 * Running segkit for the robustness tests: in this process (`main`, fast, stdout/stderr captured) or as
 * the installed CLI in a child process with a time limit (for what could hang or needs another user).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { ROOT } from '../helpers/shared';

export interface Run {
  code: number;
  out: string;
  err: string;
  /** The child was killed at the time limit. */
  timedOut?: boolean;
}

/** Run `segkit …args` in this process, capturing what it prints. */
export async function segkit(args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const so = process.stdout.write;
  const se = process.stderr.write;
  process.stdout.write = ((c: string | Uint8Array) => ((out += String(c)), true)) as typeof so;
  process.stderr.write = ((c: string | Uint8Array) => ((err += String(c)), true)) as typeof se;
  const prevExit = process.exitCode;
  try {
    const code = await main(['node', 'segkit', ...args]);
    return { code, out, err };
  } finally {
    process.stdout.write = so;
    process.stderr.write = se;
    process.exitCode = prevExit;
  }
}

export const BIN = path.join(ROOT, 'bin', 'segkit.js');

/** Run the built CLI (dist/) in a child process, killed after `timeoutMs`; optionally as another user (`setpriv`). */
export function segkitChild(args: string[], options: { timeoutMs?: number; uid?: number; cwd?: string } = {}): Promise<Run> {
  const argv = [process.execPath, BIN, ...args];
  const cmd = options.uid === undefined ? argv : ['setpriv', `--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0], cmd.slice(1), { cwd: options.cwd ?? ROOT, env: { ...process.env, RUST_BACKTRACE: '1' } });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out, err, timedOut });
    });
  });
}

/** A fresh temp folder others can enter (mode 755: a child running as nobody must reach its files). */
export function tmpDir(prefix = 'segkit-robust-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(d, 0o755);
  return d;
}

export const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

/** A small valid transactions CSV: `n` customers, three lines each, on days in January 2011; extra lines appended. */
export function txCsv(dir: string, name: string, extra: string[] = [], n = 12): string {
  const lines = [HEADER];
  for (let c = 0; c < n; c++) {
    for (let j = 0; j < 3; j++) {
      const day = String(1 + ((c * 3 + j) % 28)).padStart(2, '0');
      lines.push(`${1000 + c * 3 + j},A${j},Item ${j},${1 + j},2011-01-${day} 10:00,${(1.25 * (c + 1)).toFixed(2)},${17000 + c},United Kingdom`);
    }
  }
  lines.push(...extra);
  const f = path.join(dir, name);
  writeFileSync(f, lines.join('\n') + '\n');
  chmodSync(f, 0o644);
  return f;
}

/** Text that must never reach a user: a Rust panic, a backtrace or a JS stack. */
export const CRASH_TEXT = /panicked at|stack backtrace|RUST_BACKTRACE|^\s+at .+\(.+:\d+:\d+\)$/m;
