/** Hand-made transaction tables for the RFM tests (every expected number is worked out in the test). */
import pl from 'nodejs-polars';
import { setWarningSink, type SegkitWarning } from '../../src/errors';

const d = (s: string): Date => new Date(`${s}Z`);

/** Canonical columns from rows [customer, invoice, 'YYYY-MM-DDTHH:MM:SS', quantity, unit_price]. */
export function transactions(rows: Array<[string | null, string | null, string, number, number]>, withInvoice = true): pl.DataFrame {
  const cols: Record<string, unknown[]> = {
    customer_id: rows.map((r) => r[0]),
    date: rows.map((r) => d(r[2])),
    quantity: rows.map((r) => r[3]),
    unit_price: rows.map((r) => r[4]),
    amount: rows.map((r) => r[3] * r[4]),
  };
  if (withInvoice) cols.invoice = rows.map((r) => r[1]);
  return pl.DataFrame(cols).withColumns(pl.col('date').cast(pl.Datetime('ms')), pl.col('customer_id').cast(pl.Utf8));
}

/**
 * Four customers, last transaction 2024-01-10 → asOf 2024-01-11.
 *   c1: inv 1 on 01-01 (2 × 5); inv 2 on 01-05 (1 × 20 and 3 × 1)  → R 6, F 2, M 33, first 01-01
 *   c2: inv 3 on 01-03 23:59 (1 × 100)                              → R 8, F 1, M 100
 *   c3: inv 4 and 5 on 01-10 (5 × 2, 1 × 10)                        → R 1, F 2, M 20
 *   c4: inv 6 on 01-02 (1 × 7)                                      → R 9, F 1, M 7
 */
export const FOUR: Array<[string, string, string, number, number]> = [
  ['c1', '1', '2024-01-01T10:00:00', 2, 5],
  ['c1', '2', '2024-01-05T09:00:00', 1, 20],
  ['c1', '2', '2024-01-05T09:00:00', 3, 1],
  ['c2', '3', '2024-01-03T23:59:00', 1, 100],
  ['c3', '4', '2024-01-10T00:00:00', 5, 2],
  ['c3', '5', '2024-01-10T18:00:00', 1, 10],
  ['c4', '6', '2024-01-02T12:00:00', 1, 7],
];

/** Rows of a DataFrame as plain objects keyed by customer_id. */
export function byCustomer(df: pl.DataFrame): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of df.toRecords() as Array<Record<string, unknown>>) out[String(r.customer_id)] = r;
  return out;
}

/** Run `fn` with warnings captured (and not printed). */
export function captureWarnings<T>(fn: () => T): { value: T; warnings: SegkitWarning[] } {
  const warnings: SegkitWarning[] = [];
  const prev = setWarningSink((w) => warnings.push(w));
  try {
    return { value: fn(), warnings };
  } finally {
    setWarningSink(prev);
  }
}

/** The error thrown by `fn` (fails the test if nothing is thrown). */
export function errorOf(fn: () => unknown): { code: string; message: string; where?: string; hint?: string } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string; where?: string; hint?: string };
  }
  throw new Error('expected an error, none was thrown');
}
