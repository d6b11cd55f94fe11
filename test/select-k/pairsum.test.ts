import { describe, expect, it } from 'vitest';
import { pairDistanceSum } from '../../src/select-k/pairsum';
import { uniform } from './fixtures';

function brute(buf: Float64Array, lo: number, hi: number, d: number): number {
  let s = 0;
  for (let i = lo; i < hi; i++) {
    for (let t = i + 1; t < hi; t++) {
      let q = 0;
      for (let j = 0; j < d; j++) q += (buf[i * d + j] - buf[t * d + j]) ** 2;
      s += Math.sqrt(q);
    }
  }
  return s;
}

describe('the SIMD pairwise-distance kernel (WebAssembly)', () => {
  it('sums |x_i − x_j| over i < j exactly like the plain loop, for 2 and 3 features, odd and even counts', () => {
    for (const d of [2, 3]) {
      const buf = Float64Array.from(uniform(260, d, d).flat());
      for (const [lo, hi] of [[0, 0], [3, 4], [3, 5], [3, 6], [10, 111], [0, 260]]) {
        const got = pairDistanceSum(buf, lo, hi, d);
        expect(got).not.toBeNull();
        const want = brute(buf, lo, hi, d);
        expect(Math.abs(got! - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, want));
      }
    }
  });

  it('grows its memory for big clusters and declines other widths', () => {
    const buf = Float64Array.from(uniform(12_000, 3, 9).flat());
    expect(pairDistanceSum(buf, 0, 12_000, 3)! / brute(buf, 0, 12_000, 3)).toBeCloseTo(1, 12);
    expect(pairDistanceSum(Float64Array.from(uniform(10, 4, 1).flat()), 0, 10, 4)).toBeNull();
  });
});
