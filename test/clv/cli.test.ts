/**
 * `segkit clv` for real: `node bin/segkit.js` (the build in dist/) on Online Retail with the issue's
 * holdout split (calibration to 2011-09-09, holdout 2011-09-10 .. 2011-12-09), and its clear refusals.
 * Builds dist/ first when it is older than src/.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build';
import { HAS_SHARED, ROOT, sharedData } from '../helpers/shared';

const BIN = path.join(ROOT, 'bin', 'segkit.js');
const execFileP = promisify(execFile);
async function segkit(args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: 240_000, maxBuffer: 64 << 20 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof x.code !== 'number') throw e;
    return { code: x.code, out: x.stdout ?? '', err: x.stderr ?? '' };
  }
}

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-clv-cli-'));
}, 300_000);

describe.skipIf(!HAS_SHARED)('segkit clv on Online Retail with a holdout', () => {
  interface Out {
    calibrationEnd: string;
    holdout: { from: string; to: string; duration: number };
    bgnbd: { params: Record<string, number>; report: { converged: boolean } };
    validation: { totals: { actual: number; predicted: number; naive: number }; mae: { model: number; naive: number }; byFrequency: Array<Record<string, number | string>> };
  }
  let out: Out;
  let csv: string;
  beforeAll(async () => {
    csv = path.join(dir, 'clv.csv');
    const args = ['clv', '-i', sharedData('online_retail.csv.gz'), '--holdout-from', '2011-09-10', '--as-of', '2011-12-09', '--occasions', 'invoice', '--out', csv, '--json'];
    const r = await segkit(args);
    expect(r.err, r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    out = JSON.parse(r.out) as Out;
  }, 300_000);

  it('fits on the calibration period and beats the naive forecast on mean absolute error per customer', () => {
    expect(out.calibrationEnd).toBe('2011-09-09');
    expect(out.holdout).toMatchObject({ from: '2011-09-10', to: '2011-12-09', duration: 91 });
    expect(out.bgnbd.report.converged).toBe(true);
    const { mae, totals } = out.validation;
    console.log(JSON.stringify({ mae, totals }));
    // Invoices as occasions (as the Online Retail issue asks: "purchases"): MAE 1.062 vs 1.068 (2026-12).
    // With the default day occasions the model does NOT beat the naive forecast per customer on this split
    // (0.940 vs 0.926; see test/clv/summary.test.ts): the holdout is the Christmas peak of a seasonal shop.
    expect(mae.model).toBeLessThan(mae.naive);
    expect(Math.abs(totals.predicted - totals.actual)).toBeLessThanOrEqual(Math.abs(totals.naive - totals.actual) * 1.01);
    expect(out.validation.byFrequency.map((b) => b.bucket)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    for (const b of out.validation.byFrequency) for (const k of ['actual', 'predicted', 'naive']) expect(Number.isFinite(b[k] as number)).toBe(true);
  });

  it('writes one row per customer with finite CLV columns, no NaN anywhere', () => {
    expect(existsSync(csv)).toBe(true);
    const text = readFileSync(csv, 'utf8');
    expect(text).not.toMatch(/NaN|Infinity/);
    const df = pl.readCSV(text, { dtypes: { customer_id: pl.Utf8 } });
    expect(df.height).toBe(3370);
    for (const c of ['frequency', 'recency', 'T', 'monetary', 'holdout_purchases', 'holdout_value', 'p_alive', 'expected_purchases', 'expected_spend', 'clv']) {
      expect(df.columns, c).toContain(c);
      const v = df.getColumn(c).toArray() as number[];
      expect(v.every((x) => typeof x === 'number' && Number.isFinite(x)), c).toBe(true);
    }
    const alive = df.getColumn('p_alive').toArray() as number[];
    expect(alive.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect((df.getColumn('clv').toArray() as number[]).every((v) => v >= 0)).toBe(true);
  });
});

describe('segkit clv refuses what it cannot fit, in one line with a hint', () => {
  const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'migrate', 'transactions.csv');
  it('a holdout date before the data, and a bad --occasions', async () => {
    const before = await segkit(['clv', '-i', FIXTURE, '--holdout-from', '2020-01-01']);
    expect(before.code).toBe(1);
    expect(before.err).toMatch(/before the first transaction/);
    expect(before.err).not.toMatch(/NaN/);
    const bad = await segkit(['clv', '-i', FIXTURE, '--occasions', 'week']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/occasions/);
  }, 120_000);

  it('prints no NaN where a standard error cannot be had (a → 0 with day occasions on Online Retail)', async () => {
    if (!HAS_SHARED) return;
    const r = await segkit(['clv', '-i', sharedData('online_retail.csv.gz'), '--holdout-from', '2011-09-10', '--as-of', '2011-12-09']);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/NaN/);
    expect(r.out).toMatch(/\(1,956 with repeat purchases\)/);
    expect(r.out).toMatch(/a = \d\.\d\de-\d+ ± –/);
    // day occasions: the model is closer in total but not per customer (see test/clv/summary.test.ts)
    expect(r.out).toContain('MAE per customer 0.94 (naive 0.926)');
  }, 240_000);

  it('no repeat customers: a clear error, no output file', async () => {
    const once = path.join(dir, 'once.csv');
    const rows = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country', ...[1, 2, 3, 4].map((i) => `${i},A1,Lamp,1,2024-0${i}-10 10:00:00,30,100${i},United Kingdom`)];
    writeFileSync(once, rows.join('\n') + '\n');
    const r = await segkit(['clv', '-i', once, '--out', path.join(dir, 'none.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/none of the 4 customers bought more than once/);
    expect(existsSync(path.join(dir, 'none.csv'))).toBe(false);
  }, 120_000);
});
