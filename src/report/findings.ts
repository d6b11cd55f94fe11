/**
 * The executive summary's findings: short sentences computed from the analysis, biggest first.
 * Each is a fact a stakeholder can act on; none is hard-coded.
 */
import pl from 'nodejs-polars';
import type { SegmentProfile } from '../profile';
import type { KSweep } from '../types';
import { fmtInt, fmtMoneyShort, fmtPct } from './format';

const AT_RISK = ['At Risk', "Can't Lose Them"];

export interface FindingsInput {
  profiles: SegmentProfile[];
  /** The RFM customer table (monetary, frequency, segment). */
  customers: pl.DataFrame;
  currency: string;
}

export function findings({ profiles, customers, currency }: FindingsInput): string[] {
  const out: string[] = [];
  const total = customers.height;
  // 1. The most valuable cluster: its share of customers against its share of revenue.
  const top = [...profiles].sort((a, b) => b.revenueShare - a.revenueShare)[0];
  if (top) {
    out.push(`${top.name} are ${fmtPct(top.customerShare)} of customers and bring ${fmtPct(top.revenueShare)} of revenue (${fmtMoneyShort(top.revenue, currency)}).`);
  }
  // 2. Value at risk: customers in the RFM segments that were valuable but have gone quiet.
  // (Column work in Polars and typed arrays: the report stays quick at 500,000 customers.)
  const risk = customers.filter(pl.col('segment').isIn(AT_RISK));
  const n = risk.height;
  if (n > 0) {
    const worth = Number(risk.getColumn('monetary').sum());
    const days = Float64Array.from(risk.getColumn('recency_days').cast(pl.Float64).toTypedArray() as Float64Array).sort();
    out.push(`${fmtInt(n)} customers worth ${fmtMoneyShort(worth, currency)} in past spend are At Risk or Can't Lose Them: valuable before, but their median last purchase was ${fmtInt(days[Math.floor(days.length / 2)])} days ago.`);
  }
  // 3. Concentration: revenue of the top fifth of customers.
  const mon = Float64Array.from(customers.getColumn('monetary').cast(pl.Float64).toTypedArray() as Float64Array).sort();
  const fifth = Math.max(1, Math.round(total / 5));
  let all = 0;
  let topFifth = 0;
  for (let i = mon.length - 1, r = 0; i >= 0; i--, r++) {
    all += mon[i];
    if (r < fifth) topFifth += mon[i];
  }
  if (all > 0) out.push(`The top 20 % of customers (${fmtInt(fifth)}) bring ${fmtPct(topFifth / all)} of revenue.`);
  // 4. One-time buyers.
  const once = customers.filter(pl.col('frequency').eq(1)).height;
  if (once > 0) out.push(`${fmtPct(once / total)} of customers (${fmtInt(once)}) have ordered only once: the first repeat purchase is the cheapest growth.`);
  return out;
}

/** How each index is named in the report's prose. */
const INDEX_PROSE: Record<string, string> = {
  silhouette: 'the silhouette',
  calinskiHarabasz: 'Calinski-Harabasz',
  daviesBouldin: 'Davies-Bouldin',
  gap: 'the gap statistic',
  elbow: 'the elbow',
};

export interface KEvidenceInput {
  sweep: KSweep;
  /** The k the segments use. */
  k: number;
  kSource: 'recommended' | 'user';
}

export interface KEvidence {
  /** One sentence: which indices back the recommendation, and how stable it is. */
  support: string;
  /** The runner-up evidence in plain words (indices that disagree, and how to follow them), if any index disagrees. */
  alternative?: string;
  /** The k that the disagreeing indices suggest (most votes, then most stable, then nearest), if inside the range swept. */
  alternativeK?: number;
}

const andList = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
const cap = (s: string): string => s.replace(/^./, (c) => c.toUpperCase());

/** The recommendation and the runner-up evidence of a k sweep, in plain words (computed from the votes). */
export function kEvidence({ sweep, k, kSource }: KEvidenceInput): KEvidence {
  const rec = sweep.recommendation.k;
  const byK = new Map(sweep.perK.map((r) => [r.k, r]));
  const ks = sweep.perK.map((r) => r.k);
  const range = `${Math.min(...ks)}–${Math.max(...ks)}`;
  const votes = Object.entries(sweep.recommendation.votes).filter((v): v is [string, number] => v[1] !== null && v[1] !== undefined);
  const name = (idx: string): string => INDEX_PROSE[idx] ?? idx;
  const stab = (kk: number): string => {
    const r = byK.get(kk);
    return r?.stability !== undefined && Number.isFinite(r.stability) ? `${r.stabilityReading ? `${r.stabilityReading} ` : ''}(mean adjusted Rand index ${r.stability.toFixed(2)})` : '';
  };

  const backers = votes.filter(([, v]) => v === rec).map(([idx]) => name(idx));
  const stabRec = stab(rec);
  let support =
    backers.length > 0
      ? `${backers.length} of ${votes.length} indices (${andList(backers)}) point to k = ${rec}`
      : `no index points inside the range swept (k = ${range}), so the highest mean silhouette decides: k = ${rec}`;
  if (stabRec) support += `; at k = ${rec} the segments are ${stabRec} under resampling`;
  support = `${cap(support)}.`;
  if (kSource === 'user' && k !== rec) support += ` You chose k = ${k} instead; the segments in this report use k = ${k}.`;

  const noStructure = votes.some(([idx, v]) => idx === 'gap' && v === 1);
  const others = votes.filter(([idx, v]) => v !== rec && !(idx === 'gap' && v === 1));
  const parts: string[] = [];
  if (noStructure) parts.push('The gap statistic finds no clear group structure (k = 1): the segments are a useful partition of one continuous customer base rather than natural groups.');
  let alternativeK: number | undefined;
  if (others.length) {
    const outside = others.filter(([, v]) => !byK.has(v));
    const inside = others.filter(([, v]) => byK.has(v));
    const tally = new Map<number, number>();
    for (const [, v] of inside) tally.set(v, (tally.get(v) ?? 0) + 1);
    const stabOf = (kk: number): number => byK.get(kk)?.stability ?? -Infinity;
    const ranked = [...tally.keys()].sort((a, b) => tally.get(b)! - tally.get(a)! || stabOf(b) - stabOf(a) || Math.abs(a - rec) - Math.abs(b - rec) || a - b);
    alternativeK = ranked[0];
    const who = others.map(([idx, v]) => `${name(idx)} (k = ${v}${byK.has(v) ? '' : ', outside the range swept'})`);
    const lo = Math.min(...others.map(([, v]) => v));
    const hi = Math.max(...others.map(([, v]) => v));
    let s = `${cap(andList(who))} point${others.length === 1 ? 's' : ''} to ${lo === hi ? lo : `${lo}–${hi}`} segments`;
    if (alternativeK !== undefined && alternativeK !== k) {
      const st = stab(alternativeK);
      s += `: rerun with k = ${alternativeK} for a ${alternativeK > k ? 'finer' : 'coarser'} split (segkit report --k ${alternativeK})${st ? `; at k = ${alternativeK} the segments are ${st}` : ''}.`;
    } else if (alternativeK === undefined && outside.length) {
      s += `, outside the range swept (k = ${range}): widen the range to test ${outside.length === 1 ? 'it' : 'them'}.`;
    } else s += '.';
    parts.push(s);
  } else if (!noStructure && votes.length > 1) {
    parts.push(`Every index that voted agrees on k = ${rec}.`);
  }
  return { support, alternative: parts.length ? parts.join(' ') : undefined, alternativeK };
}
