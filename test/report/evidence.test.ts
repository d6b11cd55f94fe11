/**
 * The report's words about k (kEvidence): the deciding evidence, the runner-up and how to follow it, a
 * borderline choice and a user's own k, from recommendations that recommendK makes on hand-made sweeps.
 */
import { describe, expect, it } from 'vitest';
import { kEvidence } from '../../src/report/findings';
import { recommendK } from '../../src/select-k/recommend';
import type { GapResult, KResult, KSweep } from '../../src/types';

const row = (k: number, sil: number, ch: number, db: number, stability: number): KResult => ({
  k,
  inertia: 1000 / k,
  silhouette: sil,
  calinskiHarabasz: ch,
  daviesBouldin: db,
  sizes: [...new Array(k - 1).fill(900 / (k - 1)), 100],
  stability,
  stabilitySE: 0.01,
  stabilityReading: stability >= 0.85 ? 'highly stable' : stability >= 0.75 ? 'stable' : 'moderately stable',
});
const gapAt = (k: number): GapResult => ({ perK: [], k, method: 'firstSEmax', seFactor: 1, B: 50, spaceH0: 'scaledPCA', dPower: 1, n: 1000, sampled: false });

/** RFM-like: every index best at 2, a local optimum of silhouette, CH and DB at 4, the elbow at 5. */
const PER_K = [
  row(2, 0.52, 2300, 0.72, 0.98),
  row(3, 0.36, 1900, 1.05, 0.84),
  row(4, 0.4, 2030, 0.86, 0.93),
  row(5, 0.39, 2005, 0.87, 0.92),
  row(6, 0.32, 1900, 1.02, 0.87),
  row(7, 0.32, 1790, 1.01, 0.74),
  row(8, 0.31, 1716, 0.99, 0.68),
];

function sweep(perK: KResult[], elbowK: number | null, gap?: GapResult): KSweep {
  const elbow = { k: elbowK, note: 'no clear elbow' };
  return { perK, elbow, silhouetteSample: 1000, recommendation: recommendK({ perK, elbow, gap }), ...(gap ? { gap } : {}) };
}

describe('kEvidence', () => {
  it('states the deciding evidence and the stability, then the runner-up and how to follow it', () => {
    const s = sweep(PER_K, 5, gapAt(4));
    const e = kEvidence({ sweep: s, k: 4, kSource: 'recommended' });
    expect(e.support).toBe(
      "Recommended k = 4, chosen among k = 3–8. At k = 4 the mean silhouette peaks at 0.400, Calinski-Harabasz peaks at 2030.0, Davies-Bouldin dips to 0.860 and the gap statistic's firstSEmax rule picks it: 4 signals of 5, more than at any other stable k in 3–8. At k = 4 the segments are highly stable (mean adjusted Rand index 0.93) under resampling.",
    );
    expect(e.alternativeK).toBe(5);
    expect(e.alternative).toBe(
      'Runner-up: k = 5, with 1 signal (the elbow of the inertia curve is there); rerun with k = 5 for a finer split (segkit report --k 5); at k = 5 the segments are highly stable (mean adjusted Rand index 0.92).',
    );
  });

  it('says when the choice is borderline, and why', () => {
    const near = PER_K.map((r) => (r.k === 4 ? { ...r, stability: 0.76, stabilityReading: 'stable' } : r));
    const e = kEvidence({ sweep: sweep(near, 5, gapAt(4)), k: 4, kSource: 'recommended' });
    expect(e.alternative).toContain('The choice is borderline: the stability at k = 4 (0.76 ± 0.010) is within two standard errors of 0.75, and that would give k = 5.');
  });

  it("states a user's k, and does not suggest a rerun at the k already in use", () => {
    const e = kEvidence({ sweep: sweep(PER_K, 5, gapAt(4)), k: 5, kSource: 'user' });
    expect(e.support).toContain('You chose k = 5 instead; the segments in this report use k = 5.');
    expect(e.alternativeK).toBe(5);
    expect(e.alternative).toBe('Runner-up: k = 5, with 1 signal (the elbow of the inertia curve is there).');
  });

  it('a gap of k = 1 means no clear structure; a range of one k has no runner-up', () => {
    const e = kEvidence({ sweep: sweep(PER_K, 5, gapAt(1)), k: 4, kSource: 'recommended' });
    expect(e.alternative).toContain('The gap statistic finds no clear group structure (k = 1)');
    const one = sweep(PER_K.slice(0, 3), null);
    const only = kEvidence({ sweep: one, k: 3, kSource: 'recommended' });
    expect(one.recommendation.range).toEqual([3, 4]);
    expect(only.alternativeK).toBe(one.recommendation.runnerUp?.k);
    const single = sweep(PER_K.slice(0, 2), null);
    expect(kEvidence({ sweep: single, k: 3, kSource: 'recommended' })).toEqual({ support: expect.stringContaining('Recommended k = 3, chosen among k = 3. The range holds only one k, k = 3.'), alternative: undefined });
  });
});
