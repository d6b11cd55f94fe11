/**
 * Cluster names that are true of the cluster, and unique:
 *
 * 1. A cluster is named after the RFM segment whose rule its median R, F, M scores fall in (the first
 *    matching rule of the table, as a customer with those scores would be named). So the name's rule
 *    holds at the cluster's medians by construction.
 * 2. When several clusters' medians fall in the same rule, the cluster with the larger share of its
 *    customers in that segment keeps the plain name; each other one is qualified by how it differs from
 *    that cluster ("Champions (lower spend)"), which keeps the rule true and the name unique.
 * 3. A cluster whose medians match no rule (a custom table with gaps), or whose qualified name is taken,
 *    or that has no scores at all, is named by its plain-words profile: where its medians sit among all
 *    customers ("Recent, frequent, high spend").
 */
import { SegkitError } from '../errors';
import { mapScore, type RuleTable, type SegmentRule } from '../rfm/rules';
import { SEGMENT_ORDER } from '../palette';
import type { Dimension, Level } from './describe';

export type NameBasis = 'given' | 'median-scores' | 'qualified' | 'profile' | 'fallback';

export interface NameChoice {
  name: string;
  /** The RFM segment whose rule holds at the cluster's median scores (its actions apply), or null. */
  segment: string | null;
  basis: NameBasis;
  /** Plain words: why this name. */
  reason: string;
}

export interface NamingInput {
  /** Named segments inside the cluster, largest first. */
  mix: Array<{ segment: string; customers: number; share: number }>;
  /** Median R, F, M scores (rounded), or null when the table has no scores. */
  medianScores: { r: number; f: number; m: number } | null;
  /** Percentile position of the cluster's medians among all customers (0..1). */
  position: Record<Dimension, number>;
  /** Low / moderate / high of the cluster's medians against the customer base's tertiles (default: from `position`). */
  levels?: Record<Dimension, Level>;
}

export interface NamingOptions {
  /** The rule table (for median scores). */
  rules?: RuleTable;
  /** Score scale of the data. */
  bins?: number;
  /** Your own names, one per cluster in label order (they win over everything). */
  names?: string[];
}

const pct = (x: number): string => `${Math.round(100 * x)}%`;

/** The first rule matching scores r, f, m on a `bins` scale (the table's own scale mapped as segmentRfm does), or null. */
export function ruleAt(rules: RuleTable, bins: number, r: number, f: number, m: number): string | null {
  return ruleMatching(rules, bins, r, f, m)?.segment ?? null;
}

function ruleMatching(rules: RuleTable, bins: number, r: number, f: number, m: number): SegmentRule | null {
  return rules.rules.find((x) => ruleHolds(x, rules.bins ?? bins, bins, r, f, m)) ?? null;
}

function ruleHolds(rule: SegmentRule, B: number, bins: number, r: number, f: number, m: number): boolean {
  const [R, F, M] = [mapScore(r, bins, B), mapScore(f, bins, B), mapScore(m, bins, B)];
  const inRange = (range: [number, number] | undefined, s: number): boolean => !range || (s >= range[0] && s <= range[1]);
  return inRange(rule.r, R) && inRange(rule.f, F) && inRange(rule.m, M);
}

/**
 * Whether the rule of `segment` holds at scores r, f, m (the test a cluster's name must pass at its
 * median scores). A name qualified in brackets ("Champions (lower spend)") is tested by its segment.
 * False for a name that is no segment of the table.
 */
export function segmentRuleHolds(rules: RuleTable, bins: number, segment: string, scores: { r: number; f: number; m: number }): boolean {
  const base = segment.replace(/\s*\(.*\)\s*$/, '');
  const rule = rules.rules.find((x) => x.segment === base);
  return !!rule && ruleHolds(rule, rules.bins ?? bins, bins, scores.r, scores.f, scores.m);
}

/** The ranges of a rule in words: "R 4–5, F 4–5, M 4–5" (on the table's scale). */
function rangesText(rule: SegmentRule): string {
  const one = (d: string, x: [number, number] | undefined): string | null => (x ? `${d} ${x[0] === x[1] ? x[0] : `${x[0]}–${x[1]}`}` : null);
  return [one('R', rule.r), one('F', rule.f), one('M', rule.m)].filter(Boolean).join(', ') || 'any scores';
}

const PROFILE_WORDS: Record<Dimension, Record<Level, string>> = {
  // recency in days: low = bought recently
  recency: { low: 'recent', moderate: 'moderate recency', high: 'not recent' },
  frequency: { low: 'infrequent', moderate: 'moderate frequency', high: 'frequent' },
  monetary: { low: 'low spend', moderate: 'moderate spend', high: 'high spend' },
};

const levelOfPosition = (p: number): Level => (p <= 1 / 3 ? 'low' : p > 2 / 3 ? 'high' : 'moderate');

/** The plain-words profile of a cluster: "Recent, frequent, high spend". */
export function profileName(c: Pick<NamingInput, 'levels' | 'position'>): string {
  const levels = c.levels ?? { recency: levelOfPosition(c.position.recency), frequency: levelOfPosition(c.position.frequency), monetary: levelOfPosition(c.position.monetary) };
  const words = (['recency', 'frequency', 'monetary'] as const).map((d) => PROFILE_WORDS[d][levels[d]]).join(', ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const MORE: Record<Dimension, [string, string]> = {
  recency: ['less recent', 'more recent'],
  frequency: ['less frequent', 'more frequent'],
  monetary: ['lower spend', 'higher spend'],
};

/** How cluster `a` differs most from cluster `b`, in two words ("higher spend"). */
function qualifier(a: NamingInput, b: NamingInput): string {
  let best: Dimension = 'monetary';
  let gap = -1;
  for (const d of ['monetary', 'frequency', 'recency'] as const) {
    const g = Math.abs(a.position[d] - b.position[d]);
    if (g > gap + 1e-12) {
      gap = g;
      best = d;
    }
  }
  const higher = a.position[best] > b.position[best];
  // Fewer days since the last purchase is "more recent".
  const up = best === 'recency' ? !higher : higher;
  return MORE[best][up ? 1 : 0];
}

const shareOf = (c: NamingInput, segment: string): number => c.mix.find((x) => x.segment === segment)?.share ?? 0;
const orderOf = (s: string): number => {
  const i = (SEGMENT_ORDER as readonly string[]).indexOf(s);
  return i < 0 ? SEGMENT_ORDER.length : i;
};

function givenNames(clusters: NamingInput[], given: string[]): NameChoice[] {
  const k = clusters.length;
  if (given.length !== k || given.some((n) => typeof n !== 'string' || n.trim() === '')) {
    throw new SegkitError('profile', 'bad_names', `names must be ${k} non-empty texts (one per cluster, in label order), got ${JSON.stringify(given)}`, { where: 'option names' });
  }
  const dup = given.find((n, i) => given.indexOf(n) !== i);
  if (dup) throw new SegkitError('profile', 'bad_names', `the name "${dup}" is given to two clusters; names must be unique`, { where: 'option names' });
  return given.map((name, c) => {
    const known = clusters[c].mix.find((x) => x.segment.toLowerCase() === name.toLowerCase());
    return { name, segment: known ? known.segment : (SEGMENT_ORDER as readonly string[]).find((s) => s.toLowerCase() === name.toLowerCase()) ?? null, basis: 'given', reason: 'name given by the user' };
  });
}

/**
 * Choose a unique, true name for every cluster (see the module comment for the rules).
 * @throws SegkitError `profile/bad_names` (given names that are not one non-empty, unique text per cluster).
 */
export function nameClusters(clusters: NamingInput[], options: NamingOptions = {}): NameChoice[] {
  if (options.names) return givenNames(clusters, options.names);
  const k = clusters.length;
  const { rules, bins } = options;
  const out: Array<NameChoice | null> = new Array(k).fill(null);
  const used = new Set<string>();
  const take = (c: number, choice: NameChoice): void => {
    out[c] = choice;
    used.add(choice.name);
  };

  // 1. The first rule matching each cluster's median scores.
  const rule = clusters.map((c) => (c.medianScores && rules && bins ? ruleMatching(rules, bins, c.medianScores.r, c.medianScores.f, c.medianScores.m) : null));
  const bySegment = new Map<string, number[]>();
  rule.forEach((x, c) => {
    if (x) bySegment.set(x.segment, [...(bySegment.get(x.segment) ?? []), c]);
  });
  // Segments in the palette's order, so the result does not depend on the order of the clusters' labels
  const segments = [...bySegment.keys()].sort((a, b) => orderOf(a) - orderOf(b) || a.localeCompare(b));
  const holderOf = new Map<string, number>();
  for (const seg of segments) {
    const cs = bySegment.get(seg)!;
    const holder = [...cs].sort((a, b) => shareOf(clusters[b], seg) - shareOf(clusters[a], seg) || a - b)[0];
    holderOf.set(seg, holder);
    const ms = clusters[holder].medianScores!;
    take(holder, {
      name: seg,
      segment: seg,
      basis: 'median-scores',
      reason: `its median scores (R ${ms.r}, F ${ms.f}, M ${ms.m}) fall in the rule for ${seg} (${rangesText(rule[holder]!)}); ${pct(shareOf(clusters[holder], seg))} of its customers are ${seg}`,
    });
  }

  // 2. The other clusters in a taken rule: qualified by how they differ from the holder.
  for (let c = 0; c < k; c++) {
    const x = rule[c];
    if (out[c] || !x) continue;
    const holder = holderOf.get(x.segment)!;
    const name = `${x.segment} (${qualifier(clusters[c], clusters[holder])})`;
    if (used.has(name)) continue;
    const ms = clusters[c].medianScores!;
    take(c, {
      name,
      segment: x.segment,
      basis: 'qualified',
      reason: `its median scores (R ${ms.r}, F ${ms.f}, M ${ms.m}) fall in the rule for ${x.segment} (${rangesText(x)}), as cluster ${holder + 1}'s do; the qualifier says how it differs from that cluster`,
    });
  }

  // 3. The plain-words profile (made unique by a qualifier, or as a last resort a number).
  for (let c = 0; c < k; c++) {
    if (out[c]) continue;
    const x = rule[c];
    const profile = profileName(clusters[c]);
    let name = profile;
    if (used.has(name)) {
      const other = out.findIndex((o) => o?.name === profile);
      name = other >= 0 ? `${profile} (${qualifier(clusters[c], clusters[other])})` : profile;
    }
    for (let n = 2; used.has(name); n++) name = `${profile} ${n}`;
    const ms = clusters[c].medianScores;
    const why = !ms
      ? 'the customer table has no R, F, M scores, so it is named by where its medians sit among all customers'
      : !x
        ? `its median scores (R ${ms.r}, F ${ms.f}, M ${ms.m}) fall in no rule of the table, so it is named by where its medians sit among all customers`
        : `its median scores (R ${ms.r}, F ${ms.f}, M ${ms.m}) fall in the rule for ${x.segment}, which already names two clusters, so it is named by where its medians sit among all customers`;
    take(c, { name, segment: x ? x.segment : null, basis: name === profile ? 'profile' : 'fallback', reason: why });
  }
  return out as NameChoice[];
}
