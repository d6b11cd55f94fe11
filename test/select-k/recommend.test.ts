import { describe, expect, it } from 'vitest';
import { overrideRecommendation, recommendK } from '../../src/select-k/recommend';
import type { KResult } from '../../src/types';

const row = (k: number, sil: number, ch: number, db: number, stability?: number): KResult => ({ k, inertia: 100 / k, silhouette: sil, calinskiHarabasz: ch, daviesBouldin: db, ...(stability === undefined ? {} : { stability, stabilityReading: 'x' }) });

describe('recommendK', () => {
  it('counts one vote per index and says which won', () => {
    const perK = [row(2, 0.5, 100, 0.9), row(3, 0.6, 120, 0.7), row(4, 0.55, 130, 0.8)];
    const r = recommendK({ perK, elbow: { k: 3, note: '' } });
    expect(r.votes).toEqual({ silhouette: 3, calinskiHarabasz: 4, daviesBouldin: 3, gap: null, elbow: 3 });
    expect(r.k).toBe(3);
    expect(r.rule).toBe('majority of the indices, 3 of 4');
  });

  it('breaks a tie by stability, then by silhouette', () => {
    // silhouette → 2, CH → 4, DB → 2, elbow → 4: a 2–2 tie
    const perK = [row(2, 0.6, 100, 0.5, 0.7), row(3, 0.5, 110, 0.8, 0.9), row(4, 0.55, 130, 0.9, 0.95)];
    const r = recommendK({ perK, elbow: { k: 4, note: '' } });
    expect(r.k).toBe(4);
    expect(r.rule).toMatch(/tie between k = 2, 4 broken by stability/);
    const noStab = recommendK({ perK: perK.map(({ stability: _s, stabilityReading: _r, ...rest }) => rest), elbow: { k: 4, note: '' } });
    expect(noStab.k).toBe(2);
    expect(noStab.rule).toMatch(/broken by the mean silhouette/);
  });

  it('a gap choice outside the range is reported but not counted; no elbow is said plainly', () => {
    const perK = [row(2, 0.5, 100, 0.9), row(3, 0.6, 120, 0.7)];
    const gap = { perK: [], k: 1, method: 'firstSEmax' as const, seFactor: 1, B: 50, spaceH0: 'scaledPCA' as const, dPower: 1, n: 10, sampled: false };
    const r = recommendK({ perK, elbow: { k: null, note: 'no clear elbow: the curve bends too evenly' }, gap });
    expect(r.votes.gap).toBe(1);
    expect(r.k).toBe(3);
    expect(r.explanation).toContain('no clear group structure (k = 1)');
    expect(r.explanation).toContain('the inertia curve has no clear elbow');
  });

  it('an override keeps the recommendation beside it', () => {
    const rec = recommendK({ perK: [row(2, 0.5, 100, 0.9), row(3, 0.6, 120, 0.7)], elbow: { k: null, note: '' } });
    expect(overrideRecommendation(rec, 2).override).toEqual({ k: 2, note: 'k = 2 chosen by the user; the indices recommend k = 3' });
    expect(overrideRecommendation(rec, 3).override).toBeUndefined();
  });
});
