import { describe, expect, it } from 'vitest';
import { toDense } from '../../src/cluster/matrix';
import { gapStatistic, maxSE, withinDispersion } from '../../src/select-k/gap';
import { HAS_SHARED, reference } from '../helpers/shared';
import { blobs, mallXY, uniform, type GapReference, type MallReference } from './fixtures';

describe('W_k as clusGap defines it', () => {
  it('½ Σ_clusters Σ_{i<j} d(i, j) / n_cluster (by hand)', () => {
    const X = toDense([[0], [1], [3]]);
    // one cluster: (1 + 3 + 2) / 3 = 2, halved = 1
    expect(withinDispersion(X, [0, 0, 0], 1)).toBeCloseTo(1, 14);
    // {0, 1} and {3}: (1 / 2 + 0) / 2
    expect(withinDispersion(X, [0, 0, 1], 2)).toBeCloseTo(0.25, 14);
  });

  it('dPower = 2 uses Σ_{i<j} d² = n Σ |x − mean|² and agrees with the pairwise sum', () => {
    const X = toDense(uniform(50, 3, 2));
    const labels = Array.from({ length: 50 }, (_, i) => i % 3);
    let brute = 0;
    for (let c = 0; c < 3; c++) {
      const idx = labels.map((l, i) => (l === c ? i : -1)).filter((i) => i >= 0);
      let s = 0;
      for (let a = 0; a < idx.length; a++) for (let b = a + 1; b < idx.length; b++) {
        let q = 0;
        for (let j = 0; j < 3; j++) q += (X.data[idx[a] * 3 + j] - X.data[idx[b] * 3 + j]) ** 2;
        s += q;
      }
      brute += s / idx.length;
    }
    expect(withinDispersion(X, labels, 3, 2)).toBeCloseTo(0.5 * brute, 10);
  });
});

describe('maxSE rules (cluster::maxSE)', () => {
  const f = [0.1, 0.3, 0.28, 0.5, 0.45];
  const se = [0.05, 0.05, 0.05, 0.05, 0.05];
  it('picks k by each rule', () => {
    expect(maxSE(f, se, 'firstmax')).toBe(2); // first local max
    expect(maxSE(f, se, 'globalmax')).toBe(4);
    expect(maxSE(f, se, 'firstSEmax')).toBe(2); // nothing left of k = 2 within 1 SE of 0.3
    expect(maxSE(f, se, 'globalSEmax')).toBe(4); // 0.3 < 0.5 − 0.05
    expect(maxSE(f, se, 'Tibs2001SEmax')).toBe(2); // smallest k with f(k) ≥ f(k+1) − SE: 0.3 ≥ 0.23
    expect(maxSE(f, se.map(() => 0.2), 'globalSEmax')).toBe(2); // 0.3 ≥ 0.5 − 0.2
    expect(maxSE([1, 2, 3], [0, 0, 0], 'firstSEmax')).toBe(3); // increasing: the last k
  });
});

describe.skipIf(!HAS_SHARED)('gap statistic against R cluster::clusGap (mall customers)', () => {
  const ref = HAS_SHARED ? reference<GapReference>('mall_gap_clusgap.json') : null;
  const sk = HAS_SHARED ? reference<MallReference>('mall_kmeans_sklearn.json') : null;
  const X = HAS_SHARED ? mallXY() : [];

  it('log W equal for the same clustering', () => {
    const d = toDense(X);
    expect(Math.abs(Math.log(withinDispersion(d, new Array(200).fill(0), 1)) - ref!.logW[0])).toBeLessThan(1e-8);
    expect(Math.abs(Math.log(withinDispersion(d, sk!.k5.labels, 5)) - ref!.logW[4])).toBeLessThan(1e-8);
  });

  it('maxSE on R\'s own table gives R\'s choices', () => {
    expect(maxSE(ref!.gap, ref!.SE_sim, 'firstSEmax')).toBe(ref!.k_firstSEmax);
    expect(maxSE(ref!.gap, ref!.SE_sim, 'Tibs2001SEmax')).toBe(ref!.k_Tibs2001SEmax);
    expect(maxSE(ref!.gap, ref!.SE_sim, 'globalmax')).toBe(ref!.k_globalmax);
  });

  it('gap within 3 SE of clusGap for every k, and the same firstSEmax choice', () => {
    const g = gapStatistic(X, { kMax: 10, B: 100, seed: 1 });
    expect(g.perK.map((r) => r.k)).toEqual(ref!.k);
    g.perK.forEach((r, i) => {
      expect(Math.abs(r.gap - ref!.gap[i])).toBeLessThan(3 * ref!.SE_sim[i]);
      expect(r.se).toBeGreaterThan(0.5 * ref!.SE_sim[i]);
      expect(r.se).toBeLessThan(2 * ref!.SE_sim[i]);
    });
    expect(g.k).toBe(ref!.k_firstSEmax);
    expect(g.spaceH0).toBe('scaledPCA');
    expect(g.sampled).toBe(false);
  });
});

describe('gapStatistic', () => {
  it('finds the true k of well-separated groups, under both reference spaces', () => {
    const { X } = blobs(3, 40, 2);
    for (const spaceH0 of ['scaledPCA', 'original'] as const) {
      const g = gapStatistic(X, { kMax: 6, B: 20, spaceH0, nInit: 3 });
      expect(g.k).toBe(3);
    }
  });

  it('runs on a seeded sample above the size limit, reproducibly', () => {
    const X = uniform(300, 2, 5);
    const a = gapStatistic(X, { kMax: 4, B: 5, sample: 100, nInit: 2 });
    expect(a.sampled).toBe(true);
    expect(a.n).toBe(100);
    expect(gapStatistic(X, { kMax: 4, B: 5, sample: 100, nInit: 2 })).toEqual(a);
  });

  it('reports progress for the data and every reference set', () => {
    const calls: Array<[number, number]> = [];
    gapStatistic(uniform(60, 2, 1), { kMax: 3, B: 4, nInit: 1, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([1, 2, 3, 4, 5].map((d) => [d, 5]));
  });

  it('refuses bad options', () => {
    const X = uniform(20, 2, 1);
    expect(() => gapStatistic(X, { kMax: 25 })).toThrow(/kMax = 25 is more than the number of customers − 1 \(19\)/);
    expect(() => gapStatistic(X, { B: 0 })).toThrow(/B must be a whole number ≥ 1/);
    expect(() => gapStatistic(X, { method: 'best' as never })).toThrow(/unknown gap method "best"/);
    expect(() => gapStatistic(X, { spaceH0: 'pca' as never })).toThrow(/spaceH0/);
  });
});
