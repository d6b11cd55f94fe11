/**
 * vitest globalSetup: every temp folder of a test run lives under one run folder, removed at the end.
 * Tests and the commands they start make their folders with mkdtemp(os.tmpdir()) and do not all remove
 * them (a failed assertion skips the clean-up; a killed child leaves its own); pointing TMPDIR at a run
 * folder before the workers start catches them all, Jupyter's, Chromium's and the servers' included.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'segkit-test-run-'));
  // the PostgreSQL test server runs as the postgres user and must be able to reach its folder
  chmodSync(root, 0o755);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true });
  };
}
