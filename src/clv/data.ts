/**
 * The per-customer history the CLV models read: x (repeat purchases), t_x (recency) and T (age), from a
 * summary DataFrame (clvSummary's columns frequency, recency, T; or x, t_x, T) or plain arrays, grouped
 * into distinct (x, t_x, T) triples with weights (as lifetimes does): the likelihood is a sum over them.
 */
import type pl from 'nodejs-polars';
import { SegkitError } from '../errors';

/** Plain arrays of one value per customer (same length). */
export interface HistoryArrays {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  T: ArrayLike<number>;
}

/** A summary table (see clvSummary) or arrays. */
export type HistoryInput = pl.DataFrame | HistoryArrays;

/** Distinct (x, t_x, T) triples and how many customers have each. */
export interface GroupedHistory {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Customers in all (Σ weight). */
  customers: number;
}

/** Plain arrays, not a nodejs-polars DataFrame (a Proxy: test for its methods, not with `in`). */
const isArrays = (v: HistoryInput): v is HistoryArrays => typeof (v as { getColumn?: unknown }).getColumn !== 'function';

/** The first of `names` that is a column of `df`. */
function pick(df: pl.DataFrame, names: string[], role: string): number[] {
  const c = names.find((n) => df.columns.includes(n));
  if (!c) {
    throw new SegkitError('clv', 'missing_column', `no ${role} column: looked for ${names.map((n) => `"${n}"`).join(' or ')}`, {
      where: `summary table (columns: ${df.columns.join(', ')})`,
      hint: 'build the table with clvSummary(transactions), or name the columns frequency, recency, T',
    });
  }
  return (df.getColumn(c).toArray() as unknown[]).map((v) => (v === null || v === undefined ? NaN : Number(v)));
}

/** x, t_x, T per customer from a summary table or arrays, checked. */
export function historyArrays(input: HistoryInput): { x: number[]; tx: number[]; T: number[] } {
  const h = isArrays(input)
    ? { x: Array.from(input.x, Number), tx: Array.from(input.tx, Number), T: Array.from(input.T, Number) }
    : { x: pick(input, ['frequency', 'x'], 'frequency'), tx: pick(input, ['recency', 't_x'], 'recency'), T: pick(input, ['T'], 'T') };
  if (h.x.length !== h.tx.length || h.x.length !== h.T.length) {
    throw new SegkitError('clv', 'bad_input', `x, t_x and T have different lengths (${h.x.length}, ${h.tx.length}, ${h.T.length})`, { where: 'history arrays', hint: 'give one value per customer in each' });
  }
  for (let i = 0; i < h.x.length; i++) {
    const [x, tx, T] = [h.x[i], h.tx[i], h.T[i]];
    if (!(x >= 0 && tx >= 0 && T >= tx) || !Number.isFinite(T) || (x === 0 && tx !== 0)) {
      throw new SegkitError('clv', 'bad_history', `customer ${i}: x = ${x}, t_x = ${t(tx)}, T = ${t(T)} is not a purchase history`, {
        where: `row ${i}`,
        hint: 'need x >= 0, 0 <= t_x <= T, and t_x = 0 when x = 0 (is T measured to a date before the last purchase?)',
      });
    }
  }
  return h;
}

const t = (v: number): string => String(Math.round(v * 1e6) / 1e6);

/** Group customers with identical (x, t_x, T). */
export function groupHistory(input: HistoryInput): GroupedHistory {
  const h = historyArrays(input);
  const index = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < h.x.length; i++) {
    const key = `${h.x[i]}|${h.tx[i]}|${h.T[i]}`;
    const j = index.get(key);
    if (j !== undefined) w[j]++;
    else {
      index.set(key, x.length);
      x.push(h.x[i]);
      tx.push(h.tx[i]);
      T.push(h.T[i]);
      w.push(1);
    }
  }
  return { x: Float64Array.from(x), tx: Float64Array.from(tx), T: Float64Array.from(T), weight: Float64Array.from(w), customers: h.x.length };
}
