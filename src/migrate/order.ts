/**
 * The order of segments for "moved up" and "moved down": best first.
 *
 * Default:
 * - when every segment of the rule table is one of the 11 standard names: STANDARD_ORDER (the value order
 *   the charts read in, Champions … Lost);
 * - otherwise each segment's mean RFM score (100·R + 10·F + M, so recency weighs most) over the score
 *   codes its rules win (a property of the rule table, not of the data), highest first; ties keep rule
 *   order.
 * Others (codes no rule matches) comes last either way.
 */
import { SegkitError, closest } from '../errors';
import { OTHERS, compileRules, type RuleTable } from '../rfm';
import { SEGMENT_ORDER } from '../charts/theme';

/** The 11 standard segments, best first (the same order as the charts' SEGMENT_ORDER). */
export const STANDARD_ORDER = SEGMENT_ORDER.filter((s) => s !== OTHERS);

export interface RankedSegment {
  segment: string;
  /** Mean 100·R + 10·F + M of the codes the segment wins (NaN for a segment that wins none). */
  meanScore: number;
  /** Codes it wins. */
  codes: number;
}

/** Segments of `rules` ranked best first by the mean RFM score of the codes they win, on `bins` scores. */
export function rankSegments(rules: RuleTable, bins: number): RankedSegment[] {
  const compiled = compileRules(rules, bins);
  const names = [...new Set(rules.rules.map((r) => r.segment))];
  const sum = new Map<string, number>(names.map((n) => [n, 0]));
  const count = new Map<string, number>(names.map((n) => [n, 0]));
  let others = 0;
  for (let c = 0; c < compiled.lookup.length; c++) {
    const [r, f, m] = [Math.floor(c / (bins * bins)) + 1, (Math.floor(c / bins) % bins) + 1, (c % bins) + 1];
    const k = compiled.lookup[c];
    if (k < 0) {
      others++;
      continue;
    }
    const name = rules.rules[k].segment;
    sum.set(name, sum.get(name)! + 100 * r + 10 * f + m);
    count.set(name, count.get(name)! + 1);
  }
  const ranked = names
    .map((segment, i) => ({ segment, meanScore: count.get(segment)! ? sum.get(segment)! / count.get(segment)! : NaN, codes: count.get(segment)!, i }))
    .sort((a, b) => (Number.isNaN(a.meanScore) ? -Infinity : b.meanScore) - (Number.isNaN(b.meanScore) ? -Infinity : a.meanScore) || a.i - b.i)
    .map(({ segment, meanScore, codes }) => ({ segment, meanScore, codes }));
  if (!names.includes(OTHERS)) ranked.push({ segment: OTHERS, meanScore: NaN, codes: others });
  return ranked;
}

/** The order used: the user's (checked against the rule table's names), else rankSegments'. */
export function segmentOrder(rules: RuleTable, bins: number, given?: string[]): string[] {
  let ranked = rankSegments(rules, bins).map((r) => r.segment);
  const standard = STANDARD_ORDER as readonly string[];
  if (ranked.filter((s) => s !== OTHERS).every((s) => standard.includes(s))) {
    ranked = [...standard.filter((s) => ranked.includes(s)), ...ranked.filter((s) => !standard.includes(s))];
  }
  if (!given) return ranked;
  const unknown = given.filter((s) => !ranked.includes(s));
  if (unknown.length) {
    throw new SegkitError('migrate', 'unknown_segment', `option order names "${unknown[0]}", which is not a segment of the rule table`, {
      where: 'option order',
      hint: `segments are ${ranked.join(', ')}${closest(unknown[0], ranked, 1).length ? ` (did you mean "${closest(unknown[0], ranked, 1)[0]}"?)` : ''}`,
    });
  }
  // Segments the user left out keep their default place after the given ones.
  return [...new Set(given), ...ranked.filter((s) => !given.includes(s))];
}
