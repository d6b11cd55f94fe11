/** computeRfm on a customer-level table (src/rfm/customers.ts): Int32 columns, as computeRfm itself writes them. */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { computeRfm } from '../../src/rfm';
import { FOUR, captureWarnings, errorOf, transactions } from './fixtures';

const int32 = (name: string, values: number[]): pl.Series => pl.Series(name, Int32Array.from(values), pl.Int32);

describe('computeRfm on a customer table with Int32 columns', () => {
  it('takes its own output back unchanged (R, F, M and the other columns)', () => {
    const first = computeRfm(transactions(FOUR));
    expect(first.table.getColumn('recency_days').dtype.variant).toBe('Int32');
    expect(first.table.getColumn('frequency').dtype.variant).toBe('Int32');
    const { value: again, warnings } = captureWarnings(() => computeRfm(first.table));
    expect(warnings).toEqual([]);
    expect(again.orders).toBe('given');
    expect(again.table.select('customer_id', 'recency_days', 'frequency', 'monetary').toRecords()).toEqual(first.table.select('customer_id', 'recency_days', 'frequency', 'monetary').toRecords());
    expect(again.table.getColumn('tenure_days').toArray()).toEqual(first.table.getColumn('tenure_days').toArray());
  });

  it('still refuses a negative Int32 recency or frequency, naming the row', () => {
    const table = (r: number[], f: number[]): pl.DataFrame => pl.DataFrame([pl.Series('customer_id', ['a', 'b', 'c']), int32('recency_days', r), int32('frequency', f), pl.Series('monetary', [10, 20, 30])]);
    const e = errorOf(() => computeRfm(table([3, -1, 5], [1, 2, 3])));
    expect(e.code).toBe('bad_value');
    expect(e.message).toContain('negative recency');
    expect(e.where).toContain('data row 2');
    expect(errorOf(() => computeRfm(table([3, 1, 5], [1, 2, -4]))).message).toContain('negative frequency');
  });

  it('keeps a negative Int32 monetary value with a warning', () => {
    const df = pl.DataFrame([pl.Series('customer_id', ['a', 'b']), int32('recency_days', [1, 2]), int32('frequency', [1, 1]), int32('monetary', [-5, 7])]);
    const { value, warnings } = captureWarnings(() => computeRfm(df));
    expect(value.table.getColumn('monetary').toArray()).toEqual([-5, 7]);
    expect(value.table.getColumn('monetary').dtype.variant).toBe('Float64');
    expect(warnings.map((w) => w.code)).toContain('negative_monetary');
  });
});
