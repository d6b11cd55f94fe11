/**
 * Atomic file output: write to a temporary name in the same folder, then rename over the target.
 * A reader never sees a half-written file, and a failed write leaves the old file (if any) untouched.
 *
 * Every output path goes through ./place first (refuses /proc, /sys, /dev; makes missing folders with a
 * bounded walk; a folder that cannot be written is reported before any writer runs).
 *
 * The temporary name is `<path>.tmp-<pid>` (plus a counter when one process writes the same path
 * twice at once), in the target's own folder so the final `rename` never crosses file systems.
 */
import { promises as fsp, closeSync, openSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SegkitError } from '../errors';
import { refuseInputAsOutput } from './inputs';
import { ensureOutputFolder, ioError } from './place';

export { checkOutputPlace, ensureOutputFolder } from './place';

let counter = 0;

/** The temporary path used for `target`: `<target>.tmp-<pid>` (a counter is added after the first). */
export function tempPathFor(target: string): string {
  const n = counter++;
  return `${target}.tmp-${process.pid}${n === 0 ? '' : `-${n}`}`;
}

/**
 * Create (and remove) the temporary file before the real writer runs, so that a folder the user cannot
 * write to, a read-only file system or a full inode table is reported here, as one SegkitError, and not
 * by a writer in native code (nodejs-polars' writeCSV panics with a Rust backtrace on EACCES).
 */
function probeWritable(tmp: string, target: string): void {
  try {
    closeSync(openSync(tmp, 'w'));
    unlinkSync(tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw ioError('write_failed', `cannot write in the folder ${path.dirname(path.resolve(target))}`, target, e);
  }
}

/**
 * Write `data` to `target` atomically (temp file in the same folder + rename).
 * The parent folder is created when missing. On failure the temp file is removed and a
 * SegkitError('io', 'write_failed') is thrown; `target` is left as it was.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await withAtomicOutput(target, async (tmp) => {
    await fsp.writeFile(tmp, data);
  });
}

/** Synchronous twin of {@link writeFileAtomic} (for small files written from synchronous code). */
export function writeFileAtomicSync(target: string, data: string | Uint8Array): void {
  refuseInputAsOutput(target);
  ensureOutputFolder(target);
  const tmp = tempPathFor(target);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw ioError('write_failed', 'could not write the file', target, e);
  }
}

/**
 * Let `write(tmpPath)` produce the file at a temporary path, then rename it to `target`.
 *
 * - The temp path is `<target>.tmp-<pid>` in the same folder (created when missing).
 * - If `write` throws, or does not create the temp file, the temp file is removed, `target` is untouched
 *   and the error is rethrown (SegkitErrors as they are; others wrapped as 'write_failed').
 * - Returns whatever `write` returns.
 */
export async function withAtomicOutput<T>(target: string, write: (tmpPath: string) => Promise<T> | T): Promise<T> {
  refuseInputAsOutput(target);
  ensureOutputFolder(target);
  const tmp = tempPathFor(target);
  probeWritable(tmp, target);
  let result: T;
  try {
    result = await write(tmp);
  } catch (e) {
    await fsp.rm(tmp, { force: true, recursive: true }).catch(() => undefined);
    if (e instanceof SegkitError) throw e;
    throw ioError('write_failed', 'could not write the file', target, e);
  }
  try {
    await fsp.access(tmp);
  } catch (e) {
    throw new SegkitError('io', 'write_failed', 'the writer finished without creating the temporary file', {
      where: `${target} (temp ${tmp})`,
      hint: 'this is a bug in the code that writes this output; please report it',
      cause: e,
    });
  }
  try {
    await fsp.rename(tmp, target);
  } catch (e) {
    await fsp.rm(tmp, { force: true, recursive: true }).catch(() => undefined);
    throw ioError('write_failed', 'could not move the finished file into place', target, e);
  }
  return result;
}
