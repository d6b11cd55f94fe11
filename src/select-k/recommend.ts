/**
 * One recommendation from many indices: each index votes for its best k, the k with most votes wins,
 * ties are broken by stability (then silhouette, then the smaller k), and the explanation says in plain
 * words what every index said.
 */
import type { GapResult, KRecommendation, KResult } from '../types';

/** Index names as they appear in votes and explanations. */
export const INDEX_LABELS: Record<string, string> = {
  silhouette: 'silhouette',
  calinskiHarabasz: 'Calinski-Harabasz',
  daviesBouldin: 'Davies-Bouldin',
  gap: 'gap statistic',
  elbow: 'elbow (kneedle)',
};

const fmt = (v: number | undefined, digits = 3): string => (v === undefined || !Number.isFinite(v) ? '–' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(digits));

function argBest(perK: KResult[], key: 'silhouette' | 'calinskiHarabasz' | 'daviesBouldin', lower: boolean): number | null {
  let best: KResult | null = null;
  for (const r of perK) {
    const v = r[key];
    if (!Number.isFinite(v)) continue;
    if (!best || (lower ? v < best[key] : v > best[key])) best = r;
  }
  return best ? best.k : null;
}

export interface RecommendInput {
  perK: KResult[];
  elbow: { k: number | null; note: string };
  gap?: GapResult;
}

/** The votes of every index (null when an index was not computed or found nothing). */
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

/** Count votes, break ties, explain. */
export function recommendK(input: RecommendInput): KRecommendation {
  const { perK, gap, elbow } = input;
  const votes = indexVotes(input);
  const ks = perK.map((r) => r.k);
  const byK = new Map(perK.map((r) => [r.k, r]));
  const tally = new Map<number, string[]>();
  for (const [name, k] of Object.entries(votes)) {
    if (k === null || !byK.has(k)) continue;
    tally.set(k, [...(tally.get(k) ?? []), name]);
  }
  const maxVotes = Math.max(0, ...[...tally.values()].map((v) => v.length));
  let candidates = maxVotes > 0 ? [...tally.entries()].filter(([, v]) => v.length === maxVotes).map(([k]) => k) : [...ks];
  let tieBreak = '';
  if (candidates.length > 1) {
    const stab = (k: number): number => byK.get(k)?.stability ?? NaN;
    const sil = (k: number): number => byK.get(k)?.silhouette ?? NaN;
    if (candidates.every((k) => Number.isFinite(stab(k)))) {
      const best = Math.max(...candidates.map(stab));
      const next = candidates.filter((k) => stab(k) === best);
      tieBreak = `tie between k = ${candidates.sort((a, b) => a - b).join(', ')} broken by stability (mean ARI ${candidates.map((k) => `${fmt(stab(k), 2)} at k = ${k}`).join(', ')})`;
      candidates = next;
    }
    if (candidates.length > 1) {
      const best = Math.max(...candidates.map(sil));
      const next = candidates.filter((k) => sil(k) === best);
      if (!tieBreak) tieBreak = `tie between k = ${candidates.sort((a, b) => a - b).join(', ')} broken by the mean silhouette`;
      candidates = next;
    }
    candidates.sort((a, b) => a - b);
  }
  const k = candidates[0];
  const nIndices = Object.values(votes).filter((v) => v !== null).length;
  const got = tally.get(k)?.length ?? 0;
  let rule: string;
  if (maxVotes === 0) rule = 'no index voted inside the range: highest mean silhouette';
  else if (got * 2 > nIndices) rule = `majority of the indices, ${got} of ${nIndices}`;
  else rule = `most votes among the indices, ${got} of ${nIndices}`;
  if (tieBreak) rule += `; ${tieBreak}`;

  const said: string[] = [];
  const r = (kk: number | null): KResult | undefined => (kk === null ? undefined : byK.get(kk));
  if (votes.silhouette !== null) said.push(`the mean silhouette is highest at k = ${votes.silhouette} (${fmt(r(votes.silhouette)?.silhouette)})`);
  if (votes.calinskiHarabasz !== null) said.push(`Calinski-Harabasz is highest at k = ${votes.calinskiHarabasz} (${fmt(r(votes.calinskiHarabasz)?.calinskiHarabasz, 1)})`);
  if (votes.daviesBouldin !== null) said.push(`Davies-Bouldin is lowest at k = ${votes.daviesBouldin} (${fmt(r(votes.daviesBouldin)?.daviesBouldin)})`);
  if (gap) {
    const inRange = byK.has(gap.k);
    said.push(
      gap.k === 1
        ? `the gap statistic (${gap.method}, B = ${gap.B}) finds no clear group structure (k = 1): the customers may form one continuous cloud, so segments are a useful partition rather than natural groups`
        : `the gap statistic (${gap.method}, B = ${gap.B}) chooses k = ${gap.k}${inRange ? '' : ' (outside the range swept, so not counted)'}`,
    );
  }
  said.push(elbow.k === null ? `the inertia curve has no clear elbow (${elbow.note})` : `the elbow of the inertia curve is at k = ${elbow.k}`);
  const stab = byK.get(k);
  const stabText =
    stab?.stability !== undefined
      ? ` At k = ${k} the segments are ${stab.stabilityReading ?? ''} under resampling (mean adjusted Rand index ${fmt(stab.stability, 2)}).${stab.stability < 0.6 ? ' Treat them with care: a different sample of customers could give different segments.' : ''}`
      : '';
  const explanation =
    `Recommended k = ${k}: ${maxVotes > 0 ? `${got} of ${nIndices} indices point to it` : 'no index pointed inside the range, so the highest mean silhouette decides'}` +
    `${tieBreak ? ` (${tieBreak})` : ''}. ` +
    `${said.join('; ').replace(/^./, (c) => c.toUpperCase())}.${stabText}`;
  return { k, rule, explanation, votes };
}

/** Record a user's choice of k beside the recommendation (both are shown in reports). */
export function overrideRecommendation(rec: KRecommendation, k: number, note?: string): KRecommendation {
  if (k === rec.k) return { ...rec, override: undefined };
  return { ...rec, override: { k, note: note ?? `k = ${k} chosen by the user; the indices recommend k = ${rec.k}` } };
}
