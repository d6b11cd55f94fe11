import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { computeRfm, cutScores, quantileCuts, rankScores, scoreRfm } from '../../src/rfm';
import { FOUR, byCustomer, captureWarnings, errorOf, transactions } from './fixtures';

const scores = (df: pl.DataFrame): Record<string, string> =>
  Object.fromEntries(Object.entries(byCustomer(df)).map(([id, r]) => [id, String(r.rfm_code)]));

/** A customer table straight from values. */
const customers = (recency: number[], frequency: number[], monetary: number[]): pl.DataFrame =>
  pl.DataFrame({ customer_id: recency.map((_, i) => `k${i}`), recency_days: recency, frequency, monetary });

describe('rank scores (default): 1 + floor(n × below / N)', () => {
  it('scores the four-customer fixture as worked by hand', () => {
    // recency 6, 8, 1, 9 → customers with MORE days: 2, 1, 3, 0 → 1 + floor(5·b/4) = 3, 2, 4, 1
    // frequency 2, 1, 2, 1 → below 2, 0, 2, 0 → 3, 1, 3, 1
    // monetary 33, 100, 20, 7 → below 2, 3, 1, 0 → 3, 4, 2, 1
    const s = captureWarnings(() => scoreRfm(computeRfm(transactions(FOUR)))).value;
    expect(s.method).toBe('rank');
    expect(s.bins).toBe(5);
    expect(scores(s.table)).toEqual({ c1: '333', c2: '214', c3: '432', c4: '111' });
    expect(s.table.getColumn('rfm_score').toArray()).toEqual([333, 214, 432, 111]);
    expect(s.table.columns.slice(0, 9)).toEqual(['customer_id', 'recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_code', 'rfm_score']);
    expect(s.table.columns.slice(9)).toEqual(['first_purchase', 'last_purchase', 'tenure_days', 'avg_order_value', 'items']);
    expect(s.asOf).toBe('2024-01-11');
  });

  it('keeps ties together and gives a big tie the score its position deserves', () => {
    // frequency: six 1s (below 0 → 1), two 2s (below 6 → 1 + floor(30/10) = 4), 3 (below 8 → 5), 10 (below 9 → 5)
    // recency: 5 ×3 (7 have more days → 1 + floor(35/10) = 4), 10 ×2 (5 more → 3), 20 (4 more → 3), 30 ×4 (0 → 1)
    // monetary 1..10 distinct: 1 + floor((i−1)/2)
    const df = customers([5, 5, 5, 10, 10, 20, 30, 30, 30, 30], [1, 1, 1, 1, 1, 1, 2, 2, 3, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const { value: s, warnings } = captureWarnings(() => scoreRfm(df));
    expect(s.table.getColumn('f_score').toArray()).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    expect(s.table.getColumn('r_score').toArray()).toEqual([4, 4, 4, 3, 3, 3, 1, 1, 1, 1]);
    expect(s.table.getColumn('m_score').toArray()).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    const f = s.thresholds.find((t) => t.dimension === 'frequency')!;
    expect(f.ranges).toEqual([
      { score: 1, min: 1, max: 1, customers: 6 },
      { score: 2, min: null, max: null, customers: 0 },
      { score: 3, min: null, max: null, customers: 0 },
      { score: 4, min: 2, max: 2, customers: 2 },
      { score: 5, min: 3, max: 10, customers: 2 },
    ]);
    // the empty scores are explained
    const fw = warnings.filter((w) => w.code === 'empty_scores');
    expect(fw.map((w) => w.message)).toEqual([
      'recency: no customer got score 2, 5 (4 of 10 customers share recency_days = 30)',
      'frequency: no customer got score 2, 3 (6 of 10 customers share frequency = 1)',
    ]);
  });

  it('scores whole-number columns the same whatever their type', () => {
    const df = customers([5, 5, 5, 10, 10, 20, 30, 30, 30, 30], [1, 1, 1, 1, 1, 1, 2, 2, 3, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const asInt = df.withColumns(pl.col('recency_days').cast(pl.Int32), pl.col('frequency').cast(pl.UInt32), pl.col('monetary').cast(pl.Int64));
    for (const options of [{}, { bins: 4 }, { method: 'quantile' as const }]) {
      const a = captureWarnings(() => scoreRfm(df, options)).value;
      const b = captureWarnings(() => scoreRfm(asInt, options)).value;
      for (const c of ['r_score', 'f_score', 'm_score', 'rfm_code', 'rfm_score']) expect(b.table.getColumn(c).toArray(), c).toEqual(a.table.getColumn(c).toArray());
      expect(b.thresholds).toEqual(a.thresholds);
    }
  });

  it('treats spends equal to 6 decimals as ties (float noise does not split them)', () => {
    const s = captureWarnings(() => scoreRfm(customers([1, 2, 3], [1, 1, 1], [0.1 + 0.2, 0.3, 1]))).value;
    expect(s.table.getColumn('m_score').toArray()).toEqual([1, 1, 4]);
  });

  it('gives a single customer 1/1/1, and customers who are all equal one shared score', () => {
    const one = captureWarnings(() => scoreRfm(customers([4], [2], [10])));
    expect(one.value.table.getColumn('rfm_code').toArray()).toEqual(['111']);
    expect(one.warnings.filter((w) => w.code === 'empty_scores')).toHaveLength(3);
    const same = captureWarnings(() => scoreRfm(customers([7, 7, 7], [1, 1, 1], [5, 5, 5]))).value;
    expect(same.table.getColumn('rfm_code').toArray()).toEqual(['111', '111', '111']);
  });

  it('gives quartiles with bins = 4 and keeps rfm_score unique and ordered with bins = 10', () => {
    const df = customers([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]);
    const q = scoreRfm(df, { bins: 4 });
    expect(q.table.getColumn('f_score').toArray()).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(q.table.getColumn('r_score').toArray()).toEqual([4, 4, 3, 3, 2, 2, 1, 1]);
    const ten = scoreRfm(pl.DataFrame({ customer_id: ['a', 'b'], recency_days: [1, 9], frequency: [9, 1], monetary: [9, 1] }), { bins: 10 });
    // b: recency below 0 → 1; a: 1 customer with more days → 1 + floor(10/2) = 6
    expect(ten.table.getColumn('rfm_code').toArray()).toEqual(['6-6-6', '1-1-1']);
    expect(ten.table.getColumn('rfm_score').toArray()).toEqual([666, 111]);
  });

  it('matches the formula, and the typed-array reference implementation, on random data with ties', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const N = 997;
    const rec = Array.from({ length: N }, () => Math.floor(rnd() * 40));
    const freq = Array.from({ length: N }, () => 1 + Math.floor(rnd() ** 3 * 10));
    const mon = Array.from({ length: N }, () => Math.round(rnd() * 500) / 4);
    const s = captureWarnings(() => scoreRfm(customers(rec, freq, mon), { bins: 7 })).value.table;
    const got = { r: s.getColumn('r_score').toArray(), f: s.getColumn('f_score').toArray(), m: s.getColumn('m_score').toArray() };
    for (let i = 0; i < N; i += 7) {
      expect(got.r[i]).toBe(1 + Math.floor((7 * rec.filter((x) => x > rec[i]).length) / N));
      expect(got.f[i]).toBe(1 + Math.floor((7 * freq.filter((x) => x < freq[i]).length) / N));
      expect(got.m[i]).toBe(1 + Math.floor((7 * mon.filter((x) => x < mon[i]).length) / N));
    }
    expect(got.f).toEqual(Array.from(rankScores(Float64Array.from(freq), 7)));
    expect(got.r).toEqual(Array.from(rankScores(Float64Array.from(rec, (x) => -x), 7)));
  });
});

describe("quantile scores (the R package rfm's convention)", () => {
  it('uses type-7 quantiles + 1 as cut points, bins [lower, upper), recency reversed', () => {
    // recency sorted 1, 6, 8, 9: quantiles at .2 .4 .6 .8 = 4, 6.4, 7.6, 8.4 → cuts 5, 7.4, 8.6, 9.4
    // → ascending bins 6→2, 8→3, 1→1, 9→4 → reversed (6 − b): c1 4, c2 3, c3 5, c4 2
    // frequency 1, 1, 2, 2: cuts 2, 2.2, 2.8, 3 → 2 → 2, 1 → 1 (scores 3, 4, 5 empty)
    // monetary 7, 20, 33, 100: cuts 15.8, 23.6, 31.4, 60.8 → 33 → 4, 100 → 5, 20 → 2, 7 → 1
    const { value: s, warnings } = captureWarnings(() => scoreRfm(computeRfm(transactions(FOUR)), { method: 'quantile' }));
    expect(scores(s.table)).toEqual({ c1: '424', c2: '315', c3: '522', c4: '211' });
    const cuts = Object.fromEntries(s.thresholds.map((t) => [t.dimension, t.cuts!.map((c) => +c.toFixed(10))]));
    expect(cuts).toEqual({ recency: [5, 7.4, 8.6, 9.4], frequency: [2, 2.2, 2.8, 3], monetary: [15.8, 23.6, 31.4, 60.8] });
    expect(warnings.map((w) => w.message)).toContain('frequency: no customer got score 3, 4, 5 (2 of 4 customers share frequency = 1)');
  });

  it('collapses bins on ties, as rfm does, and says why', () => {
    // frequency 1 ×6, 2, 2, 3, 10: h = 9p = 1.8, 3.6, 5.4, 7.2 → quantiles 1, 1, 1.4, 2.2 → cuts 2, 2, 2.4, 3.2
    // → 1 → 1; 2 → 3 (two cuts <= 2); 3 → 4; 10 → 5; score 2 is empty
    const v = Float64Array.from([1, 1, 1, 1, 1, 1, 2, 2, 3, 10]);
    expect(quantileCuts(v, 5).map((c) => +c.toFixed(10))).toEqual([2, 2, 2.4, 3.2]);
    expect(Array.from(cutScores(v, quantileCuts(v, 5)))).toEqual([1, 1, 1, 1, 1, 1, 3, 3, 4, 5]);
    const { warnings } = captureWarnings(() => scoreRfm(customers([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Array.from(v), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { method: 'quantile' }));
    expect(warnings.find((w) => w.message.startsWith('frequency'))!.message).toContain('no customer got score 2 (the quantile cut points tie (2, 2, 2.4, 3.2)');
  });
});

describe('breaks (your own cut points)', () => {
  it('scores with bins [lower, upper) and reverses recency', () => {
    // recency cuts 2, 7, 30 → 1 → bin 1 → 4; 6 → 2 → 3; 8, 9 → 3 → 2
    // frequency cuts 2, 3, 5 → 1 → 1; 2 → 2.  monetary cuts 10, 50, 100 → 7 → 1; 20, 33 → 2; 100 → 4
    const s = scoreRfm(computeRfm(transactions(FOUR)), { method: 'breaks', breaks: { recency: [2, 7, 30], frequency: [2, 3, 5], monetary: [10, 50, 100] } });
    expect(s.bins).toBe(4);
    expect(scores(s.table)).toEqual({ c1: '322', c2: '214', c3: '422', c4: '211' });
    expect(s.thresholds[2]).toMatchObject({ dimension: 'monetary', method: 'breaks', cuts: [10, 50, 100] });
    expect(s.thresholds[2].ranges[3]).toEqual({ score: 4, min: 100, max: 100, customers: 1 });
  });

  it('refuses cut points that do not increase, differ in number, or disagree with bins', () => {
    const c = computeRfm(transactions(FOUR));
    const e = errorOf(() => scoreRfm(c, { method: 'breaks', breaks: { recency: [2, 7, 30], frequency: [2, 2, 5], monetary: [10, 50, 100] } }));
    expect(e.code).toBe('breaks_not_increasing');
    expect(e.where).toBe('option breaks.frequency');
    expect(e.message).toContain('2 then 2');
    expect(errorOf(() => scoreRfm(c, { method: 'breaks', breaks: { recency: [2, 7], frequency: [2, 3, 5], monetary: [10, 50, 100] } })).code).toBe('breaks_length');
    expect(errorOf(() => scoreRfm(c, { method: 'breaks', bins: 5, breaks: { recency: [2, 7, 30], frequency: [2, 3, 5], monetary: [10, 50, 100] } })).code).toBe('breaks_length');
    expect(errorOf(() => scoreRfm(c, { method: 'breaks' })).code).toBe('breaks_missing');
  });
});

describe('bad options', () => {
  const c = customers([1, 2], [1, 2], [1, 2]);
  it.each([1, 11, 0, 2.5, '5'])('refuses bins = %s', (bins) => {
    const e = errorOf(() => scoreRfm(c, { bins: bins as number }));
    expect(e.code).toBe('bins_out_of_range');
    expect(e.where).toBe('option bins');
  });
  it('accepts bins 2 and 10', () => {
    expect(scoreRfm(c, { bins: 2 }).table.getColumn('f_score').toArray()).toEqual([1, 2]);
    expect(scoreRfm(c, { bins: 10 }).table.getColumn('f_score').toArray()).toEqual([1, 6]);
  });
  it('names an unknown method with a suggestion', () => {
    const e = errorOf(() => scoreRfm(c, { method: 'quantiles' as 'quantile' }));
    expect(e.code).toBe('unknown_method');
    expect(e.hint).toContain('quantile');
  });
});
