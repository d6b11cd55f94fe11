/**
 * Score a customer table with fixed cut points taken from another period's scoring, so both periods
 * share one scale.
 *
 * Cut points per dimension, bins − 1 of them, non-decreasing (equal cut points skip a score nobody got):
 * - `quantile` / `breaks`: the recorded cut points, applied as scoreRfm applies them.
 * - `rank`: derived from the recorded ranges so that period 1 gets exactly its own scores back. For
 *   frequency and monetary, cut k is the lowest value that scored above k; for recency (reversed), the
 *   fewest days that scored at or below bins − k. A value between two recorded ranges (nobody had it in
 *   period 1) takes the lower score; a cut over a range nobody reached is +∞.
 *
 * score = 1 + #{cuts <= value} (recency: bins + 1 − that), with values rounded as scoreRfm rounds them.
 */
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import type { ScoredRfm } from '../rfm';
import type { ScoreThresholds } from '../types';

type Dimension = ScoreThresholds['dimension'];
const COLUMN: Record<Dimension, string> = { recency: 'recency_days', frequency: 'frequency', monetary: 'monetary' };
const SCORE: Record<Dimension, string> = { recency: 'r_score', frequency: 'f_score', monetary: 'm_score' };
const DIMENSIONS: Dimension[] = ['recency', 'frequency', 'monetary'];
/** As scoreRfm: values equal to 6 decimals tie. */
const TIE_DECIMALS = 6;

export type FixedCuts = Record<Dimension, number[]>;

/** The cut points that reproduce `thresholds` (see the module comment). */
export function cutsOf(thresholds: ScoreThresholds[]): { bins: number; cuts: FixedCuts } {
  const out: Partial<FixedCuts> = {};
  let bins = 0;
  for (const d of DIMENSIONS) {
    const t = thresholds.find((x) => x.dimension === d);
    if (!t) throw new SegkitError('migrate', 'thresholds_missing', `the period-1 thresholds have no ${d} entry`, { where: 'thresholds', hint: 'pass the result of scoreRfm or segmentRfm' });
    bins = t.bins;
    if (t.method !== 'rank' && t.cuts) {
      out[d] = [...t.cuts];
      continue;
    }
    const cuts: number[] = [];
    for (let k = 1; k < t.bins; k++) {
      const above = t.ranges.filter((r) => r.customers > 0 && (d === 'recency' ? r.score <= t.bins - k : r.score > k));
      cuts.push(above.length ? Math.min(...above.map((r) => Number(r.min))) : Infinity);
    }
    out[d] = cuts;
  }
  return { bins, cuts: out as FixedCuts };
}

function scoreExpr(d: Dimension, cuts: number[], bins: number): pl.Expr {
  const value = pl.col(COLUMN[d]).cast(pl.Float64).round(TIE_DECIMALS);
  const e = cuts.reduce<pl.Expr>((acc, c) => (Number.isFinite(c) ? acc.add(value.gtEq(c).cast(pl.Int32)) : acc), pl.lit(1).cast(pl.Int32));
  return (d === 'recency' ? pl.lit(bins + 1).sub(e) : e).cast(pl.Int32).alias(SCORE[d]);
}

/** Score `table` (customer_id, recency_days, frequency, monetary, …) with fixed cut points. */
export function scoreWithCuts(table: pl.DataFrame, fixed: { bins: number; cuts: FixedCuts }, asOf: string): ScoredRfm {
  const { bins, cuts } = fixed;
  const drop = ['r_score', 'f_score', 'm_score', 'rfm_code', 'rfm_score', 'segment'].filter((c) => table.columns.includes(c));
  const base = drop.length ? table.drop(drop) : table;
  const scored = base
    .withColumns(...DIMENSIONS.map((d) => scoreExpr(d, cuts[d], bins)))
    .withColumns(pl.col('r_score').mul(100).add(pl.col('f_score').mul(10)).add(pl.col('m_score')).cast(pl.Int32).alias('rfm_score'))
    .withColumns((bins > 9 ? pl.concatString([pl.col('r_score'), pl.col('f_score'), pl.col('m_score')], '-') : pl.col('rfm_score').cast(pl.Utf8)).alias('rfm_code'));
  const thresholds: ScoreThresholds[] = DIMENSIONS.map((d) => {
    const g = scored.groupBy(SCORE[d]).agg(pl.col(COLUMN[d]).min().alias('min'), pl.col(COLUMN[d]).max().alias('max'), pl.len().alias('n')).toRecords() as Array<Record<string, number>>;
    const by = new Map(g.map((r) => [Number(r[SCORE[d]]), r]));
    const ranges = Array.from({ length: bins }, (_, k) => {
      const r = by.get(k + 1);
      return { score: k + 1, min: r ? Number(r.min) : null, max: r ? Number(r.max) : null, customers: r ? Number(r.n) : 0 };
    });
    return { dimension: d, method: 'breaks', bins, ranges, cuts: [...cuts[d]] };
  });
  return { table: scored, asOf, bins, method: 'breaks', thresholds, warnings: [] };
}
