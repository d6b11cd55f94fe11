/**
 * The executive summary's findings: short sentences computed from the analysis, biggest first.
 * Each is a fact a stakeholder can act on; none is hard-coded.
 */
import type pl from 'nodejs-polars';
import type { SegmentProfile } from '../profile';
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
  const seg = customers.getColumn('segment').toArray() as string[];
  const mon = customers.getColumn('monetary').toArray() as number[];
  const rec = customers.getColumn('recency_days').toArray() as number[];
  let n = 0;
  let worth = 0;
  const days: number[] = [];
  for (let i = 0; i < total; i++) {
    if (AT_RISK.includes(seg[i])) {
      n++;
      worth += mon[i];
      days.push(rec[i]);
    }
  }
  if (n > 0) {
    days.sort((a, b) => a - b);
    out.push(`${fmtInt(n)} customers worth ${fmtMoneyShort(worth, currency)} in past spend are At Risk or Can't Lose Them: valuable before, but their median last purchase was ${fmtInt(days[Math.floor(days.length / 2)])} days ago.`);
  }
  // 3. Concentration: revenue of the top fifth of customers.
  const sorted = [...mon].sort((a, b) => b - a);
  const all = sorted.reduce((s, v) => s + v, 0);
  const fifth = Math.max(1, Math.round(total / 5));
  const topFifth = sorted.slice(0, fifth).reduce((s, v) => s + v, 0);
  if (all > 0) out.push(`The top 20 % of customers (${fmtInt(fifth)}) bring ${fmtPct(topFifth / all)} of revenue.`);
  // 4. One-time buyers.
  const freq = customers.getColumn('frequency').toArray() as number[];
  const once = freq.filter((f) => f === 1).length;
  if (once > 0) out.push(`${fmtPct(once / total)} of customers (${fmtInt(once)}) have ordered only once: the first repeat purchase is the cheapest growth.`);
  return out;
}
