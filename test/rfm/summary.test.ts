import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { SUMMARY_COLUMNS, rfm, segmentSummary } from '../../src/rfm';
import { FOUR, captureWarnings, transactions } from './fixtures';

describe('segmentSummary', () => {
  it('sums, shares and medians per segment, sorted by revenue', () => {
    const df = pl.DataFrame({
      customer_id: ['a1', 'a2', 'a3', 'b1', 'b2', 'c1'],
      recency_days: [10, 20, 30, 5, 15, 1],
      frequency: [2, 4, 1, 1, 3, 1],
      monetary: [100, 300, 50, 500, 100, 0],
      segment: ['A', 'A', 'A', 'B', 'B', 'C'],
    });
    const s = segmentSummary(df);
    expect(s.columns).toEqual([...SUMMARY_COLUMNS]);
    const rows = s.toRecords() as Array<Record<string, number | string>>;
    expect(rows.map((r) => r.segment)).toEqual(['B', 'A', 'C']);
    expect(rows[0]).toMatchObject({ customers: 2, orders: 4, revenue: 600, avg_order_value: 150, median_recency_days: 10, median_frequency: 2, median_monetary: 300 });
    expect(rows[0].customer_share).toBeCloseTo(2 / 6, 12);
    expect(rows[0].revenue_share).toBeCloseTo(600 / 1050, 12);
    expect(rows[1]).toMatchObject({ customers: 3, orders: 7, revenue: 450, median_recency_days: 20, median_frequency: 2, median_monetary: 100 });
    expect(rows[1].avg_order_value).toBeCloseTo(450 / 7, 12);
    expect(rows[2]).toMatchObject({ customers: 1, orders: 1, revenue: 0, avg_order_value: 0, revenue_share: 0 });
    expect(rows.reduce((a, r) => a + (r.customer_share as number), 0)).toBeCloseTo(1, 12);
  });

  it('takes an RfmResult, and can list the empty segments of its rule table', () => {
    const r = captureWarnings(() => rfm(transactions(FOUR))).value;
    const s = segmentSummary(r);
    expect(s.getColumn('segment').toArray()).toEqual(['Hibernating', 'Loyal Customers', 'Potential Loyalist', 'Lost']);
    expect(s.getColumn('revenue').toArray()).toEqual([100, 33, 20, 7]);
    const all = segmentSummary(r, { includeEmpty: true });
    expect(all.height).toBe(11);
    expect(all.filter(pl.col('segment').eq(pl.lit('Champions'))).toRecords()[0]).toMatchObject({ customers: 0, revenue: 0, customer_share: 0, avg_order_value: null });
  });
});
