/**
 * R, F and M scores 1..n, the RFM code ("543") and score (100·R + 10·F + M), with the thresholds used.
 * Recency is reversed: the most recent customers score highest.
 */
import pl from 'nodejs-polars';
import { SegkitError, closest, warn, type SegkitWarning } from '../errors';
import type { ScoreThresholds } from '../types';
import { memo } from './exprs';
import { DEFAULTS, checkBins, type Breaks, type CustomerRfm, type ScoreMethod, type ScoreOptions, type ScoredRfm } from './options';

export const SCORE_COLUMNS = ['r_score', 'f_score', 'm_score', 'rfm_code', 'rfm_score'] as const;
const DERIVED = [...SCORE_COLUMNS, 'segment'];
const METHODS: ScoreMethod[] = ['rank', 'quantile', 'breaks'];
const DIMENSIONS = [
  { dimension: 'recency', column: 'recency_days', score: 'r_score' },
  { dimension: 'frequency', column: 'frequency', score: 'f_score' },
  { dimension: 'monetary', column: 'monetary', score: 'm_score' },
] as const;

/** Values equal to this many decimals tie (so 0.1 + 0.2 and 0.3 spent are the same spend). */
const TIE_DECIMALS = 6;

function isCustomerRfm(x: unknown): x is CustomerRfm {
  return typeof x === 'object' && x !== null && 'table' in x && 'counts' in x;
}

/** Check user breaks: three arrays of finite, strictly increasing numbers, all of the same length. */
function checkBreaks(breaks: Breaks | undefined, bins: number | undefined): number {
  if (!breaks || typeof breaks !== 'object') {
    throw new SegkitError('rfm', 'breaks_missing', "method 'breaks' needs breaks: { recency: [...], frequency: [...], monetary: [...] }", {
      where: 'option breaks',
      hint: 'give the inner cut points of each dimension in ascending raw values, e.g. recency: [30, 90, 180, 365] (days) for 5 scores',
    });
  }
  const unknown = Object.keys(breaks).filter((k) => !['recency', 'frequency', 'monetary'].includes(k));
  if (unknown.length) {
    throw new SegkitError('rfm', 'breaks_unknown_dimension', `breaks has an unknown dimension "${unknown[0]}"`, {
      where: `option breaks.${unknown[0]}`,
      hint: `the dimensions are recency, frequency and monetary (did you mean ${closest(unknown[0], ['recency', 'frequency', 'monetary'], 1)[0]}?)`,
    });
  }
  let length: number | undefined;
  for (const d of ['recency', 'frequency', 'monetary'] as const) {
    const cuts = breaks[d];
    const where = `option breaks.${d}`;
    if (!Array.isArray(cuts) || cuts.length === 0 || cuts.some((c) => typeof c !== 'number' || !Number.isFinite(c))) {
      throw new SegkitError('rfm', 'breaks_invalid', `breaks.${d} must be a list of numbers, got ${JSON.stringify(cuts)}`, { where });
    }
    for (let i = 1; i < cuts.length; i++) {
      if (!(cuts[i] > cuts[i - 1])) {
        throw new SegkitError('rfm', 'breaks_not_increasing', `breaks.${d} must be strictly increasing: ${cuts[i - 1]} then ${cuts[i]} in [${cuts.join(', ')}]`, {
          where,
          hint: 'list each cut point once, from low to high (raw values: days, orders, money)',
        });
      }
    }
    if (length !== undefined && cuts.length !== length) {
      throw new SegkitError('rfm', 'breaks_length', `every dimension needs the same number of cut points: breaks.${d} has ${cuts.length}, the others ${length}`, {
        where,
        hint: 'n scores need n − 1 cut points per dimension',
      });
    }
    length = cuts.length;
  }
  const n = length! + 1;
  if (bins !== undefined && bins !== n) {
    throw new SegkitError('rfm', 'breaks_length', `bins is ${bins} but the breaks give ${n} scores (${length} cut points each)`, {
      where: 'option bins',
      hint: 'leave bins out with method breaks, or give bins − 1 cut points per dimension',
    });
  }
  return checkBins(n, 'option breaks');
}

/** Expressions of scoreRfm, built once per key (nodejs-polars' wrappers are costly: see exprs.ts). */
const cols = (names: readonly string[]): pl.Expr[] => memo(`rfm.cols:${JSON.stringify(names)}`, () => names.map((c) => pl.col(c)));

/** Integer types whose every value a Float64 holds exactly. */
const SMALL_INTS = ['Int8', 'Int16', 'Int32', 'UInt8', 'UInt16', 'UInt32'];

/**
 * The value scored: as Float64 rounded to TIE_DECIMALS, so float noise cannot split a tie; integer columns
 * that Float64 holds exactly are used as they are (the same order and ties, and Polars ranks them faster).
 */
const valueOf = (column: string, dtype: string): pl.Expr =>
  memo(`rfm.value:${column}:${SMALL_INTS.includes(dtype)}`, () => (SMALL_INTS.includes(dtype) ? pl.col(column) : pl.col(column).cast(pl.Float64).round(TIE_DECIMALS)));

/** Per score: the min and max raw value and the number of customers who got it (one small group_by). */
function ranges(df: pl.DataFrame, value: pl.Expr, score: string, n: number): ScoreThresholds['ranges'] {
  const e = memo(`rfm.ranges:${value.toString()}:${score}`, () => ({
    by: [pl.col(score)],
    aggs: [value.min().alias('min'), value.max().alias('max'), pl.len().alias('customers')],
  }));
  const g = df.lazy().groupBy(e.by, false).agg(...e.aggs).collectSync().toRecords() as Array<Record<string, number>>;
  const by = new Map(g.map((r) => [Number(r[score]), r]));
  return Array.from({ length: n }, (_, k) => {
    const r = by.get(k + 1);
    return { score: k + 1, min: r ? Number(r.min) : null, max: r ? Number(r.max) : null, customers: r ? Number(r.customers) : 0 };
  });
}

/** The most common value and how many customers share it. */
function largestTie(df: pl.DataFrame, value: pl.Expr): { value: number; count: number } {
  const r = df
    .select(value.alias('value'))
    .groupBy('value')
    .agg(pl.len().alias('n'))
    .sort(['n', 'value'], [true, false])
    .head(1)
    .toRecords()[0] as Record<string, number>;
  return { value: Number(r.value), count: Number(r.n) };
}

/** 1 + number of cut points <= value (bins [lower, upper)). */
function cutExpr(value: pl.Expr, cuts: readonly number[]): pl.Expr {
  return cuts.reduce<pl.Expr>((acc, c) => acc.add(value.gtEq(c).cast(pl.Int32)), pl.lit(1).cast(pl.Int32));
}

/** Rank scores 1 + floor(bins × below / N), below = customers with a strictly lower value (recency: strictly more days) = rank('min') − 1. */
function rankScoreExprs(bins: number, values: readonly pl.Expr[]): pl.Expr[] {
  return memo(`rfm.rank:${bins}:${values.join()}`, () =>
    DIMENSIONS.map(({ dimension, score }, i) =>
      values[i]
        .rank('min', dimension === 'recency')
        .cast(pl.Float64)
        .sub(1)
        .mul(bins)
        .div(pl.len())
        .floor()
        .add(1)
        .cast(pl.Int32)
        .alias(score),
    ),
  );
}

/** rfm_score = 100·R + 10·F + M, and rfm_code: "543" (rfm_score's digits) for bins <= 9, "10-3-7" style for 10. */
function codeExprs(bins: number): { score: pl.Expr; code: pl.Expr } {
  return memo(`rfm.code:${bins > 9}`, () => ({
    score: pl.col('r_score').mul(100).add(pl.col('f_score').mul(10)).add(pl.col('m_score')).cast(pl.Int32).alias('rfm_score'),
    code: (bins > 9 ? pl.concatString([pl.col('r_score'), pl.col('f_score'), pl.col('m_score')], '-') : pl.col('rfm_score').cast(pl.Utf8)).alias('rfm_code'),
  }));
}

/** Per dimension: null and NaN counts (NaN for float columns only). */
function missingExprs(floats: readonly boolean[]): pl.Expr[] {
  return memo(`rfm.missing:${floats.join()}`, () =>
    DIMENSIONS.flatMap(({ column }, i) => [
      pl.col(column).isNull().sum().alias(`${column}:null`),
      (floats[i] ? pl.col(column).isNan().sum() : pl.lit(0)).alias(`${column}:nan`),
    ]),
  );
}

/**
 * Score customers 1..bins on recency (reversed), frequency and monetary.
 * Input: computeRfm's result, or a DataFrame with customer_id, recency_days, frequency, monetary.
 */
export function scoreRfm(input: CustomerRfm | pl.DataFrame, options: ScoreOptions = {}): ScoredRfm {
  const base = isCustomerRfm(input) ? input.table : input;
  const warnings: SegkitWarning[] = isCustomerRfm(input) ? [...input.warnings] : [];
  const method = options.method ?? DEFAULTS.method;
  if (!METHODS.includes(method)) {
    throw new SegkitError('rfm', 'unknown_method', `unknown scoring method "${String(method)}"`, {
      where: 'option method',
      hint: `use one of ${METHODS.join(', ')} (did you mean ${closest(String(method), METHODS, 1)[0]}?)`,
    });
  }
  const bins = method === 'breaks' ? checkBreaks(options.breaks, options.bins) : checkBins(options.bins ?? DEFAULTS.bins);
  const missing = ['customer_id', ...DIMENSIONS.map((d) => d.column)].filter((c) => !base.columns.includes(c));
  if (missing.length) {
    throw new SegkitError('rfm', 'missing_column', `the customer table has no ${missing.join(', ')} column`, {
      where: `customer table (columns: ${base.columns.join(', ')})`,
      hint: 'score the result of computeRfm, which names the columns (map your own names with its columns option)',
    });
  }
  const N = base.height;
  if (N === 0) throw new SegkitError('rfm', 'empty_input', 'there are no customers to score', { where: 'customer table' });

  const dtypes = DIMENSIONS.map(({ column }) => base.dtypes[base.columns.indexOf(column)].variant);
  const floats = dtypes.map((d) => d.startsWith('Float'));
  const gaps = base.select(...missingExprs(floats)).toRecords()[0] as Record<string, number>;
  for (const { column } of DIMENSIONS) {
    if (Number(gaps[`${column}:null`]) > 0 || Number(gaps[`${column}:nan`]) > 0) {
      throw new SegkitError('rfm', 'missing_values', `${column} has missing values; every customer needs one to be scored`, { where: `customer table, column "${column}"` });
    }
  }

  // The scores, all in Polars.
  const rest = base.columns.filter((c) => !['customer_id', 'recency_days', 'frequency', 'monetary', ...DERIVED].includes(c));
  let table = base.select(...cols(['customer_id', 'recency_days', 'frequency', 'monetary', ...rest]));
  const values = DIMENSIONS.map(({ column }, i) => valueOf(column, dtypes[i]));
  const thresholds: ScoreThresholds[] = [];
  const cutsOf: Record<string, number[] | undefined> = {};
  let scoreExprs: pl.Expr[];
  if (method === 'rank') {
    scoreExprs = rankScoreExprs(bins, values);
  } else {
    if (method === 'quantile') {
      const probs = Array.from({ length: bins - 1 }, (_, k) => (k + 1) / bins);
      for (const [i, { dimension }] of DIMENSIONS.entries()) {
        const q = table.select(...probs.map((p, k) => values[i].quantile(p, 'linear').alias(`q${k}`))).toRecords()[0] as Record<string, number>;
        cutsOf[dimension] = probs.map((_, k) => Number(q[`q${k}`]) + 1);
      }
    }
    scoreExprs = DIMENSIONS.map(({ dimension, score }, i) => {
      const cuts = method === 'quantile' ? cutsOf[dimension]! : [...options.breaks![dimension]];
      cutsOf[dimension] = cuts;
      const e = cutExpr(values[i], cuts);
      return (dimension === 'recency' ? pl.lit(bins + 1).sub(e) : e).cast(pl.Int32).alias(score);
    });
  }
  const code = codeExprs(bins);
  table = table.withColumns(...scoreExprs).withColumns(code.score).withColumns(code.code);

  for (const [i, { dimension, column, score }] of DIMENSIONS.entries()) {
    const r = ranges(table, values[i], score, bins);
    const cuts = cutsOf[dimension];
    thresholds.push({ dimension, method, bins, ranges: r, ...(cuts ? { cuts } : {}) });
    const empty = r.filter((x) => x.customers === 0).map((x) => x.score);
    if (empty.length) {
      const tie = largestTie(table, values[i]);
      const why =
        method === 'quantile' && cuts && new Set(cuts).size < cuts.length
          ? `the quantile cut points tie (${cuts.map((c) => +c.toFixed(4)).join(', ')}); method 'rank' keeps ties apart from the bins`
          : `${tie.count} of ${N} customers share ${column} = ${tie.value}`;
      warnings.push(warn('rfm', 'empty_scores', `${dimension}: no customer got score ${empty.join(', ')} (${why})`));
    }
  }

  table = table.select(...cols(['customer_id', 'recency_days', 'frequency', 'monetary', ...SCORE_COLUMNS, ...rest]));
  return {
    table,
    asOf: isCustomerRfm(input) ? input.asOf : '',
    bins,
    method,
    thresholds,
    ...(isCustomerRfm(input) ? { counts: input.counts } : {}),
    warnings,
  };
}
