/**
 * Named segments from R, F, M scores with an ordered rule table (first match wins, unmatched → "Others").
 */
import pl from 'nodejs-polars';
import { SegkitError, warn, type SegkitWarning } from '../errors';
import type { RfmResult } from '../types';
import type { ScoredRfm } from './options';
import { DEFAULT_SEGMENT_RULES, OTHERS, compileRules, parseSegmentRules, type RuleTable } from './rules';
import { SCORE_COLUMNS } from './score';

export interface SegmentOptions {
  /** The rule table (an object, or JSON text). Default: the 11 named segments of src/data/segments.json. */
  rules?: RuleTable | string | null;
}

/** RfmResult with what segmenting used and found (all extra fields are optional in the contract). */
export interface RfmRun extends RfmResult {
  rules: RuleTable;
  /** Customers per segment, in rule order, then Others (zeros included, so unreachable segments show). */
  segmentCounts: Array<{ segment: string; customers: number }>;
  /** Score codes no rule matches. */
  unmatchedCodes: string[];
  counts?: ScoredRfm['counts'];
}

/** Add the `segment` column after rfm_score. */
export function segmentRfm(scored: ScoredRfm, options: SegmentOptions = {}): RfmRun {
  const table = options.rules == null ? DEFAULT_SEGMENT_RULES : parseSegmentRules(options.rules);
  const warnings: SegkitWarning[] = [...scored.warnings];
  const n = scored.bins;
  const compiled = compileRules(table, n);
  warnings.push(...compiled.warnings);

  const df = scored.table;
  const missing = SCORE_COLUMNS.slice(0, 3).filter((c) => !df.columns.includes(c));
  if (missing.length) {
    throw new SegkitError('rfm', 'missing_column', `the table has no ${missing.join(', ')}: segment scored customers`, { where: 'customer table', hint: 'run scoreRfm first' });
  }
  // The segment of every code (n³ rows), joined on rfm_score (unique per code for n <= 10).
  const score: number[] = [];
  const names: string[] = [];
  for (let r = 1; r <= n; r++) for (let f = 1; f <= n; f++) for (let m = 1; m <= n; m++) {
    const k = compiled.lookup[(r - 1) * n * n + (f - 1) * n + (m - 1)];
    score.push(100 * r + 10 * f + m);
    names.push(k >= 0 ? table.rules[k].segment : OTHERS);
  }
  const lookup = pl.DataFrame({ rfm_score: pl.Series('rfm_score', Int32Array.from(score), pl.Int32), segment: pl.Series('segment', names, pl.Utf8) });
  const base = df.columns.includes('segment') ? df.drop('segment') : df;
  const outside = pl.col('r_score').lt(1).or(pl.col('r_score').gt(n)).or(pl.col('f_score').lt(1)).or(pl.col('f_score').gt(n)).or(pl.col('m_score').lt(1)).or(pl.col('m_score').gt(n));
  const joined = base
    .withColumns(pl.lit(100).mul(pl.col('r_score')).add(pl.col('f_score').mul(10)).add(pl.col('m_score')).cast(pl.Int32).alias('rfm_score'))
    .withRowIndex('__row')
    .join(lookup, { on: 'rfm_score', how: 'left' })
    .sort('__row');
  const bad = joined.filter(pl.col('segment').isNull().or(outside));
  if (bad.height > 0) {
    const r = bad.head(1).toRecords()[0] as Record<string, number>;
    throw new SegkitError('rfm', 'bad_value', `customer ${String(r.customer_id)} has scores ${r.r_score}/${r.f_score}/${r.m_score} outside 1..${n}`, { where: `customer table, data row ${Number(r.__row) + 1}` });
  }
  const perSegment = new Map((joined.groupBy('segment').agg(pl.len().alias('n')).toRecords() as Array<{ segment: string; n: number }>).map((x) => [x.segment, Number(x.n)]));
  const others = perSegment.get(OTHERS) ?? 0;
  if (others > 0) {
    const share = ((100 * others) / df.height).toFixed(1);
    warnings.push(warn('rfm', 'others', `${others} customers (${share}%) match no segment rule and are labelled "${OTHERS}" (codes without a rule: ${compiled.unmatchedCodes.slice(0, 12).join(', ')}${compiled.unmatchedCodes.length > 12 ? ', …' : ''})`));
  }
  const segmentCounts = [...new Set(table.rules.map((x) => x.segment))].map((s) => ({ segment: s, customers: perSegment.get(s) ?? 0 }));
  if (others > 0 || compiled.unmatchedCodes.length > 0) segmentCounts.push({ segment: OTHERS, customers: others });

  const rest = df.columns.filter((c) => !['customer_id', 'recency_days', 'frequency', 'monetary', ...SCORE_COLUMNS, 'segment'].includes(c));
  const out = joined.select('customer_id', 'recency_days', 'frequency', 'monetary', ...SCORE_COLUMNS, 'segment', ...rest);
  return {
    table: out,
    asOf: scored.asOf,
    bins: n,
    method: scored.method,
    thresholds: scored.thresholds,
    others,
    warnings,
    rules: table,
    segmentCounts,
    unmatchedCodes: compiled.unmatchedCodes,
    ...(scored.counts ? { counts: scored.counts } : {}),
  };
}
