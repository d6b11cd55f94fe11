/**
 * profileSegments on the five-group fixture (test/fixtures/profile/groups.ts), where every group sits in
 * one R/F/M quintile, so the names are obvious and every number can be worked out by hand.
 */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { buildFeatures } from '../../src/features';
import { profileSegments, profilesTable, segmentCrossTab } from '../../src/profile';
import { EXPECTED_SEGMENT, LABEL_ORDER, transactions } from '../fixtures/profile/groups';
import type { SegkitWarning } from '../../src/errors';
import { errorOf, fixtureRfm, handModel, quiet } from './helpers';

const r = fixtureRfm();
const model = handModel(r.table);
const tx = transactions();
const result = profileSegments(r, model, { transactions: tx });
const [A, B, D, E, C] = result.segments;

describe('profileSegments: the five-group fixture', () => {
  it('the fixture gives the intended R, F, M', () => {
    const a3 = (r.table.toRecords() as Array<Record<string, unknown>>).find((x) => x.customer_id === 'A3')!;
    expect([a3.recency_days, a3.frequency, a3.rfm_code]).toEqual([3, 29, '555']);
    expect(a3.monetary as number).toBeCloseTo(7000, 9); // an exact sum of Float64 line amounts, correctly rounded
  });

  it('comes in label order, one profile per cluster, with totals', () => {
    expect(result.segments.map((p) => p.cluster)).toEqual([0, 1, 2, 3, 4]);
    expect(result.k).toBe(5);
    expect(result.order).toBe('mean monetary, descending');
    expect(result.customers).toBe(30);
    // Σ monetary: A 43 500, B 10 500, C 195, D 2 700, E 750.
    expect(result.revenue).toBeCloseTo(57645, 6);
    // Σ frequency: A 180, B 75, C 6, D 36, E 15.
    expect(result.orders).toBe(312);
    expect(result.withTransactions).toBe(true);
  });

  it('names every cluster after its RFM segment (the obvious names)', () => {
    expect(result.segments.map((p) => p.name)).toEqual(LABEL_ORDER.map((g) => EXPECTED_SEGMENT[g]));
    expect(A.label).toBe('1 · Champions');
    expect(C.label).toBe("5 · New Customers");
    expect(A.nameBasis).toBe('median-scores');
    expect(A.nameReason).toMatch(/^its median scores \(R \d, F \d, M \d\) fall in the rule for Champions \(R 4–5, F 4–5, M 4–5\); 100% of its customers are Champions$/);
    expect(A.segmentMix).toEqual([{ segment: 'Champions', customers: 6, share: 1 }]);
  });

  it('describes clusters against the tertiles of the customer base', () => {
    // Recency tertiles of the 30 values: 23 + 2/3 and 151 + 1/3 (type 7).
    expect(result.tertiles.recency[0]).toBeCloseTo(23 + 2 / 3, 10);
    expect(result.tertiles.recency[1]).toBeCloseTo(151 + 1 / 3, 10);
    expect(A.description).toBe('Bought recently, buys often, spends the most');
    expect(A.levelText).toBe('Low recency, high frequency, high monetary');
    expect(D.levelText).toBe('Moderate recency, moderate frequency, moderate monetary');
    expect(B.description).toBe('Has not bought for a long time, buys often, spends a lot');
    expect(C.description).toBe('Bought recently, buys rarely, spends little');
    // A's median recency (3.5) is above 6 of 30 values: percentile (6 below + 0 equal) / 30.
    expect(A.position.recency).toBeCloseTo(0.1, 12);
  });

  it('counts size, revenue, orders and average order value', () => {
    expect([A.customers, A.customerShare]).toEqual([6, 0.2]);
    expect(A.revenue).toBeCloseTo(43500, 6);
    expect(A.revenueShare).toBeCloseTo(43500 / 57645, 12);
    expect(A.orders).toBe(180);
    expect(A.avgOrderValue).toBeCloseTo(43500 / 180, 9);
    expect(E.orders).toBe(15);
    expect(result.segments.reduce((s, p) => s + p.revenueShare, 0)).toBeCloseTo(1, 12);
  });

  it('summarises R, F, M in original units (type-7 quartiles)', () => {
    expect(A.recency).toMatchObject({ mean: 3.5, median: 3.5, q1: 2.25, q3: 4.75, min: 1, max: 6, lowerWhisker: 1, upperWhisker: 6 });
    expect(A.frequency).toMatchObject({ mean: 30, median: 30, q1: 27.5, q3: 32.5 });
    expect(A.monetary.median).toBeCloseTo(7250, 6);
    // D's frequencies 5, 6, 7, 5, 6, 7 → sorted 5 5 6 6 7 7: q1 = 5.25, median 6, q3 = 6.75.
    expect(D.frequency).toMatchObject({ q1: 5.25, median: 6, q3: 6.75 });
    expect(A.medianScores).toEqual({ r: 5, f: 5, m: 5 });
    expect(B.medianScores).toEqual({ r: 1, f: 4, m: 4 });
  });

  it('lists top products and countries by revenue from the transactions', () => {
    expect(A.topProducts.map((p) => [p.product, p.description])).toEqual([
      ['P-GOLD', 'GOLD WATCH'],
      ['P-BAG', 'BAG'], // trailing space of the description trimmed
    ]);
    expect(A.topProducts[0].revenue).toBeCloseTo(0.75 * 43500, 6);
    expect(A.topProducts[0].share).toBeCloseTo(0.75, 12);
    expect(A.topProducts[0].customers).toBe(6);
    expect(A.topProducts[0].quantity).toBe(180);
    // A1..A5 in the UK (6000 + 6500 + 7000 + 7500 + 8000), A6 in France (8500).
    expect(A.topCountries).toEqual([
      { country: 'United Kingdom', customers: 5, revenue: 35000, share: 35000 / 43500 },
      { country: 'France', customers: 1, revenue: 8500, share: 8500 / 43500 },
    ]);
    expect(E.topCountries.map((c) => c.country)).toEqual(['EIRE']);
  });

  it('respects top', () => {
    const one = profileSegments(r, model, { transactions: tx, top: 1 });
    expect(one.segments[0].topProducts.map((p) => p.product)).toEqual(['P-GOLD']);
  });

  it('has empty product and country lists without transactions', () => {
    const bare = profileSegments(r, model);
    expect(bare.withTransactions).toBe(false);
    expect(bare.segments.every((p) => p.topProducts.length === 0 && p.topCountries.length === 0)).toBe(true);
  });

  it('gives actions from the default table per name', () => {
    expect(A.actions.summary).toBe('Reward them and keep them close');
    expect(A.actions.actions.join(' ')).toMatch(/early access/i);
    expect(B.actions.actions.join(' ')).toMatch(/personal outreach/i);
  });

  it('uses the centroids as standardized means without features, and the exact means with them', () => {
    expect(A.standardized).toEqual({ recency_days: 0, frequency: 10, monetary: 0 });
    expect(result.segments[2].standardized).toEqual({ recency_days: 2, frequency: 8, monetary: 1 });
    const X = quiet(() => buildFeatures(r));
    const withX = profileSegments(r, model, { features: X });
    const rows = X.ids.map((id, i) => ({ id, row: X.X[i] })).filter((x) => x.id.startsWith('A'));
    const mean = (j: number): number => rows.reduce((s, x) => s + x.row[j], 0) / rows.length;
    expect(withX.segments[0].standardized.recency_days).toBeCloseTo(mean(0), 12);
    expect(withX.segments[0].standardized.monetary).toBeCloseTo(mean(2), 12);
    expect(withX.features).toEqual(['recency_days', 'frequency', 'monetary']);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('accepts one object ({ rfm, model, … }) as well', () => {
    const same = profileSegments({ rfm: r, model, transactions: tx });
    expect(same).toEqual(result);
  });

  it('has a DataFrame view and a cross-tab', () => {
    const df = profilesTable(result);
    expect(df.height).toBe(5);
    expect(df.getColumn('name').toArray()).toEqual(result.segments.map((p) => p.name));
    expect(df.getColumn('customers').toArray()).toEqual([6, 6, 6, 6, 6]);
    expect(df.getColumn('top_segment').toArray()).toEqual(result.segments.map((p) => p.name));
    const xt = segmentCrossTab(result);
    expect(xt).toHaveLength(5);
    expect(xt[1]).toEqual({ cluster: 1, label: "2 · Can't Lose Them", segment: "Can't Lose Them", customers: 6, shareOfCluster: 1, shareOfSegment: 1 });
    expect(result.crossTab).toEqual(xt);
  });

  it('takes names and an action table from the user', () => {
    const names = ['Gold', 'Sleeping giants', 'Core', 'Drifting', 'Newcomers'];
    const custom = profileSegments(r, model, { names, actions: { actions: { 'Sleeping giants': { summary: 'Call them', actions: ['Call them this week'] } } } });
    expect(custom.segments.map((p) => p.name)).toEqual(names);
    expect(custom.segments[1].actions).toEqual({ summary: 'Call them', actions: ['Call them this week'] });
    expect(custom.segments[0].actions.summary).toBe('Review this segment before acting');
    expect(errorOf(() => profileSegments(r, model, { names: ['a', 'b'] })).code).toBe('bad_names');
    expect(errorOf(() => profileSegments(r, model, { names: ['a', 'a', 'b', 'c', 'd'] })).message).toMatch(/"a" is given to two clusters/);
  });
});

describe('profileSegments: matching labels to customers', () => {
  it('matches by id through the feature matrix, whatever the row order', () => {
    const X = quiet(() => buildFeatures(r));
    const order = X.ids.map((_, i) => i).reverse();
    const shuffled = { ...X, ids: order.map((i) => X.ids[i]), X: order.map((i) => X.X[i]), original: order.map((i) => X.original![i]) };
    const m = { ...model, labels: order.map((i) => model.labels[i]) };
    const p = profileSegments(r, m, { features: shuffled });
    expect(p.segments.map((s) => s.name)).toEqual(result.segments.map((s) => s.name));
    expect(p.segments[0].revenue).toBeCloseTo(43500, 6);
  });

  it('refuses labels that do not fit the table', () => {
    const short = { ...model, labels: model.labels.slice(1) };
    const e = errorOf(() => profileSegments(r, short));
    expect(e.code).toBe('size_mismatch');
    expect(e.message).toMatch(/29 labels but the customer table has 30 rows/);
    expect(e.hint).toMatch(/features/);
    const X = quiet(() => buildFeatures(r.table.filter(pl.col('customer_id').neq(pl.lit('A1')))));
    const m29 = { ...model, labels: model.labels.slice(1) };
    const e2 = errorOf(() => profileSegments(r, m29, { features: X }));
    expect(e2.code).toBe('customers_not_clustered');
    expect(e2.message).toMatch(/1 of 30 customers.*"A1"/);
  });

  it('warns about an empty cluster and still profiles the others', () => {
    const warnings: SegkitWarning[] = [];
    const six = { ...model, k: 6, centroids: [...model.centroids, [9, 9, 9]] };
    const p = quiet(() => profileSegments(r, six), warnings);
    expect(p.segments).toHaveLength(6);
    expect(p.segments[5].customers).toBe(0);
    expect(p.segments.slice(0, 5).map((s) => s.name)).toEqual(result.segments.map((s) => s.name));
    expect(warnings.map((w) => w.message)).toEqual(['cluster 6 has no customers: its statistics are NaN (null in JSON); fit with a smaller k']);
  });

  it('refuses a table without R, F, M and bad labels', () => {
    expect(errorOf(() => profileSegments(r.table.drop('monetary'), model)).message).toMatch(/no monetary column/);
    const bad = { ...model, labels: model.labels.map((l, i) => (i === 3 ? 7 : l)) };
    expect(errorOf(() => profileSegments(r, bad)).message).toMatch(/label 7 at row 3/);
    expect(errorOf(() => (profileSegments as (x: unknown) => unknown)({ rfm: r })).code).toBe('bad_input');
  });
});
