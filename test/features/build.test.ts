import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { buildFeatures, transformTable } from '../../src/features/build';
import { applyTransform, inverseTransform } from '../../src/features/transform';
import { captureWarnings } from '../helpers/warnings';

const LN2 = Math.LN2;
// log1p of these is 0, 1, 2, 3 × ln 2 (recency, monetary) and 1, 2, 3, 4 × ln 2 (frequency)
const table = (): pl.DataFrame =>
  pl.DataFrame({
    customer_id: ['a', 'b', 'c', 'd'],
    recency_days: [0, 1, 3, 7],
    frequency: [1, 3, 7, 15],
    monetary: [0, 1, 3, 7],
    segment: ['x', 'y', 'x', 'y'],
  });
// z-scores of 0,1,2,3 (population sd √1.25)
const Z = [-1.5, -0.5, 0.5, 1.5].map((v) => v / Math.sqrt(1.25));

const warnings = captureWarnings();

describe('buildFeatures', () => {
  it('defaults: recency, frequency, monetary; log1p; z-score (population sd)', () => {
    const fm = buildFeatures(table());
    expect(fm.columns).toEqual(['recency_days', 'frequency', 'monetary']);
    expect(fm.ids).toEqual(['a', 'b', 'c', 'd']);
    fm.X.forEach((row, i) => row.forEach((v) => expect(v).toBeCloseTo(Z[i], 12)));
    expect(fm.transform.log).toBe(true);
    expect(fm.transform.scale).toBe('zscore');
    expect(fm.transform.center[0]).toBeCloseTo(1.5 * LN2, 12);
    expect(fm.transform.center[1]).toBeCloseTo(2.5 * LN2, 12);
    expect(fm.transform.scaleBy[2]).toBeCloseTo(LN2 * Math.sqrt(1.25), 12);
    expect(fm.original).toEqual([
      [0, 1, 0],
      [1, 3, 1],
      [3, 7, 3],
      [7, 15, 7],
    ]);
  });

  it('accepts a stage result carrying .table (RfmResult)', () => {
    const fm = buildFeatures({ table: table() });
    expect(fm.X.length).toBe(4);
  });

  it('scale none / minmax / robust, log off or per column', () => {
    const none = buildFeatures(table(), { scale: 'none', log: false, columns: ['recency_days'] });
    expect(none.X.map((r) => r[0])).toEqual([0, 1, 3, 7]);
    const mm = buildFeatures(table(), { scale: 'minmax', log: false, columns: ['monetary'] });
    expect(mm.X.map((r) => r[0])).toEqual([0, 1 / 7, 3 / 7, 1]);
    // robust: median 2, IQR (type 7) = 4 - 0.75 = 3.25
    const rb = buildFeatures(table(), { scale: 'robust', log: false, columns: ['recency_days'] });
    expect(rb.transform.center).toEqual([2]);
    expect(rb.transform.scaleBy).toEqual([3.25]);
    const part = buildFeatures(table(), { scale: 'none', log: ['monetary'] });
    expect(part.transform.logged).toEqual([false, false, true]);
    expect(part.X[3]).toEqual([7, 15, Math.log1p(7)]);
  });

  it('winsorizes at quantiles before the log and keeps the bounds', () => {
    const fm = buildFeatures(table(), { scale: 'none', log: false, winsorize: [0, 0.5], columns: ['recency_days'] });
    // upper bound: type-7 median of 0,1,3,7 = 2
    expect(fm.transform.winsorize).toEqual({ lower: 0, upper: 0.5, bounds: [[0, 2]] });
    expect(fm.X.map((r) => r[0])).toEqual([0, 1, 2, 2]);
    expect(fm.original!.map((r) => r[0])).toEqual([0, 1, 3, 7]);
  });

  it('any numeric customer column may be used, integer types included', () => {
    const df = table().withColumn(pl.Series('items', [1, 2, 3, 4], pl.Int64));
    const fm = buildFeatures(df, { columns: ['items'], log: false, scale: 'none' });
    expect(fm.X.map((r) => r[0])).toEqual([1, 2, 3, 4]);
  });

  it('ids fall back to row numbers with a warning when there is no customer_id', () => {
    const fm = buildFeatures(table().drop('customer_id'));
    expect(fm.ids).toEqual(['1', '2', '3', '4']);
    expect(warnings.map((w) => w.code)).toContain('no_id_column');
  });

  it('robust scaling with IQR 0 falls back to the sd, with a warning', () => {
    const df = pl.DataFrame({ customer_id: ['a', 'b', 'c', 'd', 'e'], frequency: [1, 1, 1, 1, 9] });
    const fm = buildFeatures(df, { columns: ['frequency'], log: false, scale: 'robust' });
    expect(fm.transform.scaleBy[0]).toBeCloseTo(3.2, 12); // population sd of 1,1,1,1,9
    expect(warnings.map((w) => w.code)).toContain('zero_iqr');
  });
});

describe('applyTransform / inverseTransform', () => {
  it('the same transform reproduces X and new customers get it unchanged', () => {
    const fm = buildFeatures(table());
    const again = applyTransform(fm.transform, fm.original!);
    again.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(fm.X[i][j], 14)));
    const nw = applyTransform(fm.transform, [[1, 3, 1]]);
    nw[0].forEach((v) => expect(v).toBeCloseTo(Z[1], 12));
    const viaTable = transformTable(fm.transform, table());
    expect(viaTable.X).toEqual(fm.X);
  });

  it('inverseTransform gives centroids back in original units', () => {
    const fm = buildFeatures(table());
    const back = inverseTransform(fm.transform, fm.X);
    back.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(fm.original![i][j], 10)));
    // the mean of the log features maps back to a geometric-style centre: expm1(1.5 ln 2) for recency
    expect(inverseTransform(fm.transform, [[0, 0, 0]])[0][0]).toBeCloseTo(Math.expm1(1.5 * LN2), 12);
  });

  it('clips new values to the winsorizing bounds', () => {
    const fm = buildFeatures(table(), { scale: 'none', log: false, winsorize: [0, 0.5], columns: ['recency_days'] });
    expect(applyTransform(fm.transform, [[100]])).toEqual([[2]]);
  });

  it('refuses non-finite values in new rows and tables without the columns', () => {
    const fm = buildFeatures(table());
    expect(() => applyTransform(fm.transform, [[1, NaN, 1]])).toThrow(/column "frequency" has NaN at row 0/);
    expect(() => applyTransform(fm.transform, pl.DataFrame({ recency_days: [1] }))).toThrow(/no column "frequency", "monetary"/);
  });
});
