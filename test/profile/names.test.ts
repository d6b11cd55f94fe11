/** Cluster names: the rule at the median scores, qualified when shared, the plain-words profile otherwise; always unique. */
import { describe, expect, it } from 'vitest';
import { nameClusters, profileName, ruleAt, segmentRuleHolds, type NamingInput } from '../../src/profile';
import { DEFAULT_SEGMENT_RULES } from '../../src/rfm';

const mid = { recency: 0.5, frequency: 0.5, monetary: 0.5 };
const cluster = (mix: Array<[string, number]>, medianScores: NamingInput['medianScores'], extra: Partial<NamingInput> = {}): NamingInput => {
  const total = mix.reduce((s, [, n]) => s + n, 0);
  return { mix: mix.map(([segment, customers]) => ({ segment, customers, share: customers / total })), medianScores, position: mid, ...extra };
};
const rules = { rules: DEFAULT_SEGMENT_RULES, bins: 5 };

describe('nameClusters', () => {
  it('names a cluster after the first rule its median scores fall in, not after its most common segment', () => {
    // Mostly Lost customers, but the medians R2 F1 M1 fall in About To Sleep (R 2–3, F 1–2, M 1–2): Lost needs R 1.
    const out = nameClusters([cluster([['Champions', 9], ['Loyal Customers', 1]], { r: 5, f: 5, m: 5 }), cluster([['Lost', 33], ['Promising', 25], ['About To Sleep', 18], ['Hibernating', 24]], { r: 2, f: 1, m: 1 })], rules);
    expect(out.map((n) => [n.name, n.basis, n.segment])).toEqual([
      ['Champions', 'median-scores', 'Champions'],
      ['About To Sleep', 'median-scores', 'About To Sleep'],
    ]);
    expect(out[1].reason).toBe('its median scores (R 2, F 1, M 1) fall in the rule for About To Sleep (R 2–3, F 1–2, M 1–2); 18% of its customers are About To Sleep');
  });

  it('two clusters in one rule: the larger share keeps the name, the other is qualified by how it differs', () => {
    const a = cluster([['Champions', 60], ['Loyal Customers', 40]], { r: 4, f: 4, m: 4 }, { position: { recency: 0.3, frequency: 0.7, monetary: 0.75 } });
    const b = cluster([['Champions', 94], ['Loyal Customers', 6]], { r: 5, f: 5, m: 5 }, { position: { recency: 0.1, frequency: 0.95, monetary: 0.9 } });
    const out = nameClusters([a, b], rules);
    expect(out.map((n) => n.name)).toEqual(['Champions (less frequent)', 'Champions']);
    expect(out[0]).toMatchObject({ basis: 'qualified', segment: 'Champions' });
    expect(out[0].reason).toContain("as cluster 2's do");
    // whatever the label order
    expect(nameClusters([b, a], rules).map((n) => n.name)).toEqual(['Champions', 'Champions (less frequent)']);
  });

  it('a third cluster in the same rule with the same qualifier takes its plain-words profile', () => {
    const at = (monetary: number, levels: NamingInput['levels']): NamingInput => cluster([['Lost', 10]], { r: 1, f: 1, m: 1 }, { position: { recency: 0.9, frequency: 0.2, monetary }, levels });
    const out = nameClusters(
      [
        at(0.7, { recency: 'high', frequency: 'low', monetary: 'high' }),
        at(0.1, { recency: 'high', frequency: 'low', monetary: 'low' }),
        at(0.05, { recency: 'high', frequency: 'low', monetary: 'low' }),
      ],
      rules,
    );
    expect(out.map((n) => n.name)).toEqual(['Lost', 'Lost (lower spend)', 'Not recent, infrequent, low spend']);
    expect(out[2]).toMatchObject({ basis: 'profile', segment: 'Lost' });
    expect(new Set(out.map((n) => n.name)).size).toBe(3);
  });

  it('says "more recent" for fewer days since the last purchase', () => {
    const out = nameClusters(
      [cluster([['Hibernating', 10]], { r: 2, f: 1, m: 3 }, { position: { recency: 0.7, frequency: 0.5, monetary: 0.5 } }), cluster([['Hibernating', 5]], { r: 2, f: 1, m: 3 }, { position: { recency: 0.4, frequency: 0.5, monetary: 0.5 } })],
      rules,
    );
    expect(out.map((n) => n.name)).toEqual(['Hibernating', 'Hibernating (more recent)']);
  });

  it('medians that fall in no rule, or no scores at all, give the plain-words profile', () => {
    const partial = { rules: { rules: [{ segment: 'Top', r: [5, 5] as [number, number] }] }, bins: 5 };
    const out = nameClusters(
      [
        cluster([['Top', 10]], { r: 5, f: 3, m: 3 }),
        cluster([['Others', 10]], { r: 2, f: 2, m: 2 }, { levels: { recency: 'moderate', frequency: 'moderate', monetary: 'moderate' } }),
        cluster([], null, { position: { recency: 0.1, frequency: 0.9, monetary: 0.8 } }),
      ],
      partial,
    );
    expect(out.map((n) => n.name)).toEqual(['Top', 'Moderate recency, moderate frequency, moderate spend', 'Recent, frequent, high spend']);
    expect(out[1].reason).toContain('fall in no rule of the table');
    expect(out[2].reason).toContain('no R, F, M scores');
    expect(out[2].segment).toBeNull();
  });

  it('given names win, must be unique and one per cluster', () => {
    const cs = [cluster([['Lost', 1]], { r: 1, f: 1, m: 1 }), cluster([['Champions', 1]], { r: 5, f: 5, m: 5 })];
    expect(nameClusters(cs, { ...rules, names: ['Sleepers', 'Champions'] }).map((n) => [n.name, n.basis, n.segment])).toEqual([
      ['Sleepers', 'given', null],
      ['Champions', 'given', 'Champions'],
    ]);
    expect(() => nameClusters(cs, { ...rules, names: ['A', 'A'] })).toThrow(/given to two clusters/);
    expect(() => nameClusters(cs, { ...rules, names: ['A'] })).toThrow(/names must be 2 non-empty texts/);
  });
});

describe('the names are true: every generated name passes its medians', () => {
  it('for every score triple on the 5-score scale, alone and when four clusters share it', () => {
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        for (let m = 1; m <= 5; m++) {
          const ms = { r, f, m };
          const four = [0.1, 0.4, 0.6, 0.9].map((p) => cluster([['Lost', 1]], ms, { position: { recency: p, frequency: 1 - p, monetary: p } }));
          const out = nameClusters(four, rules);
          expect(new Set(out.map((n) => n.name)).size).toBe(4);
          for (const n of out) {
            if (n.basis === 'median-scores' || n.basis === 'qualified') expect(segmentRuleHolds(DEFAULT_SEGMENT_RULES, 5, n.name, ms)).toBe(true);
            else expect(n.name).toMatch(/^(Recent|Moderate recency|Not recent), /);
          }
        }
      }
    }
  });
});

describe('ruleAt, segmentRuleHolds, profileName', () => {
  it('applies the first matching rule, mapping scores onto the table scale', () => {
    expect(ruleAt(DEFAULT_SEGMENT_RULES, 5, 5, 5, 5)).toBe('Champions');
    expect(ruleAt(DEFAULT_SEGMENT_RULES, 5, 1, 4, 4)).toBe("Can't Lose Them");
    expect(ruleAt(DEFAULT_SEGMENT_RULES, 5, 4, 1, 1)).toBe('New Customers');
    // 3 bins onto the 5-score table: s → ceil(5 (s − ½) / 3): 1 → 1, 2 → 3, 3 → 5.
    expect(ruleAt({ ...DEFAULT_SEGMENT_RULES, bins: 5 }, 3, 3, 3, 3)).toBe('Champions');
    expect(ruleAt({ rules: [{ segment: 'Top', r: [5, 5] }] }, 5, 1, 1, 1)).toBeNull();
  });

  it('a rule holds where its ranges contain the scores, even when an earlier rule wins there; qualifiers are ignored', () => {
    expect(segmentRuleHolds(DEFAULT_SEGMENT_RULES, 5, 'Loyal Customers', { r: 5, f: 5, m: 5 })).toBe(true);
    expect(segmentRuleHolds(DEFAULT_SEGMENT_RULES, 5, 'Champions (less frequent)', { r: 4, f: 4, m: 4 })).toBe(true);
    expect(segmentRuleHolds(DEFAULT_SEGMENT_RULES, 5, 'Champions', { r: 4, f: 3, m: 5 })).toBe(false);
    expect(segmentRuleHolds(DEFAULT_SEGMENT_RULES, 5, 'Lost', { r: 2, f: 1, m: 1 })).toBe(false);
    expect(segmentRuleHolds(DEFAULT_SEGMENT_RULES, 5, 'Recent, frequent, high spend', { r: 5, f: 5, m: 5 })).toBe(false);
  });

  it('words the profile from the levels, or from the percentile positions without them', () => {
    expect(profileName({ position: mid, levels: { recency: 'low', frequency: 'high', monetary: 'high' } })).toBe('Recent, frequent, high spend');
    expect(profileName({ position: { recency: 0.5, frequency: 0.9, monetary: 0.8 } })).toBe('Moderate recency, frequent, high spend');
    expect(profileName({ position: { recency: 0.9, frequency: 0.1, monetary: 0.2 } })).toBe('Not recent, infrequent, low spend');
  });
});
