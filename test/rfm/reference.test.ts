/**
 * RFM on the real UCI Online Retail data with the defaults must reproduce
 * ../shared/reference/online_retail_rfm_summary.json exactly (computed independently with pandas).
 */
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { readTransactions } from '../../src/io';
import { rfm, segmentSummary, type RfmRun } from '../../src/rfm';
import { HAS_SHARED, reference, sharedData } from '../helpers/shared';
import { captureWarnings } from './fixtures';

interface RfmReference {
  rows_kept: number;
  as_of: string;
  customers: number;
  sum_monetary: number;
  mean_recency_days: number;
  sum_frequency: number;
  score_counts: Record<'r_score' | 'f_score' | 'm_score', Record<string, number>>;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

describe.skipIf(!HAS_SHARED)('RFM on online_retail.csv.gz matches the reference', () => {
  let result: RfmRun;
  let rowsKept: number;
  const ref = HAS_SHARED ? reference<RfmReference>('online_retail_rfm_summary.json') : (undefined as unknown as RfmReference);

  beforeAll(async () => {
    const tx = await readTransactions(sharedData('online_retail.csv.gz'));
    const { clean, quality } = cleanTransactions(tx);
    rowsKept = quality.rowsKept;
    result = captureWarnings(() => rfm(clean)).value;
  }, 120_000);

  it('cleans to the same rows and analysis date', () => {
    expect(rowsKept).toBe(ref.rows_kept);
    expect(result.asOf).toBe(ref.as_of);
  });

  it('has the same customers, Σ monetary, mean recency and Σ frequency', () => {
    const t = result.table;
    expect(t.height).toBe(ref.customers);
    expect(round(t.getColumn('monetary').sum() as number, 2)).toBe(ref.sum_monetary);
    expect(round(t.getColumn('recency_days').mean() as number, 4)).toBe(ref.mean_recency_days);
    expect(t.getColumn('frequency').sum()).toBe(ref.sum_frequency);
  });

  it('has the same score counts', () => {
    for (const col of ['r_score', 'f_score', 'm_score'] as const) {
      const counts = result.table.groupBy(col).agg(pl.len().alias('n')).sort(col).toRecords() as Array<Record<string, number>>;
      expect(Object.fromEntries(counts.map((c) => [String(c[col]), c.n])), col).toEqual(ref.score_counts[col]);
    }
  });

  it('gives every customer a named segment and a summary that adds up', () => {
    expect(result.others).toBe(0);
    const s = segmentSummary(result);
    expect(s.getColumn('customers').sum()).toBe(ref.customers);
    expect(s.getColumn('orders').sum()).toBe(ref.sum_frequency);
    expect(round(s.getColumn('revenue').sum() as number, 2)).toBe(ref.sum_monetary);
    const revenue = s.getColumn('revenue').toArray() as number[];
    expect([...revenue].sort((a, b) => b - a)).toEqual(revenue);
  });
});
