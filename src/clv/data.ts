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
function pick(df: pl.DataFrame, names: string[], role: string): Float64Array {
  const c = names.find((n) => df.columns.includes(n));
  if (!c) {
    throw new SegkitError('clv', 'missing_column', `no ${role} column: looked for ${names.map((n) => `"${n}"`).join(' or ')}`, {
      where: `summary table (columns: ${df.columns.join(', ')})`,
      hint: 'build the table with clvSummary(transactions), or name the columns frequency, recency, T',
    });
  }
  const values = df.getColumn(c).toArray() as unknown[];
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] === null || values[i] === undefined ? NaN : Number(values[i]);
  return out;
}

function toFloat64(v: ArrayLike<number>): Float64Array {
  if (v instanceof Float64Array) return v;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = Number(v[i]);
  return out;
}

/** x, t_x, T per customer from a summary table or arrays, checked. */
export function historyArrays(input: HistoryInput): { x: Float64Array; tx: Float64Array; T: Float64Array } {
  const h = isArrays(input)
    ? { x: toFloat64(input.x), tx: toFloat64(input.tx), T: toFloat64(input.T) }
    : { x: pick(input, ['frequency', 'x'], 'frequency'), tx: pick(input, ['recency', 't_x'], 'recency'), T: pick(input, ['T'], 'T') };
  if (h.x.length !== h.tx.length || h.x.length !== h.T.length) {
    throw new SegkitError('clv', 'bad_input', `x, t_x and T have different lengths (${h.x.length}, ${h.tx.length}, ${h.T.length})`, { where: 'history arrays', hint: 'give one value per customer in each' });
  }
  for (let i = 0; i < h.x.length; i++) {
    const x = h.x[i];
    const tx = h.tx[i];
    const T = h.T[i];
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

/** MurmurHash3's 32-bit finaliser: every input bit reaches the low bits a table index takes. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Group customers with identical (x, t_x, T), in order of first appearance: an open-addressing hash table
 * on the bits of the three doubles (−0 counts as 0).
 */
export function groupHistory(input: HistoryInput): GroupedHistory {
  const h = historyArrays(input);
  const n = h.x.length;
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const [x, tx, T, w] = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const f = new Float64Array(3);
  const u = new Uint32Array(f.buffer);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const xi = h.x[i] + 0;
    const txi = h.tx[i] + 0;
    const Ti = h.T[i] + 0;
    f[0] = xi;
    f[1] = txi;
    f[2] = Ti;
    let hash = 0x811c9dc5;
    for (let j = 0; j < 6; j++) hash = Math.imul(hash ^ u[j], 0x01000193) ^ (hash >>> 15);
    let s = fmix32(hash) & mask;
    for (;;) {
      const j = slots[s];
      if (j < 0) {
        slots[s] = k;
        x[k] = xi;
        tx[k] = txi;
        T[k] = Ti;
        w[k] = 1;
        k++;
        break;
      }
      if (x[j] === xi && tx[j] === txi && T[j] === Ti) {
        w[j]++;
        break;
      }
      s = (s + 1) & mask;
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
  /** Distinct T and t_x values, and each group's position in them (ln(α+T) is computed once per value). */
  Ts: Float64Array;
  TIndex: Int32Array;
  txs: Float64Array;
  txIndex: Int32Array;
}

/** Distinct values of v (in order of first appearance) and the position of each element in them. */
function distinct(v: Float64Array): [Float64Array, Int32Array] {
  let size = 16;
  while (size < 2 * v.length) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const values = new Float64Array(v.length);
  const index = new Int32Array(v.length);
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  let k = 0;
  for (let i = 0; i < v.length; i++) {
    f[0] = v[i] + 0;
    let s = fmix32(u[0] ^ fmix32(u[1])) & mask;
    for (;;) {
      const j = slots[s];
      if (j < 0) {
        slots[s] = k;
        values[k] = f[0];
        index[i] = k++;
        break;
      }
      if (values[j] === f[0]) {
        index[i] = j;
        break;
      }
      s = (s + 1) & mask;
    }
  }
  return [values.slice(0, k), index];
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
  const [Ts, TIndex] = distinct(g.T);
  const [txs, txIndex] = distinct(g.tx);
  return { ...g, xs: Float64Array.from(xs), xWeight: Float64Array.from(xWeight), xIndex, Ts, TIndex, txs, txIndex };
}
