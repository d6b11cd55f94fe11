/**
 * Issue 19, "Hangs and crashes": output paths that hung (/proc: Node's recursive mkdir loops) or crashed
 * (an unwritable folder: nodejs-polars' writeCSV panics with a Rust backtrace). Every writer goes through
 * src/io/place.ts; these tests hold it to a clear, located SegkitError and no file left behind.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOutputPlace, ensureOutputFolder, writeFileAtomic, writeTable } from '../../src/io';
import { ensureBuilt } from '../helpers/build';
import { CRASH_TEXT, segkit, segkitChild, tmpDir, txCsv } from './helpers';

const df = pl.DataFrame({ customer_id: ['a', 'b'], monetary: [1.5, 2] });

describe('output places: kernel and device folders', () => {
  it('refuses /proc, /sys and /dev (a clear error, at once) for files and folders', async () => {
    for (const p of ['/proc/segkit-out/rfm.csv', '/proc/x.csv', '/sys/x/y.csv', '/dev/null', '/dev/segkit.csv']) {
      const e = await writeTable(df, p.endsWith('.csv') ? p : `${p}.csv`).catch((x) => x);
      expect(e, p).toMatchObject({ stage: 'io', code: 'bad_output_path' });
      expect(e.message).toMatch(/cannot write under \/(proc|sys|dev)/);
    }
    expect(() => checkOutputPlace('/proc/segkit-out', { kind: 'folder' })).toThrow(/cannot write under \/proc/);
    expect(() => checkOutputPlace('/dev/null')).toThrow(/cannot write under \/dev/);
  });

  it('follows a symbolic link into /proc', () => {
    const dir = tmpDir();
    execFileSync('ln', ['-s', '/proc', path.join(dir, 'p')]);
    expect(() => ensureOutputFolder(path.join(dir, 'p', 'x', 'out.csv'))).toThrow(/cannot write under \/proc/);
  });

  describe('the CLI returns (it looped at 100 % CPU before)', () => {
    beforeAll(() => ensureBuilt(), 300_000);
    it('segkit rfm -o /proc/x/rfm.csv and segkit eda -o /proc/segkit-out end with one error, before reading', async () => {
      const dir = tmpDir();
      const input = txCsv(dir, 'tx.csv');
      for (const args of [
        ['rfm', '-i', input, '-o', '/proc/x/rfm.csv'],
        ['eda', '-i', input, '-o', '/proc/segkit-out'],
        ['generate', '--rows', '100', '-o', '/proc/x/gen.csv'],
      ]) {
        const r = await segkitChild(args, { timeoutMs: 30_000 });
        expect(r.timedOut, args.join(' ')).toBe(false);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/error \[bad_output_path\]: cannot write under \/proc/);
        expect(r.err).not.toMatch(CRASH_TEXT);
      }
    }, 120_000);
  });
});

describe('output places: files, folders and permissions', () => {
  it('makes missing folders one level at a time and writes there', async () => {
    const dir = tmpDir();
    await writeTable(df, path.join(dir, 'a', 'b', 'c', 't.csv'));
    expect(readdirSync(path.join(dir, 'a', 'b', 'c'))).toEqual(['t.csv']);
  });

  it('a file where a folder is needed, a folder where a file is needed, a trailing slash', async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'plain'), 'x');
    await expect(writeTable(df, path.join(dir, 'plain', 'sub', 't.csv'))).rejects.toThrow(`${path.join(dir, 'plain')} is a file, so it cannot hold the folder ${path.join(dir, 'plain', 'sub')}`);
    await expect(writeFileAtomic(dir, 'x')).rejects.toThrow(/is a folder, but a file name is needed/);
    await expect(writeFileAtomic(`${dir}/new/`, 'x')).rejects.toThrow(/ends in a slash/);
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  const asNobody = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');
  describe.skipIf(!asNobody)('a folder the user cannot write (as the user nobody, folder mode 500)', () => {
    beforeAll(() => ensureBuilt(), 300_000);
    it('segkit rfm -o: one segkit error naming the folder, no Rust panic or backtrace, nothing written', async () => {
      const dir = tmpDir();
      const input = txCsv(dir, 'tx.csv');
      const ro = path.join(dir, 'ro');
      execFileSync('mkdir', [ro]);
      chownSync(ro, 65534, 65534);
      chmodSync(ro, 0o500);
      for (const out of ['rfm.csv', 'rfm.parquet', 'rfm.json']) {
        const r = await segkitChild(['rfm', '-i', input, '-o', path.join(ro, out)], { uid: 65534 });
        expect(r.code, r.err).toBe(1);
        expect(r.err).toContain(`error [write_failed]: cannot write in the folder ${ro}: permission denied (EACCES)`);
        expect(r.err).toContain('Hint: choose an output folder you can write to');
        expect(r.err).not.toMatch(CRASH_TEXT);
        expect(r.out).toBe(''); // refused before the analysis
      }
      expect(readdirSync(ro)).toEqual([]);
      // a folder that is missing under the unwritable one
      const r = await segkitChild(['eda', '-i', input, '-o', path.join(ro, 'eda')], { uid: 65534 });
      expect(r.err).toContain(`cannot write in the folder ${ro}`);
      expect(r.err).not.toMatch(CRASH_TEXT);
    }, 120_000);
  });

  /** Mount a tmpfs of `size` (root only); undefined when mounting is not possible here. */
  const tinyDisk = (size: string): string | undefined => {
    if (process.getuid?.() !== 0) return undefined;
    const dir = tmpDir();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
      return dir;
    } catch {
      return undefined;
    }
  };
  // hex ids do not compress below 64 KB, even in Parquet
  const big = pl.DataFrame({ customer_id: Array.from({ length: 30_000 }, (_, i) => createHash('sha1').update(String(i)).digest('hex').slice(0, 16)), monetary: Array.from({ length: 30_000 }, (_, i) => i * 1.5) });

  it('a full disk (a 64 KB tmpfs): one write_failed error, no half-written file, the old file kept', async (ctx) => {
    const disk = tinyDisk('64k');
    if (!disk) return ctx.skip();
    try {
      writeFileSync(path.join(disk, 'rfm.csv'), 'old\n');
      for (const f of ['rfm.csv', 'rfm.parquet', 'rfm.json']) {
        const e = await writeTable(big, path.join(disk, f)).catch((x) => x);
        expect(e, f).toMatchObject({ stage: 'io', code: 'write_failed', hint: 'free some disk space or write elsewhere' });
        expect(e.message).toBe('could not write the file: no space left on the device (ENOSPC)');
      }
      expect(readdirSync(disk)).toEqual(['rfm.csv']);
      expect(readFileSync(path.join(disk, 'rfm.csv'), 'utf8')).toBe('old\n');
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('a read-only file system: refused before writing, named as such', async (ctx) => {
    const disk = tinyDisk('64k');
    if (!disk) return ctx.skip();
    try {
      execFileSync('mount', ['-o', 'remount,ro', disk]);
      const e = await writeTable(big, path.join(disk, 'sub', 'rfm.csv')).catch((x) => x);
      expect(e).toMatchObject({ code: 'write_failed', hint: 'the file system is read-only; choose another output folder' });
      expect(e.message).toBe(`cannot write in the folder ${disk}: read-only file system (EROFS)`);
    } finally {
      execFileSync('umount', [disk]);
    }
  });

  it('the CLI checks --out before reading any data (missing input still reported second)', async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'plain'), 'x');
    const r = await segkit(['rfm', '-i', path.join(dir, 'no-such.csv'), '-o', path.join(dir, 'plain', 'rfm.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error [bad_output_path]');
    expect(r.err).toContain(`(--out ${path.join(dir, 'plain', 'rfm.csv')})`);
  });
});
