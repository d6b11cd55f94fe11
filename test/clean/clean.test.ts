/** cleanTransactions on hand-made fixtures: each rule's count worked out by hand. */
import path from 'node:path';
import pl from 'nodejs-polars';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { setWarningSink } from '../../src/errors';
import { readTransactions } from '../../src/io';
import type { TransactionTable } from '../../src/types';

const FX = path.resolve(__dirname, '..', 'fixtures', 'io');
setWarningSink(() => undefined);

/** Build a TransactionTable directly from rows (canonical columns). */
function table(rows: Array<Partial<Record<string, unknown>>>, orders: 'invoice' | 'customer-day' = 'invoice'): TransactionTable {
  const df = pl.DataFrame({
    customer_id: pl.Series('customer_id', rows.map((r) => (r.customer_id ?? null) as string | null), pl.Utf8),
    invoice: pl.Series('invoice', rows.map((r) => (r.invoice ?? null) as string | null), pl.Utf8),
    date: pl.Series('date', rows.map((r) => new Date((r.date as string) ?? '2011-01-01T00:00:00Z')), pl.Datetime('ms')),
    quantity: pl.Series('quantity', rows.map((r) => ('quantity' in r ? r.quantity : 1) as number | null), pl.Float64),
    unit_price: pl.Series('unit_price', rows.map((r) => (r.unit_price === undefined ? 1 : r.unit_price) as number | null), pl.Float64),
    amount: pl.Series('amount', rows.map((r) => (r.amount ?? (Number(r.quantity ?? 1) * Number(r.unit_price ?? 1))) as number), pl.Float64),
    product: pl.Series('product', rows.map((r) => (r.product ?? null) as string | null), pl.Utf8),
    description: pl.Series('description', rows.map(() => null), pl.Utf8),
    country: pl.Series('country', rows.map(() => null), pl.Utf8),
  });
  return { df, source: { path: 'mem', format: 'csv', compressed: false, rowsRead: df.height, columns: [] }, mapping: { customer: 'c', date: 'd', unitPrice: 'p' }, orders, warnings: [] };
}

describe('default rules on uci_small.csv (12 rows)', () => {
  let tx: TransactionTable;
  beforeAll(async () => {
    tx = await readTransactions(path.join(FX, 'uci_small.csv'));
  });

  it('counts each rule among the rows still present, in order', () => {
    const { quality, clean } = cleanTransactions(tx);
    // rows 4 and 6 have no customer; 5 is C536379; 7 has quantity 0; 9 has price 0; 3 and 12 repeat row 2
    expect(quality.rules.map((r) => [r.rule, r.removed])).toEqual([
      ['missing_customer_id', 2],
      ['cancelled_invoice', 1],
      ['nonpositive_quantity', 1],
      ['nonpositive_unit_price', 1],
      ['duplicate_row', 2],
    ]);
    expect(quality.removed).toEqual({ missing_customer_id: 2, cancelled_invoice: 1, nonpositive_quantity: 1, nonpositive_unit_price: 1, duplicate_row: 2 });
    expect(quality.rowsRead).toBe(12);
    expect(quality.rowsKept).toBe(5);
    expect(clean.df.height).toBe(5);
    expect(clean.df.getColumn('product').toArray()).toEqual(['85123A', '71053', 'POST', '22,A', '84879']);
    expect(quality.dateRange).toEqual({ first: '2010-12-01T08:26:00', last: '2011-01-06T14:00:00' });
    expect(clean.df.columns).toEqual(tx.df.columns);
  });

  it('does not change its input', () => {
    cleanTransactions(tx);
    expect(tx.df.height).toBe(12);
  });

  it('a rule turned off is not run and not listed; later rules then see those rows', () => {
    const { quality } = cleanTransactions(tx, { rules: { missing_customer_id: false } });
    expect(quality.removed.missing_customer_id).toBeUndefined();
    // row 6 (no customer, qty -3) now falls to the quantity rule, row 4 is kept
    expect(quality.removed).toEqual({ cancelled_invoice: 1, nonpositive_quantity: 2, nonpositive_unit_price: 1, duplicate_row: 2 });
    expect(quality.rowsKept).toBe(6);
  });

  it('order changes attribution, not the rows kept', () => {
    const a = cleanTransactions(tx);
    const b = cleanTransactions(tx, { order: ['nonpositive_quantity', 'duplicate_row'] });
    expect(b.quality.rules.map((r) => r.rule).slice(0, 3)).toEqual(['nonpositive_quantity', 'duplicate_row', 'missing_customer_id']);
    // row 6 (qty -3, no customer) and the cancellation (qty -1) now count as quantity
    expect(b.quality.removed.nonpositive_quantity).toBe(3);
    expect(b.quality.removed.missing_customer_id).toBe(1);
    expect(b.quality.removed.cancelled_invoice).toBe(0);
    expect(b.quality.rowsKept).toBe(a.quality.rowsKept);
  });

  it('non-product codes (optional, editable list, prefixes with *)', () => {
    const on = cleanTransactions(tx, { rules: { non_product_code: true } });
    expect(on.quality.removed.non_product_code).toBe(1); // POST
    expect(on.quality.rowsKept).toBe(4);
    const custom = cleanTransactions(tx, { nonProductCodes: ['8487*', 'post'] });
    expect(custom.quality.removed.non_product_code).toBe(2); // 84879 and POST (case-insensitive)
  });

  it('date window (inclusive whole days)', () => {
    const r = cleanTransactions(tx, { dateWindow: { from: '2010-12-02', to: '2011-01-05' } });
    // of the 5 kept by the defaults, the two 2010-12-01 lines and 2011-01-06 are outside
    expect(r.quality.removed.date_window).toBe(3);
    expect(r.clean.df.getColumn('product').toArray()).toEqual(['POST', '22,A']);
    expect(r.quality.rules.at(-1)!.label).toContain('2010-12-02 to 2011-01-05');
  });

  it('the invariant read = kept + Σ removed holds for every combination tried', () => {
    for (const o of [{}, { rules: { duplicate_row: false } }, { outlier: { method: 'iqr' as const, k: 1.5 } }, { rules: { non_product_code: true }, dateWindow: { from: '2011-01-01' } }]) {
      const q = cleanTransactions(tx, o).quality;
      expect(q.rowsKept + q.rules.reduce((s, r) => s + r.removed, 0)).toBe(q.rowsRead);
    }
  });
});

describe('rules on synthetic tables', () => {
  it('cancelled invoices: only those starting with the prefix; null invoices kept', () => {
    const t = table([{ customer_id: 'a', invoice: 'C1' }, { customer_id: 'a', invoice: 'A1' }, { customer_id: 'a', invoice: null }, { customer_id: 'a', invoice: 'xC' }], 'customer-day');
    const r = cleanTransactions(t, { rules: { duplicate_row: false } });
    expect(r.quality.removed.cancelled_invoice).toBe(1);
    expect(r.quality.warnings.map((w) => w.code)).toContain('no_invoice_column');
    expect(cleanTransactions(t, { cancelPrefix: 'A', rules: { duplicate_row: false } }).quality.removed.cancelled_invoice).toBe(1);
  });

  it('missing quantity or price counts as non-positive', () => {
    const t = table([
      { customer_id: 'a', invoice: '1', quantity: 2, unit_price: 1 },
      { customer_id: 'a', invoice: '2', quantity: null as unknown as number, unit_price: 1, amount: 0 },
      { customer_id: 'a', invoice: '3', quantity: 1, unit_price: null, amount: 1 },
      { customer_id: 'a', invoice: '4', quantity: 1, unit_price: -2 },
    ]);
    const q = cleanTransactions(t).quality;
    expect(q.removed.nonpositive_quantity).toBe(1);
    expect(q.removed.nonpositive_unit_price).toBe(2);
  });

  it('without a unit price column the price rule judges the line amount', () => {
    const t = table([
      { customer_id: 'a', invoice: '1', unit_price: null, amount: 5 },
      { customer_id: 'a', invoice: '2', unit_price: null, amount: 0 },
      { customer_id: 'a', invoice: '3', unit_price: null, amount: -1 },
    ]);
    t.mapping = { customer: 'c', date: 'd', amount: 'a' };
    const q = cleanTransactions(t).quality;
    expect(q.removed.nonpositive_unit_price).toBe(2);
    expect(q.rules.find((r) => r.rule === 'nonpositive_unit_price')!.label).toBe('Line amount missing or ≤ 0');
  });

  it('duplicates: first kept, later identical rows removed; differing in one field is not a duplicate', () => {
    const t = table([
      { customer_id: 'a', invoice: '1', quantity: 2 },
      { customer_id: 'a', invoice: '1', quantity: 2 },
      { customer_id: 'a', invoice: '1', quantity: 3 },
      { customer_id: 'a', invoice: '1', quantity: 2 },
      { customer_id: 'b', invoice: '1', quantity: 2 },
    ]);
    const r = cleanTransactions(t);
    expect(r.quality.removed.duplicate_row).toBe(2);
    expect(r.clean.df.getColumn('quantity').toArray()).toEqual([2, 3, 2]);
  });

  it('outliers: quantile fence computed on the rows still present; IQR fence', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ customer_id: 'a', invoice: String(i), quantity: i + 1, unit_price: 1 }));
    rows.push({ customer_id: 'a', invoice: 'x', quantity: 10_000, unit_price: 1 });
    const t = table(rows);
    const q = cleanTransactions(t, { outlier: { by: 'quantity', upper: 0.99 } }).quality;
    // 101 values 1..100, 10000: the 0.99 quantile lies between 100 and 10000, so only 10000 is beyond it
    expect(q.removed.outlier_line).toBe(1);
    expect(q.rules.at(-1)!.label).toMatch(/quantity > [\d,.]+; 99\.0th percentile/);
    // IQR on 1..100 + 10000: Q1 = 26, Q3 = 76, fence 76 + 1.5·50 = 151 → only 10000 beyond
    const iqr = cleanTransactions(t, { outlier: { by: 'quantity', method: 'iqr', k: 1.5 } }).quality;
    expect(iqr.removed.outlier_line).toBe(1);
    expect(iqr.rules.at(-1)!.label).toContain('> 151');
    const both = cleanTransactions(t, { outlier: { by: 'amount', method: 'iqr', k: 0.5, side: 'both' } }).quality;
    // fences 26 − 25 = 1 and 76 + 25 = 101: only 10000 is outside (1 is on the fence)
    expect(both.removed.outlier_line).toBe(1);
  });

  it('rejects unknown rules and bad outlier settings', () => {
    const t = table([{ customer_id: 'a', invoice: '1' }]);
    expect(() => cleanTransactions(t, { rules: { nope: true } as never })).toThrow(/unknown cleaning rule/);
    expect(() => cleanTransactions(t, { outlier: { upper: 2 } })).toThrow(/out of range/);
    expect(() => cleanTransactions(t, { rules: { date_window: true } })).toThrow(/no window/);
    expect(() => cleanTransactions(t, { dateWindow: { from: 'yesterday' } })).toThrow(/cannot read the date/);
  });
});

describe('rule order edge cases', () => {
  it('outliers first, or only duplicates, still count correctly', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ customer_id: 'a', invoice: String(i % 10), quantity: i % 10 === 9 ? 1000 : 1 }));
    const t = table(rows);
    const a = cleanTransactions(t, { rules: { missing_customer_id: false, cancelled_invoice: false, nonpositive_quantity: false, nonpositive_unit_price: false }, order: ['outlier_line'], outlier: { by: 'quantity', method: 'iqr', k: 1.5 } });
    expect(a.quality.rules.map((r) => r.rule)).toEqual(['outlier_line', 'duplicate_row']);
    expect(a.quality.removed).toEqual({ outlier_line: 2, duplicate_row: 9 });
    const b = cleanTransactions(t, { rules: { missing_customer_id: false, cancelled_invoice: false, nonpositive_quantity: false, nonpositive_unit_price: false } });
    expect(b.quality.removed).toEqual({ duplicate_row: 10 });
    expect(b.quality.rowsKept).toBe(10);
  });
});
