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

/**
 * Group customers with identical (x, t_x, T) (numeric keys in nested maps: x → T → t_x), in order of
 * first appearance.
 */
export function groupHistory(input: HistoryInput): GroupedHistory {
  const h = historyArrays(input);
  const n = h.x.length;
  const index = new Map<number, Map<number, Map<number, number>>>();
  const [x, tx, T, w] = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  let k = 0;
  for (let i = 0; i < n; i++) {
    let byT = index.get(h.x[i]);
    if (!byT) index.set(h.x[i], (byT = new Map()));
    let byTx = byT.get(h.T[i]);
    if (!byTx) byT.set(h.T[i], (byTx = new Map()));
    const j = byTx.get(h.tx[i]);
    if (j !== undefined) w[j]++;
    else {
      byTx.set(h.tx[i], k);
      x[k] = h.x[i];
      tx[k] = h.tx[i];
      T[k] = h.T[i];
      w[k] = 1;
      k++;
    }
  }
  return { x: x.slice(0, k), tx: tx.slice(0, k), T: T.slice(0, k), weight: w.slice(0, k), customers: n };
}

/** GroupedHistory plus its distinct x values: the ln Γ and ψ terms of the likelihood depend on x alone. */
export interface IndexedHistory extends GroupedHistory {
  /** Distinct x values. */
  xs: Float64Array;
  /** Σ weight of the groups with each distinct x. */
  xWeight: Float64Array;
  /** For each group, the position of its x in xs. */
  xIndex: Int32Array;
}

export function indexHistory(g: GroupedHistory): IndexedHistory {
  const pos = new Map<number, number>();
  const xs: number[] = [];
  const xWeight: number[] = [];
  const xIndex = new Int32Array(g.x.length);
  for (let i = 0; i < g.x.length; i++) {
    let k = pos.get(g.x[i]);
    if (k === undefined) {
      pos.set(g.x[i], (k = xs.length));
      xs.push(g.x[i]);
      xWeight.push(0);
    }
    xWeight[k] += g.weight[i];
    xIndex[i] = k;
  }
  return { ...g, xs: Float64Array.from(xs), xWeight: Float64Array.from(xWeight), xIndex };
}
