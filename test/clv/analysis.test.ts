/** analyzeClv: the whole run on the sample data, its failures in words (never NaN), and the three charts. */
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { analyzeClv, clvForAnalysis, clvCalibrationChart, clvSegmentRevenueChart, clvValueChart, valueByGroup, type ClvAnalysis } from '../../src/clv';
import { renderSvg } from '../../src/charts/render';
import { readTransactions } from '../../src/io';
import { rfm } from '../../src/rfm';
import { SAMPLE } from '../helpers/shared';
import { captureWarnings } from '../helpers/warnings';

captureWarnings();

const day = (s: string): Date => new Date(`${s}T12:00:00Z`);
function tx(rows: Array<[string, string, number]>): pl.DataFrame {
  return pl.DataFrame({
    customer_id: rows.map((r) => r[0]),
    invoice: rows.map((r, i) => `i${i}`),
    date: pl.Series('date', rows.map((r) => day(r[1])), pl.Datetime('ms')),
    quantity: rows.map(() => 1),
    amount: rows.map((r) => r[2]),
  });
}

describe('analyzeClv on the sample data', () => {
  let a: ClvAnalysis;
  let clean: pl.DataFrame;
  beforeAll(async () => {
    clean = cleanTransactions(await readTransactions(SAMPLE)).clean.df;
    a = analyzeClv(clean, { segmentsAt: (d) => rfm(clean, { asOf: d }).table });
  });

  it('forecasts every customer with finite values and checks the model on the last quarter of the days', () => {
    expect(a.status).toBe('ok');
    expect(a.reason).toBeNull();
    const v = a.values!;
    expect(v.height).toBe(a.summary!.table.height);
    for (const c of ['p_alive', 'expected_purchases', 'expected_spend', 'clv']) expect((v.getColumn(c).toArray() as number[]).every(Number.isFinite), c).toBe(true);
    // auto holdout: the last quarter of the days (the sample runs 2010-12-01 .. 2011-12-09: 374 days, 94 kept aside)
    expect(a.options.holdoutFrom).toBe('2011-09-07');
    const h = a.holdout!;
    expect(h.summary.calibrationEnd).toBe('2011-09-06');
    expect(h.validation.totals.actual).toBeGreaterThan(0);
    expect(Number.isFinite(h.validation.mae.model) && Number.isFinite(h.validation.mae.naive)).toBe(true);
    // per RFM segment on the calibration's last day: every calibration customer counted once
    const seg = h.bySegment!;
    expect(Number(seg.getColumn('customers').sum())).toBe(h.summary.table.height);
    expect(Number(seg.getColumn('actual_revenue').sum())).toBeCloseTo(Number(h.summary.table.getColumn('holdout_value').sum()), 4);
  });

  it('draws the calibration/holdout chart, holdout revenue and value per segment', async () => {
    const h = a.holdout!;
    const value = valueByGroup(a.values!, rfm(clean).table, 'segment');
    for (const spec of [clvCalibrationChart(h.validation), clvSegmentRevenueChart(h.bySegment!), clvValueChart(value, 12)]) {
      const svg = await renderSvg(spec);
      expect(svg).toMatch(/^<svg/);
      expect(svg).not.toMatch(/NaN/);
      expect((svg.match(/<path/g) ?? []).length).toBeGreaterThan(5);
    }
  });

  it('no holdout when asked for none, or when the data is too short', () => {
    const none = analyzeClv(clean, { holdoutFrom: null });
    expect(none.status).toBe('ok');
    expect(none.holdout).toBeNull();
    const short = analyzeClv(tx([['a', '2020-01-01', 5], ['a', '2020-01-20', 7], ['b', '2020-01-03', 4], ['b', '2020-02-01', 4]]));
    expect(short.holdout).toBeNull();
    expect(short.holdoutReason).toMatch(/covers 32 days, too few/);
  });
});

describe('analyzeClv says why in words instead of giving NaN', () => {
  it('no repeat customers', () => {
    const a = analyzeClv(tx([['a', '2020-01-01', 5], ['b', '2020-02-01', 7], ['c', '2020-03-01', 9]]));
    expect(a.status).toBe('failed');
    expect(a.values).toBeNull();
    expect(a.reason).toMatch(/none of the 3 customers bought more than once by 2020-03-01/);
  });

  it('a database source (no lines in memory): said so, nothing fitted', () => {
    const a = clvForAnalysis(undefined, {}, true, 'postgres');
    expect(a.status).toBe('failed');
    expect(a.reason).toMatch(/a postgres source does not load/);
    expect(a.options.horizon).toBe(12);
  });

  it('no transactions; a bad option is an error', () => {
    expect(analyzeClv(tx([])).reason).toMatch(/no transactions/);
    expect(() => analyzeClv(tx([['a', '2020-01-01', 5]]), { horizon: 0 })).toThrow(/horizon/);
  });

  it('a holdout date outside the data: the forecast stands, the check says why', () => {
    const a = analyzeClv(tx([['a', '2020-01-01', 5], ['a', '2020-01-20', 7], ['b', '2020-01-03', 4], ['b', '2020-02-01', 4]]), { holdoutFrom: '2019-01-01' });
    expect(a.status).toBe('ok');
    expect(a.holdout).toBeNull();
    expect(a.holdoutReason).toMatch(/before the first transaction/);
  });
});
