/**
 * `cleanTransactions(tx, options)`: apply the data-quality rules in order, each counting the rows it
 * removes among those still present, and return the cleaned table with a {@link QualityRecord}
 * (rows read = rows kept + Σ removed, checked).
 *
 * Every rule is a row-wise "keep" expression; they are evaluated together in one Polars pass. The
 * duplicate rule keeps the first of identical rows: identical rows fare identically under every other
 * rule, so "first among the rows still present" equals "first in the file".
 */
import pl from 'nodejs-polars';
import { SegkitError, warn, type SegkitWarning } from '../errors';
import type { CleanResult, QualityRecord, RuleCount, TransactionTable } from '../types';
import { CANONICAL_COLUMNS } from '../types';
import {
  type DateWindow,
  DEFAULT_RULES,
  NON_PRODUCT_CODES,
  OUTLIER_DEFAULTS,
  type OutlierOptions,
  RULE_ORDER,
  type RuleKey,
  dateWindowKeep,
  nonProductKeep,
} from './rules';

export interface CleanOptions {
  /** Turn rules on or off: `{ duplicate_row: false, non_product_code: true }`. Defaults: the five RFM rules on, the rest off. */
  rules?: Partial<Record<RuleKey, boolean>>;
  /** Run order (rules left out run after, in the default order). Default {@link RULE_ORDER}. */
  order?: RuleKey[];
  /** An invoice starting with this is a cancellation. Default 'C'. */
  cancelPrefix?: string;
  /** Codes for the non_product_code rule (giving a list turns the rule on). Default {@link NON_PRODUCT_CODES}. */
  nonProductCodes?: readonly string[];
  /** Settings of the outlier_line rule (giving them turns the rule on). Default {@link OUTLIER_DEFAULTS}. */
  outlier?: OutlierOptions;
  /** Keep only lines within this window (giving it turns the date_window rule on). */
  dateWindow?: DateWindow;
  /** Return an empty table instead of throwing when every row is removed. Default false. */
  allowEmpty?: boolean;
}

export const CLEAN_DEFAULTS = {
  rules: Object.fromEntries(RULE_ORDER.map((r) => [r, DEFAULT_RULES.includes(r)])) as Record<RuleKey, boolean>,
  order: [...RULE_ORDER],
  cancelPrefix: 'C',
  nonProductCodes: NON_PRODUCT_CODES,
  outlier: OUTLIER_DEFAULTS,
  allowEmpty: false,
};

/** Human labels of the rules (QualityRecord.rules[].label). */
export const RULE_LABELS: Record<RuleKey, string> = {
  missing_customer_id: 'Missing customer id',
  cancelled_invoice: 'Cancelled invoice',
  nonpositive_quantity: 'Quantity missing or ≤ 0',
  nonpositive_unit_price: 'Unit price missing or ≤ 0',
  duplicate_row: 'Exact duplicate row (first kept)',
  non_product_code: 'Non-product stock code',
  date_window: 'Outside the date window',
  outlier_line: 'Outlier line',
};

/** The rules that run, in order, for these options (unknown rule names are an error). */
export function enabledRules(o: CleanOptions): RuleKey[] {
  const on = (r: RuleKey): boolean => {
    const given = o.rules?.[r];
    if (given !== undefined) return given;
    if (r === 'non_product_code' && o.nonProductCodes) return true;
    if (r === 'outlier_line' && o.outlier) return true;
    if (r === 'date_window' && o.dateWindow) return true;
    return CLEAN_DEFAULTS.rules[r];
  };
  for (const r of [...(o.order ?? []), ...Object.keys(o.rules ?? {})]) {
    if (!RULE_ORDER.includes(r as RuleKey)) {
      throw new SegkitError('clean', 'unknown_rule', `unknown cleaning rule "${r}"`, { where: 'option rules/order', hint: `rules are: ${RULE_ORDER.join(', ')}` });
    }
  }
  const order = [...(o.order ?? []), ...RULE_ORDER.filter((r) => !(o.order ?? []).includes(r))];
  return order.filter(on);
}

/** Apply the cleaning rules; see {@link CleanOptions}. Pure: the input table is not changed. */
export function cleanTransactions(tx: TransactionTable, options: CleanOptions = {}): CleanResult {
  const plan = planCleaning(tx, options);
  const canonical = tx.df.select(...CANONICAL_COLUMNS);
  return cleanedResult(tx, plan.keep ? canonical.filter(plan.keep) : canonical, plan);
}

/** What cleaning a table does, before any row is copied: the rows kept and the record (see planCleaning). */
export interface CleaningPlan {
  /** True for the rows kept (Boolean, one per row of the table), or null when no rule is on (every row kept). */
  keep: pl.Series | null;
  /** The cleaning record but its date range (that of the kept rows: see cleanedResult). */
  quality: Omit<QualityRecord, 'dateRange'>;
}

/**
 * The rows cleanTransactions keeps and its record, without the cleaned table: the errors it throws are thrown
 * here, before any row is copied. `cleanedResult(tx, rows kept, plan)` then gives cleanTransactions' result,
 * whatever made the table of the kept rows (the table's filter, or one column at a time: source/file.ts).
 */
export function planCleaning(tx: TransactionTable, options: CleanOptions = {}): CleaningPlan {
  const rules = enabledRules(options);
  const prefix = options.cancelPrefix ?? CLEAN_DEFAULTS.cancelPrefix;
  const outlier = { ...OUTLIER_DEFAULTS, ...(options.outlier ?? {}) };
  const warnings: SegkitWarning[] = [];
  const df = tx.df;
  const hasUnitPrice = df.getColumn('unit_price').nullCount() < df.height || tx.mapping.unitPrice !== undefined;

  // row-wise "pass" expressions (true = keep)
  const pass: Partial<Record<RuleKey, pl.Expr>> = {
    missing_customer_id: pl.col('customer_id').isNotNull(),
    cancelled_invoice: pl.col('invoice').str.startsWith(prefix).not().fillNull(true),
    nonpositive_quantity: pl.col('quantity').gt(0).fillNull(false),
    nonpositive_unit_price: (hasUnitPrice ? pl.col('unit_price') : pl.col('amount')).gt(0).fillNull(false),
    non_product_code: nonProductKeep(options.nonProductCodes ?? NON_PRODUCT_CODES),
  };
  if (rules.includes('date_window')) {
    if (!options.dateWindow || (!options.dateWindow.from && !options.dateWindow.to)) {
      throw new SegkitError('clean', 'bad_option', 'the date_window rule is on but no window was given', { where: 'option dateWindow', hint: "pass dateWindow: { from: 'YYYY-MM-DD', to: 'YYYY-MM-DD' }" });
    }
    pass.date_window = dateWindowKeep(options.dateWindow);
  }
  if (rules.includes('cancelled_invoice') && tx.orders === 'customer-day') {
    warnings.push(warn('clean', 'no_invoice_column', 'no invoice column: the cancelled-invoice rule has nothing to check (returns show up as quantity ≤ 0)'));
  }

  // P: one Boolean column per rule (true = keep), kept apart from the table and in one chunk, so that
  // combining masks never realigns (copies) the table's columns. keep_i = p_1 ∧ … ∧ p_i; the outlier
  // fence is computed on the rows kept before it.
  const rowWise = rules.filter((r) => r !== 'outlier_line' && r !== 'duplicate_row');
  // (`__rows` only gives P the table's height when no row-wise rule is on)
  let P = df.lazy().select(pl.col('date').isNull().alias('__rows'), ...rowWise.map((r) => pass[r]!.alias(r))).collectSync().rechunk();
  if (rules.includes('duplicate_row')) P = P.withColumn(firstOfDuplicates(df).alias('duplicate_row'));
  const removedExprs: pl.Expr[] = [];
  let keep: pl.Expr = pl.col('__rows').or(pl.col('__rows').not()); // true on every row (a literal would be one row)
  let fence: { lo: number | null; hi: number } | undefined;
  for (const r of rules) {
    if (r === 'outlier_line') {
      const keepSoFar = P.select(keep.alias('k')).getColumn('k');
      const values = df.getColumn(outlier.by).rechunk();
      fence = outlierFence(pl.DataFrame([values.alias('v'), keepSoFar]), outlier);
      let p = pl.col('v').ltEq(fence.hi);
      if (fence.lo !== null) p = p.and(pl.col('v').gtEq(fence.lo));
      P = P.withColumn(pl.DataFrame([values.alias('v')]).select(p.fillNull(true).alias('outlier_line')).getColumn('outlier_line'));
    }
    const p = pl.col(r);
    removedExprs.push(keep.and(p.not()).cast(pl.UInt32).sum().alias(r));
    keep = keep.and(p);
  }
  const counts = rules.length ? (P.select(...removedExprs).toRecords()[0] as Record<string, number>) : {};
  const keepMask = rules.length ? P.select(keep.alias('keep')).getColumn('keep') : null;

  const ruleCounts: RuleCount[] = rules.map((r) => ({ rule: r, label: ruleLabel(r, options, prefix, hasUnitPrice, outlier, fence), removed: Number(counts[r] ?? 0) }));
  const removed = Object.fromEntries(ruleCounts.map((c) => [c.rule, c.removed]));
  const rowsRead = df.height;
  const rowsKept = keepMask ? Number(keepMask.cast(pl.UInt32).sum()) : rowsRead;
  const sum = ruleCounts.reduce((s, c) => s + c.removed, 0);
  if (rowsRead !== rowsKept + sum) {
    throw new SegkitError('clean', 'invariant_broken', `rows read (${rowsRead}) ≠ rows kept (${rowsKept}) + rows removed (${sum})`, {
      where: 'cleanTransactions',
      hint: 'this is a bug in segkit; please report it with the input file',
    });
  }
  if (rowsKept === 0 && !options.allowEmpty) {
    const worst = [...ruleCounts].sort((a, b) => b.removed - a.removed)[0];
    throw new SegkitError('clean', 'all_rows_removed', `cleaning removed every one of the ${rowsRead.toLocaleString('en-GB')} rows (${ruleCounts.map((c) => `${c.rule}: ${c.removed}`).join(', ')})`, {
      where: tx.source.path,
      hint: worst
        ? `most went to "${worst.rule}" (${worst.label}); check the column mapping (${Object.entries(tx.mapping).map(([k, v]) => `${k}=${v}`).join(', ')}) or turn that rule off with rules: { ${worst.rule}: false }`
        : 'check the input',
    });
  }
  return { keep: keepMask, quality: { rowsRead, rowsKept, rules: ruleCounts, removed, warnings } };
}

/**
 * cleanTransactions' result from its plan and the table of the rows kept (canonical columns, in order):
 * the date range of those rows, the record, the cleaned TransactionTable (with the input's source,
 * mapping and warnings).
 */
export function cleanedResult(tx: Omit<TransactionTable, 'df'>, cleanDf: pl.DataFrame, plan: CleaningPlan): CleanResult {
  const { warnings, rowsKept } = plan.quality;
  if (cleanDf.height !== rowsKept) {
    throw new SegkitError('clean', 'invariant_broken', `the cleaned table has ${cleanDf.height} rows, the plan keeps ${rowsKept}`, {
      where: 'cleanedResult',
      hint: 'this is a bug in segkit; please report it with the input file',
    });
  }
  const range = rowsKept ? (cleanDf.select(pl.col('date').min().alias('a'), pl.col('date').max().alias('b')).toRecords()[0] as unknown as { a: Date | null; b: Date | null }) : { a: null, b: null };
  const iso = (d: Date | null): string | null => (d ? d.toISOString().slice(0, 19) : null);
  const { rowsRead, rules, removed } = plan.quality;
  const quality: QualityRecord = { rowsRead, rowsKept, rules, removed, dateRange: { first: iso(range.a), last: iso(range.b) }, warnings };
  return {
    clean: { ...tx, df: cleanDf, source: { ...tx.source }, mapping: { ...tx.mapping }, warnings: [...tx.warnings, ...warnings] },
    quality,
  };
}

/**
 * True for the first of each set of identical rows (all canonical columns equal, nulls equal to nulls),
 * false for the later copies. Identical rows share their numbers, so only rows whose (date, quantity,
 * unit price, amount) repeat are candidates (hashing numbers is cheap); those are then compared exactly
 * on every column. Hash collisions only add candidates, never merge different rows.
 */
export function firstOfDuplicates(df: pl.DataFrame): pl.Series {
  const cols = CANONICAL_COLUMNS.map((c) => pl.col(c));
  const numbers = pl.struct([pl.col('date').cast(pl.Int64), pl.col('quantity'), pl.col('unit_price'), pl.col('amount')]);
  // candidates: rows whose number-hash equals a neighbour's after sorting by it (a sort beats a hash table here)
  // (one lazy query: its intermediate columns are freed inside Polars as soon as it finishes, instead of
  // lingering as JS-held DataFrames until the next garbage collection)
  const idx = df
    .lazy()
    .select(numbers.hash(0x5e6b17, 0x2d1f3c, 0x7a0e44, 0x1b9d55).alias('h'))
    .withRowIndex('i')
    .sort('h')
    .filter(pl.col('h').eq(pl.col('h').shift(1)).or(pl.col('h').eq(pl.col('h').shift(-1))).fillNull(false))
    .select('i')
    .sort('i')
    .collectSync()
    .getColumn('i');
  if (idx.length === 0) return pl.Series('first', new Uint8Array(df.height).fill(1)).cast(pl.Bool);
  const first = df
    .lazy()
    .select(...CANONICAL_COLUMNS.map((c) => pl.col(c).gather(idx)))
    .select(pl.struct(cols).isFirstDistinct().alias('f'))
    .collectSync()
    .getColumn('f');
  const later = pl.DataFrame({ i: idx, f: first }).filter(pl.col('f').not()).getColumn('i').toTypedArray() as Uint32Array;
  const mask = new Uint8Array(df.height).fill(1);
  for (const i of later) mask[i] = 0;
  return pl.Series('first', mask).cast(pl.Bool);
}

/** Outlier fence from a frame with the values `v` and the rows still kept `k`. */
function outlierFence(VK: pl.DataFrame, o: Required<OutlierOptions>): { lo: number | null; hi: number } {
  if (o.method === 'quantile' && !(o.upper > 0.5 && o.upper < 1)) {
    throw new SegkitError('clean', 'bad_option', `outlier quantile ${o.upper} is out of range`, { where: 'option outlier.upper', hint: 'use a quantile between 0.5 and 1, e.g. 0.999' });
  }
  if (o.method === 'iqr' && !(o.k > 0)) {
    throw new SegkitError('clean', 'bad_option', `IQR multiplier ${o.k} must be positive`, { where: 'option outlier.k', hint: 'use e.g. 1.5 or 3' });
  }
  const v = pl.col('v').filter(pl.col('k'));
  const q = VK.select(v.quantile(0.25).alias('q1'), v.quantile(0.75).alias('q3'), v.quantile(o.upper).alias('hi'), v.quantile(1 - o.upper).alias('lo')).toRecords()[0] as Record<string, number | null>;
  if (o.method === 'iqr') {
    const iqr = (q.q3 ?? 0) - (q.q1 ?? 0);
    return { hi: (q.q3 ?? 0) + o.k * iqr, lo: o.side === 'both' ? (q.q1 ?? 0) - o.k * iqr : null };
  }
  return { hi: q.hi ?? Infinity, lo: o.side === 'both' ? (q.lo ?? -Infinity) : null };
}

const fmt = (x: number): string => x.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** The label of a rule in the quality record. */
export function ruleLabel(r: RuleKey, o: CleanOptions, prefix: string, hasUnitPrice: boolean, out: Required<OutlierOptions>, fence?: { lo: number | null; hi: number }): string {
  switch (r) {
    case 'cancelled_invoice':
      return `Cancelled invoice (starts with '${prefix}')`;
    case 'nonpositive_unit_price':
      return hasUnitPrice ? RULE_LABELS[r] : 'Line amount missing or ≤ 0';
    case 'non_product_code': {
      const codes = o.nonProductCodes ?? NON_PRODUCT_CODES;
      return `${RULE_LABELS[r]} (${codes.slice(0, 6).join(', ')}${codes.length > 6 ? ', …' : ''})`;
    }
    case 'date_window':
      return `${RULE_LABELS[r]} (${o.dateWindow?.from ?? '…'} to ${o.dateWindow?.to ?? '…'})`;
    case 'outlier_line': {
      const how = out.method === 'iqr' ? `Q3 + ${out.k}·IQR` : `${(out.upper * 100).toFixed(1)}th percentile`;
      const range = fence ? `${out.by} ${fence.lo !== null ? `< ${fmt(fence.lo)} or ` : ''}> ${fmt(fence.hi)}` : out.by;
      return `${RULE_LABELS[r]} (${range}; ${how})`;
    }
    default:
      return RULE_LABELS[r];
  }
}
