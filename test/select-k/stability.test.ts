import { describe, expect, it } from 'vitest';
import { jackknifeSE, stability, stabilityReading } from '../../src/select-k/stability';
import { blobs, uniform } from './fixtures';

describe('stability (mean ARI between bootstrap fits)', () => {
  it('is ~1 at the true k of well-separated groups', () => {
    const { X } = blobs(3, 40, 2);
    const s = stability(X, 3, { B: 8, nInit: 2 });
    expect(s.mean).toBeGreaterThan(0.99);
    expect(s.reading).toBe('highly stable');
    expect(s.B).toBe(8);
    expect(s.n).toBe(120);
  });

  it('is lower when k splits a group in two, and reproducible for a seed', () => {
    const { X } = blobs(2, 80, 2, 3);
    const s2 = stability(X, 2, { B: 10, nInit: 2 });
    const s5 = stability(X, 5, { B: 10, nInit: 2 });
    expect(s5.mean).toBeLessThan(s2.mean);
    expect(stability(X, 5, { B: 10, nInit: 2 })).toEqual(s5);
  });

  it('runs on a seeded sample of the customers', () => {
    expect(stability(uniform(500, 2, 1), 3, { B: 4, nInit: 1, sample: 100 }).n).toBe(100);
  });

  it('gives the jackknife standard error of the mean over resamples', () => {
    // B = 3, pair ARIs (0,1) = 1, (0,2) = 0.5, (1,2) = 0: leaving out 0, 1, 2 leaves 0, 0.5, 1; SE = √(2/3 · 0.5)
    expect(jackknifeSE(1.5, [1.5, 1, 0.5], 3)).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(jackknifeSE(3, [2, 2, 2], 3)).toBe(0); // every pair alike
    expect(jackknifeSE(1, [1, 1], 2)).toBe(0);
    // a split group wobbles more than a true one
    const { X } = blobs(2, 80, 2, 3);
    const s2 = stability(X, 2, { B: 10, nInit: 2 });
    const s5 = stability(X, 5, { B: 10, nInit: 2 });
    expect(s2.se).toBeGreaterThanOrEqual(0);
    expect(s5.se).toBeGreaterThan(s2.se);
    expect(s5.se).toBeLessThan(s5.sd);
  });

  it('reads the mean ARI in the usual bands', () => {
    expect(stabilityReading(0.9)).toBe('highly stable');
    expect(stabilityReading(0.8)).toBe('stable');
    expect(stabilityReading(0.7)).toBe('moderately stable');
    expect(stabilityReading(0.5)).toBe('unstable');
  });

  it('refuses fewer than 2 resamples', () => {
    expect(() => stability(uniform(30, 2, 1), 2, { B: 1 })).toThrow(/B ≥ 2/);
  });
});
