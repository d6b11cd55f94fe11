/** Hand-made transaction tables for the EDA tests (every expected number is worked out in the tests). */
import pl from 'nodejs-polars';
import type { TransactionTable } from '../../src/types';

/** One line: date as 'YYYY-MM-DD HH:MM' (UTC); quantity 1, so unit price = amount; description = product. */
export interface HandLine {
  customer: string | null;
  invoice: string | null;
  date: string;
  amount: number;
  product: string | null;
  country: string | null;
}

/** A cleaned TransactionTable of `lines`; with `compact`, the text columns as Categorical (as `compact: true` reads them). */
export function handTable(lines: HandLine[], compact = false): TransactionTable {
  const text = (name: string, values: Array<string | null>): pl.Series => {
    const s = pl.Series(name, values, pl.Utf8);
    return compact ? s.cast(pl.Categorical) : s;
  };
  const df = pl.DataFrame({
    customer_id: text('customer_id', lines.map((l) => l.customer)),
    invoice: text('invoice', lines.map((l) => l.invoice)),
    date: pl.Series('date', lines.map((l) => Date.parse(`${l.date}:00Z`)), pl.Float64).cast(pl.Int64).cast(pl.Datetime('ms')),
    quantity: pl.Series('quantity', lines.map(() => 1), pl.Float64),
    unit_price: pl.Series('unit_price', lines.map((l) => l.amount), pl.Float64),
    amount: pl.Series('amount', lines.map((l) => l.amount), pl.Float64),
    product: text('product', lines.map((l) => l.product)),
    description: text('description', lines.map((l) => l.product)),
    country: text('country', lines.map((l) => l.country)),
  });
  return {
    df,
    source: { path: 'hand-made', format: 'csv', compressed: false, rowsRead: lines.length, columns: [] },
    mapping: { customer: 'c', invoice: 'i', date: 'd', unitPrice: 'p', product: 'p', description: 'd', country: 'n', quantity: 'q' },
    orders: 'invoice',
    warnings: [],
  };
}

export const recs = (df: pl.DataFrame): Array<Record<string, unknown>> => df.toRecords() as Array<Record<string, unknown>>;
export const n = (v: unknown): number => Number(v);
