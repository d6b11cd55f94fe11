/** Numeric summaries (quantiles, mean, sd) and histograms, with an optional log scale. */
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import { one } from './common';

export const SUMMARY_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
const qName = (q: number): string => `p${String(Math.round(q * 100)).padStart(2, '0')}`;

/**
 * One row per column: variable, count (non-null), missing, mean, sd (n − 1), min, p01, p05, p25, p50,
 * p75, p95, p99, max. Quantiles interpolate linearly (as pandas' describe does).
 */
export function numericSummary(df: pl.DataFrame, columns: string[]): pl.DataFrame {
  const rows = columns.map((c) => {
    const v = pl.col(c);
    // Mean and sd on the column as it is (a sum's rounding depends on the order of its terms); the
    // quantiles on a sorted copy, which Polars reads off directly instead of selecting each one anew
    // (the same order statistics, interpolated the same way).
    const r = one<Record<string, number | null>>(df.select(v.count().alias('count'), v.nullCount().alias('missing'), v.mean().alias('mean'), v.std().alias('sd'), v.min().alias('min'), v.max().alias('max')));
    const q = one<Record<string, number | null>>(df.select(v.sort()).select(...SUMMARY_QUANTILES.map((p) => v.quantile(p, 'linear').alias(qName(p)))));
    return { variable: c, ...r, ...q };
  });
  const cols = ['count', 'missing', 'mean', 'sd', 'min', ...SUMMARY_QUANTILES.map(qName), 'max'];
  return pl.DataFrame({
    variable: rows.map((r) => r.variable),
    ...Object.fromEntries(
      cols.map((k) => {
        const s = pl.Series(k, rows.map((r) => (r as Record<string, unknown>)[k] as number | null).map((x) => (x === null || x === undefined ? null : Number(x))), pl.Float64);
        return [k, k === 'count' || k === 'missing' ? s.cast(pl.Int64) : s];
      }),
    ),
  });
}

/**
 * The bins table of an equal-width histogram over [lo, hi] (in log10 units when `back` is 10^u), from
 * counts per bin index: files and databases.
 */
export function equalWidthTable(lo: number, hi: number, bins: number, back: (u: number) => number, byBin: Map<number, number>): pl.DataFrame {
  const w = (hi - lo) / bins;
  const starts = Array.from({ length: bins }, (_, i) => back(lo + i * w));
  const ends = Array.from({ length: bins }, (_, i) => back(i === bins - 1 ? hi : lo + (i + 1) * w));
  return pl.DataFrame({
    bin_start: pl.Series('bin_start', starts, pl.Float64),
    bin_end: pl.Series('bin_end', ends, pl.Float64),
    count: pl.Series('count', starts.map((_, i) => byBin.get(i) ?? 0), pl.UInt32),
  });
}

export interface HistogramOptions {
  /** Number of equal-width bins (equal in log10 when `log`). Default 40. */
  bins?: number;
  /** Bin on a log10 scale; values ≤ 0 are left out and counted in `excluded`. Default false. */
  log?: boolean;
  /** Clip to this quantile range first (e.g. [0, 0.99]) so one extreme value does not squash the rest; clipped values are counted in `excluded`. Default none. */
  clip?: [number, number];
}

export interface Histogram {
  /** bin_start, bin_end (in data units), count. */
  table: pl.DataFrame;
  column: string;
  log: boolean;
  /** Values left out: non-positive on a log scale, nulls, or outside the clip range. */
  excluded: number;
  total: number;
}

/**
 * Bin edges for whole numbers from `lo` to `hi`: one bar per value when they fit in `bins`, else about
 * `bins` bars of equal width (equal in log10 when `log`), with edges moved to half-units and merged.
 */
export function wholeNumberEdges(lo: number, hi: number, bins: number, log: boolean): number[] {
  if (hi - lo + 1 <= bins) return Array.from({ length: hi - lo + 2 }, (_, i) => lo - 0.5 + i);
  const a = lo - 0.5;
  const b = hi + 0.5;
  const t = (v: number): number => (log ? Math.log10(Math.max(v, 0.5)) : v);
  const inv = (v: number): number => (log ? 10 ** v : v);
  const w = (t(b) - t(a)) / bins;
  const raw = Array.from({ length: bins + 1 }, (_, i) => (i === 0 ? a : i === bins ? b : Math.round(inv(t(a) + i * w) - 0.5) + 0.5));
  return raw.filter((e, i) => i === 0 || e > raw[i - 1]);
}

/** Histogram of a numeric column, binned by Polars (only distinct whole values or bin counts reach JS). */
export function histogram(df: pl.DataFrame, column: string, options: HistogramOptions = {}): Histogram {
  const bins = options.bins ?? 40;
  const log = options.log ?? false;
  if (!(bins >= 1 && Number.isInteger(bins))) throw new SegkitError('eda', 'bad_option', `bins must be a positive whole number, got ${bins}`, { where: 'option bins' });
  const v = pl.col(column).cast(pl.Float64);
  let keep = v.isNotNull().and(v.isFinite());
  if (log) keep = keep.and(v.gt(0));
  if (options.clip) {
    const b = one<{ lo: number; hi: number }>(df.select(v.filter(keep).quantile(options.clip[0], 'linear').alias('lo'), v.filter(keep).quantile(options.clip[1], 'linear').alias('hi')));
    keep = keep.and(v.gtEq(b.lo)).and(v.ltEq(b.hi));
  }
  const kept = df.select(v.filter(keep).alias('x'));
  const total = df.height;
  const excluded = total - kept.height;
  const empty = (): pl.DataFrame =>
    pl.DataFrame({ bin_start: pl.Series('bin_start', [], pl.Float64), bin_end: pl.Series('bin_end', [], pl.Float64), count: pl.Series('count', [], pl.UInt32) });
  if (kept.height === 0) return { table: empty(), column, log, excluded, total };
  const r = one<{ lo: number; hi: number; whole: boolean; distinct: number }>(
    kept.select(pl.col('x').min().alias('lo'), pl.col('x').max().alias('hi'), pl.col('x').eq(pl.col('x').round(0)).all().alias('whole'), pl.col('x').nUnique().alias('distinct')),
  );
  let table: pl.DataFrame;
  if (r.whole && Number(r.distinct) <= 200_000) {
    // Whole numbers (quantities, order counts): count each value, then bin with edges at half-units so
    // every bar holds whole values (one bar per value over a short range; no empty slivers on a log scale).
    const counts = kept.groupBy('x').agg(pl.len().alias('n')).sort('x');
    const xs = counts.getColumn('x').toArray() as number[];
    const ns = counts.getColumn('n').toArray() as number[];
    const edges = wholeNumberEdges(r.lo, r.hi, bins, log);
    const tally = new Array<number>(edges.length - 1).fill(0);
    let b = 0;
    xs.forEach((x, i) => {
      while (b < tally.length - 1 && x >= edges[b + 1]) b++;
      tally[b] += Number(ns[i]);
    });
    table = pl.DataFrame({
      bin_start: pl.Series('bin_start', edges.slice(0, -1), pl.Float64),
      bin_end: pl.Series('bin_end', edges.slice(1), pl.Float64),
      count: pl.Series('count', tally, pl.UInt32),
    });
  } else {
    const t = (u: number): number => (log ? Math.log10(u) : u);
    const back = (u: number): number => (log ? 10 ** u : u);
    const lo = t(r.lo);
    const hi = r.hi === r.lo ? lo + 1 : t(r.hi);
    const w = (hi - lo) / bins;
    const x = log ? pl.col('x').log(10) : pl.col('x');
    const counts = kept.select(x.sub(lo).div(w).floor().clip(0, bins - 1).cast(pl.Int32).alias('bin')).groupBy('bin').agg(pl.len().alias('count'));
    const byBin = new Map<number, number>((counts.toRecords() as Array<{ bin: number; count: number }>).map((c) => [Number(c.bin), Number(c.count)]));
    table = equalWidthTable(lo, hi, bins, back, byBin);
  }
  return { table, column, log, excluded, total };
}
