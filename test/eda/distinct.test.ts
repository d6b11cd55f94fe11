/**
 * Distinct counts (customers, orders, products, countries per group) on a hand-made table where they
 * differ from row counts: an order's lines that do not follow one another, an invoice shared by two
 * customers, a customer buying in two countries, and nulls in the customer, invoice, product and country.
 */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { customerTable, groupTotals, monthlyActivity, numericSummary, overview, weekdayHour } from '../../src/eda';
import type { TransactionTable } from '../../src/types';
import { handTable, n, recs } from './hand';

// customer, invoice, date, amount, product, country
const ROWS: Array<[string | null, string | null, string, number, string | null, string | null]> = [
  ['c1', 'A', '2021-01-04 10:00', 10, 'P1', 'UK'],
  ['c1', 'A', '2021-01-04 10:00', 5, 'P2', 'UK'],
  ['c2', 'B', '2021-01-05 11:00', 7, 'P1', 'FR'],
  ['c1', 'A', '2021-01-04 10:00', 3, 'P1', 'UK'], // order A again, after another order's line
  ['c2', 'C', '2021-01-20 11:00', 2, 'P1', 'FR'],
  [null, 'D', '2021-02-02 09:00', 4, 'P3', 'UK'], // no customer
  ['c3', 'E', '2021-02-03 09:00', 6, null, null], // no product, no country
  ['c3', null, '2021-02-03 09:00', 1, 'P3', 'FR'], // no invoice
  ['c1', 'F', '2021-02-10 10:00', 8, 'P2', 'FR'], // c1 also buys in FR
  ['c2', 'F', '2021-02-10 10:00', 1, 'P2', 'FR'], // invoice F has two customers
  ['c2', 'B', '2021-01-05 11:00', 2, 'P1', 'FR'], // (c2, B, P1) again, not next to its first line
];

const table = (compact = false): TransactionTable =>
  handTable(
    ROWS.map(([customer, invoice, date, amount, product, country]) => ({ customer, invoice, date, amount, product, country })),
    compact,
  );

describe.each([
  ['text columns', false],
  ['Categorical columns', true],
])('distinct counts on %s', (_, compact) => {
  const tx = table(compact);

  it('per customer: orders are distinct non-null invoices (c1: A, F; c2: B, C, F; c3: E)', () => {
    const c = recs(customerTable(tx)).map((r) => [r.customer_id, n(r.orders), n(r.lines), r.revenue, r.avg_order_value]);
    expect(c).toEqual([
      ['c1', 2, 4, 26, 13],
      ['c2', 3, 4, 12, 4],
      ['c3', 1, 2, 7, 7],
    ]);
    const t = customerTable(tx);
    expect(t.columns).toEqual(['customer_id', 'orders', 'lines', 'items', 'revenue', 'first_purchase', 'last_purchase', 'avg_order_value']);
    expect(t.dtypes.slice(1).map(String)).toEqual(['Int64', 'Int64', 'Float64', 'Float64', 'Datetime(ms,)', 'Datetime(ms,)', 'Float64'].map((d) => `DataType(${d})`));
  });

  it('overview: 3 customers, 6 orders, 3 products, 2 countries over 11 lines', () => {
    const o = recs(overview(tx))[0];
    expect([o.rows, o.customers, o.orders, o.products, o.countries].map(n)).toEqual([11, 3, 6, 3, 2]);
    expect(o.revenue).toBe(49);
  });

  it('per country: customers and orders among the rows with a country', () => {
    const t = recs(groupTotals(tx, 'country')).sort((a, b) => String(a.country).localeCompare(String(b.country)));
    expect(t.map((r) => [String(r.country), r.revenue, n(r.customers), n(r.orders), r.customer_share])).toEqual([
      ['FR', 21, 3, 3, 1],
      ['UK', 22, 1, 2, 0.3333],
    ]);
  });

  it('per product: customers and orders, nulls left out', () => {
    const t = recs(groupTotals(tx, 'product')).sort((a, b) => String(a.product).localeCompare(String(b.product)));
    expect(t.map((r) => [String(r.product), r.revenue, n(r.customers), n(r.orders), r.quantity])).toEqual([
      ['P1', 24, 2, 3, 5],
      ['P2', 14, 2, 2, 3],
      ['P3', 5, 1, 1, 2],
    ]);
  });

  it('per month: orders, lines, active and new customers', () => {
    expect(recs(monthlyActivity(tx)).map((r) => [r.month, r.revenue, n(r.orders), n(r.lines), n(r.active_customers), n(r.new_customers)])).toEqual([
      ['2021-01', 29, 3, 6, 2, 2],
      ['2021-02', 20, 3, 5, 3, 1],
    ]);
  });

  it('per weekday and hour: each order counted once in its cell', () => {
    const t = recs(weekdayHour(tx)).filter((r) => n(r.lines) > 0);
    expect(t.map((r) => [r.weekday_name, n(r.hour), n(r.orders), n(r.lines), r.revenue])).toEqual([
      ['Mon', 10, 1, 3, 18],
      ['Tue', 9, 1, 1, 4],
      ['Tue', 11, 1, 2, 9],
      ['Wed', 9, 1, 2, 7],
      ['Wed', 10, 1, 2, 9],
      ['Wed', 11, 1, 1, 2],
    ]);
  });
});

describe('numeric summary', () => {
  it('quantiles of an unsorted column with a null, interpolated linearly', () => {
    const s = recs(numericSummary(pl.DataFrame({ x: pl.Series('x', [5, null, 1, 3, 2, 4], pl.Float64) }), ['x']))[0];
    expect([n(s.count), n(s.missing), s.mean, s.min, s.max]).toEqual([5, 1, 3, 1, 5]);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    // sorted 1..5: quantile q sits at 1 + 4q
    for (const [k, q] of [['p01', 0.01], ['p05', 0.05], ['p25', 0.25], ['p50', 0.5], ['p75', 0.75], ['p95', 0.95], ['p99', 0.99]] as const) {
      expect(s[k]).toBeCloseTo(1 + 4 * q, 12);
    }
  });
});
