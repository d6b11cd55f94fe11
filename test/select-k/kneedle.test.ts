import { describe, expect, it } from 'vitest';
import { kneedle } from '../../src/select-k/kneedle';

describe('kneedle', () => {
  it('finds the elbow of a convex decreasing curve (worked by hand)', () => {
    // normalised difference curve: 0, .527, .620, .549, .457, … → max at k = 3, then drops below .620 − 0.125
    const r = kneedle([1, 2, 3, 4, 5, 6, 7, 8, 9], [100, 40, 20, 15, 12, 10, 9, 8.5, 8]);
    expect(r.knee).toBe(3);
    expect(r.difference[2]).toBeCloseTo(1 - 12 / 92 - 0.25, 12);
  });

  it('matches kneed\'s documented example (concave increasing, knee ≈ 0.22)', () => {
    const x = Array.from({ length: 10 }, (_, i) => i / 9);
    const y = x.map((v) => -1 / (v + 0.1) + 5);
    const r = kneedle(x, y, { curve: 'concave', direction: 'increasing' });
    expect(r.knee).toBeCloseTo(2 / 9, 12);
  });

  it('handles the mirrored cases', () => {
    const y = [100, 40, 20, 15, 12, 10, 9, 8.5, 8];
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    // convex increasing = the curve mirrored left-right: knee at 10 − 3
    expect(kneedle(x, [...y].reverse(), { curve: 'convex', direction: 'increasing' }).knee).toBe(7);
    // concave decreasing = mirrored top-bottom and left-right
    expect(kneedle(x, y.map((v) => -v).reverse(), { curve: 'concave', direction: 'decreasing' }).knee).toBe(7);
  });

  it('says so when there is no elbow', () => {
    const r = kneedle([2, 3, 4, 5, 6], [10, 8, 6, 4, 2]);
    expect(r.knee).toBeNull();
    expect(r.note).toMatch(/no clear elbow/);
    expect(kneedle([2, 3], [5, 1]).note).toMatch(/too few/);
  });

  it('refuses x that does not increase, and non-finite values', () => {
    expect(() => kneedle([1, 3, 2], [3, 2, 1])).toThrow(/strictly increasing/);
    expect(() => kneedle([1, 2, 3], [3, NaN, 1])).toThrow(/point 1/);
  });
});
