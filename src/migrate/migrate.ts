/**
 * Segment migration between two periods: who moved where, and what it is worth.
 *
 *   before, after (customer tables) ─► score period 1 ─► score period 2 with period 1's cut points
 *     ─► name both with one rule table ─► join on customer_id (full: new and gone are kept)
 *     ─► matrix, per-segment moves, flows in words
 *
 * `migrateAsOf(transactions, [d1, d2])` makes the two customer tables from one transactions table.
 */
import pl from 'nodejs-polars';
import { SegkitError, warn, type SegkitWarning } from '../errors';
import { DEFAULT_SEGMENT_RULES, parseSegmentRules, scoreRfm, segmentRfm, type Breaks, type ComputeOptions, type CustomerRfm, type RfmRun, type RuleTable, type ScoredRfm } from '../rfm';
import { computeRfmPair } from '../rfm/compute';
import { parseDay } from '../rfm/options';
import type { TransactionTable } from '../types';
import { cellsOf, flowsOf, matricesOf, moveOf, segmentMoves } from './matrix';
import { GONE, MIGRATE_DEFAULTS, NEW, type MigrateOptions, type Migration } from './options';
import { segmentOrder } from './order';
import { clusterCrossTab, clustersOf } from './clusters';
import { cutsOf, scoreWithCuts } from './thresholds';

/** A customer table read from a file, with the date it describes when known. */
export interface CustomerTable {
  table: pl.DataFrame;
  asOf?: string;
  warnings?: SegkitWarning[];
}

/**
 * A period's customers: computeRfm's result, a scored or segmented run, or a table (a DataFrame, or
 * `{ table, asOf }`) with customer_id, recency_days, frequency, monetary.
 */
export type PeriodInput = CustomerRfm | ScoredRfm | RfmRun | CustomerTable | pl.DataFrame;

const isDataFrame = (x: unknown): x is pl.DataFrame => typeof (x as pl.DataFrame)?.groupBy === 'function';
const isScored = (x: PeriodInput): x is ScoredRfm => !isDataFrame(x) && 'thresholds' in x && Array.isArray(x.thresholds);

interface Period {
  table: pl.DataFrame;
  asOf: string;
  warnings: SegkitWarning[];
  scored?: ScoredRfm | RfmRun;
}

function periodOf(x: PeriodInput, which: 'before' | 'after'): Period {
  const table = isDataFrame(x) ? x : x.table;
  const missing = ['customer_id', 'recency_days', 'frequency', 'monetary'].filter((c) => !table.columns.includes(c));
  if (missing.length) {
    throw new SegkitError('migrate', 'missing_column', `the ${which} table has no ${missing.join(', ')} column`, {
      where: `${which} table (columns: ${table.columns.join(', ')})`,
      hint: 'pass the result of computeRfm (or a table with customer_id, recency_days, frequency, monetary)',
    });
  }
  if (table.height === 0) throw new SegkitError('migrate', 'empty_input', `the ${which} table has no customers`, { where: `${which} table` });
  return { table, asOf: isDataFrame(x) ? '' : (x.asOf ?? ''), warnings: isDataFrame(x) ? [] : [...(x.warnings ?? [])], ...(isScored(x) ? { scored: x } : {}) };
}

/** Both id columns must be of one type, and ids must not differ only by leading zeros ("00123" vs "123"). */
function checkIds(a: pl.DataFrame, b: pl.DataFrame): void {
  const [ta, tb] = [a.getColumn('customer_id').dtype.variant, b.getColumn('customer_id').dtype.variant];
  if (ta !== tb) {
    throw new SegkitError('migrate', 'id_types', `customer ids are ${ta} before and ${tb} after, so they cannot be matched reliably (00123 is not 123)`, {
      where: 'column customer_id',
      hint: 'read both tables with the same column types (readTransactions keeps ids as text), or cast both to text with the same zero padding',
    });
  }
  if (ta !== 'Utf8' && ta !== 'String') return;
  const ids = (df: pl.DataFrame, strip: boolean): pl.DataFrame =>
    df.select((strip ? pl.col('customer_id').str.replace('^0+', '') : pl.col('customer_id')).alias('id')).unique();
  const [ia, ib] = [ids(a, false), ids(b, false)];
  const raw = ia.join(ib, { on: 'id', how: 'inner' }).height;
  // Every id of the smaller table matched as written: nothing can differ by padding alone.
  if (raw === Math.min(ia.height, ib.height)) return;
  const stripped = ids(a, true).join(ids(b, true), { on: 'id', how: 'inner' }).height;
  if (stripped > raw) {
    throw new SegkitError('migrate', 'id_mismatch', `${stripped - raw} customer ids match only when leading zeros are ignored (e.g. "00123" vs "123"): the two tables write ids differently`, {
      where: 'column customer_id',
      hint: 'write ids the same way in both tables (keep or drop the zero padding in both)',
    });
  }
}

function checkDates(before: string, after: string, shown: [string, string] = [before, after]): void {
  if (before && after && before >= after) {
    throw new SegkitError('migrate', 'as_of_order', `the first as-of date (${shown[0]}) must be before the second (${shown[1]})`, {
      where: 'as-of dates',
      hint: 'give the earlier period first: migrate(before, after) or --as-of EARLIER --as-of LATER',
    });
  }
}

/** The columns kept per period, suffixed. */
const PERIOD_COLUMNS = ['segment', 'recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'rfm_code'];
const suffixed = (df: pl.DataFrame, s: string, extra: string[] = []): pl.DataFrame =>
  df.select(pl.col('customer_id'), ...[...PERIOD_COLUMNS, ...extra].map((c) => pl.col(c).alias(`${c}_${s}`)));

/**
 * Who moved between segments from `before` to `after`. Both periods are scored and named with the same
 * cut points (period 1's, unless `thresholds: 'each'`) and the same rule table. Customers only in `after`
 * come from the row "(new)"; customers only in `before` go to the column "(gone)". Nothing is dropped:
 * the matrix's row sums are the period-1 segment sizes and its column sums the period-2 ones.
 */
export function migrate(before: PeriodInput, after: PeriodInput, options: MigrateOptions = {}): Migration {
  return migratePeriods(periodOf(before, 'before'), periodOf(after, 'after'), options);
}

/**
 * migrate on two periods. `rows` (from computeRfmPair): period 1's customers are period 2's rows at these
 * positions, both tables from one transactions table and sorted by customer_id, so the customers are
 * matched by position (no id check, no join on the ids, no sort).
 */
function migratePeriods(p1: Period, p2: Period, options: MigrateOptions, rows?: pl.Series): Migration {
  checkDates(p1.asOf, p2.asOf);
  if (!rows) checkIds(p1.table, p2.table);
  const policy = options.thresholds ?? MIGRATE_DEFAULTS.thresholds;
  if (policy !== 'before' && policy !== 'after' && policy !== 'each') {
    throw new SegkitError('migrate', 'bad_option', `thresholds must be 'before', 'after' or 'each', got ${JSON.stringify(policy)}`, { where: 'option thresholds' });
  }
  const warnings: SegkitWarning[] = [...p1.warnings, ...p2.warnings];

  // 1. The reference period's scoring (period 1, or period 2 with 'after'): the options', else the one that
  //    period came with, else scoreRfm's default.
  const ref = policy === 'after' ? p2 : p1;
  const own = options.method === undefined && options.bins === undefined && options.breaks === undefined ? ref.scored : undefined;
  const method = options.method ?? own?.method;
  const breaks: Breaks | undefined =
    options.breaks ?? (method === 'breaks' && own ? (Object.fromEntries(own.thresholds.map((t) => [t.dimension, t.cuts ?? []])) as unknown as Breaks) : undefined);
  const scoreOptions = { method, bins: options.bins ?? own?.bins, breaks };
  const rules: RuleTable = options.rules != null ? parseSegmentRules(options.rules) : ref.scored && 'rules' in ref.scored ? ref.scored.rules : DEFAULT_SEGMENT_RULES;
  // 2. The other period on the reference period's cut points (or its own with 'each').
  let scored1: ScoredRfm;
  let scored2: ScoredRfm;
  if (policy === 'after') {
    scored2 = scoreRfm(p2.table, scoreOptions);
    scored1 = scoreWithCuts(p1.table, cutsOf(scored2.thresholds), p1.asOf);
  } else {
    scored1 = scoreRfm(p1.table, scoreOptions);
    scored2 = policy === 'each' ? scoreRfm(p2.table, scoreOptions) : scoreWithCuts(p2.table, cutsOf(scored1.thresholds), p2.asOf);
  }
  if (policy === 'each') {
    warnings.push(warn('migrate', 'thresholds_each', 'each period was scored on its own customers (thresholds: each): a move can be a shift of the score cut points, not of behaviour'));
  }
  const seg1 = segmentRfm({ ...scored1, asOf: p1.asOf }, { rules });
  const seg2 = segmentRfm({ ...scored2, asOf: p2.asOf }, { rules });
  warnings.push(...seg1.warnings.filter((w) => w.code !== 'others'), ...seg2.warnings.filter((w) => w.code !== 'others'));

  // 3. Order of segments, lapsed segments.
  const order0 = segmentOrder(rules, scored1.bins, options.order);
  const present = new Set([...seg1.segmentCounts, ...seg2.segmentCounts].filter((s) => s.customers > 0).map((s) => s.segment));
  const order = order0.filter((s) => rules.rules.some((r) => r.segment === s) || present.has(s));
  const lapsed = options.lapsed ?? MIGRATE_DEFAULTS.lapsed.filter((s) => order.includes(s));
  const unknownLapsed = lapsed.filter((s) => !order.includes(s));
  if (unknownLapsed.length) {
    throw new SegkitError('migrate', 'unknown_segment', `option lapsed names "${unknownLapsed[0]}", which is not a segment of the rule table`, { where: 'option lapsed', hint: `segments are ${order.join(', ')}` });
  }

  // 4. One row per customer of either period (with the model's cluster in each, when given).
  const model = options.model;
  const extra = model ? ['cluster'] : [];
  const [t1, t2] = model
    ? [seg1.table.withColumns(pl.Series('cluster', clustersOf(model, seg1.table, 'before'), pl.Int32)), seg2.table.withColumns(pl.Series('cluster', clustersOf(model, seg2.table, 'after'), pl.Int32))]
    : [seg1.table, seg2.table];
  const joined = rows
    ? suffixed(t2, 'after', extra)
        .withRowIndex('__row')
        .join(suffixed(t1, 'before', extra).drop('customer_id').withColumns(rows.alias('__row')), { on: '__row', how: 'left' })
        .sort('__row')
        .drop('__row')
    : suffixed(t1, 'before', extra).join(suffixed(t2, 'after', extra), { on: 'customer_id', how: 'full', coalesce: true } as never);
  let customers = joined.withColumns(pl.col('segment_before').fillNull(NEW), pl.col('segment_after').fillNull(GONE));
  const cells = cellsOf(customers);
  const rank = new Map(order.map((s, i) => [s, i]));
  const moves = pl.DataFrame({
    segment_before: cells.map((c) => c.from),
    segment_after: cells.map((c) => c.to),
    move: cells.map((c) => moveOf(c.from, c.to, rank)),
  });
  customers = customers
    .join(moves, { on: ['segment_before', 'segment_after'], how: 'left' })
    .select('customer_id', 'segment_before', 'segment_after', 'move', ...[...PERIOD_COLUMNS.slice(1), ...extra].flatMap((c) => [`${c}_before`, `${c}_after`]));
  if (!rows) customers = customers.sort('customer_id');

  // 5. Matrix, moves per segment, flows.
  const m = matricesOf(cells, order);
  const segments = segmentMoves(cells, order);
  const sum = (f: (c: (typeof cells)[number]) => boolean): number => cells.filter(f).reduce((a, c) => a + c.customers, 0);
  const mv = (c: (typeof cells)[number]): string => moveOf(c.from, c.to, rank);
  const totals = {
    before: seg1.table.height,
    after: seg2.table.height,
    both: sum((c) => c.from !== NEW && c.to !== GONE),
    new: sum((c) => c.from === NEW),
    gone: sum((c) => c.to === GONE),
    stayed: sum((c) => mv(c) === 'stayed'),
    up: sum((c) => mv(c) === 'up'),
    down: sum((c) => mv(c) === 'down'),
    lapsed: sum((c) => c.from !== NEW && !lapsed.includes(c.from) && lapsed.includes(c.to)),
  };
  const currency = options.currency ?? MIGRATE_DEFAULTS.currency;
  const flows = flowsOf(cells, order, p1.asOf, currency).slice(0, options.topFlows ?? MIGRATE_DEFAULTS.topFlows);
  return {
    asOf: { before: p1.asOf, after: p2.asOf },
    thresholdPolicy: policy,
    thresholds: { before: scored1.thresholds, after: scored2.thresholds },
    bins: scored1.bins,
    rules,
    order,
    lapsed,
    rows: m.rows,
    columns: m.columns,
    cells,
    counts: m.counts,
    revenueBefore: m.revenueBefore,
    revenueAfter: m.revenueAfter,
    segments,
    flows,
    totals,
    customers,
    ...(model ? { clusters: clusterCrossTab(customers, model) } : {}),
    warnings,
  };
}

/**
 * Two RFM tables of one transactions table: dates in order, and the second not past the data. The data's
 * last purchase is not the last purchase in r2's table when lines were left out after the second date
 * (r2 is cut at it): then the data goes on past that date, whatever gap comes before it.
 */
export function checkPeriods(r1: CustomerRfm, r2: CustomerRfm): void {
  checkDates(r1.asOf, r2.asOf);
  if (r2.counts.afterAsOf > 0) return;
  const last = r2.table.select(pl.col('last_purchase').max().cast(pl.Utf8).alias('d')).toRecords()[0].d as string;
  const dayAfter = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  if (r2.asOf > dayAfter) {
    throw new SegkitError('migrate', 'as_of_past_data', `the second as-of date (${r2.asOf}) is past the data, whose last purchase is on ${last}: every customer would look as if they had stopped buying`, {
      where: 'second as-of date',
      hint: `use a date up to ${dayAfter} (the day after the last purchase)`,
    });
  }
}

export interface MigrateAsOfOptions extends MigrateOptions, Omit<ComputeOptions, 'asOf' | 'level'> {}

/**
 * Migration between two as-of dates of one (cleaned) transactions table: computeRfm at each date, then
 * migrate. Customers with no purchase on or before the first date are "(new)".
 */
export function migrateAsOf(transactions: TransactionTable | pl.DataFrame, asOf: [string, string], options: MigrateAsOfOptions = {}): Migration {
  if (!Array.isArray(asOf) || asOf.length !== 2) {
    throw new SegkitError('migrate', 'bad_option', `give two as-of dates, got ${JSON.stringify(asOf)}`, { where: 'asOf', hint: "e.g. migrateAsOf(clean, ['2011-06-30', '2011-12-10'])" });
  }
  const { returns, columns, ...rest } = options;
  const compute = { ...(returns ? { returns } : {}), ...(columns ? { columns } : {}) };
  // Dates out of order are refused before any work.
  checkDates(String(parseDay(asOf[0], 'first as-of date')).padStart(9, '0'), String(parseDay(asOf[1], 'second as-of date')).padStart(9, '0'), asOf);
  // Both dates in one pass over the lines where it can (see computeRfmPair).
  const { before: r1, after: r2, rows } = computeRfmPair(transactions, asOf, compute);
  checkPeriods(r1, r2);
  return migratePeriods(periodOf(r1, 'before'), periodOf(r2, 'after'), rest, rows);
}
