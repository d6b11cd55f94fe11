/** customerDetails: one customer found (with cluster, products, timeline), and unknown ids. */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { rfm } from '../../src/rfm';
import { customerDetails, profileSegments, createModel } from '../../src/profile';
import { transactions } from '../fixtures/profile/groups';
import { errorOf, fixtureRfm, handModel, quiet } from './helpers';

const r = fixtureRfm();
const model = handModel(r.table);
const tx = transactions();
const profiles = profileSegments(r, model, { transactions: tx });

describe('customerDetails', () => {
  // B2: R 301, F 11, M 1600, in Germany; 11 invoices 3 days apart, the last on 2024-12-31 − 301 days = 2024-03-05.
  const d = customerDetails(r, 'B2', { model, profiles, transactions: tx });

  it('gives RFM values, scores and the named segment', () => {
    expect([d.customerId, d.recencyDays, d.frequency]).toEqual(['B2', 301, 11]);
    // 22 lines built from 1600/11 per order: the exact sum of those Float64 values, correctly rounded, is 1600 − 2^-42
    expect(d.monetary).toBeCloseTo(1600, 9);
    expect(d.scores).toEqual({ r: 1, f: 4, m: 4 });
    expect([d.rfmCode, d.rfmScore, d.segment]).toEqual(['144', 144, "Can't Lose Them"]);
    expect(d.segmentDescription).toBe('Used to buy often and spend big, but not for a long time.');
  });

  it('gives the cluster, its name, description and actions', () => {
    expect([d.cluster, d.clusterName, d.clusterLabel]).toEqual([1, "Can't Lose Them", "2 · Can't Lose Them"]);
    expect(d.clusterDescription).toBe(profiles.segments[1].description);
    expect(d.actions?.summary).toBe(profiles.segments[1].actions.summary);
  });

  it('gives first and last purchase, top products, countries and a monthly timeline', () => {
    // First invoice: 301 + 3 × 10 = 331 days before 2024-12-31 → 2024-02-04.
    expect([d.firstPurchase, d.lastPurchase]).toEqual(['2024-02-04', '2024-03-05']);
    expect(d.tenureDays).toBe(331);
    expect(d.topProducts.map((p) => p.product)).toEqual(['P-SILVER', 'P-BAG']);
    expect(d.topProducts[0].revenue).toBeCloseTo(1200, 9);
    expect(d.countries.map((c) => [c.country, c.customers])).toEqual([['Germany', 1]]);
    expect(d.countries[0].revenue).toBeCloseTo(1600, 9);
    expect(d.countries[0].share).toBeCloseTo(1, 12);
    // Invoices on 02-04, 02-07, …, 03-02, 03-05: 9 in February (04 … 28) and 2 in March.
    expect(d.timeline.map((t) => [t.month, t.orders])).toEqual([
      ['2024-02', 9],
      ['2024-03', 2],
    ]);
    expect(d.timeline.reduce((s, t) => s + t.spend, 0)).toBeCloseTo(1600, 9);
  });

  it('fills months without purchases with zeros, and counts orders per invoice', () => {
    const t = pl.DataFrame({
      customer_id: ['x', 'x', 'x', 'y'],
      invoice: ['1', '1', '2', '3'],
      date: ['2024-01-05', '2024-01-05', '2024-04-20', '2024-04-21'].map((s) => new Date(`${s}T12:00:00Z`)),
      quantity: [1, 2, 1, 1],
      unit_price: [10, 5, 7, 1],
      amount: [10, 10, 7, 1],
    }).withColumns(pl.col('date').cast(pl.Datetime('ms')));
    const small = quiet(() => rfm(t));
    const x = customerDetails(small, 'x', { transactions: t });
    expect(x.timeline).toEqual([
      { month: '2024-01', orders: 1, spend: 20 },
      { month: '2024-02', orders: 0, spend: 0 },
      { month: '2024-03', orders: 0, spend: 0 },
      { month: '2024-04', orders: 1, spend: 7 },
    ]);
    expect(x.topProducts).toEqual([]); // no product or description column
    expect([x.firstPurchase, x.lastPurchase]).toEqual(['2024-01-05', '2024-04-20']);
  });

  it('finds a customer with a saved model (scored by it) and without transactions', () => {
    const m = createModel({ rfm: r, features: { transform: { columns: ['recency_days', 'frequency', 'monetary'], log: true, scale: 'none', center: [0, 0, 0], scaleBy: [1, 1, 1] } }, kmeans: { ...model, centroids: [[1, 3.4, 8.9], [5.7, 2.5, 7.4], [4.1, 1.9, 6.1], [5, 1.1, 4.8], [3.1, 0.7, 3.5]] }, profiles });
    const s = customerDetails(r, 'C4', { model: m });
    expect([s.cluster, s.clusterName]).toEqual([4, 'New Customers']);
    expect(s.topProducts).toEqual([]);
    expect(s.timeline).toEqual([]);
    expect(s.firstPurchase).toBe('2024-12-08');
  });

  it('matches ids given as numbers or with a float suffix', () => {
    const t = r.table.withColumns(r.table.getColumn('customer_id').str.replace('A', '1'));
    expect(customerDetails(t, 13).customerId).toBe('13');
    expect(customerDetails(t, '13.0').customerId).toBe('13');
    expect(customerDetails(t, ' 13 ').customerId).toBe('13');
  });

  it('refuses an unknown id, naming the closest ids', () => {
    const e = errorOf(() => customerDetails(r, 'B22', { model, profiles }));
    expect(e.code).toBe('unknown_customer');
    expect(e.message).toBe('customer "B22" is not among the 30 customers');
    expect(e.hint).toBe('closest ids: B2, B1, B3');
    expect(e.stage).toBe('profile');
  });
});
