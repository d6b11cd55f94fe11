import { describe, expect, it } from 'vitest';
import { cutDendrogram, wardDendrogram } from '../../src/select-k/dendrogram';
import { blobs, uniform } from './fixtures';

describe('Ward dendrogram (ward.D2)', () => {
  it('merges by hand: 0, 1, 5, 6 on a line (last height √(2·2·2/4) · |0.5 − 5.5| = 5√2)', () => {
    const d = wardDendrogram([[0], [1], [5], [6]]);
    expect(d.method).toBe('ward.D2');
    expect(d.merges.map((m) => m.height)).toEqual([1, 1, expect.closeTo(Math.SQRT2 * 5, 12)]);
    expect(d.merges[2]).toMatchObject({ a: expect.any(Number), b: expect.any(Number), size: 4 });
    expect(new Set([d.merges[2].a, d.merges[2].b])).toEqual(new Set([4, 5]));
    expect([...d.order].sort()).toEqual([0, 1, 2, 3]);
    const groups = cutDendrogram(d, 2);
    expect(groups[0]).toBe(groups[1]);
    expect(groups[2]).toBe(groups[3]);
    expect(groups[0]).not.toBe(groups[2]);
  });

  it('recovers well-separated groups and samples large inputs reproducibly', () => {
    const { X, truth } = blobs(3, 30, 2);
    const d = wardDendrogram(X);
    const g = cutDendrogram(d, 3);
    const map = new Map<number, number>();
    d.rows.forEach((r, leaf) => map.set(g[leaf], truth[r]));
    d.rows.forEach((r, leaf) => expect(map.get(g[leaf])).toBe(truth[r]));
    const big = wardDendrogram(uniform(400, 2, 1), { sample: 50, seed: 3 });
    expect(big.rows).toHaveLength(50);
    expect(big.merges).toHaveLength(49);
    expect(wardDendrogram(uniform(400, 2, 1), { sample: 50, seed: 3 })).toEqual(big);
  });
});
