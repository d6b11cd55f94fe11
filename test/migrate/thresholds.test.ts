/** Cut points from rank thresholds, worked by hand on ten customers. */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { cutsOf, scoreWithCuts } from '../../src/migrate';
import { scoreRfm } from '../../src/rfm';

// recency 1..10 days, frequency with five tied at 1, monetary 10..100.
const TEN = pl.DataFrame({
  customer_id: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
  recency_days: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  frequency: [1, 1, 1, 1, 1, 2, 2, 3, 4, 5],
  monetary: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
});

describe('cutsOf (rank thresholds)', () => {
  it('gives the cut points that return period 1 its own scores, a tie-emptied score included', () => {
    const scored = scoreRfm(TEN);
    // frequency: 1 → below 0 → score 1; 2 → below 5 → 1 + ⌊5·5/10⌋ = 3 (score 2 empty); 3 → 4; 4 → 5; 5 → 5
    expect(scored.table.getColumn('f_score').toArray()).toEqual([1, 1, 1, 1, 1, 3, 3, 4, 5, 5]);
    const { bins, cuts } = cutsOf(scored.thresholds);
    expect(bins).toBe(5);
    expect(cuts.frequency).toEqual([2, 2, 3, 4]); // lowest value scoring above 1, 2, 3, 4
    expect(cuts.monetary).toEqual([30, 50, 70, 90]);
    expect(cuts.recency).toEqual([3, 5, 7, 9]); // fewest days scoring at or below 4, 3, 2, 1
    const again = scoreWithCuts(TEN, { bins, cuts }, '');
    expect(again.table.getColumn('rfm_code').toArray()).toEqual(scored.table.getColumn('rfm_code').toArray());
  });

  it("scores new values on period 1's scale: gaps take the lower score, beyond the ends the end scores", () => {
    const fixed = cutsOf(scoreRfm(TEN).thresholds);
    const later = pl.DataFrame({ customer_id: ['x', 'y', 'z'], recency_days: [0, 4, 400], frequency: [2, 7, 1], monetary: [29.99, 1000, 29.9999999] }); // 29.9999999 rounds to 30 (6 decimals, as scoreRfm)
    const s = scoreWithCuts(later, fixed, '2024-01-01').table;
    expect(s.getColumn('r_score').toArray()).toEqual([5, 4, 1]);
    expect(s.getColumn('f_score').toArray()).toEqual([3, 5, 1]);
    expect(s.getColumn('m_score').toArray()).toEqual([1, 5, 2]);
  });

  it('a score nobody reached in period 1 stays out of reach (cut +∞)', () => {
    const flat = TEN.withColumns(pl.lit(3).alias('frequency'));
    const fixed = cutsOf(scoreRfm(flat).thresholds);
    expect(fixed.cuts.frequency).toEqual([Infinity, Infinity, Infinity, Infinity]);
    const s = scoreWithCuts(TEN, fixed, '').table;
    expect(new Set(s.getColumn('f_score').toArray())).toEqual(new Set([1]));
  });
});
