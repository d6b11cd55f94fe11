import { describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src/cluster/kmeans';
import { adjustedRandIndex } from '../../src/select-k/ari';
import { calinskiHarabasz, daviesBouldin } from '../../src/select-k/indices';
import { silhouette, silhouetteSamples } from '../../src/select-k/silhouette';
import { HAS_SHARED, reference } from '../helpers/shared';
import { mallXY, uniform, type MallReference } from './fixtures';

// Four points on a line, two clusters: {0, 1} and {10, 11}.
const LINE = [[0], [1], [10], [11]];
const LAB = [0, 0, 1, 1];

describe('silhouette, Calinski-Harabasz, Davies-Bouldin by hand', () => {
  it('silhouette per point: s = (b − a) / max(a, b)', () => {
    // point 0: a = 1, b = (10 + 11) / 2 = 10.5; point 1: a = 1, b = (9 + 10) / 2 = 9.5
    const s = silhouetteSamples(LINE, LAB);
    expect(s[0]).toBeCloseTo(9.5 / 10.5, 14);
    expect(s[1]).toBeCloseTo(8.5 / 9.5, 14);
    expect(s[2]).toBeCloseTo(8.5 / 9.5, 14);
    expect(s[3]).toBeCloseTo(9.5 / 10.5, 14);
    expect(silhouette(LINE, LAB)).toBeCloseTo((2 * 9.5) / 10.5 / 4 + (2 * 8.5) / 9.5 / 4, 14);
  });

  it('a point alone in its cluster has silhouette 0; labels may be any numbers', () => {
    const s = silhouetteSamples([[0], [1], [5]], [7, 7, -3]);
    expect(s[2]).toBe(0);
    expect(s[0]).toBeCloseTo((5 - 1) / 5, 14);
  });

  it('Calinski-Harabasz = between/within × (n − k)/(k − 1)', () => {
    // means 0.5 and 10.5, overall 5.5: between = 4 × 25 = 100, within = 4 × 0.25 = 1
    expect(calinskiHarabasz(LINE, LAB)).toBeCloseTo(200, 12);
  });

  it('Davies-Bouldin = mean over clusters of the worst (s_i + s_j) / d_ij', () => {
    // s = 0.5 in both clusters, centroid distance 10
    expect(daviesBouldin(LINE, LAB)).toBeCloseTo(0.1, 14);
  });

  it('a seeded silhouette sample is reproducible and equals the exact value at full size', () => {
    const X = uniform(500, 2, 1);
    const { labels } = fitKMeans(X, { k: 4, nInit: 2 });
    expect(silhouette(X, labels, { sampleSize: 500 })).toBe(silhouette(X, labels));
    const a = silhouette(X, labels, { sampleSize: 200, seed: 9 });
    expect(silhouette(X, labels, { sampleSize: 200, seed: 9 })).toBe(a);
    expect(Math.abs(a - silhouette(X, labels))).toBeLessThan(0.05);
  });
});

describe('adjusted Rand index', () => {
  it('matches the classic examples (scikit-learn documentation values)', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 1])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714285715, 14);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285715, 14);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 14);
  });
  it('refuses labellings of different lengths', () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(/2 and 1 entries/);
  });
});

describe.skipIf(!HAS_SHARED)('indices against scikit-learn (mall customers, unscaled income and spending score)', () => {
  const ref = HAS_SHARED ? reference<MallReference>('mall_kmeans_sklearn.json') : null;
  const X = HAS_SHARED ? mallXY() : [];
  const k5 = ref?.per_k.find((r) => r.k === 5);

  it('silhouette, CH and DB of the given labels within 1e-9', () => {
    expect(Math.abs(silhouette(X, ref!.k5.labels) - k5!.silhouette)).toBeLessThan(1e-9);
    expect(Math.abs(calinskiHarabasz(X, ref!.k5.labels) - k5!.calinski_harabasz)).toBeLessThan(1e-9);
    expect(Math.abs(daviesBouldin(X, ref!.k5.labels) - k5!.davies_bouldin)).toBeLessThan(1e-9);
  });

  it('per-point silhouettes within 1e-9', () => {
    const s = silhouetteSamples(X, ref!.k5.labels);
    ref!.k5.silhouette_samples_first10.forEach((v, i) => expect(Math.abs(s[i] - v)).toBeLessThan(1e-9));
  });

  it('wherever our k-means finds scikit-learn\'s optimum, every index matches within 1e-9', () => {
    const same: number[] = [];
    for (const r of ref!.per_k) {
      const m = fitKMeans(X, { k: r.k });
      if (Math.abs(m.inertia / r.inertia - 1) > 1e-12) continue;
      same.push(r.k);
      expect(Math.abs(silhouette(X, m.labels) - r.silhouette)).toBeLessThan(1e-9);
      expect(Math.abs(calinskiHarabasz(X, m.labels) - r.calinski_harabasz)).toBeLessThan(1e-9);
      expect(Math.abs(daviesBouldin(X, m.labels) - r.davies_bouldin)).toBeLessThan(1e-9);
    }
    expect(same).toEqual(expect.arrayContaining([3, 4, 5]));
  });
});
