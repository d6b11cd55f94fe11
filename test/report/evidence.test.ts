/**
 * The report's words about k: which indices back the recommendation and what the others suggest
 * (kEvidence), on hand-made sweeps where each case's votes are set explicitly.
 */
import { describe, expect, it } from 'vitest';
import { kEvidence } from '../../src/report/findings';
import type { KSweep } from '../../src/types';

/** A sweep over k = 2..8 with the given votes; stability falls with k unless given. */
function sweep(rec: number, votes: Record<string, number | null>, stability: Record<number, number> = {}): KSweep {
  const perK = [2, 3, 4, 5, 6, 7, 8].map((k) => {
    const s = stability[k] ?? 1 - 0.05 * (k - 2);
    return { k, inertia: 1000 / k, silhouette: 0.5, calinskiHarabasz: 100, daviesBouldin: 1, stability: s, stabilityReading: s >= 0.85 ? 'highly stable' : 'stable' };
  });
  return {
    perK,
    elbow: { k: votes.elbow ?? null, note: '' },
    silhouetteSample: 1000,
    recommendation: { k: rec, rule: 'majority', explanation: '', votes },
  } as unknown as KSweep;
}

describe('kEvidence', () => {
  it('names the indices behind the recommendation and the runner-up, and says how to follow it', () => {
    const s = sweep(2, { silhouette: 2, calinskiHarabasz: 2, daviesBouldin: 2, gap: 4, elbow: 5 });
    const e = kEvidence({ sweep: s, k: 2, kSource: 'recommended' });
    expect(e.support).toContain('3 of 5 indices (the silhouette, Calinski-Harabasz and Davies-Bouldin) point to k = 2');
    expect(e.support).toContain(`mean adjusted Rand index ${s.perK[0].stability!.toFixed(2)}`);
    expect(e.alternative).toContain('The gap statistic (k = 4) and the elbow (k = 5) point to 4–5 segments');
    // One vote each: the more stable of 4 and 5 is the suggestion.
    expect(e.alternativeK).toBe(4);
    expect(e.alternative).toContain('rerun with k = 4 for a finer split (segkit report --k 4)');
    expect(e.alternative).toContain(`at k = 4 the segments are highly stable (mean adjusted Rand index ${s.perK[2].stability!.toFixed(2)})`);
  });

  it('the runner-up is the k with most disagreeing votes, then the most stable one', () => {
    const two = kEvidence({ sweep: sweep(2, { silhouette: 2, calinskiHarabasz: 6, daviesBouldin: 6, gap: 3, elbow: 2 }), k: 2, kSource: 'recommended' });
    expect(two.alternativeK).toBe(6);
    expect(two.alternative).toContain('3–6 segments');
    const stable = kEvidence({ sweep: sweep(4, { silhouette: 4, calinskiHarabasz: 4, daviesBouldin: 4, gap: 3, elbow: 6 }, { 3: 0.7, 6: 0.95 }), k: 4, kSource: 'recommended' });
    expect(stable.alternativeK).toBe(6);
    const coarser = kEvidence({ sweep: sweep(5, { silhouette: 5, calinskiHarabasz: 5, daviesBouldin: 5, gap: null, elbow: 3 }), k: 5, kSource: 'recommended' });
    expect(coarser.alternative).toBe(`The elbow (k = 3) points to 3 segments: rerun with k = 3 for a coarser split (segkit report --k 3); at k = 3 the segments are highly stable (mean adjusted Rand index ${(0.95).toFixed(2)}).`);
  });

  it('says so when every index agrees, and has no runner-up', () => {
    const e = kEvidence({ sweep: sweep(3, { silhouette: 3, calinskiHarabasz: 3, daviesBouldin: 3, gap: 3, elbow: 3 }), k: 3, kSource: 'recommended' });
    expect(e.support).toContain('5 of 5 indices');
    expect(e.alternative).toBe('Every index that voted agrees on k = 3.');
    expect(e.alternativeK).toBeUndefined();
  });

  it('a gap of k = 1 means no clear structure, not a runner-up', () => {
    const e = kEvidence({ sweep: sweep(2, { silhouette: 2, calinskiHarabasz: 2, daviesBouldin: 2, gap: 1, elbow: 2 }), k: 2, kSource: 'recommended' });
    expect(e.alternative).toContain('no clear group structure (k = 1)');
    expect(e.alternativeK).toBeUndefined();
    expect(e.alternative).not.toContain('rerun');
  });

  it('votes outside the range swept ask for a wider range instead of a rerun at that k', () => {
    const e = kEvidence({ sweep: sweep(2, { silhouette: 2, calinskiHarabasz: 2, daviesBouldin: 2, gap: 12, elbow: 2 }), k: 2, kSource: 'recommended' });
    expect(e.alternativeK).toBeUndefined();
    expect(e.alternative).toContain('the gap statistic (k = 12, outside the range swept)'.replace(/^./, (c) => c.toUpperCase()));
    expect(e.alternative).toContain('widen the range');
  });

  it('a user\'s k is stated, and not suggested again when it is the runner-up', () => {
    const s = sweep(2, { silhouette: 2, calinskiHarabasz: 2, daviesBouldin: 2, gap: 4, elbow: 4 });
    const e = kEvidence({ sweep: s, k: 4, kSource: 'user' });
    expect(e.support).toContain('You chose k = 4 instead');
    expect(e.alternativeK).toBe(4);
    expect(e.alternative).not.toContain('rerun');
  });
});
