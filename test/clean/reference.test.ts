/**
 * The default cleaning rules on the real UCI Online Retail file must reproduce the pandas figures in
 * ../shared/reference/online_retail_rfm_summary.json exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { setWarningSink } from '../../src/errors';
import { readTransactions } from '../../src/io';
import type { CleanResult, TransactionTable } from '../../src/types';
import { HAS_SHARED, reference, sharedData } from '../helpers/shared';

interface Ref {
  rows_read: number;
  removed: Record<string, number>;
  rows_kept: number;
}

describe.skipIf(!HAS_SHARED)('online_retail.csv.gz: cleaning matches the reference exactly', () => {
  let tx: TransactionTable;
  let result: CleanResult;
  const ref = HAS_SHARED ? reference<Ref>('online_retail_rfm_summary.json') : ({} as Ref);

  beforeAll(async () => {
    setWarningSink(() => undefined);
    tx = await readTransactions(sharedData('online_retail.csv.gz'));
    result = cleanTransactions(tx);
  }, 120_000);

  it('reads every row, with the documented quirks', () => {
    expect(tx.source.rowsRead).toBe(ref.rows_read);
    expect(tx.source.sha256).toBe('737745256ddb4410bfe4e29f2dcb72329b7486e584837f1e84f9a07416cf7d45');
    expect(tx.df.getColumn('customer_id').nullCount()).toBe(135_080);
    expect(tx.df.getColumn('customer_id').nUnique()).toBe(4_372 + 1); // + null
    expect(tx.df.getColumn('invoice').nUnique()).toBe(25_900);
    expect(Number(tx.df.getColumn('quantity').sum())).toBe(5_176_450);
    expect(Number(tx.df.getColumn('amount').sum())).toBeCloseTo(9_747_747.93, 1);
    expect(tx.df.getColumn('customer_id').toArray().slice(0, 1)).toEqual(['17850']);
  });

  it('removed per rule, in order, and rows kept', () => {
    expect(result.quality.removed).toEqual(ref.removed);
    expect(result.quality.rules.map((r) => r.rule)).toEqual(Object.keys(ref.removed));
    expect(result.quality.rowsRead).toBe(ref.rows_read);
    expect(result.quality.rowsKept).toBe(ref.rows_kept);
    expect(result.clean.df.height).toBe(ref.rows_kept);
    expect(result.quality.dateRange).toEqual({ first: '2010-12-01T08:26:00', last: '2011-12-09T12:50:00' });
  });

  it('the usual RFM cleaning (customer, quantity > 0, price > 0) keeps 397,884 rows before de-duplication', () => {
    const q = cleanTransactions(tx, { rules: { duplicate_row: false } }).quality;
    expect(q.rowsKept).toBe(397_884);
  });
});
