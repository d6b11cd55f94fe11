/** Cluster names: unique, from the segment mix, the rules at the median scores, or qualified. */
import { describe, expect, it } from 'vitest';
import { nameClusters, ruleAt, type NamingInput } from '../../src/profile';
import { DEFAULT_SEGMENT_RULES } from '../../src/rfm';

const mid = { recency: 0.5, frequency: 0.5, monetary: 0.5 };
const cluster = (mix: Array<[string, number]>, extra: Partial<NamingInput> = {}): NamingInput => {
  const total = mix.reduce((s, [, n]) => s + n, 0);
  return { mix: mix.map(([segment, customers]) => ({ segment, customers, share: customers / total })), medianScores: null, position: mid, ...extra };
};
const rules = { rules: DEFAULT_SEGMENT_RULES, bins: 5 };

describe('nameClusters', () => {
  it('names each cluster after its most common segment when they differ', () => {
    const out = nameClusters([cluster([['Champions', 8], ['Loyal Customers', 2]]), cluster([['Lost', 9], ['Hibernating', 1]])], rules);
    expect(out.map((n) => [n.name, n.basis])).toEqual([
      ['Champions', 'dominant'],
      ['Lost', 'dominant'],
    ]);
    expect(out[0].reason).toBe('80% of its customers are Champions');
  });

  it('gives a contested name to the cluster where it covers the larger share; the other takes its next segment', () => {
    // Both are mostly Champions; cluster 1 more so (90% vs 55%). Cluster 0's next segment covers 45% ≥ 25%.
    const out = nameClusters([cluster([['Champions', 55], ['Loyal Customers', 45]]), cluster([['Champions', 90], ['Loyal Customers', 10]])], rules);
    expect(out.map((n) => n.name)).toEqual(['Loyal Customers', 'Champions']);
    expect(out[0].basis).toBe('share');
    expect(out[0].reason).toBe('45% of its customers are Loyal Customers (its most common segment, Champions at 55%, names cluster 2)');
  });

  it('falls back to the rule at the median scores when the next segment is too small', () => {
    const out = nameClusters(
      [cluster([['Champions', 90], ['Loyal Customers', 10]], { medianScores: { r: 2, f: 2, m: 2 } }), cluster([['Champions', 95], ['Lost', 5]])],
      rules,
    );
    // Cluster 0 loses Champions (90% < 95%); Loyal Customers is only 10% < 25%; R2 F2 M2 → Need Attention.
    expect(out[0]).toMatchObject({ name: 'Need Attention', basis: 'median-scores', segment: 'Need Attention' });
    expect(out[0].reason).toMatch(/median scores \(R 2, F 2, M 2\) fall in the rule for Need Attention/);
    expect(out[1].name).toBe('Champions');
  });

  it('a weak plurality does not name a cluster: below minDominant its median scores do', () => {
    // A big mixed low-value cluster: 26% Loyal Customers is its most common segment, but its medians are R2 F2 M2.
    const mixed = cluster([['Loyal Customers', 26], ['Hibernating', 24], ['Need Attention', 20], ['Lost', 18], ['Promising', 12]], { medianScores: { r: 2, f: 2, m: 2 } });
    const out = nameClusters([cluster([['Champions', 9], ['Loyal Customers', 1]]), mixed], rules);
    expect(out[1]).toMatchObject({ name: 'Need Attention', basis: 'median-scores' });
    expect(out[1].reason).toContain('no segment dominates it: the most common, Loyal Customers, covers 26%');
    // at or above the threshold the plurality names it; without median scores it always does
    expect(nameClusters([mixed], { ...rules, minDominant: 0.25 })[0]).toMatchObject({ name: 'Loyal Customers', basis: 'dominant' });
    expect(nameClusters([{ ...mixed, medianScores: null }], rules)[0]).toMatchObject({ name: 'Loyal Customers', basis: 'dominant' });
    // when the median-score name is taken, the cluster keeps its plurality name (qualified if need be)
    const taken = nameClusters([cluster([['Need Attention', 10]]), mixed], rules);
    expect(taken.map((n) => n.name)).toEqual(['Need Attention', 'Loyal Customers']);
  });

  it('qualifies a name when nothing else is free, saying how the cluster differs', () => {
    const out = nameClusters(
      [
        cluster([['Lost', 10]], { position: { recency: 0.9, frequency: 0.2, monetary: 0.7 }, medianScores: { r: 1, f: 1, m: 1 } }),
        cluster([['Lost', 10]], { position: { recency: 0.9, frequency: 0.2, monetary: 0.1 }, medianScores: { r: 1, f: 1, m: 1 } }),
        cluster([['Lost', 10]], { position: { recency: 0.9, frequency: 0.2, monetary: 0.05 }, medianScores: { r: 1, f: 1, m: 1 } }),
      ],
      rules,
    );
    expect(out.map((n) => n.name)).toEqual(['Lost', 'Lost (lower spend)', 'Lost 3']);
    expect(out[1]).toMatchObject({ basis: 'qualified', segment: 'Lost' });
    expect(new Set(out.map((n) => n.name)).size).toBe(3);
  });

  it('says "more recent" for fewer days since the last purchase', () => {
    const out = nameClusters(
      [cluster([['Hibernating', 10]], { position: { recency: 0.7, frequency: 0.5, monetary: 0.5 } }), cluster([['Hibernating', 10]], { position: { recency: 0.4, frequency: 0.5, monetary: 0.5 } })],
      rules,
    );
    expect(out[1].name).toBe('Hibernating (more recent)');
  });

  it('never names a cluster "Others" while a named segment is there; falls back to "Cluster n" without any', () => {
    const out = nameClusters([cluster([['Others', 70], ['Promising', 30]]), cluster([['Others', 10]])], rules);
    expect(out[0].name).toBe('Promising');
    expect(out[1]).toMatchObject({ name: 'Cluster 2', basis: 'fallback', segment: null });
  });

  it('is deterministic on ties (lower cluster first, then the segment order)', () => {
    const out = nameClusters([cluster([['Lost', 5], ['Hibernating', 5]]), cluster([['Lost', 5], ['Hibernating', 5]])], rules);
    expect(out.map((n) => n.name)).toEqual(['Hibernating', 'Lost']);
  });
});

describe('ruleAt', () => {
  it('applies the first matching rule, mapping scores onto the table scale', () => {
    expect(ruleAt(DEFAULT_SEGMENT_RULES, 5, 5, 5, 5)).toBe('Champions');
    expect(ruleAt(DEFAULT_SEGMENT_RULES, 5, 1, 4, 4)).toBe("Can't Lose Them");
    expect(ruleAt(DEFAULT_SEGMENT_RULES, 5, 4, 1, 1)).toBe('New Customers');
    // 3 bins onto the 5-score table: s → ceil(5 (s − ½) / 3): 1 → 1, 2 → 3, 3 → 5.
    expect(ruleAt({ ...DEFAULT_SEGMENT_RULES, bins: 5 }, 3, 3, 3, 3)).toBe('Champions');
    expect(ruleAt({ rules: [{ segment: 'Top', r: [5, 5] }] }, 5, 1, 1, 1)).toBeNull();
  });
});
