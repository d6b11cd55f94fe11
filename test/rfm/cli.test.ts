/** `segkit rfm` in-process on the hand-worked fixture (four customers, one cancellation, one row without customer). */
import { Command } from 'commander';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pl from 'nodejs-polars';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseBreaksFlag, register } from '../../src/cli/commands/rfm';
import { ROOT } from '../helpers/shared';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'rfm', 'transactions.csv');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-rfm-cli-'));
});
afterEach(() => {
  process.exitCode = undefined;
});

async function cli(args: string[]): Promise<{ out: string; err: string; thrown?: { code?: string; message: string; where?: string; hint?: string } }> {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
  let thrown: { code?: string; message: string } | undefined;
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(['rfm', ...args], { from: 'user' });
  } catch (e) {
    thrown = e as typeof thrown;
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
  return { out: out.join(''), err: err.join(''), thrown };
}

describe('segkit rfm', () => {
  it('writes the customer table in the contract order and prints thresholds and the segment summary', async () => {
    const out = path.join(dir, 'rfm.csv');
    const r = await cli(['--input', FIXTURE, '--out', out]);
    expect(r.thrown).toBeUndefined();
    expect(r.out).toContain('RFM as of 2024-01-11: 4 customers, method rank, 5 scores per dimension');
    expect(r.out).toMatch(/Segments \(0 customers in Others\)/);
    expect(r.out).toMatch(/Hibernating\s+1\s+25\.0%\s+1\s+100\s+62\.5%\s+100\.00\s+8\s+1\s+100\n/);
    expect(r.out).toContain(`Wrote 4 customers to ${out}`);
    const df = pl.readCSV(readFileSync(out, 'utf8'), { dtypes: { customer_id: pl.Utf8, rfm_code: pl.Utf8 } });
    expect(df.columns.slice(0, 10)).toEqual(['customer_id', 'recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_code', 'rfm_score', 'segment']);
    expect(df.getColumn('rfm_code').toArray()).toEqual(['333', '214', '432', '111']);
    expect(df.getColumn('segment').toArray()).toEqual(['Loyal Customers', 'Hibernating', 'Potential Loyalist', 'Lost']);
  });

  it('takes --as-of, --bins, --method and writes parquet', async () => {
    const out = path.join(dir, 'rfm.parquet');
    const r = await cli(['-i', FIXTURE, '--as-of', '2024-02-01', '--bins', '4', '--method', 'quantile', '-o', out, '--json']);
    expect(r.thrown).toBeUndefined();
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ asOf: '2024-02-01', bins: 4, method: 'quantile', customers: 4 });
    expect(j.thresholds[0].cuts).toHaveLength(3);
    const df = pl.readParquet(out);
    expect(df.getColumn('recency_days').toArray()).toEqual([27, 29, 22, 30]);
  });

  it('nets cancellations with --returns net (and keeps them through cleaning)', async () => {
    const r = await cli(['-i', FIXTURE, '--returns', 'net', '--json']);
    expect(r.thrown).toBeUndefined();
    const j = JSON.parse(r.out);
    // customer 102 bought 1 × 100 and cancelled it: monetary 0
    const hib = j.segments.map((s: { segment: string; revenue: number }) => s.revenue).reduce((a: number, b: number) => a + b, 0);
    expect(hib).toBe(60);
    expect(j.counts.returnRows).toBe(1);
  });

  it('uses --method breaks with --breaks, and a rule table from a file', async () => {
    const rules = path.join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ rules: [{ segment: 'Recent', r: [3, 4] }, { segment: 'Rest' }] }));
    const r = await cli(['-i', FIXTURE, '--method', 'breaks', '--breaks', 'recency=2,7,30;f=2,3,5;monetary=10,50,100', '--rules', rules, '--json']);
    expect(r.thrown).toBeUndefined();
    const j = JSON.parse(r.out);
    expect(j.bins).toBe(4);
    // R scores from the breaks: 3, 2, 4, 2 → Recent, Rest, Recent, Rest
    expect(Object.fromEntries(j.segments.map((s: { segment: string; customers: number }) => [s.segment, s.customers]))).toEqual({ Recent: 2, Rest: 2 });
  });

  it('fails clearly on bad input', async () => {
    const before = await cli(['-i', FIXTURE, '--as-of', '2023-06-01']);
    expect(before.thrown?.code).toBe('as_of_before_data');
    const bins = await cli(['-i', FIXTURE, '--bins', '11']);
    expect(bins.thrown?.code).toBe('bins_out_of_range');
    expect((await cli(['-i', FIXTURE, '--bins', 'five'])).thrown?.code).toBe('bad_option');
    expect((await cli(['-i', FIXTURE, '--method', 'breaks'])).thrown?.code).toBe('bad_option');
    expect((await cli(['-i', FIXTURE, '--rules', path.join(dir, 'missing.json')])).thrown?.code).toBe('file_not_found');
    const notIncreasing = await cli(['-i', FIXTURE, '--method', 'breaks', '--breaks', 'recency=30,7;frequency=2,3;monetary=10,50']);
    expect(notIncreasing.thrown?.code).toBe('breaks_not_increasing');
    expect(() => parseBreaksFlag('recency=1,2;frequency=1,x;monetary=1,2')).toThrow(/cannot read "frequency=1,x"/);
  });
});
