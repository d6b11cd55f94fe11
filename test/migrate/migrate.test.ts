/**
 * migrate on a hand-worked fixture (test/fixtures/migrate/transactions.csv), as-of 2024-03-31 → 2024-06-30,
 * scored with breaks recency [30, 60, 90, 180] days, frequency [2, 3, 4, 5], monetary [100, 200, 500, 1000]:
 *
 *   1001  5 × £300 by 03-25              R5 F5 M5 Champions        → 97 days: R2 F5 M5 Loyal Customers  (down)
 *   1002  1 × £50 on 03-20               R5 F1 M1 New Customers    → +4 × £300, last 06-29: 555 Champions (up)
 *   1003  first order 05-01, £80         (new)                      → 60 days: R3 F1 M1 Promising        (new)
 *   1004  £20 on 2023-06-01              R1 F1 M1 Lost             → Lost                                (stayed)
 *   1005  2 × £150 in Dec 2023           107 days: R2 F2 M3 Need Attention → 198 days: R1 F2 M3 At Risk (down)
 *   1006  £50 on 2023-12-01              121 days: R2 F1 M1 About To Sleep → 212 days: R1 F1 M1 Lost   (down, lapsed)
 */
import path from 'node:path';
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { neutraliseFormulas, readTransactions } from '../../src/io';
import { GONE, NEW, STANDARD_ORDER, migrate, migrateAsOf, moversTable, type Migration } from '../../src/migrate';
import { SEGMENT_ORDER } from '../../src/charts/theme';
import { computeRfm, type Breaks } from '../../src/rfm';
import type { TransactionTable } from '../../src/types';
import { ROOT } from '../helpers/shared';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'migrate', 'transactions.csv');
const BREAKS: Breaks = { recency: [30, 60, 90, 180], frequency: [2, 3, 4, 5], monetary: [100, 200, 500, 1000] };
const DATES: [string, string] = ['2024-03-31', '2024-06-30'];

let clean: TransactionTable;
let m: Migration;
beforeAll(async () => {
  clean = cleanTransactions(await readTransactions(FIXTURE)).clean;
  m = migrateAsOf(clean, DATES, { method: 'breaks', breaks: BREAKS });
});

const cell = (x: Migration, from: string, to: string): number => x.counts[x.rows.indexOf(from)][x.columns.indexOf(to)];

describe('migrate: hand-worked fixture', () => {
  it('puts every customer where the hand-worked scores say', () => {
    const rows = m.customers.select('customer_id', 'segment_before', 'segment_after', 'move', 'rfm_code_before', 'rfm_code_after').toRecords();
    expect(rows).toEqual([
      { customer_id: '1001', segment_before: 'Champions', segment_after: 'Loyal Customers', move: 'down', rfm_code_before: '555', rfm_code_after: '255' },
      { customer_id: '1002', segment_before: 'New Customers', segment_after: 'Champions', move: 'up', rfm_code_before: '511', rfm_code_after: '555' },
      { customer_id: '1003', segment_before: NEW, segment_after: 'Promising', move: 'new', rfm_code_before: null, rfm_code_after: '311' },
      { customer_id: '1004', segment_before: 'Lost', segment_after: 'Lost', move: 'stayed', rfm_code_before: '111', rfm_code_after: '111' },
      { customer_id: '1005', segment_before: 'Need Attention', segment_after: 'At Risk', move: 'down', rfm_code_before: '223', rfm_code_after: '123' },
      { customer_id: '1006', segment_before: 'About To Sleep', segment_after: 'Lost', move: 'down', rfm_code_before: '211', rfm_code_after: '111' },
    ]);
    expect(m.asOf).toEqual({ before: '2024-03-31', after: '2024-06-30' });
    expect(m.customers.getColumn('monetary_before').toArray()).toEqual([1500, 50, null, 20, 300, 50]);
    expect(m.customers.getColumn('monetary_after').toArray()).toEqual([1500, 1250, 80, 20, 300, 50]);
  });

  it('builds the matrix with (new) as a row and no (gone) column when nobody left the table', () => {
    expect(m.rows[0]).toBe(NEW);
    expect(m.columns).not.toContain(GONE);
    expect(m.order).toEqual([...STANDARD_ORDER]);
    expect(cell(m, 'Champions', 'Loyal Customers')).toBe(1);
    expect(cell(m, 'New Customers', 'Champions')).toBe(1);
    expect(cell(m, NEW, 'Promising')).toBe(1);
    expect(cell(m, 'Lost', 'Lost')).toBe(1);
    expect(cell(m, 'About To Sleep', 'Lost')).toBe(1);
    expect(m.counts.flat().reduce((a, b) => a + b, 0)).toBe(6);
    expect(m.revenueBefore[m.rows.indexOf('Champions')][m.columns.indexOf('Loyal Customers')]).toBe(1500);
    expect(m.revenueAfter[m.rows.indexOf('New Customers')][m.columns.indexOf('Champions')]).toBe(1250);
    expect(m.revenueAfter[0][m.columns.indexOf('Promising')]).toBe(80);
    expect(m.totals).toEqual({ before: 5, after: 6, both: 5, new: 1, gone: 0, stayed: 1, up: 1, down: 3, lapsed: 1 });
  });

  it('counts stayed / up / down per segment in customers and revenue', () => {
    const by = Object.fromEntries(m.segments.map((s) => [s.segment, s]));
    expect(by['Champions']).toMatchObject({ before: 1, after: 1, stayed: 0, movedDown: 1, movedDownRevenue: 1500, cameUp: 1, net: 0, revenueBefore: 1500, revenueAfter: 1250 });
    expect(by['Lost']).toMatchObject({ before: 1, after: 2, stayed: 1, stayedRevenue: 20, cameDown: 1, cameUp: 0, net: 1 });
    expect(by['Promising']).toMatchObject({ before: 0, after: 1, cameNew: 1, net: 1 });
    expect(by['New Customers']).toMatchObject({ before: 1, after: 0, movedUp: 1, movedUpRevenue: 50, net: -1 });
  });

  it('words the flows, most customers then most revenue first', () => {
    expect(m.flows.map((f) => f.text)).toEqual([
      '1 customer of Champions (£1.5k last period) is now Loyal Customers',
      '1 customer of New Customers (£50 last period) is now Champions',
      '1 customer of Need Attention (£300 last period) is now At Risk',
      '1 customer of About To Sleep (£50 last period) is now Lost',
      '1 customer with no purchase by 2024-03-31 is now Promising (£80 to date)',
    ]);
    expect(m.flows.map((f) => f.move)).toEqual(['down', 'up', 'down', 'down', 'new']);
  });

  it("re-scores each period with thresholds: 'each' and says so", () => {
    const each = migrateAsOf(clean, DATES, { thresholds: 'each' });
    expect(each.thresholdPolicy).toBe('each');
    expect(each.warnings.map((w) => w.code)).toContain('thresholds_each');
    expect(m.warnings.map((w) => w.code)).not.toContain('thresholds_each');
  });

  it('keeps the standard order equal to the charts reading order', () => {
    expect([...STANDARD_ORDER, 'Others']).toEqual([...SEGMENT_ORDER]);
  });
});

describe('migrate: two customer tables', () => {
  const table = (rows: Array<[string, number, number, number]>): pl.DataFrame =>
    pl.DataFrame({ customer_id: rows.map((r) => r[0]), recency_days: rows.map((r) => r[1]), frequency: rows.map((r) => r[2]), monetary: rows.map((r) => r[3]) });

  it('sends customers missing from the second table to (gone), and conserves customers', () => {
    const a = table([['a', 5, 5, 2000], ['b', 100, 2, 300], ['c', 400, 1, 10]]);
    const b = table([['a', 10, 6, 2500], ['d', 3, 1, 40]]);
    const x = migrate(a, b, { method: 'breaks', breaks: BREAKS });
    expect(x.columns.at(-1)).toBe(GONE);
    expect(x.totals).toMatchObject({ before: 3, after: 2, both: 1, new: 1, gone: 2 });
    expect(x.customers.filter(pl.col('move').eq(pl.lit('gone'))).getColumn('customer_id').toArray()).toEqual(['b', 'c']);
    expect(x.flows.find((f) => f.to === GONE && f.from === 'Lost')?.text).toBe('1 customer of Lost (£10 last period) is not in the second customer table');
  });

  it('refuses ids of different types, ids that differ by zero padding, dates in the wrong order', () => {
    const a = table([['00123', 5, 5, 2000], ['00124', 5, 1, 20]]);
    const b = table([['123', 5, 5, 2000], ['124', 5, 1, 20]]);
    expect(() => migrate(a, b)).toThrow(/leading zeros/);
    const numeric = pl.DataFrame({ customer_id: [123, 124], recency_days: [5, 5], frequency: [5, 1], monetary: [2000, 20] });
    expect(() => migrate(b, numeric)).toThrow(/(Utf8|String) before and (Float64|Int64) after/);
    expect(() => migrate(a.drop('monetary'), b)).toThrow(/before table has no monetary column/);
    expect(() => migrateAsOf(clean, ['2024-06-30', '2024-03-31'])).toThrow(/first as-of date \(2024-06-30\) must be before the second/);
    expect(() => migrateAsOf(clean, ['2024-03-31', '2024-03-31'])).toThrow(/must be before/);
    expect(() => migrateAsOf(clean, ['2024-03-31', '2024-08-01'])).toThrow(/past the data, whose last purchase is on 2024-06-29/);
    expect(() => migrate(computeRfm(clean, { asOf: DATES[0] }), computeRfm(clean, { asOf: DATES[1] }), { order: ['Champs'] })).toThrow(
      expect.objectContaining({ code: 'unknown_segment', hint: expect.stringContaining('did you mean "Champions"') }),
    );
  });
});

describe('moversTable', () => {
  it('neutralises cells a spreadsheet would run as formulas, and leaves numbers alone', () => {
    const df = pl.DataFrame({ customer_id: ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tx', '\rx', 'ok', "'=x"], monetary: [1, 2, 3, 4, 5, 6, 7, 8] });
    const safe = neutraliseFormulas(df);
    expect(safe.getColumn('customer_id').toArray()).toEqual(["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", 'ok', "'=x"]);
    expect(safe.getColumn('monetary').toArray()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('filters to the moves asked for', () => {
    const down = moversTable(m, { moves: ['down'] });
    expect(down.getColumn('customer_id').toArray()).toEqual(['1001', '1005', '1006']);
  });

  it('neutralises hostile segment names from a custom rule table in the export', () => {
    const rules = { rules: [{ segment: '=cmd|calc', r: [4, 5] as [number, number] }, { segment: 'Rest' }] };
    const x = migrateAsOf(clean, DATES, { method: 'breaks', breaks: BREAKS, rules });
    const out = moversTable(x);
    expect(out.getColumn('segment_before').toArray()).toContain("'=cmd|calc");
    expect(out.getColumn('segment_before').toArray().every((s) => !/^[=+\-@]/.test(String(s)))).toBe(true);
  });
});
