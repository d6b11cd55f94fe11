/**
 * The recommended number of segments, made for segmentation (docs/choosing-k.md says why):
 *
 * 1. Range: k = kMin..kMax (default 3..8). k = 2 stays in the sweep, the charts and the appendix as the
 *    coarsest split; `kMin: 2` lets it be recommended.
 * 2. Set aside: a k whose smallest segment holds under `minSegmentShare` of the customers (default 3 %),
 *    and a k whose mean ARI under resampling is under `minStability` (default 0.75) — the latter only
 *    while some k in the range does reach it.
 * 3. Signals: one point to a k for each of: a local peak of the mean silhouette, a local peak of
 *    Calinski-Harabasz, a local dip of Davies-Bouldin (better than both neighbours in the sweep), the gap
 *    statistic's SE rule (firstSEmax by default), the elbow of the inertia curve (kneedle).
 * 4. The k with most signals wins; a tie goes to the higher mean silhouette, then the smaller k. With no
 *    signal in the range, the highest mean silhouette decides. The next in that order is the runner-up.
 * 5. Borderline: the seed-dependent evidence is shaken one piece at a time (the gap's SE rule with half
 *    and twice its SE allowance, each stability within two standard errors of `minStability`, each pair
 *    of neighbouring index values within 0.5 % of each other swapped); if any change gives another k,
 *    the recommendation says it is borderline, and why.
 */
import { SegkitError } from '../errors';
import { wholeNumber, withDefaults } from '../options';
import type { GapResult, KCandidate, KRecommendation, KResult, KSignal } from '../types';
import { maxSE } from './gap';

export interface RecommendOptions {
  /** Smallest k the recommendation may choose. Default 3 (k = 2 stays in the sweep as the coarsest split). */
  kMin?: number;
  /** Largest k the recommendation may choose. Default 8. */
  kMax?: number;
  /** Least share of customers in every segment, 0..0.5. Default 0.03; 0 turns the check off. */
  minSegmentShare?: number;
  /** Mean adjusted Rand index a k should reach to be preferred, 0..1. Default 0.75. */
  minStability?: number;
}

export const RECOMMEND_DEFAULTS = { kMin: 3, kMax: 8, minSegmentShare: 0.03, minStability: 0.75 } as const;

/** Relative difference under which two neighbouring values of an index are a near-tie (another k-means optimum can move them that much). */
export const NEAR_TIE = 0.005;

/** Index names as they appear in votes and explanations. */
export const INDEX_LABELS: Record<string, string> = {
  silhouette: 'silhouette',
  calinskiHarabasz: 'Calinski-Harabasz',
  daviesBouldin: 'Davies-Bouldin',
  gap: 'gap statistic',
  elbow: 'elbow (kneedle)',
};

const SIGNALS: KSignal[] = ['silhouette', 'calinskiHarabasz', 'daviesBouldin', 'gap', 'elbow'];
type IndexKey = 'silhouette' | 'calinskiHarabasz' | 'daviesBouldin';
const INDICES: Array<{ key: IndexKey; lower: boolean }> = [
  { key: 'silhouette', lower: false },
  { key: 'calinskiHarabasz', lower: false },
  { key: 'daviesBouldin', lower: true },
];

const fmt = (v: number | undefined, digits = 3): string => (v === undefined || !Number.isFinite(v) ? '–' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(digits));
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const fmtSE = (v: number): string => v.toFixed(3);
const andList = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const kList = (ks: number[]): string => (ks.length === 1 ? `k = ${ks[0]}` : `k = ${andList(ks.map(String))}`);
const cap = (s: string): string => s.replace(/^./, (c) => c.toUpperCase());

/**
 * Check recommendation options; the message names the option and the fix.
 * @throws SegkitError `select-k/bad_option` (kMin, kMax, minSegmentShare, minStability).
 */
export function resolveRecommendOptions(options: RecommendOptions = {}, where = 'option recommend'): Required<RecommendOptions> {
  const o: Required<RecommendOptions> = withDefaults(RECOMMEND_DEFAULTS, options);
  wholeNumber(o.kMin, { stage: 'select-k', name: 'kMin', where: `${where}.kMin`, min: 2, hint: 'use kMin: 2 to allow the coarsest split, or the default 3' });
  if (!Number.isInteger(o.kMax) || o.kMax < o.kMin) {
    throw new SegkitError('select-k', 'bad_option', `kMax must be a whole number ≥ kMin (${o.kMin}), got ${JSON.stringify(o.kMax)}`, { where: `${where}.kMax`, hint: `e.g. kMax: ${Math.max(o.kMin, 8)}` });
  }
  if (typeof o.minSegmentShare !== 'number' || !(o.minSegmentShare >= 0 && o.minSegmentShare < 0.5)) {
    throw new SegkitError('select-k', 'bad_option', `minSegmentShare must be a share from 0 to below 0.5, got ${JSON.stringify(o.minSegmentShare)}`, {
      where: `${where}.minSegmentShare`,
      hint: 'e.g. 0.03 for 3 % of the customers; 0 turns the check off',
    });
  }
  if (typeof o.minStability !== 'number' || !(o.minStability >= 0 && o.minStability <= 1)) {
    throw new SegkitError('select-k', 'bad_option', `minStability must be a mean adjusted Rand index from 0 to 1, got ${JSON.stringify(o.minStability)}`, {
      where: `${where}.minStability`,
      hint: 'e.g. 0.75 (the usual "stable"); 0 turns the preference off',
    });
  }
  return o;
}

/** The k at which an index is best over the sweep (null when it has no finite value). */
function argBest(perK: KResult[], key: IndexKey, lower: boolean): number | null {
  let best: KResult | null = null;
  for (const r of perK) {
    const v = r[key];
    if (!Number.isFinite(v)) continue;
    if (!best || (lower ? v < best[key] : v > best[key])) best = r;
  }
  return best ? best.k : null;
}

/** k values where the index beats both neighbours k − 1 and k + 1 of the sweep. */
export function localOptima(perK: Array<{ k: number; v: number }>, lower: boolean): number[] {
  const byK = new Map(perK.filter((r) => Number.isFinite(r.v)).map((r) => [r.k, r.v]));
  const out: number[] = [];
  for (const [k, v] of byK) {
    const a = byK.get(k - 1);
    const b = byK.get(k + 1);
    if (a === undefined || b === undefined) continue;
    if (lower ? v < a && v < b : v > a && v > b) out.push(k);
  }
  return out.sort((x, y) => x - y);
}

export interface RecommendInput {
  perK: KResult[];
  elbow: { k: number | null; note: string };
  gap?: GapResult;
}

/** What each index alone would pick over the whole sweep (shown in the charts and the appendix). */
export function indexVotes(input: RecommendInput): Record<string, number | null> {
  const { perK } = input;
  return {
    silhouette: argBest(perK, 'silhouette', false),
    calinskiHarabasz: argBest(perK, 'calinskiHarabasz', false),
    daviesBouldin: argBest(perK, 'daviesBouldin', true),
    gap: input.gap ? input.gap.k : null,
    elbow: input.elbow.k,
  };
}

type Signals = Map<number, KSignal[]>;

function signalsOf(perK: KResult[], gapK: number | null, elbowK: number | null, values?: Partial<Record<IndexKey, Map<number, number>>>): Signals {
  const out: Signals = new Map(perK.map((r) => [r.k, [] as KSignal[]]));
  for (const { key, lower } of INDICES) {
    const series = perK.map((r) => ({ k: r.k, v: values?.[key]?.get(r.k) ?? r[key] }));
    for (const k of localOptima(series, lower)) out.get(k)!.push(key);
  }
  if (gapK !== null && out.has(gapK)) out.get(gapK)!.push('gap');
  if (elbowK !== null && out.has(elbowK)) out.get(elbowK)!.push('elbow');
  for (const [k, s] of out) out.set(k, SIGNALS.filter((x) => s.includes(x)));
  return out;
}

interface Decision {
  /** The pool, best first. */
  ranked: number[];
  /** 'stable': the stability preference applied; 'unstable': no k reached it; 'small': every k had a small segment. */
  pool: 'stable' | 'unstable' | 'small';
}

/** Rank the pool: most signals, then higher mean silhouette, then smaller k. */
function decide(inRange: number[], shareOk: Set<number>, stable: Set<number>, signals: Signals, sil: (k: number) => number): Decision {
  let pool = inRange.filter((k) => shareOk.has(k) && stable.has(k));
  let kind: Decision['pool'] = 'stable';
  if (!pool.length) {
    pool = inRange.filter((k) => shareOk.has(k));
    kind = 'unstable';
  }
  if (!pool.length) {
    pool = [...inRange];
    kind = 'small';
  }
  const s = (k: number): number => (Number.isFinite(sil(k)) ? sil(k) : -Infinity);
  const ranked = [...pool].sort((a, b) => signals.get(b)!.length - signals.get(a)!.length || s(b) - s(a) || a - b);
  return { ranked, pool: kind };
}

/**
 * The recommendation: rule, explanation, runner-up, every k's signals and status, and whether it is borderline.
 * @throws SegkitError `select-k/bad_input` (no k to recommend from), `select-k/bad_option` (see resolveRecommendOptions).
 */
export function recommendK(input: RecommendInput, options: RecommendOptions = {}): KRecommendation {
  const o = resolveRecommendOptions(options);
  const perK = [...input.perK].sort((a, b) => a.k - b.k);
  if (!perK.length) throw new SegkitError('select-k', 'bad_input', 'there is no k to recommend from', { where: 'recommendK(perK)', hint: 'pass the per-k results of a sweep' });
  const { gap, elbow } = input;
  const votes = indexVotes(input);
  const byK = new Map(perK.map((r) => [r.k, r]));
  const ks = perK.map((r) => r.k);
  let lo = Math.max(o.kMin, ks[0]);
  let hi = Math.min(o.kMax, ks[ks.length - 1]);
  const rangeNote = lo > hi ? `the sweep (k = ${ks[0]}–${ks[ks.length - 1]}) does not reach k = ${o.kMin}–${o.kMax}, so the whole sweep is the range` : '';
  if (lo > hi) [lo, hi] = [ks[0], ks[ks.length - 1]];
  const inRange = ks.filter((k) => k >= lo && k <= hi);

  const smallest = (r: KResult): number => {
    const sizes = r.sizes;
    if (!sizes || !sizes.length) return NaN;
    const n = sizes.reduce((a, b) => a + b, 0);
    return n > 0 ? Math.min(...sizes) / n : NaN;
  };
  const shareOk = new Set(inRange.filter((k) => !(smallest(byK.get(k)!) < o.minSegmentShare)));
  const stab = (k: number): number | undefined => byK.get(k)?.stability;
  const isStable = (k: number): boolean => {
    const s = stab(k);
    return s === undefined || !Number.isFinite(s) || s >= o.minStability;
  };
  const stable = new Set(inRange.filter(isStable));
  const signals = signalsOf(perK, gap ? gap.k : null, elbow.k);
  const sil = (k: number): number => byK.get(k)?.silhouette ?? NaN;
  const d = decide(inRange, shareOk, stable, signals, sil);
  const k = d.ranked[0];
  const second = d.ranked[1];

  const candidates: KCandidate[] = perK.map((r) => ({
    k: r.k,
    signals: signals.get(r.k)!,
    smallestShare: smallest(r),
    ...(r.stability !== undefined ? { stability: r.stability } : {}),
    ...(r.stabilitySE !== undefined ? { stabilitySE: r.stabilitySE } : {}),
    status: r.k < lo || r.k > hi ? 'outside-range' : d.pool !== 'small' && !shareOk.has(r.k) ? 'small-segment' : d.pool === 'stable' && !stable.has(r.k) ? 'unstable' : 'candidate',
  }));

  // Words for the signals of one k.
  const said = (kk: number): string[] => {
    const r = byK.get(kk)!;
    return signals.get(kk)!.map((s) => {
      if (s === 'silhouette') return `the mean silhouette peaks at ${fmt(r.silhouette)}`;
      if (s === 'calinskiHarabasz') return `Calinski-Harabasz peaks at ${fmt(r.calinskiHarabasz, 1)}`;
      if (s === 'daviesBouldin') return `Davies-Bouldin dips to ${fmt(r.daviesBouldin)}`;
      if (s === 'gap') return `the gap statistic's ${gap!.method} rule picks it`;
      return 'the elbow of the inertia curve is there';
    });
  };
  const nSig = (kk: number): number => signals.get(kk)!.length;
  const signalsWord = (n: number): string => `${n} signal${n === 1 ? '' : 's'}`;
  const stableWord = d.pool === 'stable' && stable.size < inRange.length ? 'stable ' : '';

  const span = lo === hi ? `${lo}` : `${lo}–${hi}`;
  let decidedBy: string;
  if (d.ranked.length === 1) {
    decidedBy = `the range holds only one ${stableWord}k, k = ${k}${nSig(k) ? ` (${andList(said(k))})` : ''}`;
  } else if (nSig(k) === 0) {
    decidedBy = `no signal points inside k = ${span} (no local peak of the silhouette or Calinski-Harabasz, no local dip of Davies-Bouldin, and the gap statistic and the elbow point elsewhere), so the highest mean silhouette among the ${stableWord}k in the range decides: ${fmt(sil(k))} at k = ${k}`;
  } else if (second !== undefined && nSig(second) === nSig(k)) {
    const tied = d.ranked.filter((x) => nSig(x) === nSig(k));
    decidedBy =
      `${tied.length === 2 ? `both k = ${tied[0]} and k = ${tied[1]} have` : `each of ${kList(tied)} has`} ${signalsWord(nSig(k))}${tied.length === 2 ? ' each' : ''} (at k = ${k} ${andList(said(k))}; at k = ${second} ${andList(said(second))}); ` +
      (sil(k) !== sil(second) ? `the tie goes to the higher mean silhouette, ${fmt(sil(k))} at k = ${k} against ${fmt(sil(second))} at k = ${second}` : `the tie goes to the smaller k`);
  } else {
    decidedBy = `at k = ${k} ${andList(said(k))}: ${signalsWord(nSig(k))} of 5, more than at any other ${stableWord}k in ${span}`;
  }
  decidedBy = cap(decidedBy);

  let runnerUp: KRecommendation['runnerUp'];
  if (second !== undefined) {
    const why =
      nSig(second) === 0
        ? `with no signal and the next highest mean silhouette, ${fmt(sil(second))}`
        : nSig(second) === nSig(k)
          ? `with as many signals but ${sil(second) !== sil(k) ? `a lower mean silhouette, ${fmt(sil(second))}` : 'a larger k'}`
          : `with ${signalsWord(nSig(second))} (${andList(said(second))})`;
    runnerUp = { k: second, reason: why };
  }

  // Borderline: shake the seed-dependent evidence one piece at a time.
  const shaken: Array<{ k: number; why: string }> = [];
  const tryWith = (why: string, sig: Signals, st: Set<number>): void => {
    const w = decide(inRange, shareOk, st, sig, sil).ranked[0];
    if (w !== k) shaken.push({ k: w, why });
  };
  if (gap && gap.perK.length >= 2) {
    const g = gap.perK.map((r) => r.gap);
    const se = gap.perK.map((r) => r.se);
    const alt = new Set([0.5, 2].map((f) => maxSE(g, se, gap.method, gap.seFactor * f)).filter((x) => x !== gap.k));
    for (const a of alt) {
      tryWith(`the gap statistic's SE rule is a close call between k = ${Math.min(a, gap.k)} and k = ${Math.max(a, gap.k)} (it moves to k = ${a} with half or twice its SE allowance)`, signalsOf(perK, a, elbow.k), stable);
    }
  }
  for (const kk of inRange) {
    const s = stab(kk);
    const se = byK.get(kk)?.stabilitySE;
    if (s === undefined || se === undefined || !Number.isFinite(s) || Math.abs(s - o.minStability) >= 2 * se) continue;
    const flipped = new Set(stable);
    if (flipped.has(kk)) flipped.delete(kk);
    else flipped.add(kk);
    tryWith(`the stability at k = ${kk} (${fmt(s, 2)} ± ${fmtSE(se)}) is within two standard errors of ${o.minStability}`, signals, flipped);
  }
  for (const { key } of INDICES) {
    for (let i = 0; i + 1 < perK.length; i++) {
      const [a, b] = [perK[i], perK[i + 1]];
      const [va, vb] = [a[key], b[key]];
      if (b.k !== a.k + 1 || !Number.isFinite(va) || !Number.isFinite(vb) || Math.abs(va - vb) > NEAR_TIE * Math.max(Math.abs(va), Math.abs(vb))) continue;
      const swapped = new Map([
        [a.k, vb],
        [b.k, va],
      ]);
      tryWith(`${INDEX_LABELS[key]} is nearly equal at k = ${a.k} and k = ${b.k} (${fmt(va)} and ${fmt(vb)}), which another k-means optimum could reverse`, signalsOf(perK, gap ? gap.k : null, elbow.k, { [key]: swapped }), stable);
    }
  }
  const borderline = shaken.length
    ? { alternatives: [...new Set(shaken.map((x) => x.k))].sort((a, b) => a - b), reason: [...new Set(shaken.map((x) => `${x.why}, and that would give k = ${x.k}`))].join('; ') }
    : undefined;

  // Rule in a few words.
  const filters = [
    ...(d.pool === 'stable' && inRange.some((x) => stab(x) !== undefined) ? [`with mean ARI ≥ ${o.minStability}`] : []),
    ...(d.pool !== 'small' && o.minSegmentShare > 0 ? [`no segment under ${pct(o.minSegmentShare)}`] : []),
  ];
  const rule = `most signals in k = ${span} (local optima of silhouette, Calinski-Harabasz, Davies-Bouldin; gap SE rule; elbow)${filters.length ? ` among k ${filters.join(' and ')}` : ''}; ties: higher silhouette`;

  // The explanation, in the order a reader asks: what, why, how good, what else, how sure.
  const parts: string[] = [];
  const twoNote = lo > 2 && byK.has(2) ? ` (k = 2, the coarsest split, stays in the tables and charts; kMin: 2 or --k-min 2 lets it be recommended)` : '';
  parts.push(`Recommended k = ${k}, chosen among k = ${span}${twoNote}${rangeNote ? `; ${rangeNote}` : ''}.`);
  parts.push(`Deciding evidence: ${decidedBy.replace(/^./, (c) => c.toLowerCase())}.`);
  const r = byK.get(k)!;
  const quality: string[] = [];
  if (r.stability !== undefined && Number.isFinite(r.stability)) {
    quality.push(`the segments are ${r.stabilityReading ?? (r.stability >= o.minStability ? 'stable' : 'not stable')} under resampling (mean adjusted Rand index ${fmt(r.stability, 2)}${r.stabilitySE !== undefined ? ` ± ${fmtSE(r.stabilitySE)}` : ''})`);
  }
  if (Number.isFinite(smallest(r))) quality.push(`the smallest segment holds ${pct(smallest(r))} of the customers`);
  if (quality.length) parts.push(`At k = ${k} ${andList(quality)}.`);
  if (d.pool === 'unstable' && stab(k) !== undefined) parts.push(`No k in the range reaches a mean adjusted Rand index of ${o.minStability}: treat the segments with care, a different sample of customers could give different ones.`);
  if (d.pool === 'small') parts.push(`Every k in the range leaves a segment under ${pct(o.minSegmentShare)} of the customers, so that check was set aside.`);
  parts.push(runnerUp ? `Runner-up: k = ${runnerUp.k}, ${runnerUp.reason}.` : `No other k in the range qualified.`);
  const aside = candidates.filter((c) => c.status === 'small-segment' || c.status === 'unstable');
  if (aside.length) {
    parts.push(
      `Set aside: ${aside
        .map((c) => (c.status === 'unstable' ? `k = ${c.k} (mean adjusted Rand index ${fmt(c.stability, 2)} < ${o.minStability}${c.signals.length ? `; ${signalsWord(c.signals.length)}` : ''})` : `k = ${c.k} (a segment of ${pct(c.smallestShare)} < ${pct(o.minSegmentShare)}${c.signals.length ? `; ${signalsWord(c.signals.length)}` : ''})`))
        .join(', ')}.`,
    );
  }
  const outside = candidates.filter((c) => c.status === 'outside-range' && c.signals.length);
  if (outside.length) parts.push(`Outside the range: ${outside.map((c) => `at k = ${c.k} ${andList(said(c.k))}`).join('; ')}.`);
  const below = INDICES.filter(({ key }) => votes[key] !== null && votes[key]! < lo);
  if (below.length) {
    const at = [...new Set(below.map(({ key }) => votes[key]!))];
    const who = below.map(({ key }) => (key === 'silhouette' ? 'the mean silhouette' : INDEX_LABELS[key]));
    parts.push(
      `${cap(andList(who))} ${who.length === 1 ? 'is' : 'are'} best overall at ${kList(at)}, below the range: on a continuum such as RFM values these indices favour the coarsest split${at.includes(2) ? ', which is too coarse to plan campaigns on' : ''}.`,
    );
  }
  if (gap && gap.k === 1) parts.push('The gap statistic finds no clear group structure (k = 1): the customers form one continuous cloud, so the segments are a useful partition rather than natural groups.');
  else if (gap && !byK.has(gap.k)) parts.push(`The gap statistic's SE rule chooses k = ${gap.k}, outside the sweep.`);
  if (elbow.k === null) parts.push(`The inertia curve has no clear elbow (${elbow.note}).`);
  if (borderline) parts.push(`Borderline: ${borderline.reason}.`);

  return {
    k,
    rule,
    explanation: parts.join(' '),
    votes,
    range: [lo, hi],
    candidates,
    decidedBy,
    ...(runnerUp ? { runnerUp } : {}),
    ...(borderline ? { borderline } : {}),
  };
}

/** Record a user's choice of k beside the recommendation (both are shown in reports). */
export function overrideRecommendation(rec: KRecommendation, k: number, note?: string): KRecommendation {
  if (k === rec.k) return { ...rec, override: undefined };
  return { ...rec, override: { k, note: note ?? `k = ${k} chosen by the user; the evidence recommends k = ${rec.k}` } };
}
