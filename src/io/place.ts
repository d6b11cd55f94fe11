/**
 * Output places: one check, used by every writer (./atomic), that an output path can be written and
 * that making its folder terminates.
 *
 * - Paths under /proc, /sys and /dev (kernel file systems and device nodes; /dev/shm excepted) are
 *   refused: Node 20's recursive mkdir never returns on /proc, and renaming a file over /dev/null as root
 *   would replace the device.
 * - Missing folders are made one level at a time from the nearest existing folder (a bounded walk, no
 *   recursive mkdir), after checking that this folder is a folder and can be written.
 * - A file where a folder is expected, or a folder where a file is expected, is named as such.
 */
import { constants as fsc, accessSync, mkdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { SegkitError } from '../errors';

/** Roots under which segkit never writes (a path equal to or below one of them). */
export const FORBIDDEN_ROOTS = ['/proc', '/sys', '/dev'] as const;
/** Exceptions inside the forbidden roots: ordinary file systems. */
const ALLOWED_UNDER_FORBIDDEN = ['/dev/shm'];

/** A SegkitError('io', code) for a failed file operation, with a hint that follows the errno. */
export function ioError(code: string, what: string, target: string, e: unknown): SegkitError {
  const err = e as NodeJS.ErrnoException;
  const hint =
    err?.code === 'ENOENT'
      ? 'create the output folder first, or choose another output path'
      : err?.code === 'EACCES' || err?.code === 'EPERM'
        ? 'choose an output folder you can write to'
        : err?.code === 'EROFS'
          ? 'the file system is read-only; choose another output folder'
          : err?.code === 'ENOSPC' || err?.code === 'EDQUOT'
            ? 'free some disk space or write elsewhere'
            : 'check the output path and try again';
  const detail = err?.code ? errnoText(err) : (err?.message ?? String(e));
  return new SegkitError('io', code, `${what}: ${detail}`, { where: target, hint, cause: e });
}

function errnoText(err: NodeJS.ErrnoException): string {
  const plain: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ENOENT: 'no such file or folder',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder',
    ENAMETOOLONG: 'the name is too long',
    ELOOP: 'too many symbolic links',
  };
  return `${plain[err.code!] ?? err.message} (${err.code})`;
}

const under = (p: string, root: string): boolean => p === root || p.startsWith(root + '/');

function refuseSpecial(abs: string, target: string): void {
  for (const root of FORBIDDEN_ROOTS) {
    if (under(abs, root) && !ALLOWED_UNDER_FORBIDDEN.some((a) => under(abs, a))) {
      throw new SegkitError('io', 'bad_output_path', `cannot write under ${root}: it is a kernel file system or device folder, not a place for files`, {
        where: target,
        hint: 'choose an output path in an ordinary folder (e.g. reports/)',
      });
    }
  }
}

/** The nearest existing ancestor of `dir` (itself included) and the folders below it that are missing, top first. */
function nearestExisting(dir: string, target: string): { existing: string; stat: Stats; missing: string[] } {
  const missing: string[] = [];
  let cur = dir;
  // at most one step per path component: the walk always ends
  for (let i = 0; i <= dir.split(path.sep).length; i++) {
    let st: Stats | undefined;
    try {
      st = statSync(cur, { throwIfNoEntry: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') st = undefined;
      else throw ioError('bad_output_path', `cannot look at the folder ${cur}`, target, e);
    }
    if (st) return { existing: cur, stat: st, missing };
    missing.unshift(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  throw new SegkitError('io', 'bad_output_path', `no existing folder above ${dir}`, { where: target, hint: 'check the output path' });
}

export interface OutputPlaceOptions {
  /** 'file' (default): `target` is a file to write; 'folder': `target` is a folder to write files into. */
  kind?: 'file' | 'folder';
}

/**
 * Check, without creating anything, that `target` can be written: not under /proc, /sys or /dev; no file
 * where a folder is needed (and no folder where a file is); the nearest existing folder can be written.
 * Returns the folders that would have to be made, top first. Throws SegkitError('io', 'bad_output_path'
 * or 'write_failed').
 */
export function checkOutputPlace(target: string, options: OutputPlaceOptions = {}): string[] {
  const kind = options.kind ?? 'file';
  if (target.trim() === '') {
    throw new SegkitError('io', 'bad_output_path', 'the output path is empty', { where: 'output path', hint: 'give a file or folder name' });
  }
  const abs = path.resolve(target);
  refuseSpecial(abs, target);
  const dir = kind === 'file' ? path.dirname(abs) : abs;
  if (kind === 'file') {
    if (/[/\\]$/.test(target)) {
      throw new SegkitError('io', 'bad_output_path', `the output "${target}" ends in a slash, but a file name is needed`, { where: target, hint: 'give a file name, e.g. reports/rfm.csv' });
    }
    let st: Stats | undefined;
    try {
      st = statSync(abs, { throwIfNoEntry: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw ioError('write_failed', `cannot reach the output path`, target, e);
    }
    if (st?.isDirectory()) {
      throw new SegkitError('io', 'bad_output_path', `the output "${target}" is a folder, but a file name is needed`, { where: target, hint: `give a file name inside it, e.g. ${path.join(target, 'out.csv')}` });
    }
  }
  const { existing, stat, missing } = nearestExisting(dir, target);
  // a symbolic link may lead into /proc: check where the existing part really is
  let real = existing;
  try {
    real = realpathSync(existing);
  } catch {
    /* keep the path as given */
  }
  refuseSpecial(real, target);
  if (!stat.isDirectory()) {
    throw new SegkitError('io', 'bad_output_path', `${existing} is a file, so it cannot hold ${missing.length ? `the folder ${missing[0]}` : 'the output'}`, {
      where: target,
      hint: 'choose another output path, or move that file away',
    });
  }
  try {
    accessSync(existing, fsc.W_OK | fsc.X_OK);
  } catch (e) {
    throw ioError('write_failed', `cannot write in the folder ${existing}`, target, e);
  }
  return missing;
}

/**
 * {@link checkOutputPlace}, then make the missing folders one level at a time. For a file target the
 * folder it goes in is made; for a folder target the folder itself.
 */
export function ensureOutputFolder(target: string, options: OutputPlaceOptions = {}): void {
  const missing = checkOutputPlace(target, options);
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(m, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw ioError('write_failed', `cannot create the folder ${m}`, target, e);
    }
  }
}
