import pl from 'nodejs-polars';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENT_RULES, compileRules, parseSegmentRules, rfm, scoreRfm, segmentRfm } from '../../src/rfm';
import { SEGMENT_ORDER } from '../../src/charts/theme';
import { FOUR, byCustomer, captureWarnings, errorOf, transactions } from './fixtures';

/** The R package rfm's 11-segment table as its vignette prints it, in that order. */
const R_PACKAGE_TABLE = {
  rules: [
    { segment: 'Champions', r: [4, 5], f: [4, 5], m: [4, 5] },
    { segment: 'Loyal Customers', r: [2, 5], f: [3, 5], m: [3, 5] },
    { segment: 'Potential Loyalist', r: [3, 5], f: [1, 3], m: [1, 3] },
    { segment: 'New Customers', r: [4, 5], f: [1, 1], m: [1, 1] },
    { segment: 'Promising', r: [3, 4], f: [1, 1], m: [1, 1] },
    { segment: 'Need Attention', r: [2, 3], f: [2, 3], m: [2, 3] },
    { segment: 'About To Sleep', r: [2, 3], f: [1, 2], m: [1, 2] },
    { segment: 'At Risk', r: [1, 2], f: [2, 5], m: [2, 5] },
    { segment: "Can't Lose Them", r: [1, 1], f: [4, 5], m: [4, 5] },
    { segment: 'Hibernating', r: [1, 2], f: [1, 2], m: [1, 2] },
    { segment: 'Lost', r: [1, 2], f: [1, 2], m: [1, 2] },
  ],
};

describe('the default rule table (src/data/segments.json)', () => {
  it('names the 11 segments of the theme and gives every one of the 125 codes a segment', () => {
    const file = JSON.parse(readFileSync(path.join(__dirname, '../../src/data/segments.json'), 'utf8'));
    expect(file.bins).toBe(5);
    const names = DEFAULT_SEGMENT_RULES.rules.map((r) => r.segment);
    expect([...names].sort()).toEqual(SEGMENT_ORDER.filter((s) => s !== 'Others').sort());
    const { value: c, warnings } = captureWarnings(() => compileRules(DEFAULT_SEGMENT_RULES, 5));
    expect(warnings).toEqual([]);
    expect(c.unmatchedCodes).toEqual([]);
    expect(c.wins.every((w) => w > 0)).toBe(true);
    expect(c.wins.reduce((a, b) => a + b, 0)).toBe(125);
    // spot checks of first-match-wins
    const at = (code: string): string => names[c.lookup[(+code[0] - 1) * 25 + (+code[1] - 1) * 5 + (+code[2] - 1)]];
    expect(at('555')).toBe('Champions');
    expect(at('155')).toBe("Can't Lose Them");
    expect(at('125')).toBe('At Risk');
    expect(at('511')).toBe('New Customers');
    expect(at('311')).toBe('Promising');
    expect(at('211')).toBe('About To Sleep');
    expect(at('111')).toBe('Lost');
    expect(at('215')).toBe('Hibernating');
  });

  it('segments the four-customer fixture (codes 333, 214, 432, 111)', () => {
    const r = captureWarnings(() => rfm(transactions(FOUR))).value;
    const t = byCustomer(r.table);
    expect(t.c1.segment).toBe('Loyal Customers');
    expect(t.c2.segment).toBe('Hibernating');
    expect(t.c3.segment).toBe('Potential Loyalist');
    expect(t.c4.segment).toBe('Lost');
    expect(r.others).toBe(0);
    expect(r.table.columns).toEqual([
      'customer_id', 'recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_code', 'rfm_score', 'segment',
      'first_purchase', 'last_purchase', 'tenure_days', 'avg_order_value', 'items',
    ]);
    expect(r).toMatchObject({ asOf: '2024-01-11', bins: 5, method: 'rank' });
    expect(r.thresholds).toHaveLength(3);
    expect(r.segmentCounts.find((s) => s.segment === 'Champions')).toEqual({ segment: 'Champions', customers: 0 });
  });
});

describe('custom rule tables', () => {
  const scored = (): ReturnType<typeof scoreRfm> => captureWarnings(() => scoreRfm(rfm(transactions(FOUR)).table)).value;

  it('applies the first matching rule, counts Others and says which codes have no rule', () => {
    const rules = { bins: 5, rules: [{ segment: 'Recent', r: [3, 5] }, { segment: 'Big', m: [4, 5] }, { segment: 'Also recent', r: [4, 4] }] };
    const { value: r, warnings } = captureWarnings(() => segmentRfm(scored(), { rules: JSON.stringify(rules) }));
    // c1 333 → Recent; c2 214 → Big; c3 432 → Recent (first rule wins over "Also recent"); c4 111 → Others
    expect(r.table.getColumn('segment').toArray()).toEqual(['Recent', 'Big', 'Recent', 'Others']);
    expect(r.others).toBe(1);
    const codes = warnings.map((w) => w.code);
    expect(codes).toContain('unreachable_segment');
    expect(codes).toContain('others');
    expect(warnings.find((w) => w.code === 'unreachable_segment')!.message).toContain('"Also recent" (rule 3) can never match: every score it covers is taken by earlier rules (Recent)');
    expect(warnings.find((w) => w.code === 'others')!.message).toMatch(/^1 customers \(25\.0%\) match no segment rule/);
    expect(r.segmentCounts).toEqual([
      { segment: 'Recent', customers: 2 },
      { segment: 'Big', customers: 1 },
      { segment: 'Also recent', customers: 0 },
      { segment: 'Others', customers: 1 },
    ]);
  });

  it("warns by name about the R package table's four segments that can never match", () => {
    const { value: c, warnings } = captureWarnings(() => compileRules(parseSegmentRules(R_PACKAGE_TABLE), 5));
    const dead = warnings.filter((w) => w.code === 'unreachable_segment').map((w) => /segment "([^"]+)"/.exec(w.message)![1]);
    expect(dead).toEqual(['New Customers', 'Promising', "Can't Lose Them", 'Lost']);
    expect(warnings[0].message).toContain('Potential Loyalist');
    expect(c.unmatchedCodes).toHaveLength(36);
  });

  it('rejects unknown fields with a suggestion, and bad ranges with the rule named', () => {
    const e = errorOf(() => parseSegmentRules({ rules: [{ segment: 'A', recency: [1, 2] }] }));
    expect(e.code).toBe('rules_unknown_field');
    expect(e.message).toContain('"recency"');
    expect(e.hint).toContain('did you mean "r"');
    expect(e.where).toBe('segment rules, rule 1');
    expect(errorOf(() => parseSegmentRules({ rule: [] })).code).toBe('rules_invalid');
    expect(errorOf(() => parseSegmentRules({ rules: [{ segment: 'A', r: [1, 2] }], bin: 5 })).code).toBe('rules_unknown_field');
    const range = errorOf(() => parseSegmentRules({ bins: 5, rules: [{ segment: 'A', f: [4, 2] }] }));
    expect(range.code).toBe('rules_invalid_range');
    expect(range.where).toBe('segment rules, rule 1, field f');
    expect(errorOf(() => parseSegmentRules({ bins: 5, rules: [{ segment: 'A', m: [1, 6] }] })).code).toBe('rules_invalid_range');
    expect(errorOf(() => parseSegmentRules('{ rules: ')).code).toBe('rules_not_json');
    // a table without bins must fit the scores it is applied to
    expect(errorOf(() => segmentRfm(scored(), { rules: [{ segment: 'A', r: [1, 7] }] as unknown as string })).code).toBe('rules_invalid_range');
  });

  it('maps other bin counts onto a table written for 5 scores, and says so', () => {
    const df = pl.DataFrame({ customer_id: ['a', 'b', 'c', 'd'], recency_days: [1, 2, 3, 4], frequency: [4, 3, 2, 1], monetary: [4, 3, 2, 1] });
    const { value: r, warnings } = captureWarnings(() => rfm(df, { bins: 4 }));
    // quartile scores 4/3/2/1 map to 5/4/2/1 on the table's scale → 555 Champions, 444 Champions, 222 Need Attention, 111 Lost
    expect(r.table.getColumn('segment').toArray()).toEqual(['Champions', 'Champions', 'Need Attention', 'Lost']);
    expect(warnings.find((w) => w.code === 'rules_rescaled')!.message).toContain('1→1, 2→2, 3→4, 4→5');
    // with quartiles no code lands on the 5-scale's 3, so Promising (R 3–4, F 1) loses every code to New Customers
    expect(warnings.filter((w) => w.code === 'unreachable_segment').map((w) => /"([^"]+)"/.exec(w.message)![1])).toEqual(['Promising']);
  });
});
