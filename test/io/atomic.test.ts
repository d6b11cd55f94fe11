import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SegkitError } from '../../src/errors';
import { tempPathFor, withAtomicOutput, writeFileAtomic, writeFileAtomicSync } from '../../src/io/atomic';

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'segkit-atomic-'));

describe('atomic output', () => {
  it('writeFileAtomic writes the file and leaves no temp file', async () => {
    const dir = tmp();
    const f = path.join(dir, 'out.txt');
    await writeFileAtomic(f, 'hello');
    expect(readFileSync(f, 'utf8')).toBe('hello');
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it('creates missing parent folders', async () => {
    const dir = tmp();
    const f = path.join(dir, 'a', 'b', 'out.bin');
    await writeFileAtomic(f, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(f)]).toEqual([1, 2, 3]);
  });

  it('uses <path>.tmp-<pid> in the same folder', async () => {
    const dir = tmp();
    const f = path.join(dir, 'x.csv');
    let seen = '';
    await withAtomicOutput(f, async (t) => {
      seen = t;
      writeFileSync(t, 'a');
    });
    expect(path.dirname(seen)).toBe(dir);
    expect(path.basename(seen)).toMatch(new RegExp(`^x\\.csv\\.tmp-${process.pid}(-\\d+)?$`));
    expect(tempPathFor(f)).toMatch(/\.tmp-\d+-\d+$/);
  });

  it('on failure removes the temp file, keeps the old target and rethrows as SegkitError', async () => {
    const dir = tmp();
    const f = path.join(dir, 'keep.txt');
    writeFileSync(f, 'old');
    const err = await withAtomicOutput(f, async (t) => {
      writeFileSync(t, 'half');
      throw new Error('disk on fire');
    }).catch((e) => e);
    expect(err).toBeInstanceOf(SegkitError);
    expect(err.code).toBe('write_failed');
    expect(err.message).toContain('disk on fire');
    expect(readFileSync(f, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['keep.txt']);
  });

  it('passes SegkitErrors through unchanged and returns the writer result', async () => {
    const dir = tmp();
    const e = new SegkitError('report', 'boom', 'x');
    await expect(withAtomicOutput(path.join(dir, 'a'), async () => Promise.reject(e))).rejects.toBe(e);
    const r = await withAtomicOutput(path.join(dir, 'b'), async (t) => {
      writeFileSync(t, 'b');
      return 42;
    });
    expect(r).toBe(42);
  });

  it('complains when the writer did not create the temp file', async () => {
    const dir = tmp();
    await expect(withAtomicOutput(path.join(dir, 'none'), async () => undefined)).rejects.toMatchObject({ code: 'write_failed' });
    expect(existsSync(path.join(dir, 'none'))).toBe(false);
  });

  it('writeFileAtomicSync writes synchronously', () => {
    const dir = tmp();
    const f = path.join(dir, 's.json');
    writeFileAtomicSync(f, '{}');
    expect(readFileSync(f, 'utf8')).toBe('{}');
    expect(readdirSync(dir)).toEqual(['s.json']);
  });

  it('a target inside a file (not a folder) fails with a clear error', async () => {
    const dir = tmp();
    const file = path.join(dir, 'plain');
    writeFileSync(file, 'x');
    const e = await writeFileAtomic(path.join(file, 'child.txt'), 'y').catch((x) => x);
    expect(e).toMatchObject({ stage: 'io', code: 'bad_output_path' });
    expect(e.message).toBe(`${file} is a file, so it cannot hold the output`);
  });
});
