/** clvSummary on a hand-made fixture, then the whole chain on Online Retail with a holdout. */
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { clvSummary, customerValue, fitBgNbd, fitGammaGamma, validateHoldout, valueByGroup, type BgNbdFit, type ClvSummary, type GammaGammaFit } from '../../src/clv';
import { readTransactions } from '../../src/io';
import { HAS_SHARED, sharedData } from '../helpers/shared';
import { captureWarnings } from '../helpers/warnings';

captureWarnings();

const ts = (s: string): Date => new Date(`${s}Z`);
function fixture(): pl.DataFrame {
  const rows: Array<[string, string, string, number]> = [
    // customer a: 3 days with purchases (two invoices on 01-05 = one occasion), then one in the holdout
    ['a', 'i1', '2020-01-01T10:00:00', 10],
    ['a', 'i2', '2020-01-05T09:00:00', 20],
    ['a', 'i3', '2020-01-05T15:00:00', 5],
    ['a', 'i4', '2020-01-11T12:00:00', 40],
    ['a', 'i5', '2020-01-25T12:00:00', 7],
    // customer b: one purchase, a return (left out)
    ['b', 'i6', '2020-01-03T08:00:00', 50],
    ['b', 'C7', '2020-01-04T08:00:00', -50],
    // customer c: first buys in the holdout (a new customer, not in the table)
    ['c', 'i8', '2020-01-22T08:00:00', 9],
  ];
  return pl.DataFrame({
    customer_id: rows.map((r) => r[0]),
    invoice: rows.map((r) => r[1]),
    date: pl.Series('date', rows.map((r) => ts(r[2])), pl.Datetime('ms')),
    quantity: rows.map((r) => (r[3] < 0 ? -1 : 1)),
    amount: rows.map((r) => r[3]),
  });
}

describe('clvSummary', () => {
  it('counts repeat occasions, recency, T and mean repeat value by hand', () => {
    const s = clvSummary(fixture(), { asOf: '2020-01-31', holdoutFrom: '2020-01-21' });
    expect(s.calibrationEnd).toBe('2020-01-20');
    expect(s.holdout).toEqual({ from: '2020-01-21', to: '2020-01-31', duration: 11, newCustomers: 1 });
    expect(s.table.select('customer_id', 'frequency', 'recency', 'T', 'monetary', 'holdout_purchases', 'holdout_value').toRecords()).toEqual([
      // a: occasions 01-01 (10), 01-05 (25), 01-11 (40): x = 2, t_x = 10, T = 19, m = (25 + 40) / 2
      { customer_id: 'a', frequency: 2, recency: 10, T: 19, monetary: 32.5, holdout_purchases: 1, holdout_value: 7 },
      { customer_id: 'b', frequency: 0, recency: 0, T: 17, monetary: 0, holdout_purchases: 0, holdout_value: 0 },
    ]);
    expect(s.counts.returnRows).toBe(1);
  });

  it('counts invoices as occasions, weeks as the unit, and checks dates', () => {
    const s = clvSummary(fixture(), { occasions: 'invoice', unit: 'weeks', asOf: '2020-01-15' });
    const a = s.table.toRecords()[0] as Record<string, number>;
    expect(a.frequency).toBe(3);
    expect(a.recency).toBeCloseTo(10 / 7, 12);
    expect(a.T).toBeCloseTo(14 / 7, 12);
    expect(a.monetary).toBeCloseTo((20 + 5 + 40) / 3, 12);
    expect(() => clvSummary(fixture(), { holdoutFrom: '2019-06-01' })).toThrow(/before the first transaction/);
    expect(() => clvSummary(fixture(), { holdoutFrom: '2021-06-01' })).toThrow(/holdout would be empty/);
    expect(() => clvSummary(fixture(), { asOf: '2020-02-30' })).toThrow(/not a calendar date/);
  });
});

describe.skipIf(!HAS_SHARED)('Online Retail: calibration to 2011-09-09, holdout 2011-09-10 .. 2011-12-09', () => {
  let s: ClvSummary;
  let bg: BgNbdFit;
  let gg: GammaGammaFit;
  let seconds: Record<string, number>;
  beforeAll(async () => {
    const t0 = performance.now();
    const { clean } = cleanTransactions(await readTransactions(sharedData('online_retail.csv.gz')));
    const t1 = performance.now();
    s = clvSummary(clean, { holdoutFrom: '2011-09-10', asOf: '2011-12-09' });
    const t2 = performance.now();
    bg = fitBgNbd(s.table);
    const t3 = performance.now();
    gg = fitGammaGamma(s.table);
    seconds = { read: (t1 - t0) / 1000, summary: (t2 - t1) / 1000, bgnbd: (t3 - t2) / 1000, gg: (performance.now() - t3) / 1000 };
  }, 120_000);

  it('fits both models with finite standard errors for r, α, p, q, γ', () => {
    console.log(JSON.stringify({ seconds, customers: s.table.height, holdout: s.holdout, bg: [bg.params, bg.standardErrors, bg.logLikelihood, bg.report], gg: [gg.params, gg.standardErrors, gg.correlation] }));
    expect(s.table.height).toBe(3370);
    expect(bg.report.converged).toBe(true);
    expect(bg.params.r).toBeGreaterThan(0.6);
    expect(bg.params.r).toBeLessThan(0.85);
    expect(bg.standardErrors.r).toBeLessThan(0.05);
    // a → 0: no drop-out is visible in this year of data (lifetimes finds the same); the fit says so.
    expect(bg.warnings.map((w) => w.code)).toContain('extreme_parameters');
    expect(gg.report.converged).toBe(true);
    expect(gg.params.q).toBeGreaterThan(1);
    expect(Math.abs(gg.correlation)).toBeLessThan(0.3);
  });

  it('predicts total holdout purchases within 30 % and closer than the naive rate', () => {
    const v = validateHoldout(s, bg.params, { spend: gg.params });
    console.log(JSON.stringify({ totals: v.totals, mae: v.mae, byFrequency: v.byFrequency.toRecords() }));
    // The holdout is the autumn/Christmas peak of a seasonal business: a stationary model underpredicts.
    expect(v.totals.relativeError).toBeGreaterThan(-0.3);
    expect(v.totals.relativeError).toBeLessThan(0.1);
    // Figures (2026-12): actual 4,482 holdout purchases; BG/NBD 3,384 (−24.5 %); naive x/T·91 days 3,229 (−28.0 %).
    expect(Math.abs(v.totals.predicted - v.totals.actual)).toBeLessThan(Math.abs(v.totals.naive - v.totals.actual));
    // Per customer the model does NOT beat the naive forecast on this split (MAE 0.940 vs 0.926): the issue's
    // criterion is not met here; this bound only guards against the model getting worse.
    expect(v.mae.model).toBeLessThan(0.96);
    expect(v.mae.model / v.mae.naive).toBeLessThan(1.03);
    expect(v.byFrequency.height).toBe(8);
  });

  it('values customers and sums per group', () => {
    const values = customerValue(s.table, bg.params, gg.params, { horizon: 12, discount: 0.01 });
    const clv = values.getColumn('clv').toArray() as number[];
    expect(clv.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    const byGroup = valueByGroup(values, new Map((s.table.getColumn('customer_id').toArray() as string[]).map((id): [string, string] => [id, id < '15000' ? 'low' : 'high'])));
    expect(byGroup.height).toBe(2);
    expect(Number(byGroup.getColumn('clv').sum())).toBeCloseTo(clv.reduce((a, b) => a + b, 0), 4);
  });
});
