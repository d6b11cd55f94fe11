import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { computeRfm, CUSTOMER_COLUMNS } from '../../src/rfm';
import type { TransactionTable } from '../../src/types';
import { FOUR, byCustomer, captureWarnings, errorOf, transactions } from './fixtures';

describe('computeRfm on transactions', () => {
  it('computes R, F, M and the extra columns by hand-worked values', () => {
    const { value: c, warnings } = captureWarnings(() => computeRfm(transactions(FOUR)));
    expect(warnings).toEqual([]);
    expect(c.asOf).toBe('2024-01-11');
    expect(c.orders).toBe('invoice');
    expect(c.table.columns).toEqual([...CUSTOMER_COLUMNS]);
    expect(c.table.getColumn('customer_id').toArray()).toEqual(['c1', 'c2', 'c3', 'c4']);
    const t = byCustomer(c.table);
    expect(t.c1).toMatchObject({ recency_days: 6, frequency: 2, monetary: 33, tenure_days: 10, avg_order_value: 16.5, items: 6 });
    // 23:59 on 01-03 is still 01-03: times are ignored.
    expect(t.c2).toMatchObject({ recency_days: 8, frequency: 1, monetary: 100, tenure_days: 8, avg_order_value: 100, items: 1 });
    // two invoices on the same day are two orders
    expect(t.c3).toMatchObject({ recency_days: 1, frequency: 2, monetary: 20, tenure_days: 1, avg_order_value: 10, items: 6 });
    expect(t.c4).toMatchObject({ recency_days: 9, frequency: 1, monetary: 7, tenure_days: 9 });
    expect((t.c1.first_purchase as Date).toISOString().slice(0, 10)).toBe('2024-01-01');
    expect((t.c1.last_purchase as Date).toISOString().slice(0, 10)).toBe('2024-01-05');
    expect(c.table.getColumn('recency_days').dtype.variant).toBe('Int32');
    expect(c.counts).toMatchObject({ rowsIn: 7, rowsUsed: 7, afterAsOf: 0, returnRows: 0, customers: 4 });
  });

  it('accepts a TransactionTable and follows its order definition', () => {
    const tt: TransactionTable = {
      df: transactions(FOUR),
      source: { path: 'four.csv', format: 'csv', compressed: false, rowsRead: 7, columns: [] },
      mapping: {},
      orders: 'customer-day',
      warnings: [],
    };
    const c = computeRfm(tt);
    expect(c.orders).toBe('customer-day');
    // c3's two invoices are on one day: one order
    expect(byCustomer(c.table).c3.frequency).toBe(1);
    expect(byCustomer(c.table).c1.frequency).toBe(2);
  });

  it('counts (customer, calendar day) as orders when there is no invoice column', () => {
    const c = computeRfm(transactions(FOUR, false));
    expect(c.orders).toBe('customer-day');
    expect(c.table.getColumn('frequency').toArray()).toEqual([2, 1, 1, 1]);
  });

  it('counts purchase rows without an invoice number as one order per customer and day, with a warning', () => {
    // c4 also has three lines without invoice: two on 01-08, one on 01-09 → 1 + 2 orders
    const rows: Array<[string, string | null, string, number, number]> = [
      ...FOUR,
      ['c4', null, '2024-01-08T09:00:00', 1, 1],
      ['c4', null, '2024-01-08T17:00:00', 1, 1],
      ['c4', null, '2024-01-09T10:00:00', 1, 1],
    ];
    const { value: c, warnings } = captureWarnings(() => computeRfm(transactions(rows)));
    expect(byCustomer(c.table).c4).toMatchObject({ frequency: 3, monetary: 10, recency_days: 2 });
    expect(byCustomer(c.table).c1.frequency).toBe(2);
    expect(warnings.map((w) => w.code)).toEqual(['missing_invoice']);
    expect(warnings[0].message).toContain('3 purchase rows have no invoice number');
  });

  it('maps other column names by role, and sums quantity × unit price when there is no amount', () => {
    const df = transactions(FOUR).select(
      pl.col('customer_id').alias('Client'),
      pl.col('invoice').alias('Order'),
      pl.col('date').alias('When'),
      pl.col('quantity').alias('Qty'),
      pl.col('unit_price').alias('Price'),
    );
    const c = computeRfm(df, { columns: { customer: 'Client', invoice: 'Order', date: 'When', quantity: 'Qty', unitPrice: 'Price' } });
    expect(c.table.getColumn('monetary').toArray()).toEqual([33, 100, 20, 7]);
    expect(c.table.getColumn('frequency').toArray()).toEqual([2, 1, 2, 1]);
    const e = errorOf(() => computeRfm(df, { columns: { customer: 'Clinet' } }));
    expect(e.code).toBe('unknown_column');
    expect(e.hint).toContain('"Client"');
  });

  it('uses a given asOf: rows after it are left out with a warning, rows on it have recency 0', () => {
    const { value: c, warnings } = captureWarnings(() => computeRfm(transactions(FOUR), { asOf: '2024-01-05' }));
    expect(c.asOf).toBe('2024-01-05');
    expect(c.counts.afterAsOf).toBe(2);
    expect(warnings.map((w) => w.code)).toEqual(['after_as_of']);
    expect(warnings[0].message).toContain('2 rows dated after asOf 2024-01-05');
    const t = byCustomer(c.table);
    expect(Object.keys(t)).toEqual(['c1', 'c2', 'c4']);
    expect(t.c1).toMatchObject({ recency_days: 0, frequency: 2, monetary: 33 });
    expect(t.c2.recency_days).toBe(2);
    // a later asOf only shifts recency
    const later = computeRfm(transactions(FOUR), { asOf: new Date(Date.UTC(2024, 1, 1)) });
    expect(later.table.getColumn('recency_days').toArray()).toEqual([27, 29, 22, 30]);
  });

  it('gives the same days for a Date column and for Datetimes in ms, us and ns, up to the last instant of asOf', () => {
    // c5 buys on 01-05 at 23:59:59.999 (kept with asOf 01-05, recency 0) and at 01-06 00:00 (after asOf)
    const rows: Array<[string, string, string, number, number]> = [
      ...FOUR,
      ['c5', '7', '2024-01-05T23:59:59.999', 1, 4],
      ['c5', '8', '2024-01-06T00:00:00', 1, 8],
    ];
    const base = transactions(rows);
    for (const [label, type] of [['ms', pl.Datetime('ms')], ['us', pl.Datetime('us')], ['ns', pl.Datetime('ns')], ['Date', pl.Date]] as const) {
      const df = base.withColumns(pl.col('date').cast(type));
      const whole = byCustomer(computeRfm(df).table);
      expect(computeRfm(df).asOf, label).toBe('2024-01-11');
      expect(whole.c1, label).toMatchObject({ recency_days: 6, tenure_days: 10, frequency: 2 });
      expect(whole.c2.recency_days, label).toBe(8);
      expect(whole.c5, label).toMatchObject({ recency_days: 5, tenure_days: 6, frequency: 2, monetary: 12 });
      const { value: cut, warnings } = captureWarnings(() => computeRfm(df, { asOf: '2024-01-05' }));
      // after asOf 01-05: c3's two rows on 01-10 and c5's on 01-06, in every type
      expect(cut.counts.afterAsOf, label).toBe(3);
      expect(warnings.map((w) => w.code), label).toEqual(['after_as_of']);
      expect(byCustomer(cut.table).c5, label).toMatchObject({ recency_days: 0, frequency: 1, monetary: 4 });
    }
  });

  it('takes the calendar day in the time zone of a zoned Datetime', () => {
    // 2024-01-05T03:00Z is 2024-01-04 22:00 in New York: R, tenure and first_purchase follow the local day
    const rows: Array<[string, string, string, number, number]> = [
      ['a', '1', '2024-01-01T12:00:00', 1, 10],
      ['a', '2', '2024-01-05T03:00:00', 1, 10],
      ['b', '3', '2024-01-10T12:00:00', 1, 10],
    ];
    const df = transactions(rows).withColumns(pl.col('date').cast(pl.Datetime('ms', 'UTC')).cast(pl.Datetime('ms', 'America/New_York')));
    const c = computeRfm(df);
    expect(c.asOf).toBe('2024-01-11');
    const t = byCustomer(c.table);
    expect(t.a).toMatchObject({ recency_days: 7, tenure_days: 10, frequency: 2 });
    expect(String(c.table.getColumn('last_purchase').cast(pl.Utf8).toArray()[0])).toBe('2024-01-04');
    expect(computeRfm(df, { asOf: '2024-01-04' }).counts.afterAsOf).toBe(1);
  });

  it('refuses an asOf before the first transaction, or not a date', () => {
    const e = errorOf(() => computeRfm(transactions(FOUR), { asOf: '2023-12-31' }));
    expect(e.code).toBe('as_of_before_data');
    expect(e.message).toContain('2024-01-01');
    expect(e.where).toBe('option asOf');
    expect(e.hint).toContain('2024-01-11');
    expect(errorOf(() => computeRfm(transactions(FOUR), { asOf: '2024-02-30' })).code).toBe('as_of_invalid');
    expect(errorOf(() => computeRfm(transactions(FOUR), { asOf: '10/01/2024' })).code).toBe('as_of_invalid');
    // the first day itself is fine
    expect(captureWarnings(() => computeRfm(transactions(FOUR), { asOf: '2024-01-01' })).value.table.height).toBe(1);
  });

  describe('returns', () => {
    // c1: 2 × 10 on 01-01, returns 1 × 10 (invoice C2) on 01-03
    // c2: 1 × 5 on 01-02, returns 2 × 5 on 01-04 → −5 net
    // c3: only a return
    const rows: Array<[string, string, string, number, number]> = [
      ['c1', '1', '2024-01-01T10:00:00', 2, 10],
      ['c1', 'C2', '2024-01-03T10:00:00', -1, 10],
      ['c2', '3', '2024-01-02T10:00:00', 1, 5],
      ['c2', 'C4', '2024-01-04T10:00:00', -2, 5],
      ['c3', 'C5', '2024-01-04T11:00:00', -1, 3],
    ];

    it("drops cancellations by default, counted, with a warning", () => {
      const { value: c, warnings } = captureWarnings(() => computeRfm(transactions(rows)));
      expect(c.returns).toBe('drop');
      expect(c.asOf).toBe('2024-01-05');
      expect(c.counts).toMatchObject({ returnRows: 3, rowsUsed: 2, customers: 2 });
      expect(warnings.map((w) => w.code)).toEqual(['returns_dropped']);
      const t = byCustomer(c.table);
      expect(t.c1).toMatchObject({ recency_days: 4, frequency: 1, monetary: 20, items: 2 });
      expect(t.c2).toMatchObject({ recency_days: 3, frequency: 1, monetary: 5 });
    });

    it("nets them under returns: 'net', reporting negative monetary (kept) and returns-only customers", () => {
      const { value: c, warnings } = captureWarnings(() => computeRfm(transactions(rows), { returns: 'net' }));
      const t = byCustomer(c.table);
      // returns do not count as orders nor move the last purchase
      expect(t.c1).toMatchObject({ recency_days: 4, frequency: 1, monetary: 10, items: 1 });
      expect(t.c2).toMatchObject({ recency_days: 3, frequency: 1, monetary: -5, items: -1 });
      expect(t.c3).toBeUndefined();
      expect(c.counts).toMatchObject({ returnRows: 3, returnsOnlyCustomers: 1, negativeMonetary: 1, rowsUsed: 4 });
      expect(warnings.map((w) => w.code)).toEqual(['returns_only', 'negative_monetary']);
      expect(warnings[1].message).toContain('c2');
    });
  });

  it('counts an invoice once when its lines are not next to each other, or when it is split', () => {
    // c1's invoice 1 comes back after c2's line; c3 has invoice 7 in two separate runs
    const rows: Array<[string, string, string, number, number]> = [
      ['c1', '1', '2024-01-01T10:00:00', 1, 5],
      ['c2', '2', '2024-01-01T11:00:00', 1, 5],
      ['c1', '1', '2024-01-01T10:00:00', 1, 5],
      ['c3', '7', '2024-01-02T10:00:00', 1, 5],
      ['c3', '8', '2024-01-03T10:00:00', 1, 5],
      ['c3', '7', '2024-01-02T10:00:00', 1, 5],
    ];
    const t = byCustomer(computeRfm(transactions(rows)).table);
    expect([t.c1.frequency, t.c2.frequency, t.c3.frequency]).toEqual([1, 1, 2]);
    // the same rows with each invoice's lines together give the same counts
    const together = [rows[0], rows[2], rows[1], rows[3], rows[5], rows[4]];
    expect(computeRfm(transactions(together)).table.getColumn('frequency').toArray()).toEqual([1, 1, 2]);
  });

  it('adds amounts exactly, whatever the order of the rows, and returns cancel their purchases', () => {
    // c1: a running Float64 sum gives 1e16 + 1 = 1e16 (rounded), + 1 = 1e16; the exact total is 10000000000000002.
    // c2 buys 0.1, 0.2, 0.3 and returns 0.3, 0.2, 0.1: exactly 0 (a running Float64 sum leaves 1.1e-16).
    const rows: Array<[string, string, string, number, number]> = [
      ['c1', '1', '2024-01-01T10:00:00', 1, 1e16],
      ['c1', '1', '2024-01-01T10:00:00', 1, 1],
      ['c1', '1', '2024-01-01T10:00:00', 1, 1],
      ['c2', '2', '2024-01-02T10:00:00', 1, 0.1],
      ['c2', '2', '2024-01-02T10:00:00', 1, 0.2],
      ['c2', '2', '2024-01-02T10:00:00', 1, 0.3],
      ['c2', 'C3', '2024-01-03T10:00:00', -1, 0.3],
      ['c2', 'C3', '2024-01-03T10:00:00', -1, 0.2],
      ['c2', 'C3', '2024-01-03T10:00:00', -1, 0.1],
    ];
    const { value: c, warnings } = captureWarnings(() => computeRfm(transactions(rows), { returns: 'net' }));
    const t = byCustomer(c.table);
    expect(t.c1.monetary).toBe(10000000000000002);
    expect(t.c2.monetary).toBe(0);
    expect(c.counts.negativeMonetary).toBe(0);
    expect(warnings).toEqual([]);
    const back = byCustomer(computeRfm(transactions([...rows].reverse()), { returns: 'net' }).table);
    expect([back.c1.monetary, back.c2.monetary]).toEqual([t.c1.monetary, t.c2.monetary]);
  });

  it('still adds up values too large or not finite for exact sums', () => {
    const rows: Array<[string, string, string, number, number]> = [
      ['c1', '1', '2024-01-01T10:00:00', 1, 1e300],
      ['c1', '2', '2024-01-02T10:00:00', 2.5, 2],
      ['c2', '3', '2024-01-02T10:00:00', 1, Infinity],
    ];
    const t = byCustomer(computeRfm(transactions(rows)).table);
    expect(t.c1).toMatchObject({ monetary: 1e300, items: 3.5, frequency: 2 });
    expect(t.c2.monetary).toBe(Infinity);
  });

  it('leaves out rows without a customer, counted and reported', () => {
    const rows: Array<[string | null, string, string, number, number]> = [...FOUR, [null, '9', '2024-01-04T10:00:00', 1, 1]];
    const { value: c, warnings } = captureWarnings(() => computeRfm(transactions(rows)));
    expect(c.counts.missingCustomer).toBe(1);
    expect(c.table.height).toBe(4);
    expect(warnings[0].code).toBe('missing_customer');
  });

  it('names the missing column and the columns it found', () => {
    const e = errorOf(() => computeRfm(transactions(FOUR).drop('date')));
    expect(e.code).toBe('missing_column');
    expect(e.message).toContain('date');
    expect(e.where).toContain('customer_id');
    const s = errorOf(() => computeRfm(transactions(FOUR).withColumns(pl.col('date').cast(pl.Utf8))));
    expect(s.code).toBe('date_not_temporal');
    expect(errorOf(() => computeRfm(transactions(FOUR).head(0))).code).toBe('empty_input');
  });
});

describe('computeRfm on a customer-level table', () => {
  const customers = pl.DataFrame({ id: ['a', 'b', 'c'], days: [3, 10, 0], orders: [2, 1, 5], spend: [50.5, 10, 300], region: ['N', 'S', 'N'] });

  it('maps roles to the canonical names and keeps the other columns after them', () => {
    const c = computeRfm(customers, { columns: { customer: 'id', recency: 'days', frequency: 'orders', monetary: 'spend' }, asOf: '2024-03-01' });
    expect(c.orders).toBe('given');
    expect(c.asOf).toBe('2024-03-01');
    expect(c.table.columns).toEqual(['customer_id', 'recency_days', 'frequency', 'monetary', 'region']);
    expect(c.table.getColumn('monetary').toArray()).toEqual([50.5, 10, 300]);
    expect(c.table.getColumn('recency_days').dtype.variant).toBe('Int32');
  });

  it('is detected from canonical names without a date column', () => {
    const df = customers.rename({ id: 'customer_id', days: 'recency_days', orders: 'frequency', spend: 'monetary' });
    const c = computeRfm(df);
    expect(c.table.height).toBe(3);
    expect(c.asOf).toBe('');
  });

  it('rejects duplicates, gaps and negative recency, pointing at the row', () => {
    const map = { columns: { customer: 'id', recency: 'days', frequency: 'orders', monetary: 'spend' } } as const;
    const dup = errorOf(() => computeRfm(pl.DataFrame({ id: ['a', 'a'], days: [1, 2], orders: [1, 1], spend: [1, 1] }), map));
    expect(dup.code).toBe('duplicate_customer');
    expect(dup.where).toContain('data rows 1, 2');
    const gap = errorOf(() => computeRfm(pl.DataFrame({ id: ['a', 'b'], days: [1, null], orders: [1, 1], spend: [1, 1] }), map));
    expect(gap.code).toBe('missing_values');
    expect(gap.where).toContain('data row 2');
    expect(errorOf(() => computeRfm(pl.DataFrame({ id: ['a', 'b'], days: [1, -2], orders: [1, 1], spend: [1, 1] }), map)).code).toBe('bad_value');
    const { warnings } = captureWarnings(() => computeRfm(pl.DataFrame({ id: ['a', 'b'], days: [1, 2], orders: [1, 1], spend: [1, -1] }), map));
    expect(warnings.map((w) => w.code)).toEqual(['negative_monetary']);
  });
});
