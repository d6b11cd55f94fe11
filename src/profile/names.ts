/**
 * Suggested cluster names: the RFM named segment that best matches each cluster, unique across clusters.
 *
 * 1. Candidates are (cluster, named segment) pairs with the segment's share of the cluster's customers;
 *    the largest shares are served first, so when two clusters are mostly Champions, the one with the
 *    larger share of Champions gets the name. A cluster takes a segment that is not its most common
 *    only when that segment still covers at least `minShare` of it, and its most common one only when
 *    that covers at least `minDominant` (a weak plurality, such as 26% Loyal Customers in a big mixed
 *    low-value cluster, would misname it: such a cluster is named from its median scores instead).
 * 2. A cluster left without a name takes the segment the rule table gives its median R, F, M scores.
 * 3. If that is taken too, it takes its most common segment with a qualifier saying how it differs from
 *    the cluster holding that name ("Lost (higher spend)"), so names stay unique.
 */
import { SEGMENT_ORDER } from '../charts/theme';
import { SegkitError } from '../errors';
import { OTHERS, mapScore, type RuleTable } from '../rfm/rules';
import { DIMENSIONS, type Dimension } from './describe';

export type NameBasis = 'given' | 'dominant' | 'share' | 'median-scores' | 'qualified' | 'fallback';

export interface NameChoice {
  name: string;
  /** The RFM named segment the name comes from (its actions apply), or null. */
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
}

export interface NamingOptions {
  /** The rule table (for median scores). */
  rules?: RuleTable;
  /** Score scale of the data. */
  bins?: number;
  /** Your own names, one per cluster in label order (they win over everything). */
  names?: string[];
  /** Least share of a cluster a segment must cover to name it when it is not its most common. Default 0.25. */
  minShare?: number;
  /** Least share its most common segment must cover to name a cluster before the median scores are asked. Default 0.3. */
  minDominant?: number;
}

export const NAMING_DEFAULTS = { minShare: 0.25, minDominant: 0.3 } as const;

const pct = (x: number): string => `${Math.round(100 * x)}%`;
const orderOf = (s: string): number => {
  const i = (SEGMENT_ORDER as readonly string[]).indexOf(s);
  return i < 0 ? SEGMENT_ORDER.length : i;
};

/** The first rule matching scores r, f, m on a `bins` scale (the table's own scale mapped as segmentRfm does), or null. */
export function ruleAt(rules: RuleTable, bins: number, r: number, f: number, m: number): string | null {
  const B = rules.bins ?? bins;
  const [R, F, M] = [mapScore(r, bins, B), mapScore(f, bins, B), mapScore(m, bins, B)];
  const inRange = (range: [number, number] | undefined, s: number): boolean => !range || (s >= range[0] && s <= range[1]);
  const rule = rules.rules.find((x) => inRange(x.r, R) && inRange(x.f, F) && inRange(x.m, M));
  return rule ? rule.segment : null;
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
  for (const d of [...DIMENSIONS].reverse()) {
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

/** Choose a unique name for every cluster (see the module comment for the rules). */
export function nameClusters(clusters: NamingInput[], options: NamingOptions = {}): NameChoice[] {
  const k = clusters.length;
  if (options.names) {
    const given = options.names;
    if (given.length !== k || given.some((n) => typeof n !== 'string' || n.trim() === '')) {
      throw new SegkitError('profile', 'bad_names', `names must be ${k} non-empty texts (one per cluster, in label order), got ${JSON.stringify(given)}`, {
        where: 'option names',
      });
    }
    const dup = given.find((n, i) => given.indexOf(n) !== i);
    if (dup) throw new SegkitError('profile', 'bad_names', `the name "${dup}" is given to two clusters; names must be unique`, { where: 'option names' });
    return given.map((name, c) => {
      const known = clusters[c].mix.find((x) => x.segment.toLowerCase() === name.toLowerCase());
      return { name, segment: known ? known.segment : (SEGMENT_ORDER as readonly string[]).find((s) => s.toLowerCase() === name.toLowerCase()) ?? null, basis: 'given', reason: 'name given by the user' };
    });
  }
  const minShare = options.minShare ?? NAMING_DEFAULTS.minShare;
  const minDominant = options.minDominant ?? NAMING_DEFAULTS.minDominant;
  const out: Array<NameChoice | null> = new Array(k).fill(null);
  const holder = new Map<string, number>();

  // 1. Shares, largest first (ties: lower cluster, then the segment order of the palette).
  const candidates = clusters.flatMap((c, i) => c.mix.filter((x) => x.segment !== OTHERS && x.customers > 0).map((x) => ({ c: i, ...x })));
  candidates.sort((a, b) => b.share - a.share || a.c - b.c || orderOf(a.segment) - orderOf(b.segment) || a.segment.localeCompare(b.segment));
  const dominant: Array<{ segment: string; share: number } | null> = clusters.map(() => null);
  for (const x of candidates) dominant[x.c] ??= { segment: x.segment, share: x.share };
  for (const x of candidates) {
    if (out[x.c] || holder.has(x.segment)) continue;
    const isTop = dominant[x.c]?.segment === x.segment;
    if (!isTop && x.share < minShare) continue;
    if (isTop && x.share < minDominant && clusters[x.c].medianScores) continue; // weak plurality: step 2 decides
    let reason = `${pct(x.share)} of its customers are ${x.segment}`;
    if (!isTop) {
      const top = dominant[x.c]!;
      const other = holder.get(top.segment)!;
      reason += ` (its most common segment, ${top.segment} at ${pct(top.share)}, names cluster ${other + 1})`;
    }
    out[x.c] = { name: x.segment, segment: x.segment, basis: isTop ? 'dominant' : 'share', reason };
    holder.set(x.segment, x.c);
  }

  // 2. The rule table at the median scores.
  for (let c = 0; c < k; c++) {
    if (out[c]) continue;
    const ms = clusters[c].medianScores;
    const seg = ms && options.rules && options.bins ? ruleAt(options.rules, options.bins, ms.r, ms.f, ms.m) : null;
    if (seg && !holder.has(seg)) {
      const top = dominant[c];
      const weak = top && top.share < minDominant ? ` (no segment dominates it: the most common, ${top.segment}, covers ${pct(top.share)})` : '';
      out[c] = { name: seg, segment: seg, basis: 'median-scores', reason: `its median scores (R ${ms!.r}, F ${ms!.f}, M ${ms!.m}) fall in the rule for ${seg}${weak}` };
      holder.set(seg, c);
    }
  }

  // 3. A qualified name.
  for (let c = 0; c < k; c++) {
    if (out[c]) continue;
    const ms = clusters[c].medianScores;
    const base = dominant[c]?.segment ?? (ms && options.rules && options.bins ? ruleAt(options.rules, options.bins, ms.r, ms.f, ms.m) : null);
    if (!base) {
      let n = c + 1;
      while (holder.has(`Cluster ${n}`)) n++;
      out[c] = { name: `Cluster ${n}`, segment: null, basis: 'fallback', reason: 'no named segment describes it' };
      holder.set(out[c]!.name, c);
      continue;
    }
    const other = holder.get(base);
    let name = other === undefined ? base : `${base} (${qualifier(clusters[c], clusters[other])})`;
    // Still taken: number it after the clusters already named from this segment ("Lost 3" = the third Lost).
    for (let n = 1 + out.filter((o) => o?.segment === base).length; holder.has(name); n++) name = `${base} ${n}`;
    const share = dominant[c] ? `${pct(dominant[c]!.share)} of its customers are ${base}` : `its median scores fall in the rule for ${base}`;
    out[c] = {
      name,
      segment: base,
      basis: other === undefined ? 'dominant' : 'qualified',
      reason: other === undefined ? share : `${share}, as in cluster ${other + 1} (${base}); the qualifier says how it differs`,
    };
    holder.set(name, c);
  }
  return out as NameChoice[];
}
