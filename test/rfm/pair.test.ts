/**
 * computeRfmPair: R, F, M at two dates of one transactions table, in one pass where it can. Each date's
 * result must be exactly computeRfm's (table, counts, warnings); `rows` places the earlier customers in
 * the later table. Hand-made straddling invoices, tables without invoices and net returns take the
 * two-pass route, with the same results.
 */
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { readTransactions } from '../../src/io';
import { computeRfm, type CustomerRfm } from '../../src/rfm';
import { computeRfmPair } from '../../src/rfm/compute';
import type { ComputeOptions } from '../../src/rfm';
import type { TransactionTable } from '../../src/types';
import { SAMPLE } from '../helpers/shared';
import { FOUR, captureWarnings, errorOf, transactions } from './fixtures';

/** computeRfmPair against two computeRfm calls: every field equal. */
function expectSame(input: TransactionTable | pl.DataFrame, dates: [string, string], options: Omit<ComputeOptions, 'asOf'> = {}): ReturnType<typeof computeRfmPair> {
  const { value: pair, warnings: pw } = captureWarnings(() => computeRfmPair(input, dates, options));
  const { value: two, warnings: tw } = captureWarnings(() => [computeRfm(input, { ...options, asOf: dates[0] }), computeRfm(input, { ...options, asOf: dates[1] })] as CustomerRfm[]);
  for (const [got, want] of [[pair.before, two[0]], [pair.after, two[1]]] as const) {
    expect(got.table.columns).toEqual(want.table.columns);
    expect(got.table.dtypes.map(String)).toEqual(want.table.dtypes.map(String));
    expect(got.table.frameEqual(want.table, true), `table as of ${want.asOf}`).toBe(true);
    expect(got.counts).toEqual(want.counts);
    expect(got.warnings).toEqual(want.warnings);
    expect([got.asOf, got.orders, got.returns]).toEqual([want.asOf, want.orders, want.returns]);
  }
  expect(pw.map((w) => w.code).sort()).toEqual(tw.map((w) => w.code).sort());
  if (pair.rows) {
    const ids = pair.after.table.getColumn('customer_id').toArray();
    expect((pair.rows.toArray() as number[]).map((i) => ids[i])).toEqual(pair.before.table.getColumn('customer_id').toArray());
  }
  return pair;
}

describe('computeRfmPair on the sample (read and cleaned)', () => {
  let clean: TransactionTable;
  let raw: TransactionTable;
  beforeAll(async () => {
    raw = await readTransactions(SAMPLE);
    clean = cleanTransactions(raw).clean;
  }, 60_000);

  it('gives exactly computeRfm at both dates, in one pass', () => {
    for (const dates of [['2011-06-30', '2011-12-10'], ['2010-12-02', '2011-01-15'], ['2011-03-01', '2011-09-01'], ['2011-11-30', '2011-12-01']] as Array<[string, string]>) {
      expect(expectSame(clean, dates).rows, dates.join(' → ')).toBeDefined();
    }
  });

  it('also on the raw lines (cancellations, missing ids) and with returns netted when there are none', () => {
    expect(expectSame(raw, ['2011-06-30', '2011-12-10']).rows).toBeDefined();
    expect(expectSame(clean, ['2011-06-30', '2011-12-10'], { returns: 'net' }).rows).toBeDefined();
  });

  it('nets returns in two passes (the returns join is per date)', () => {
    expect(expectSame(raw, ['2011-06-30', '2011-12-10'], { returns: 'net' }).rows).toBeUndefined();
  });
});

describe('computeRfmPair on hand-made lines', () => {
  it('one pass on FOUR: c1, c2 and c4 had bought by 01-04, c3 had not', () => {
    const p = expectSame(transactions(FOUR), ['2024-01-04', '2024-01-11']);
    expect(p.rows).toBeDefined();
    expect(p.before.table.getColumn('customer_id').toArray()).toEqual(['c1', 'c2', 'c4']);
    expect(p.before.table.select('frequency', 'monetary').toRecords()).toEqual([{ frequency: 1, monetary: 10 }, { frequency: 1, monetary: 100 }, { frequency: 1, monetary: 7 }]);
  });

  it('an invoice with lines on both sides of the earlier date: two passes, same results', () => {
    const rows: typeof FOUR = [...FOUR, ['c2', '7', '2024-01-04T23:00:00', 1, 1], ['c2', '7', '2024-01-05T01:00:00', 1, 1], ['c2', '7', '2024-01-04T23:30:00', 1, 1]];
    const p = expectSame(transactions(rows), ['2024-01-04', '2024-01-11']);
    expect(p.rows).toBeUndefined();
    expect(p.before.table.filter(pl.col('customer_id').eq(pl.lit('c2'))).toRecords()[0]).toMatchObject({ frequency: 2, monetary: 102 });
  });

  it('no invoice column (orders are customer-days): two passes, same results', () => {
    expect(expectSame(transactions(FOUR, false), ['2024-01-04', '2024-01-11']).rows).toBeUndefined();
  });

  it('an earlier date before the first line fails as computeRfm does', () => {
    const e = errorOf(() => computeRfmPair(transactions(FOUR), ['2023-12-01', '2024-01-11']));
    expect(e.code).toBe('as_of_before_data');
  });
});
