import { describe, expect, it } from 'vitest';
import { fitKMeans } from '../../src/cluster/kmeans';
import { silhouetteSamples } from '../../src/select-k/silhouette';
import { overrideK, sweepK } from '../../src/select-k/sweep';
import { HAS_SHARED, reference } from '../helpers/shared';
import { blobs, mallXY, uniform, type MallReference } from './fixtures';
import { captureWarnings } from '../helpers/warnings';

const warnings = captureWarnings();

const FAST = { nInit: 3, gap: { B: 10 }, stability: { B: 6 }, dendrogram: { sample: 60 } };

describe('sweepK on well-separated groups', () => {
  const { X } = blobs(4, 40, 2);
  const sweep = sweepK(X, { k: [2, 8], ...FAST });

  it('recommends the true k: the local optimum of every index, in the range 3..8', () => {
    expect(sweep.recommendation.k).toBe(4);
    expect(sweep.recommendation.votes).toMatchObject({ silhouette: 4, calinskiHarabasz: 4, daviesBouldin: 4, gap: 4 });
    expect(sweep.recommendation.candidates!.find((c) => c.k === 4)!.signals).toEqual(expect.arrayContaining(['silhouette', 'calinskiHarabasz', 'daviesBouldin', 'gap']));
    expect(sweep.recommendation.range).toEqual([3, 8]);
    expect(sweep.recommendation.rule).toMatch(/^most signals in k = 3–8/);
    expect(sweep.chosenK).toBe(4);
    expect(sweep.settings!.recommend).toEqual({ kMin: 3, kMax: 8, minSegmentShare: 0.03, minStability: 0.75 });
  });

  it('explains in plain words which evidence decided, the runner-up, and how stable', () => {
    const e = sweep.recommendation.explanation;
    expect(e).toMatch(/^Recommended k = 4, chosen among k = 3–8 \(k = 2, the coarsest split/);
    for (const phrase of ['Deciding evidence: at k = 4 the mean silhouette peaks at', 'Calinski-Harabasz peaks at', 'Davies-Bouldin dips to', "the gap statistic's firstSEmax rule picks it", 'highly stable under resampling', 'Runner-up: k = ']) {
      expect(e).toContain(phrase);
    }
    expect(e).not.toContain('Borderline');
  });

  it('has every index for every k, and the details', () => {
    expect(sweep.perK.map((r) => r.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    for (const r of sweep.perK) {
      for (const key of ['inertia', 'silhouette', 'calinskiHarabasz', 'daviesBouldin', 'gap', 'gapSE', 'logW', 'expectedLogW', 'stability'] as const) expect(Number.isFinite(r[key])).toBe(true);
      expect(r.sizes!.reduce((a, b) => a + b, 0)).toBe(160);
    }
    expect(sweep.gap!.perK).toHaveLength(8); // k = 1..kMax
    expect(sweep.dendrogram!.rows).toHaveLength(60);
    expect(sweep.silhouetteSample).toBe(160);
    expect(sweep.settings).toMatchObject({ n: 160, k: [2, 8], nInit: 3, silhouetteExact: true });
  });

  it('per-point silhouettes of the recommended k belong to the model fitKMeans gives for the same seed', () => {
    const pts = sweep.silhouettePoints!.find((p) => p.k === 4)!;
    const model = fitKMeans(X, { k: 4, nInit: 3 });
    expect(pts.labels).toEqual(model.labels);
    const exact = silhouetteSamples(X, model.labels);
    pts.values.forEach((v, i) => expect(v).toBeCloseTo(exact[i], 12));
    expect(sweep.perK.find((r) => r.k === 4)!.inertia).toBeCloseTo(model.inertia, 9);
  });
});

describe('sweepK options', () => {
  it('reports progress up to the total, in order', () => {
    const calls: Array<[number, number, string | undefined]> = [];
    sweepK(uniform(80, 2, 1), { k: [2, 4], ...FAST, onProgress: (d, t, l) => calls.push([d, t, l]) });
    const total = 3 + 11 + 3 + 1;
    expect(calls.map((c) => c[0])).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(calls.every((c) => c[1] === total)).toBe(true);
    expect(calls[0][2]).toBe('k-means and indices, k = 2');
    expect(calls.at(-1)![2]).toBe('Ward dendrogram');
  });

  it('computes the silhouette on a seeded sample above the limit and says how big', () => {
    const X = uniform(400, 2, 2);
    const s = sweepK(X, { k: [2, 3], nInit: 1, gap: false, stability: false, dendrogram: false, silhouetteSample: 150 });
    expect(s.silhouetteSample).toBe(150);
    expect(s.settings!.silhouetteExact).toBe(false);
    expect(s.silhouettePoints![0].rows).toHaveLength(150);
    expect(s.gap).toBeUndefined();
    expect(s.perK[0].stability).toBeUndefined();
    const again = sweepK(X, { k: [2, 3], nInit: 1, gap: false, stability: false, dendrogram: false, silhouetteSample: 150 });
    expect(again.perK).toEqual(s.perK);
  });

  it('a user k is kept beside the recommendation, with its silhouettes', () => {
    const { X } = blobs(3, 30, 2);
    const s = sweepK(X, { k: [2, 6], ...FAST, userK: 5 });
    expect(s.recommendation.k).toBe(3);
    expect(s.chosenK).toBe(5);
    expect(s.recommendation.override).toEqual({ k: 5, note: 'k = 5 chosen by the user; the evidence recommends k = 3' });
    expect(s.silhouettePoints!.map((p) => p.k).sort()).toEqual([3, 5]);
    const after = overrideK(sweepK(X, { k: [2, 6], ...FAST }), 4, 'marketing wants four');
    expect(after.chosenK).toBe(4);
    expect(after.recommendation.override).toEqual({ k: 4, note: 'marketing wants four' });
  });

  it('warns when the silhouette sample asked exceeds the customers', () => {
    sweepK(uniform(40, 2, 1), { k: [2, 3], nInit: 1, gap: false, stability: false, dendrogram: false, silhouetteSample: 1000 });
    expect(warnings.map((w) => w.code)).toContain('sample_larger_than_data');
  });
});

describe.skipIf(!HAS_SHARED)('sweepK on the mall customers', () => {
  it('recommends the 5 segments of the tutorials, with scikit-learn\'s indices at k = 5', () => {
    const ref = reference<MallReference>('mall_kmeans_sklearn.json');
    const s = sweepK(mallXY(), { gap: { B: 20 }, stability: { B: 10 }, dendrogram: false });
    expect(s.recommendation.k).toBe(5);
    const r5 = s.perK.find((r) => r.k === 5)!;
    const f5 = ref.per_k.find((r) => r.k === 5)!;
    expect(Math.abs(r5.silhouette - f5.silhouette)).toBeLessThan(1e-9);
    expect(Math.abs(r5.calinskiHarabasz - f5.calinski_harabasz)).toBeLessThan(1e-9);
    expect(Math.abs(r5.daviesBouldin - f5.davies_bouldin)).toBeLessThan(1e-9);
    expect(s.recommendation.votes.gap).toBe(1);
    expect(s.recommendation.explanation).toContain('finds no clear group structure (k = 1)');
  });
});
