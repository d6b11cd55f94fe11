/** The bad inputs the issue lists, each with a clear error (stage, code, where) or a warning. */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src/cluster/kmeans';
import type { SegkitError } from '../../src/errors';
import { buildFeatures } from '../../src/features/build';
import { silhouette } from '../../src/select-k/silhouette';
import { sweepK } from '../../src/select-k/sweep';
import { uniform } from './fixtures';
import { captureWarnings } from '../helpers/warnings';

function error(fn: () => unknown): SegkitError {
  try {
    fn();
  } catch (e) {
    return e as SegkitError;
  }
  throw new Error('expected an error');
}

const warnings = captureWarnings();

const X = uniform(10, 2, 1);

describe('bad k', () => {
  it('k < 2', () => {
    const e = error(() => fitKMeans(X, { k: 1 }));
    expect(e).toMatchObject({ name: 'SegkitError', stage: 'cluster', code: 'bad_k', where: 'option k' });
    expect(e.message).toBe('k must be at least 2, got 1');
    expect(error(() => sweepK(X, { k: [1, 4] })).message).toBe('k must be at least 2, got 1');
  });

  it('k > number of customers − 1', () => {
    const e = error(() => fitKMeans(X, { k: 10 }));
    expect(e.message).toBe('k = 10 is more than the number of customers − 1 (9)');
    expect(e.hint).toBe('use k ≤ 9');
    expect(error(() => sweepK(X)).message).toBe('k = 10 is more than the number of customers − 1 (9)'); // default range 2..10
    expect(error(() => sweepK(X)).where).toBe('option k (kMax)');
  });

  it('k not a whole number', () => {
    expect(error(() => fitKMeans(X, { k: 2.5 })).message).toBe('k must be a whole number, got 2.5');
  });

  it('a range with kMin > kMax', () => {
    const e = error(() => sweepK(X, { k: [6, 3] }));
    expect(e).toMatchObject({ stage: 'select-k', code: 'bad_k', where: 'option k', hint: 'write it as [3, 6]' });
    expect(e.message).toBe('the k range [6, 3] is empty: kMin > kMax');
  });
});

describe('too few customers', () => {
  it('fewer than 3', () => {
    for (const fn of [() => fitKMeans([[1], [2]], { k: 2 }), () => sweepK([[1], [2]])]) {
      const e = error(fn);
      expect(e.code).toBe('too_few_customers');
      expect(e.message).toMatch(/needs at least 3 customers, got 2/);
    }
  });
});

describe('constant features (zero variance)', () => {
  const df = pl.DataFrame({ customer_id: ['a', 'b', 'c'], recency_days: [1, 2, 3], frequency: [1, 1, 1], monetary: [5, 6, 9] });
  it('is an error when scaling, naming the column and the fix', () => {
    const e = error(() => buildFeatures(df));
    expect(e).toMatchObject({ stage: 'features', code: 'zero_variance', where: 'column frequency' });
    expect(e.message).toBe('column "frequency" has the same value (0.6931471805599453) for every customer, so it cannot be scaled and carries no information for clustering');
    expect(e.hint).toBe('leave it out: pass { columns: [...] } without "frequency"');
  });
  it('is a warning without scaling', () => {
    buildFeatures(df, { scale: 'none' });
    expect(warnings.map((w) => w.code)).toEqual(['zero_variance']);
  });
});

describe('NaN / Infinity / missing values in a feature', () => {
  it('in the customer table: every bad row counted, the first ones quoted', () => {
    const df = pl.DataFrame({ customer_id: ['a', 'b', 'c', 'd'], recency_days: [1, 2, 3, 4], frequency: [1, 2, 3, 4], monetary: [5, NaN, Infinity, null] });
    const e = error(() => buildFeatures(df));
    expect(e).toMatchObject({ stage: 'features', code: 'not_finite', where: 'column monetary, row 1' });
    expect(e.message).toBe('column "monetary" has 3 missing, NaN or infinite value(s): row 1 (NaN), row 2 (Infinity), row 3 (null)');
  });
  it('in a matrix given to k-means or the sweep', () => {
    const bad = [[1, 2], [3, NaN], [5, 6], [7, 8]];
    const e = error(() => fitKMeans(bad, { k: 2 }));
    expect(e).toMatchObject({ stage: 'cluster', code: 'not_finite', where: 'X, row 1, column 1' });
    expect(error(() => sweepK([[1, 2], [3, 4], [Infinity, 6], [7, 8]], { k: [2, 3] })).message).toBe('X has Infinity in column 0 at row 2');
  });
  it('in the feature matrix of a model, the customer is named', () => {
    const fm = buildFeatures(pl.DataFrame({ customer_id: ['a', 'b', 'c', 'd'], recency_days: [1, 2, 3, 4], frequency: [1, 2, 3, 5], monetary: [5, 6, 7, 9] }));
    fm.X[2][1] = NaN;
    expect(error(() => fitKMeans(fm, { k: 2 })).message).toBe('X has NaN in column "frequency" at row 2 (customer c)');
  });
});

describe('other feature errors', () => {
  const df = pl.DataFrame({ customer_id: ['a', 'b', 'c'], recency_days: [1, 2, 3], frequency: [1, 2, 4], monetary: [5, -6, 9], country: ['x', 'y', 'z'] });
  it('missing column, with a "did you mean"', () => {
    const e = error(() => buildFeatures(df, { columns: ['recency_days', 'monetry'] }));
    expect(e.message).toBe('column "monetry" not found. Available: customer_id, recency_days, frequency, monetary, country');
    expect(e.hint).toMatch(/did you mean "monetary"/);
  });
  it('non-numeric column', () => {
    expect(error(() => buildFeatures(df, { columns: ['country'] })).message).toMatch(/column "country" is .*String.*, not numeric/);
  });
  it('log of a value ≤ −1 (negative spend)', () => {
    const e = error(() => buildFeatures(df));
    expect(e.message).toBe('log1p needs values > -1 but column "monetary" has -6 at row 1');
    expect(e.hint).toMatch(/log: \['recency_days', 'frequency'\]/);
  });
  it('bad scale and winsorize options', () => {
    expect(error(() => buildFeatures(df, { scale: 'standard' as never })).message).toBe('scale "standard" is not one of zscore, robust, minmax, none');
    expect(error(() => buildFeatures(df, { winsorize: [0.9, 0.1] })).where).toBe('option winsorize');
  });
});

describe('too few points for the sample size asked', () => {
  it('an explicit silhouette sample larger than the data is an error', () => {
    const e = error(() => silhouette(X, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], { sampleSize: 50 }));
    expect(e).toMatchObject({ code: 'sample_too_large', where: 'option sampleSize', hint: 'use sampleSize ≤ 10, or leave it out for the exact silhouette' });
  });
  it('in the sweep it is a warning (the silhouette is exact)', () => {
    sweepK(X, { k: [2, 3], nInit: 1, gap: false, stability: false, dendrogram: false, silhouetteSample: 500 });
    expect(warnings.map((w) => w.message)).toContain('silhouetteSample 500 is more than the 10 customers: the silhouette is exact on all of them');
  });
  it('a stability sample too small for k', () => {
    const e = error(() => sweepK(uniform(50, 2, 1), { k: [2, 6], nInit: 1, gap: false, dendrogram: false, stability: { sample: 5, B: 2 } }));
    expect(e.message).toBe('the stability sample of 5 customers is too small for k up to 6 (it needs at least kMax + 1 = 7)');
    expect(e).toMatchObject({ code: 'sample_too_small', where: 'option stability.sample', hint: 'use { stability: { sample: 100 } } or more, or { stability: false }' });
  });
});
