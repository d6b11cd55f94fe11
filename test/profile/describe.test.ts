/** Plain-words descriptions from tertiles, and the small statistics behind profiles. */
import { describe, expect, it } from 'vitest';
import { baselineOf, describeClusters, levelOf, summarize } from '../../src/profile';

describe('levelOf', () => {
  it('low at or below the lower tertile, high above the upper, else moderate', () => {
    expect(levelOf(10, [10, 20])).toBe('low');
    expect(levelOf(10.01, [10, 20])).toBe('moderate');
    expect(levelOf(20, [10, 20])).toBe('moderate');
    expect(levelOf(20.01, [10, 20])).toBe('high');
    // Heavy ties (most customers bought once): the tied value is low.
    expect(levelOf(1, [1, 1])).toBe('low');
    expect(levelOf(2, [1, 1])).toBe('high');
  });
});

describe('describeClusters', () => {
  // 9 customers: values 1..9 in every dimension → tertiles 3.667 and 6.333 (type 7).
  const base = baselineOf({ recency: [1, 2, 3, 4, 5, 6, 7, 8, 9], frequency: [1, 2, 3, 4, 5, 6, 7, 8, 9], monetary: [1, 2, 3, 4, 5, 6, 7, 8, 9] });

  it('computes type-7 tertiles', () => {
    expect(base.tertiles.recency[0]).toBeCloseTo(1 + 8 / 3, 12);
    expect(base.tertiles.recency[1]).toBeCloseTo(1 + 16 / 3, 12);
  });

  it('words each level; the top spender "spends the most"', () => {
    const d = describeClusters(
      [
        { recency: 2, frequency: 8, monetary: 9 },
        { recency: 5, frequency: 5, monetary: 8 },
        { recency: 9, frequency: 1, monetary: 1 },
      ],
      base,
    );
    expect(d.map((x) => x.description)).toEqual([
      'Bought recently, buys often, spends the most',
      'Last bought a while ago, buys now and then, spends a lot',
      'Has not bought for a long time, buys rarely, spends little',
    ]);
    expect(d[1].levelText).toBe('Moderate recency, moderate frequency, high monetary');
    // Mid-rank percentile: 5 is above 4 of 9 and equals 1 → (4 + 0.5) / 9.
    expect(d[1].position.recency).toBeCloseTo(4.5 / 9, 12);
  });
});

describe('summarize', () => {
  it('gives mean, type-7 quartiles and Tukey whiskers', () => {
    const s = summarize([1, 2, 3, 4, 100]);
    expect(s).toMatchObject({ mean: 22, median: 3, q1: 2, q3: 4, min: 1, max: 100 });
    // 1.5 × IQR = 3 → fences −1 and 7: whiskers at 1 and 4 (100 is an outlier).
    expect([s.lowerWhisker, s.upperWhisker]).toEqual([1, 4]);
    expect(Number.isNaN(summarize([]).median)).toBe(true);
  });
});
