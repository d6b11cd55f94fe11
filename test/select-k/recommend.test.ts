/**
 * The recommendation rule on hand-made sweeps, each built so that one part of the rule decides: the
 * range, local optima, the segment share, the stability preference, the tie-break, the runner-up and
 * the borderline checks (docs/choosing-k.md).
 */
import { describe, expect, it } from 'vitest';
import { localOptima, overrideRecommendation, recommendK, resolveRecommendOptions } from '../../src/select-k/recommend';
import type { GapResult, KResult } from '../../src/types';
import { isSegkitError } from '../../src/errors';

interface Extra {
  stability?: number;
  se?: number;
  /** Share of the smallest segment (the rest shared evenly by the others); default 0.1. */
  smallest?: number;
}
const row = (k: number, sil: number, ch: number, db: number, x: Extra = {}): KResult => {
  const small = Math.round(1000 * (x.smallest ?? 0.1));
  const rest = (1000 - small) / (k - 1);
  return {
    k,
    inertia: 1000 / k,
    silhouette: sil,
    calinskiHarabasz: ch,
    daviesBouldin: db,
    sizes: [...new Array(k - 1).fill(rest), small],
    ...(x.stability === undefined ? {} : { stability: x.stability, stabilitySE: x.se ?? 0.01, stabilityReading: x.stability >= 0.75 ? 'stable' : 'moderately stable' }),
  };
};
const noElbow = { k: null, note: 'no clear elbow' };
const gapAt = (k: number): GapResult => ({ perK: [], k, method: 'firstSEmax', seFactor: 1, B: 50, spaceH0: 'scaledPCA', dPower: 1, n: 1000, sampled: false });

/** An RFM-like sweep: silhouette, CH and DB best at k = 2, a local peak of silhouette and CH and a dip of DB at 4. */
const rfmLike = (stab: Record<number, number> = {}): KResult[] => [
  row(2, 0.52, 2300, 0.72, { stability: stab[2] ?? 0.98 }),
  row(3, 0.36, 1900, 1.05, { stability: stab[3] ?? 0.84 }),
  row(4, 0.4, 2030, 0.86, { stability: stab[4] ?? 0.93 }),
  row(5, 0.39, 2005, 0.87, { stability: stab[5] ?? 0.92 }),
  row(6, 0.32, 1900, 1.02, { stability: stab[6] ?? 0.87 }),
  row(7, 0.32, 1790, 1.01, { stability: stab[7] ?? 0.74 }),
  row(8, 0.31, 1716, 0.98, { stability: stab[8] ?? 0.68 }),
  row(9, 0.31, 1660, 0.97, { stability: stab[9] ?? 0.71 }),
  row(10, 0.29, 1618, 1.02, { stability: stab[10] ?? 0.7 }),
];

describe('localOptima', () => {
  it('keeps k better than both neighbours; the ends of the sweep and gaps in k never count', () => {
    const s = (vs: Array<[number, number]>) => vs.map(([k, v]) => ({ k, v }));
    expect(localOptima(s([[2, 5], [3, 3], [4, 4], [5, 2], [6, 6]]), false)).toEqual([4]);
    expect(localOptima(s([[2, 5], [3, 3], [4, 4], [5, 2], [6, 6]]), true)).toEqual([3, 5]);
    expect(localOptima(s([[2, 1], [3, 2], [5, 1]]), false)).toEqual([]); // no k = 4 beside 3
    expect(localOptima(s([[2, 1], [3, 1], [4, 0]]), false)).toEqual([]); // a tie is no peak
  });
});

describe('recommendK', () => {
  it('on RFM-like indices (best at k = 2) it recommends the local optimum in 3..8 and names the deciding evidence', () => {
    const r = recommendK({ perK: rfmLike(), elbow: { k: 5, note: '' }, gap: gapAt(4) });
    expect(r.k).toBe(4);
    expect(r.range).toEqual([3, 8]);
    expect(r.votes).toEqual({ silhouette: 2, calinskiHarabasz: 2, daviesBouldin: 2, gap: 4, elbow: 5 });
    expect(r.candidates!.find((c) => c.k === 4)!.signals).toEqual(['silhouette', 'calinskiHarabasz', 'daviesBouldin', 'gap']);
    expect(r.candidates!.find((c) => c.k === 2)!.status).toBe('outside-range');
    expect(r.candidates!.filter((c) => c.status === 'unstable').map((c) => c.k)).toEqual([7, 8]);
    expect(r.decidedBy).toBe('At k = 4 the mean silhouette peaks at 0.400, Calinski-Harabasz peaks at 2030.0, Davies-Bouldin dips to 0.860 and the gap statistic\'s firstSEmax rule picks it: 4 signals of 5, more than at any other stable k in 3–8');
    expect(r.runnerUp).toEqual({ k: 5, reason: 'with 1 signal (the elbow of the inertia curve is there)' });
    expect(r.borderline).toBeUndefined();
    const e = r.explanation;
    expect(e).toMatch(/^Recommended k = 4, chosen among k = 3–8 \(k = 2, the coarsest split, stays in the tables and charts; kMin: 2 or --k-min 2 lets it be recommended\)\./);
    expect(e).toContain('Deciding evidence: at k = 4 the mean silhouette peaks at 0.400');
    expect(e).toContain('Runner-up: k = 5, with 1 signal');
    expect(e).toContain('Set aside: k = 7 (mean adjusted Rand index 0.74 < 0.75), k = 8 (mean adjusted Rand index 0.68 < 0.75).');
    expect(e).toContain('Outside the range: at k = 9 Davies-Bouldin dips to 0.970.');
    expect(e).toContain('The mean silhouette, Calinski-Harabasz and Davies-Bouldin are best overall at k = 2, below the range');
  });

  it('kMin 2 lets the coarsest split win; kMax bounds the range; a sweep outside the range uses its own', () => {
    // 4 keeps its signals with kMin 2: k = 2, the sweep's first, is nobody's local optimum
    expect(recommendK({ perK: rfmLike(), elbow: noElbow, gap: gapAt(4) }, { kMin: 2 }).k).toBe(4);
    // every index falls from k = 2 on and the elbow is at 2
    const two = [row(2, 0.6, 300, 0.5), row(3, 0.4, 200, 0.8), row(4, 0.35, 190, 0.85), row(5, 0.3, 150, 0.9)];
    expect(recommendK({ perK: two, elbow: { k: 2, note: '' } }).k).toBe(3);
    expect(recommendK({ perK: two, elbow: { k: 2, note: '' } }, { kMin: 2 }).k).toBe(2);
    expect(recommendK({ perK: rfmLike(), elbow: { k: 5, note: '' } }, { kMax: 3 }).k).toBe(3);
    const high = recommendK({ perK: [row(9, 0.3, 10, 1), row(10, 0.2, 9, 1.1)], elbow: noElbow });
    expect(high.k).toBe(9);
    expect(high.range).toEqual([9, 10]);
    expect(high.explanation).toContain('does not reach k = 3–8, so the whole sweep is the range');
  });

  it('sets aside a k with a segment under 3 % of the customers, unless asked', () => {
    const perK = rfmLike();
    perK[2] = row(4, 0.4, 2030, 0.86, { stability: 0.93, smallest: 0.02 });
    const r = recommendK({ perK, elbow: { k: 5, note: '' }, gap: gapAt(4) });
    expect(r.k).toBe(5);
    expect(r.candidates!.find((c) => c.k === 4)).toMatchObject({ status: 'small-segment', smallestShare: 0.02 });
    expect(r.explanation).toContain('k = 4 (a segment of 2.0 % < 3.0 %; 4 signals)');
    expect(recommendK({ perK, elbow: { k: 5, note: '' }, gap: gapAt(4) }, { minSegmentShare: 0 }).k).toBe(4);
    expect(recommendK({ perK, elbow: { k: 5, note: '' }, gap: gapAt(4) }, { minSegmentShare: 0.01 }).k).toBe(4);
  });

  it('prefers a stable k; when no k in the range is stable, it takes the evidence and says so', () => {
    const r = recommendK({ perK: rfmLike({ 4: 0.6 }), elbow: { k: 5, note: '' }, gap: gapAt(4) });
    expect(r.k).toBe(5);
    expect(r.candidates!.find((c) => c.k === 4)!.status).toBe('unstable');
    const none = recommendK({ perK: rfmLike({ 3: 0.5, 4: 0.6, 5: 0.6, 6: 0.5, 7: 0.5, 8: 0.5 }), elbow: { k: 5, note: '' }, gap: gapAt(4) });
    expect(none.k).toBe(4);
    expect(none.candidates!.every((c) => c.status !== 'unstable')).toBe(true);
    expect(none.explanation).toContain('No k in the range reaches a mean adjusted Rand index of 0.75: treat the segments with care');
    expect(recommendK({ perK: rfmLike({ 4: 0.6 }), elbow: { k: 5, note: '' }, gap: gapAt(4) }, { minStability: 0.5 }).k).toBe(4);
  });

  it('a tie on signals goes to the higher mean silhouette, then to the smaller k; the other is the runner-up', () => {
    // DB dips at 5 and 7; the elbow is at 5, the gap at 7: two signals each
    const perK = [row(2, 0.43, 4400, 0.89), row(3, 0.337, 3640, 1.04), row(4, 0.335, 3345, 1.02), row(5, 0.318, 3229, 0.983), row(6, 0.315, 3103, 1.02), row(7, 0.31, 2987, 0.976), row(8, 0.303, 2843, 0.99), row(9, 0.28, 2741, 1.02)];
    const r = recommendK({ perK, elbow: { k: 5, note: '' }, gap: gapAt(7) });
    expect(r.k).toBe(5);
    expect(r.decidedBy).toMatch(/^Both k = 5 and k = 7 have 2 signals each \(at k = 5 Davies-Bouldin dips to 0.983 and the elbow of the inertia curve is there; at k = 7 /);
    expect(r.decidedBy).toContain('the tie goes to the higher mean silhouette, 0.318 at k = 5 against 0.310 at k = 7');
    // the tied k's signals are in decidedBy; the runner-up says only why it came second
    expect(r.runnerUp).toEqual({ k: 7, reason: 'with as many signals but a lower mean silhouette, 0.310' });
    const flat = perK.map((x) => ({ ...x, silhouette: 0.3 }));
    const s = recommendK({ perK: flat, elbow: { k: 5, note: '' }, gap: gapAt(7) });
    expect(s.k).toBe(5);
    expect(s.decidedBy).toContain('the tie goes to the smaller k');
  });

  it('with no signal in the range, the highest mean silhouette there decides', () => {
    const perK = [row(2, 0.5, 500, 0.6), row(3, 0.4, 400, 0.7), row(4, 0.35, 350, 0.8), row(5, 0.3, 300, 0.9)];
    const r = recommendK({ perK, elbow: noElbow, gap: gapAt(1) });
    expect(r.k).toBe(3);
    expect(r.decidedBy).toMatch(/^No signal points inside k = 3–5 .* so the highest mean silhouette among the k in the range decides: 0.400 at k = 3$/);
    expect(r.explanation).toContain('The gap statistic finds no clear group structure (k = 1)');
    expect(r.explanation).toContain('The inertia curve has no clear elbow (no clear elbow).');
  });

  describe('borderline', () => {
    // DB dips at 5 and 7, the elbow is at 5, the silhouette peaks at 6 and is higher at 7 than at 5: the gap's vote decides.
    const perK = [row(2, 0.43, 4400, 0.89), row(3, 0.337, 3640, 1.04), row(4, 0.335, 3345, 1.02), row(5, 0.31, 3229, 0.983), row(6, 0.32, 3103, 1.02), row(7, 0.315, 2987, 0.976), row(8, 0.303, 2843, 0.99), row(9, 0.28, 2741, 1.02)];
    const gapTable = (gaps: number[]): GapResult => ({ ...gapAt(0), perK: gaps.map((g, i) => ({ k: i + 1, logW: 0, expectedLogW: 0, gap: g, se: 0.01 })), k: 7 });

    it('a close call of the gap statistic that decides k is said, with the k it would give', () => {
      // firstSEmax: the first decrease is after 7; 7 − 1 SE = 0.96 > gap(6) = 0.955, but 7 − 2 SE = 0.95 < gap(6): k = 6 with twice the SE
      const gap = gapTable([0.5, 0.6, 0.7, 0.8, 0.9, 0.955, 0.97, 0.96, 0.95]);
      const r = recommendK({ perK, elbow: { k: 5, note: '' }, gap });
      expect(r.k).toBe(7);
      expect(r.borderline).toEqual({
        alternatives: [6],
        reason: "the gap statistic's SE rule is a close call between k = 6 and k = 7 (it moves to k = 6 with half or twice its SE allowance), and that would give k = 6",
      });
      expect(r.explanation).toContain('Borderline: the gap statistic');
      // a clear gap choice is not borderline: gap(6) far below
      const firm = recommendK({ perK, elbow: { k: 5, note: '' }, gap: gapTable([0.5, 0.6, 0.7, 0.8, 0.9, 0.91, 0.97, 0.96, 0.95]) });
      expect(firm.k).toBe(7);
      expect(firm.borderline).toBeUndefined();
    });

    it('a stability within two standard errors of 0.75 that decides k is said', () => {
      const base = rfmLike();
      const near = base.map((r) => (r.k === 4 ? { ...r, stability: 0.77, stabilitySE: 0.015 } : r));
      const r = recommendK({ perK: near, elbow: { k: 5, note: '' }, gap: gapAt(4) });
      expect(r.k).toBe(4);
      expect(r.borderline?.alternatives).toEqual([5]);
      expect(r.borderline?.reason).toBe('the stability at k = 4 (0.77 ± 0.015) is within two standard errors of 0.75, and that would give k = 5');
      const far = base.map((r) => (r.k === 4 ? { ...r, stability: 0.77, stabilitySE: 0.005 } : r));
      expect(recommendK({ perK: far, elbow: { k: 5, note: '' }, gap: gapAt(4) }).borderline).toBeUndefined();
      // near 0.75 but deciding nothing (k = 7 has no signal): not borderline
      const idle = base.map((r) => (r.k === 7 ? { ...r, stability: 0.74, stabilitySE: 0.02 } : r));
      expect(recommendK({ perK: idle, elbow: { k: 5, note: '' }, gap: gapAt(4) }).borderline).toBeUndefined();
    });

    it('two nearly equal index values that another k-means optimum could reverse are said when they decide k', () => {
      // the silhouette peaks at 4 (0.400) but 5 is within 0.5 % (0.399); the elbow is at 5: tie, silhouette → 4
      const p = [row(2, 0.5, 100, 1), row(3, 0.35, 100, 1), row(4, 0.4, 100, 1), row(5, 0.399, 100, 1), row(6, 0.3, 100, 1)];
      const r = recommendK({ perK: p, elbow: { k: 5, note: '' } });
      expect(r.k).toBe(4);
      expect(r.borderline?.alternatives).toEqual([5]);
      expect(r.borderline?.reason).toContain('silhouette is nearly equal at k = 4 and k = 5 (0.400 and 0.399)');
    });
  });

  it('refuses bad options, naming the option and the fix', () => {
    const perK = rfmLike();
    for (const [opts, where] of [
      [{ kMin: 1 }, 'option recommend.kMin'],
      [{ kMin: 5, kMax: 4 }, 'option recommend.kMax'],
      [{ minSegmentShare: 3 }, 'option recommend.minSegmentShare'],
      [{ minStability: 1.5 }, 'option recommend.minStability'],
    ] as const) {
      try {
        recommendK({ perK, elbow: noElbow }, opts);
        expect.unreachable(`${JSON.stringify(opts)} should throw`);
      } catch (e) {
        expect(isSegkitError(e) && e.where).toBe(where);
        expect(isSegkitError(e) && e.hint).toBeTruthy();
      }
    }
    expect(resolveRecommendOptions({})).toEqual({ kMin: 3, kMax: 8, minSegmentShare: 0.03, minStability: 0.75 });
  });

  it('an override keeps the recommendation beside it', () => {
    const rec = recommendK({ perK: rfmLike(), elbow: { k: 5, note: '' }, gap: gapAt(4) });
    expect(overrideRecommendation(rec, 2).override).toEqual({ k: 2, note: 'k = 2 chosen by the user; the evidence recommends k = 4' });
    expect(overrideRecommendation(rec, 4).override).toBeUndefined();
  });
});
