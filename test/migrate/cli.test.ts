/** `segkit migrate` in-process on the hand-worked fixture (see migrate.test.ts for every customer's move). */
import { Command } from 'commander';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pl from 'nodejs-polars';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { register } from '../../src/cli/commands/migrate';
import { register as registerRfm } from '../../src/cli/commands/rfm';
import { SUMMARIES } from '../../src/cli/help';
import { ROOT } from '../helpers/shared';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'migrate', 'transactions.csv');
const BREAKS = 'recency=30,60,90,180;frequency=2,3,4,5;monetary=100,200,500,1000';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-migrate-cli-'));
});
afterEach(() => {
  process.exitCode = undefined;
});

async function cli(args: string[]): Promise<{ out: string; thrown?: { code?: string; message: string } }> {
  const out: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let thrown: { code?: string; message: string } | undefined;
  try {
    const program = new Command().exitOverride();
    register(program);
    registerRfm(program);
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    thrown = e as typeof thrown;
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  return { out: out.join(''), thrown };
}

describe('segkit migrate', () => {
  it('prints totals, moves per segment, flows and the matrix; writes movers and charts', async () => {
    const out = path.join(dir, 'movers.csv');
    const charts = path.join(dir, 'charts');
    const r = await cli(['migrate', '--input', FIXTURE, '--as-of', '2024-03-31', '--as-of', '2024-06-30', '--method', 'breaks', '--breaks', BREAKS, '--out', out, '--moves', 'down,new', '--charts-dir', charts]);
    expect(r.thrown).toBeUndefined();
    expect(r.out).toContain('Segment migration 2024-03-31 → 2024-06-30: 5 → 6 customers');
    expect(r.out).toContain('stayed 1 · moved up 1 · moved down 3 · new 1 · gone from the table 0 · lapsed into Lost 1');
    expect(r.out).toContain('  1 customer of Champions (£1.5k last period) is now Loyal Customers');
    expect(r.out).toMatch(/Champions\s+1\s+1\s+0\s+0\s+0\s+1\s+1\s+0\s+0\s+1,500\s+1,250\n/);
    expect(r.out).toContain('Wrote 4 customers to');
    const df = pl.readCSV(readFileSync(out, 'utf8'), { dtypes: { customer_id: pl.Utf8 } });
    expect(df.getColumn('customer_id').toArray()).toEqual(['1001', '1003', '1005', '1006']);
    expect(df.getColumn('move').toArray()).toEqual(['down', 'new', 'down', 'down']);
    for (const f of ['heatmap.svg', 'flows.svg', 'net.svg']) expect(readFileSync(path.join(charts, f), 'utf8')).toMatch(/^<svg/);
    expect(SUMMARIES.migrate).toMatch(/segment/);
  });

  it('compares two customer tables from segkit rfm --out, and sends the missing to (gone)', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    expect((await cli(['rfm', '--input', FIXTURE, '--as-of', '2024-03-31', '--out', a])).thrown).toBeUndefined();
    expect((await cli(['rfm', '--input', FIXTURE, '--as-of', '2024-06-30', '--date-to', '2024-06-30', '--out', b])).thrown).toBeUndefined();
    const r = await cli(['migrate', '--before', a, '--after', b, '--as-of', '2024-03-31', '--as-of', '2024-06-30', '--json']);
    expect(r.thrown).toBeUndefined();
    const j = JSON.parse(r.out);
    expect(j.totals).toMatchObject({ before: 5, after: 6, new: 1, gone: 0 });
    expect(j.asOf).toEqual({ before: '2024-03-31', after: '2024-06-30' });
  });

  it('refuses one --as-of, dates in the wrong order, a date past the data', async () => {
    expect((await cli(['migrate', '--input', FIXTURE, '--as-of', '2024-03-31'])).thrown?.message).toMatch(/give --as-of twice/);
    expect((await cli(['migrate', '--input', FIXTURE, '--as-of', '2024-06-30', '--as-of', '2024-03-31'])).thrown?.message).toMatch(/must be before the second/);
    expect((await cli(['migrate', '--input', FIXTURE, '--as-of', '2024-03-31', '--as-of', '2024-09-01'])).thrown?.message).toMatch(/past the data/);
    expect(existsSync(path.join(dir, 'nothing.csv'))).toBe(false);
  });
});
