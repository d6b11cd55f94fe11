/** EDA tables on a hand-made file (eda_small.csv: 8 lines, 3 customers, one cancellation, one line without a customer). */
import path from 'node:path';
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import {
  allMonths,
  cancellations,
  customerTable,
  explore,
  extremeLines,
  histogram,
  missingValues,
  monthlyActivity,
  numericSummary,
  overview,
  qualityTable,
  topCountries,
  topProducts,
  weekdayHour,
  type EdaResult,
} from '../../src/eda';
import { wholeNumberEdges } from '../../src/eda/numeric';
import { setWarningSink } from '../../src/errors';
import { readTransactions } from '../../src/io';
import type { TransactionTable } from '../../src/types';

const FX = path.resolve(__dirname, '..', 'fixtures', 'io');
setWarningSink(() => undefined);
const recs = (df: pl.DataFrame): Array<Record<string, unknown>> => df.toRecords() as Array<Record<string, unknown>>;
const num = (v: unknown): number => Number(v);

let raw: TransactionTable;
let clean: TransactionTable;
beforeAll(async () => {
  raw = await readTransactions(path.join(FX, 'eda_small.csv'));
  clean = cleanTransactions(raw).clean;
});

describe('tables worked out by hand', () => {
  it('overview: 6 clean rows, 3 customers, 5 orders, 3 products, 2 countries, revenue 85', () => {
    const o = recs(overview(clean, raw.df.height))[0];
    expect(o).toMatchObject({ orders_are: 'invoice', first_date: '2021-01-04 10:00', last_date: '2021-03-20 16:00', revenue: 85, avg_order_value: 17 });
    expect([o.rows_read, o.rows, o.customers, o.orders, o.products, o.countries].map(num)).toEqual([8, 6, 3, 5, 3, 2]);
  });

  it('missing values on the raw table: 1 of 8 customer ids', () => {
    const m = recs(missingValues(raw));
    expect(m.find((r) => r.column === 'customer_id')).toMatchObject({ source: 'customer_id', missing_pct: 12.5 });
    expect(num(m.find((r) => r.column === 'customer_id')!.missing)).toBe(1);
    expect(m.find((r) => r.column === 'amount')!.source).toBe('quantity × unit_price');
  });

  it('numeric summary of line amounts 10, 20, 20, 20, 10, 5', () => {
    const s = recs(numericSummary(clean.df, ['amount']))[0];
    expect(num(s.count)).toBe(6);
    expect(s.mean).toBeCloseTo(85 / 6, 10);
    expect(s.sd).toBeCloseTo(Math.sqrt(220.8333333333 / 5), 6);
    expect([s.min, s.p25, s.p50, s.p75, s.max]).toEqual([5, 10, 15, 20, 20]);
  });

  it('monthly revenue, orders, lines, active and new customers', () => {
    const m = recs(monthlyActivity(clean)).map((r) => [r.month, r.revenue, num(r.orders), num(r.lines), num(r.active_customers), num(r.new_customers)]);
    expect(m).toEqual([
      ['2021-01', 50, 2, 3, 2, 2],
      ['2021-02', 20, 1, 1, 1, 0],
      ['2021-03', 15, 2, 2, 1, 1],
    ]);
    expect(allMonths(['2020-11', '2021-02'])).toEqual(['2020-11', '2020-12', '2021-01', '2021-02']);
  });

  it('revenue by weekday and hour (all 168 cells)', () => {
    const t = weekdayHour(clean);
    expect(t.height).toBe(168);
    const cell = (wd: number, h: number): Record<string, unknown> => recs(t.filter(pl.col('weekday').eq(wd).and(pl.col('hour').eq(h))))[0];
    expect(cell(1, 10)).toMatchObject({ weekday_name: 'Mon', revenue: 30 });
    expect(cell(1, 9).revenue).toBe(20);
    expect(cell(2, 11).revenue).toBe(20);
    expect(cell(6, 15).revenue).toBe(10);
    expect(cell(6, 16).revenue).toBe(5);
    expect(num(t.getColumn('revenue').sum())).toBe(85);
  });

  it('top countries by revenue and by customers', () => {
    expect(recs(topCountries(clean)).map((r) => [r.country, r.revenue, num(r.customers), num(r.orders)])).toEqual([
      ['UK', 50, 1, 2],
      ['France', 35, 2, 3],
    ]);
    expect(recs(topCountries(clean, 10, 'customers'))[0].country).toBe('France');
    expect(recs(topCountries(clean))[0].revenue_share).toBeCloseTo(50 / 85, 4);
  });

  it('top products with their description', () => {
    expect(recs(topProducts(clean)).map((r) => [r.product, r.description, r.revenue, num(r.customers), r.quantity])).toEqual([
      ['P2', 'Teapot', 40, 1, 2],
      ['P1', 'Mug', 30, 2, 6],
      ['P3', 'Napkin', 15, 1, 15],
    ]);
    expect(recs(topProducts(clean, 1, 'customers'))[0].product).toBe('P1');
  });

  it('cancellations and returns per month on the raw table', () => {
    const c = recs(cancellations(raw));
    expect(c.map((r) => r.month)).toEqual(['2021-01', '2021-02', '2021-03']);
    const mar = c[2];
    expect([num(mar.lines), num(mar.cancelled_lines), mar.cancel_rate, num(mar.return_lines), mar.return_rate, mar.sales, mar.cancelled_amount]).toEqual([4, 1, 0.25, 1, 0.25, 30, 5]);
    expect(mar.cancelled_share).toBeCloseTo(5 / 30, 4);
    expect(c[0].cancel_rate).toBe(0);
  });

  it('per-customer table', () => {
    const c = recs(customerTable(clean)).map((r) => [r.customer_id, num(r.orders), num(r.lines), r.items, r.revenue, r.avg_order_value]);
    expect(c).toEqual([
      ['c1', 2, 3, 4, 50, 25],
      ['c2', 1, 1, 4, 20, 20],
      ['c3', 2, 2, 15, 15, 7.5],
    ]);
  });

  it('extreme lines by absolute amount on the raw table', () => {
    const e = recs(extremeLines(raw, 4));
    expect(e.map((r) => r.amount)).toEqual([20, 20, 20, 15]);
    expect(e[3].invoice).toBe('1006');
  });

  it('quality table', () => {
    const q = recs(qualityTable(cleanTransactions(raw).quality)).map((r) => [r.rule, num(r.rows)]);
    expect(q[0]).toEqual(['rows_read', 8]);
    expect(q.at(-1)).toEqual(['rows_kept', 6]);
    expect(q.find((r) => r[0] === 'missing_customer_id')).toEqual(['missing_customer_id', -1]);
  });

  it('orders are customer-days without an invoice column', async () => {
    const tx = await readTransactions(path.join(FX, 'eda_small.csv'), { columns: { invoice: null } });
    const c = cleanTransactions(tx, { rules: { cancelled_invoice: false } }).clean;
    // c1 buys on 2021-01-04 (two lines) and 2021-02-01; c2 on 01-05 and (the return is removed as quantity ≤ 0); c3 on 03-06, 03-20
    expect(num(recs(overview(c))[0].orders)).toBe(5);
  });
});

describe('histograms', () => {
  const df = pl.DataFrame({ w: [1, 2, 3, 4], f: [0.1, 0.2, 0.3, 0.4, 1.0].slice(0, 4).concat([1.0]).slice(0, 4), l: [0.1, 1, 10, 100] });
  it('whole numbers: edges at half-units', () => {
    expect(wholeNumberEdges(1, 4, 2, false)).toEqual([0.5, 2.5, 4.5]);
    expect(wholeNumberEdges(1, 3, 10, true)).toEqual([0.5, 1.5, 2.5, 3.5]);
    const h = histogram(df, 'w', { bins: 2 });
    expect(recs(h.table).map((r) => num(r.count))).toEqual([2, 2]);
  });

  it('decimals: equal-width bins', () => {
    const h = histogram(pl.DataFrame({ x: [0.1, 0.2, 0.3, 0.4, 1.0] }), 'x', { bins: 3 });
    expect(recs(h.table).map((r) => num(r.count))).toEqual([3, 1, 1]);
    expect(h.table.getColumn('bin_start').get(0)).toBeCloseTo(0.1, 10);
    expect(h.table.getColumn('bin_end').get(2)).toBeCloseTo(1.0, 10);
  });

  it('log scale leaves out values ≤ 0 and says how many', () => {
    const h = histogram(pl.DataFrame({ x: [0.1, 1, 10, 100, -1, 0, null] }), 'x', { bins: 3, log: true });
    expect(h.excluded).toBe(3);
    expect(h.total).toBe(7);
    expect(recs(h.table).map((r) => num(r.count))).toEqual([1, 1, 2]);
    expect(recs(h.table).map((r) => Math.round(num(r.bin_start) * 1000) / 1000)).toEqual([0.1, 1, 10]);
    expect(df.height).toBe(4);
  });

  it('an empty column gives an empty histogram', () => {
    const h = histogram(pl.DataFrame({ x: pl.Series('x', [null, null], pl.Float64) }), 'x');
    expect(h.table.height).toBe(0);
    expect(h.excluded).toBe(2);
  });
});

describe('explore', () => {
  let r: EdaResult;
  beforeAll(() => {
    r = explore(raw, { top: 5, bins: 10 });
  });

  it('returns every table and chart, consistent with the parts', () => {
    expect(r.quality.rowsKept).toBe(6);
    expect(num(recs(r.overview)[0].rows_read)).toBe(8);
    expect(r.monthly.height).toBe(3);
    expect(r.topCountries.height).toBe(2);
    expect(Object.keys(r.charts)).toEqual([
      'overview', 'missing', 'numeric', 'quantity', 'unit_price', 'amount', 'monthly_revenue', 'monthly_customers', 'weekday_hour',
      'top_countries', 'top_countries_customers', 'top_products', 'top_products_customers', 'cancellations', 'customer_orders',
      'customer_revenue', 'customer_items', 'extreme_lines', 'top_customers',
    ]);
    expect(r.notes.join(' ')).toContain('kept 6 of 8 rows');
  });

  it('charts carry their data inline and are plain JSON', () => {
    const m = r.charts.monthly_revenue as unknown as { data: { values: Array<Record<string, unknown>> } };
    expect(m.data.values.map((v) => v.revenue)).toEqual([50, 20, 15]);
    expect(() => JSON.stringify(r.charts)).not.toThrow();
    expect(JSON.stringify(r.charts)).not.toMatch(/"url"/);
  });

  it('accepts an already-cleaned result and cleaning options', () => {
    const cleaned = cleanTransactions(raw, { rules: { duplicate_row: false } });
    expect(explore(raw, { cleaned }).quality).toBe(cleaned.quality);
    expect(explore(raw, { clean: { rules: { missing_customer_id: false } } }).quality.rowsKept).toBe(7);
  });
});

describe('explore on compact (Categorical) text columns', () => {
  it('gives the same top tables', async () => {
    const compact = await readTransactions(path.join(FX, 'eda_small.csv'), { compact: true });
    const a = explore(raw, { top: 5 });
    const b = explore(compact, { top: 5 });
    expect(recs(b.topProducts)).toEqual(recs(a.topProducts));
    expect(recs(b.topCountries)).toEqual(recs(a.topCountries));
    expect(recs(b.monthly)).toEqual(recs(a.monthly));
  });
});
