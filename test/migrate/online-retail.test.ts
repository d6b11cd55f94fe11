/**
 * migrate on ../shared/data/online_retail.csv.gz, as of 2011-06-30 vs 2011-12-10 (read + clean once).
 * Checked against independent computations: period 1 equals the plain rfm() run at the first date; period 2's
 * scores follow from period 1's (value, score) pairs by a binary search; the matrix reconciles with both.
 */
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { readTransactions } from '../../src/io';
import { NEW, cutsOf, migrate, scoreWithCuts, type Migration } from '../../src/migrate';
import { computeRfm, scoreRfm, segmentRfm, type CustomerRfm } from '../../src/rfm';
import { HAS_SHARED, sharedData } from '../helpers/shared';

const D1 = '2011-06-30';
const D2 = '2011-12-10';
let r1: CustomerRfm;
let r2: CustomerRfm;
let m: Migration;

describe.skipIf(!HAS_SHARED)('migrate: Online Retail, 2011-06-30 → 2011-12-10', () => {
  beforeAll(async () => {
    const { clean } = cleanTransactions(await readTransactions(sharedData('online_retail.csv.gz')));
    r1 = computeRfm(clean, { asOf: D1 });
    r2 = computeRfm(clean, { asOf: D2 });
    m = migrate(r1, r2);
  }, 120_000);

  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const countsBy = (df: pl.DataFrame, col: string): Map<string, number> =>
    new Map((df.groupBy(col).agg(pl.len().alias('n')).toRecords() as Array<Record<string, unknown>>).map((r) => [String(r[col]), Number(r.n)]));

  it('conserves customers: every one of either date is in exactly one cell', () => {
    expect(m.totals.before).toBe(r1.table.height);
    expect(m.totals.after).toBe(r2.table.height);
    expect(m.customers.height).toBe(r2.table.height);
    expect(m.customers.getColumn('customer_id').nUnique()).toBe(m.customers.height);
    // One transactions table: nobody leaves it, so no (gone) column, and (new) = the customers who first bought after D1.
    expect(m.totals.gone).toBe(0);
    expect(m.totals.new).toBe(r2.table.filter(pl.col('first_purchase').gt(pl.lit(new Date(`${D1}T00:00:00Z`)).cast(pl.Date))).height);
    expect(m.totals.stayed + m.totals.up + m.totals.down + m.totals.new).toBe(m.totals.after);
  });

  it('row sums are the period-1 segment sizes (the plain rfm run at the first date), column sums the period-2 ones', () => {
    const plain = segmentRfm(scoreRfm(r1));
    const before = countsBy(plain.table, 'segment');
    const after = countsBy(m.customers, 'segment_after');
    for (const [i, row] of m.rows.entries()) {
      expect(sum(m.counts[i]), row).toBe(row === NEW ? m.totals.new : (before.get(row) ?? 0));
    }
    for (const [j, col] of m.columns.entries()) expect(sum(m.counts.map((r) => r[j])), col).toBe(after.get(col) ?? 0);
    // And customer by customer, period 1 is the plain run.
    const joined = plain.table.select('customer_id', 'segment').join(m.customers.select('customer_id', 'segment_before'), { on: 'customer_id' });
    expect(joined.height).toBe(r1.table.height);
    expect(joined.filter(pl.col('segment').neq(pl.col('segment_before'))).height).toBe(0);
  });

  it("with thresholds: 'after', period 2 is the plain RFM run at the second date and period 1 follows its cut points", () => {
    const a = migrate(r1, r2, { thresholds: 'after' });
    const plain = segmentRfm(scoreRfm(r2));
    const joined = plain.table.select('customer_id', 'segment').join(a.customers.select('customer_id', 'segment_after'), { on: 'customer_id' });
    expect(joined.height).toBe(r2.table.height);
    expect(joined.filter(pl.col('segment').neq(pl.col('segment_after'))).height).toBe(0);
    const both = a.customers.filter(pl.col('segment_before').neq(pl.lit(NEW)));
    expect(both.filter(pl.col('f_score_after').lt(pl.col('f_score_before'))).height).toBe(0);
    expect(both.filter(pl.col('m_score_after').lt(pl.col('m_score_before'))).height).toBe(0);
    expect(a.totals).toMatchObject({ before: 2960, after: 4338, new: 1378 });
  });

  it('revenue reconciles with both RFM tables', () => {
    const total = (df: pl.DataFrame): number => Number(df.select(pl.col('monetary').sum()).toRecords()[0].monetary);
    expect(sum(m.revenueBefore.flat())).toBeCloseTo(total(r1.table), 2);
    expect(sum(m.revenueAfter.flat())).toBeCloseTo(total(r2.table), 2);
    expect(sum(m.revenueBefore[0])).toBe(0); // (new) had no revenue before
    for (const s of m.segments) expect(s.stayed + s.movedUp + s.movedDown).toBe(s.before);
    for (const s of m.segments) expect(s.stayed + s.cameUp + s.cameDown + s.cameNew).toBe(s.after);
  });

  it("scores period 2 with period 1's cut points: each score is the highest period 1 gave to a value at or below it", () => {
    const scored1 = scoreRfm(r1.table);
    for (const [col, score, reversed] of [['monetary', 'm_score', false], ['frequency', 'f_score', false], ['recency_days', 'r_score', true]] as const) {
      const round = (v: number): number => Math.round(v * 1e6) / 1e6;
      const pairs = (scored1.table.select(col, score).toRecords() as Array<Record<string, number>>)
        .map((r) => [reversed ? -round(Number(r[col])) : round(Number(r[col])), Number(r[score])] as const)
        .sort((a, b) => a[0] - b[0]);
      // best score reached by a value <= v (scores never fall as the value grows)
      const best: number[] = [];
      pairs.forEach(([, s], i) => best.push(Math.max(s, i ? best[i - 1] : 1)));
      const scoreOf = (v: number): number => {
        let [lo, hi] = [0, pairs.length];
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (pairs[mid][0] <= v) lo = mid + 1;
          else hi = mid;
        }
        return lo === 0 ? 1 : best[lo - 1];
      };
      const after = m.customers.select(`${col}_after`, `${score}_after`).toRecords() as Array<Record<string, number>>;
      const wrong = after.filter((r) => scoreOf(reversed ? -round(Number(r[`${col}_after`])) : round(Number(r[`${col}_after`]))) !== Number(r[`${score}_after`]));
      expect(wrong.length, `${col}: ${JSON.stringify(wrong.slice(0, 3))}`).toBe(0);
    }
    // period 1's own cut points give period 1 its own scores back (even where a tie left score 2 empty)
    const again = scoreWithCuts(r1.table, cutsOf(scored1.thresholds), D1).table.select('customer_id', 'rfm_code');
    expect(again.join(scored1.table.select('customer_id', pl.col('rfm_code').alias('own')), { on: 'customer_id' }).filter(pl.col('rfm_code').neq(pl.col('own'))).height).toBe(0);
  });

  it('on fixed thresholds, frequency and spend scores never fall (spend and orders only grow)', () => {
    const both = m.customers.filter(pl.col('segment_before').neq(pl.lit(NEW)));
    expect(both.filter(pl.col('f_score_after').lt(pl.col('f_score_before'))).height).toBe(0);
    expect(both.filter(pl.col('m_score_after').lt(pl.col('m_score_before'))).height).toBe(0);
    // while re-scoring each period lets some fall, only because the cut points moved
    const each = migrate(r1, r2, { thresholds: 'each' });
    const eachBoth = each.customers.filter(pl.col('segment_before').neq(pl.lit(NEW)));
    expect(eachBoth.filter(pl.col('m_score_after').lt(pl.col('m_score_before'))).height).toBeGreaterThan(0);
  });

  it('names the biggest flows', () => {
    console.log(m.flows.map((f) => f.text).join('\n'), '\n', m.totals);
    expect(m.totals).toMatchObject({ before: 2960, after: 4338, new: 1378, gone: 0 });
    expect(m.flows[0].text).toMatch(/^336 Loyal Customers \(£\d+k last period\) are now Champions$/);
    expect(m.flows.length).toBe(10);
    for (let i = 1; i < m.flows.length; i++) expect(m.flows[i].customers).toBeLessThanOrEqual(m.flows[i - 1].customers);
  });
});
