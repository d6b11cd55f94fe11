/**
 * The order-level pass of explore (src/eda/orders.ts): its exact checks on hand-made tables, and the
 * tables it feeds, against hand-computed values and against the line-level code (the fallback). Cases:
 * everything adjacent and constant (every check passes), an invoice split in two runs, an invoice whose
 * lines have two timestamps in different months, two customers on one invoice.
 */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { customerTable, groupTotals, monthlyActivity, overview, weekdayHour } from '../../src/eda';
import { orderPass } from '../../src/eda/orders';
import type { TransactionTable } from '../../src/types';
import { handTable, n, recs } from './hand';

type Row = [string | null, string | null, string, number, string | null]; // customer, invoice, date, amount, country

const BASE: Row[] = [
  ['c1', 'A', '2021-01-04 10:00', 10, 'UK'],
  ['c1', 'A', '2021-01-04 10:00', 5, 'UK'],
  ['c2', 'B', '2021-01-05 11:00', 7, 'FR'],
  ['c2', 'C', '2021-01-20 11:00', 2, 'FR'],
  ['c2', 'C', '2021-01-20 11:00', 3, 'FR'],
  ['c3', 'D', '2021-02-03 09:00', 6, null], // no country
  ['c1', 'E', '2021-02-10 10:00', 8, 'FR'],
  [null, 'G', '2021-02-11 12:00', 4, 'UK'], // no customer
  ['c3', null, '2021-02-12 09:00', 1, 'FR'], // no invoice: a segment of its own, no order
];

const table = (rows: Row[], compact = false): TransactionTable =>
  handTable(
    rows.map(([customer, invoice, date, amount, country]) => ({ customer, invoice, date, amount, product: 'P1', country })),
    compact,
  );

/** Every table the pass feeds, with the pass, must equal the line-level code's (names, dtypes, values, order). */
function sameAsLines(tx: TransactionTable): void {
  const o = orderPass(tx);
  expect(o).not.toBeNull();
  const pairs: Array<[string, pl.DataFrame, pl.DataFrame]> = [
    ['overview', overview(tx, 20, o), overview(tx, 20)],
    ['customerTable', customerTable(tx, o), customerTable(tx)],
    ['monthlyActivity', monthlyActivity(tx, o), monthlyActivity(tx)],
    ['weekdayHour', weekdayHour(tx, o), weekdayHour(tx)],
    ['groupTotals country', groupTotals(tx, 'country', o).sort('country'), groupTotals(tx, 'country').sort('country')],
  ];
  for (const [name, fast, slow] of pairs) {
    expect(fast.columns, name).toEqual(slow.columns);
    expect(fast.dtypes.map(String), name).toEqual(slow.dtypes.map(String));
    expect(recs(fast), name).toEqual(recs(slow));
  }
}

const flags = (tx: TransactionTable): Record<string, boolean> => {
  const o = orderPass(tx);
  if (!o) throw new Error('no pass');
  return { oneRun: o.oneRun, customer: o.customer, month: o.month, weekdayHour: o.weekdayHour, country: o.country };
};

describe.each([
  ['text columns', false],
  ['Categorical columns', true],
])('order pass on %s', (_, compact) => {
  it('adjacent orders, one customer, time and country each: every check passes, tables as hand-computed', () => {
    const tx = table(BASE, compact);
    expect(flags(tx)).toEqual({ oneRun: true, customer: true, month: true, weekdayHour: true, country: true });
    const o = orderPass(tx);
    expect(o?.starts.height).toBe(7); // A, B, C, D, E, G and the line with no invoice
    expect(o?.lines.height).toBe(BASE.length);

    const ov = recs(overview(tx, 9, o))[0];
    expect([ov.customers, ov.orders, ov.countries].map(n)).toEqual([3, 6, 2]);
    expect(ov.revenue).toBe(46);
    expect(recs(customerTable(tx, o)).map((r) => [r.customer_id, n(r.orders), n(r.lines), r.revenue])).toEqual([
      ['c1', 2, 3, 23],
      ['c2', 2, 3, 12],
      ['c3', 1, 2, 7],
    ]);
    expect(recs(monthlyActivity(tx, o)).map((r) => [r.month, r.revenue, n(r.orders), n(r.lines), n(r.active_customers), n(r.new_customers)])).toEqual([
      ['2021-01', 27, 3, 5, 2, 2],
      ['2021-02', 19, 3, 4, 2, 1],
    ]);
    expect(recs(weekdayHour(tx, o)).filter((r) => n(r.lines) > 0).map((r) => [r.weekday_name, n(r.hour), n(r.orders), n(r.lines), r.revenue])).toEqual([
      ['Mon', 10, 1, 2, 15],
      ['Tue', 11, 1, 1, 7],
      ['Wed', 9, 1, 1, 6],
      ['Wed', 10, 1, 1, 8],
      ['Wed', 11, 1, 2, 5],
      ['Thu', 12, 1, 1, 4],
      ['Fri', 9, 0, 1, 1], // the line with no invoice: no order
    ]);
    const c = recs(groupTotals(tx, 'country', o).sort('country'));
    expect(c.map((r) => [String(r.country), r.revenue, n(r.customers), n(r.orders), r.customer_share])).toEqual([
      ['FR', 21, 3, 3, 1],
      ['UK', 19, 1, 2, 0.3333],
    ]);
    sameAsLines(tx);
  });

  it('an invoice split in two runs: not one run, so order counts fall back to distinct invoices', () => {
    const rows: Row[] = [...BASE, ['c1', 'A', '2021-01-04 10:00', 1, 'UK']]; // A again, after other orders
    const tx = table(rows, compact);
    expect(flags(tx)).toEqual({ oneRun: false, customer: true, month: true, weekdayHour: true, country: true });
    const o = orderPass(tx);
    // run starts would count A twice: 7 runs, c1 3, January 4, Monday 10:00 2, UK 3
    expect(n(recs(overview(tx, 10, o))[0].orders)).toBe(6);
    expect(recs(customerTable(tx, o)).map((r) => [r.customer_id, n(r.orders), n(r.lines)])).toEqual([
      ['c1', 2, 4],
      ['c2', 2, 3],
      ['c3', 1, 2],
    ]);
    expect(recs(monthlyActivity(tx, o)).map((r) => [r.month, n(r.orders), n(r.lines)])).toEqual([
      ['2021-01', 3, 6],
      ['2021-02', 3, 4],
    ]);
    expect(recs(weekdayHour(tx, o)).filter((r) => n(r.lines) > 0).map((r) => [r.weekday_name, n(r.hour), n(r.orders), n(r.lines)])[0]).toEqual(['Mon', 10, 1, 3]);
    const uk = recs(groupTotals(tx, 'country', o)).find((r) => String(r.country) === 'UK');
    expect([n(uk?.orders), n(uk?.customers), uk?.revenue]).toEqual([2, 1, 20]);
    sameAsLines(tx);
  });

  it('an invoice with lines in two months: month and weekday/hour checks fail, the order counts in both months', () => {
    const rows = BASE.map((r): Row => [...r]);
    rows[4] = ['c2', 'C', '2021-02-01 08:00', 3, 'FR']; // C's second line: another month, weekday and hour
    const tx = table(rows, compact);
    expect(flags(tx)).toEqual({ oneRun: true, customer: true, month: false, weekdayHour: false, country: true });
    const o = orderPass(tx);
    expect(recs(monthlyActivity(tx, o)).map((r) => [r.month, r.revenue, n(r.orders), n(r.lines), n(r.active_customers), n(r.new_customers)])).toEqual([
      ['2021-01', 24, 3, 4, 2, 2],
      ['2021-02', 22, 4, 5, 3, 1], // C, D, E, G; customers c2, c3, c1
    ]);
    const cells = recs(weekdayHour(tx, o)).filter((r) => n(r.lines) > 0).map((r) => [r.weekday_name, n(r.hour), n(r.orders), n(r.lines)]);
    expect(cells).toContainEqual(['Mon', 8, 1, 1]);
    expect(cells).toContainEqual(['Wed', 11, 1, 1]);
    // customers and countries still come from the runs: C is still one order of c2
    expect(recs(customerTable(tx, o)).map((r) => [r.customer_id, n(r.orders)])).toEqual([
      ['c1', 2],
      ['c2', 2],
      ['c3', 1],
    ]);
    sameAsLines(tx);
  });

  it('two customers on one invoice: the customer check fails, customer counts fall back', () => {
    const rows: Row[] = [...BASE.slice(0, 7), ['c2', 'E', '2021-02-10 10:00', 2, 'FR'], ...BASE.slice(7)]; // E: c1 then c2
    const tx = table(rows, compact);
    expect(flags(tx)).toEqual({ oneRun: true, customer: false, month: true, weekdayHour: true, country: true });
    const o = orderPass(tx);
    // run starts would give E to c1 only: c2 would have 2 orders, February 2 active customers
    expect(recs(customerTable(tx, o)).map((r) => [r.customer_id, n(r.orders), n(r.lines), r.revenue])).toEqual([
      ['c1', 2, 3, 23],
      ['c2', 3, 4, 14],
      ['c3', 1, 2, 7],
    ]);
    expect(recs(monthlyActivity(tx, o)).map((r) => [r.month, n(r.orders), n(r.active_customers)])).toEqual([
      ['2021-01', 3, 2],
      ['2021-02', 3, 3],
    ]);
    const fr = recs(groupTotals(tx, 'country', o)).find((r) => String(r.country) === 'FR');
    expect([n(fr?.orders), n(fr?.customers), fr?.revenue]).toEqual([3, 3, 23]);
    const ov = recs(overview(tx, 10, o))[0];
    expect([ov.customers, ov.orders].map(n)).toEqual([3, 6]);
    sameAsLines(tx);
  });
});

describe('order pass on a larger table', () => {
  it('revenue sums identical to the line-level code (a group_by of sums and counts only would add them in another order)', () => {
    // 12,000 lines (Polars splits group_bys of ≥ 1,000 rows with few groups across threads when every
    // aggregation allows it), invoices of 6 adjacent lines, 13 months, 3 countries, amounts with large
    // spikes so that the order of additions shows after rounding to cents (checked by hand: with the
    // country revenue group_by left splittable, its revenue differs here from the line-level code's).
    const rows: Row[] = Array.from({ length: 12000 }, (_, i): Row => {
      const order = Math.floor(i / 6);
      const day = new Date(Date.UTC(2020, order % 13, 1 + (order % 27), order % 24)).toISOString().slice(0, 16).replace('T', ' ');
      return [`c${order % 700}`, `I${order}`, day, ((i * 7919) % 1000) / 7.3 * (i % 17 === 0 ? 1e9 : 1), `K${(order % 700) % 3}`];
    });
    const tx = table(rows);
    expect(flags(tx)).toEqual({ oneRun: true, customer: true, month: true, weekdayHour: true, country: true });
    sameAsLines(tx);
  });
});

describe('order pass not made', () => {
  it('orders that are customer-days (no invoice column): no pass, every table on the lines', () => {
    const tx = { ...table(BASE), orders: 'customer-day' as const };
    expect(orderPass(tx)).toBeNull();
  });
});
