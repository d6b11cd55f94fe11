import { kmeans as mlKmeans } from 'ml-kmeans';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { assignClusters, fitKMeans } from '../../src/cluster/kmeans';
import { assignNearest, kmeansPlusPlus, lloyd } from '../../src/cluster/lloyd';
import { toDense } from '../../src/cluster/matrix';
import { pcaPart } from '../../src/cluster/pcapart';
import { buildFeatures } from '../../src/features/build';
import { mulberry32 } from '../../src/random';
import { HAS_SHARED, reference } from '../helpers/shared';
import { blobs, mallXY, uniform, type MallReference } from '../select-k/fixtures';

/** Plain Lloyd, written out the textbook way, to check the accelerated engine step by step. */
function naiveLloyd(X: number[][], init: number[][], maxIter = 1000): { labels: number[]; centers: number[][] } {
  let centers = init.map((c) => [...c]);
  let labels: number[] = [];
  for (let it = 0; it < maxIter; it++) {
    const next = X.map((x) => {
      let best = Infinity;
      let arg = 0;
      centers.forEach((c, j) => {
        const d = c.reduce((s, v, t) => s + (v - x[t]) ** 2, 0);
        if (d < best) {
          best = d;
          arg = j;
        }
      });
      return arg;
    });
    const same = next.every((l, i) => l === labels[i]);
    labels = next;
    centers = centers.map((c, j) => {
      const members = X.filter((_, i) => labels[i] === j);
      return members.length ? c.map((_, t) => members.reduce((s, m) => s + m[t], 0) / members.length) : c;
    });
    if (same) break;
  }
  return { labels, centers };
}

describe('the typed-array engine', () => {
  it('gives exactly the assignments of plain Lloyd from the same start (Hamerly bounds are exact)', () => {
    for (const [k, X] of [
      [3, uniform(400, 2, 11)],
      [6, uniform(500, 3, 12)],
      [4, blobs(4, 60, 3).X],
    ] as Array<[number, number[][]]>) {
      const dense = toDense(X);
      const init = kmeansPlusPlus(dense, k, mulberry32(5));
      const initRows = Array.from({ length: k }, (_, c) => Array.from(init.subarray(c * dense.d, (c + 1) * dense.d)));
      const ours = lloyd(dense, init, k, 1000, 0);
      const ref = naiveLloyd(X, initRows);
      expect(Array.from(ours.labels)).toEqual(ref.labels);
      ref.centers.forEach((c, j) => c.forEach((v, t) => expect(ours.centers[j * dense.d + t]).toBeCloseTo(v, 10)));
      expect(ours.converged).toBe(true);
    }
  });

  it('agrees with ml-kmeans from the same initial centres', () => {
    const X = uniform(600, 2, 21);
    const dense = toDense(X);
    for (const k of [2, 5, 8]) {
      const init = kmeansPlusPlus(dense, k, mulberry32(k));
      const initRows = Array.from({ length: k }, (_, c) => Array.from(init.subarray(c * 2, c * 2 + 2)));
      const ml = mlKmeans(X, k, { initialization: initRows.map((r) => [...r]), maxIterations: 1000, tolerance: 0 });
      const ours = lloyd(dense, init, k, 1000, 0);
      expect(Array.from(ours.labels)).toEqual(ml.clusters);
      ml.centroids.forEach((c, j) => c.forEach((v, t) => expect(ours.centers[j * 2 + t]).toBeCloseTo(v, 10)));
    }
  });

  it('labels always belong to the returned centres, inertia is their WCSS', () => {
    const X = uniform(300, 2, 4);
    const m = fitKMeans(X, { k: 5, seed: 3, nInit: 3 });
    const again = assignNearest(toDense(X), Float64Array.from(m.centroids.flat()), 5);
    expect(Array.from(again.labels)).toEqual(m.labels);
    expect(again.inertia).toBeCloseTo(m.inertia, 8);
    expect(assignClusters(m, X)).toEqual(m.labels);
  });
});

describe('PCA-Part seeding and Hartigan refinement', () => {
  it('PCA-Part splits along the first principal axis: two far groups get their own means', () => {
    const X = [...blobs(1, 30, 2, 1).X, ...blobs(1, 30, 2, 2).X.map((r) => [r[0] + 40, r[1]])];
    const c = pcaPart(toDense(X), 2)!;
    const means = [0, 30].map((o) => [0, 1].map((j) => X.slice(o, o + 30).reduce((s, r) => s + r[j], 0) / 30));
    const got = [Array.from(c.subarray(0, 2)), Array.from(c.subarray(2, 4))].sort((a, b) => a[0] - b[0]);
    got.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(means[i][j], 10)));
    expect(pcaPart(toDense([[1, 1], [1, 1], [1, 1]]), 2)).toBeNull(); // identical rows cannot be split
  });

  it("Hartigan's transfers never raise the inertia and end at a Lloyd fixed point", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const X = uniform(300, 2, seed);
      const dense = toDense(X);
      const init = kmeansPlusPlus(dense, 6, mulberry32(seed));
      const plain = lloyd(dense, init, 6, 1000, 0);
      const plainInertia = plain.inertia;
      const refined = lloyd(dense, init, 6, 1000, 0, undefined, true);
      expect(refined.inertia).toBeLessThanOrEqual(plainInertia + 1e-9);
      const again = assignNearest(dense, refined.centers, 6);
      expect(Array.from(again.labels)).toEqual(Array.from(refined.labels));
      // centres are the means of their points
      for (let c = 0; c < 6; c++) {
        const members = X.filter((_, i) => refined.labels[i] === c);
        [0, 1].forEach((j) => expect(refined.centers[c * 2 + j]).toBeCloseTo(members.reduce((s, r) => s + r[j], 0) / members.length, 9));
      }
    }
  });
});

describe('fitKMeans', () => {
  it('is deterministic for a seed; restarts keep the lowest inertia', () => {
    const X = uniform(400, 2, 8);
    const a = fitKMeans(X, { k: 6, seed: 1 });
    const b = fitKMeans(X, { k: 6, seed: 1 });
    expect(b.labels).toEqual(a.labels);
    expect(b.centroids).toEqual(a.centroids);
    expect(a.restartInertias).toHaveLength(10);
    // the best restart is then polished by Hartigan's transfers, which can only lower the inertia
    expect(a.inertia).toBeLessThanOrEqual(Math.min(...a.restartInertias!));
    expect(a.inertia).toBeGreaterThan(0.9 * Math.min(...a.restartInertias!));
    expect(a.nInit).toBe(10);
    expect(a.seed).toBe(1);
    const one = fitKMeans(X, { k: 6, seed: 1, nInit: 1 });
    expect(one.inertia).toBeGreaterThanOrEqual(a.inertia);
  });

  it('finds the true groups of well-separated blobs', () => {
    const { X, truth } = blobs(4, 50, 2);
    const m = fitKMeans(X, { k: 4 });
    // same partition up to renumbering
    const map = new Map<number, number>();
    m.labels.forEach((l, i) => map.set(l, truth[i]));
    expect(new Set(map.values()).size).toBe(4);
    m.labels.forEach((l, i) => expect(map.get(l)).toBe(truth[i]));
    expect(m.sizes).toEqual([50, 50, 50, 50]);
  });

  it('orders clusters by mean original monetary, descending, when fitted on features', () => {
    // three well-separated groups of customers with distinct spend
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => [300 + i, 1, 10 + (i % 3)]),
      ...Array.from({ length: 20 }, (_, i) => [5 + (i % 4), 30 + (i % 5), 5000 + 10 * i]),
      ...Array.from({ length: 20 }, (_, i) => [60 + (i % 6), 8 + (i % 2), 500 + i]),
    ];
    const df = pl.DataFrame({ customer_id: rows.map((_, i) => `c${i}`), recency_days: rows.map((r) => r[0]), frequency: rows.map((r) => r[1]), monetary: rows.map((r) => r[2]) });
    const fm = buildFeatures(df);
    for (const seed of [1, 2, 3, 4]) {
      const m = fitKMeans(fm, { k: 3, seed, nInit: 2 });
      expect(m.order).toBe('mean monetary, descending');
      expect(m.labels.slice(20, 40).every((l) => l === 0)).toBe(true); // the big spenders are cluster 0
      expect(m.labels.slice(40, 60).every((l) => l === 1)).toBe(true);
      expect(m.labels.slice(0, 20).every((l) => l === 2)).toBe(true);
      expect(m.orderValues![0]).toBeCloseTo(5000 + 95, 8);
      // centroids in original units are the inverse transform (log-space means → geometric-style centres)
      expect(m.centroidsOriginal![0][2]).toBeGreaterThan(4000);
      expect(m.columns).toEqual(['recency_days', 'frequency', 'monetary']);
    }
    const byRecency = fitKMeans(fm, { k: 3, orderBy: 'recency_days', descending: false });
    expect(byRecency.order).toBe('mean recency_days, ascending');
    expect(byRecency.labels[20]).toBe(0);
    const byVector = fitKMeans(fm, { k: 3, orderBy: rows.map((r) => r[1]) });
    expect(byVector.labels[20]).toBe(0); // most orders
    const byFn = fitKMeans(fm, { k: 3, orderBy: (c) => -(c.mean?.monetary ?? 0) });
    expect(byFn.labels[20]).toBe(2);
  });

  it('orders by cluster size when there is no monetary column', () => {
    const { X } = blobs(3, 10, 2);
    const X2 = [...X, ...blobs(1, 25, 2, 99).X.map((r) => [r[0] + 100, r[1]])];
    const m = fitKMeans(X2, { k: 4 });
    expect(m.order).toBe('cluster size, descending');
    expect(m.sizes).toEqual([25, 10, 10, 10]);
  });

  it('the ml-kmeans engine runs the same restarts around ml-kmeans', () => {
    const X = uniform(300, 2, 5);
    const a = fitKMeans(X, { k: 4, engine: 'ml-kmeans', seed: 2 });
    const b = fitKMeans(X, { k: 4, seed: 2 });
    expect(a.engine).toBe('ml-kmeans');
    expect(a.restartInertias).toHaveLength(10);
    expect(Math.abs(a.inertia / b.inertia - 1)).toBeLessThan(0.02);
  });
});

describe.skipIf(!HAS_SHARED)('fitKMeans against scikit-learn (mall customers)', () => {
  const ref = HAS_SHARED ? reference<MallReference>('mall_kmeans_sklearn.json') : null;
  const X = HAS_SHARED ? mallXY() : [];

  it('best-of-10 inertia per k is at or below scikit-learn + 0.5 % (default seed)', () => {
    for (const r of ref!.per_k) {
      const m = fitKMeans(X, { k: r.k, nInit: 10 });
      expect(m.inertia, `k = ${r.k}`).toBeLessThanOrEqual(r.inertia * 1.005);
    }
  });

  it('and for (almost) any seed: k-means is a local search, so count the seeds 0..19 that reach it', () => {
    // scikit-learn's own best-of-10 is one draw of the same search; ours reaches its inertia for ≥ 19 of 20 seeds at every k
    for (const r of ref!.per_k) {
      let ok = 0;
      for (let seed = 0; seed < 20; seed++) if (fitKMeans(X, { k: r.k, seed }).inertia <= r.inertia * 1.005) ok++;
      expect(ok, `k = ${r.k}`).toBeGreaterThanOrEqual(19);
    }
  });

  it('k = 5 gives scikit-learn\'s partition and centroids', () => {
    const m = fitKMeans(X, { k: 5 });
    const pairs = new Set(m.labels.map((l, i) => `${l}:${ref!.k5.labels[i]}`));
    expect(pairs.size).toBe(5);
    const sorted = (cs: number[][]): number[][] => [...cs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    sorted(m.centroids).forEach((c, j) => c.forEach((v, t) => expect(v).toBeCloseTo(sorted(ref!.k5.centroids)[j][t], 9)));
  });

  it('ml-kmeans with restarts also reaches the reference at k = 2..5', () => {
    for (const r of ref!.per_k.filter((x) => x.k <= 5)) {
      expect(fitKMeans(X, { k: r.k, engine: 'ml-kmeans' }).inertia).toBeLessThanOrEqual(r.inertia * 1.005);
    }
  });
});
