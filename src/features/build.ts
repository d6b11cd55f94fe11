/**
 * buildFeatures: the customer table → a numeric feature matrix for k-means, with the fitted transform
 * kept so new customers get the same one and centroids can be shown in original units.
 */
import type pl from 'nodejs-polars';
import { SegkitError, closest, warn, type SegkitWarning } from '../errors';
import { logDomain } from '../messages';
import type { FeatureMatrix, FeatureTransform } from '../types';
import { quantile7 } from './stats';
import { applyTransform } from './transform';

export type Scaling = FeatureTransform['scale'];

export interface FeatureOptions {
  /** Numeric customer columns to use. Default `['recency_days', 'frequency', 'monetary']`. */
  columns?: string[];
  /** log1p before scaling: `true` (default) for every column, `false` for none, or the names of the columns to log. */
  log?: boolean | string[];
  /** `'zscore'` (default; population sd, as scikit-learn's StandardScaler), `'robust'` (median and IQR), `'minmax'` or `'none'`. */
  scale?: Scaling;
  /** Clip each column at these quantiles of its own values before the log, e.g. `[0.01, 0.99]`. Default: no clipping. */
  winsorize?: [number, number] | null;
  /** The id column. Default `'customer_id'`; when absent, ids are the row numbers 1..n (with a warning). */
  id?: string;
}

/** Defaults of the features stage. */
export const FEATURE_DEFAULTS = {
  columns: ['recency_days', 'frequency', 'monetary'],
  log: true as boolean | string[],
  scale: 'zscore' as Scaling,
  winsorize: null as [number, number] | null,
  id: 'customer_id',
} as const;

const SCALES: Scaling[] = ['zscore', 'robust', 'minmax', 'none'];

/** Accept a DataFrame or any stage result carrying one in `.table` (RfmResult, CustomerRfm). */
function tableOf(input: pl.DataFrame | { table: pl.DataFrame }): pl.DataFrame {
  if (input && typeof input === 'object' && 'table' in input && input.table) return input.table;
  return input as pl.DataFrame;
}

function numericColumn(df: pl.DataFrame, name: string): Float64Array {
  if (!df.columns.includes(name)) {
    const near = closest(name, df.columns);
    throw new SegkitError('features', 'missing_column', `column "${name}" not found. Available: ${df.columns.join(', ')}`, {
      where: `option columns`,
      hint: near.length ? `did you mean ${near.map((c) => `"${c}"`).join(' or ')}? Pass { columns: [...] } with existing names` : 'pass { columns: [...] } with existing names',
    });
  }
  const s = df.getColumn(name);
  if (!s.isNumeric()) {
    throw new SegkitError('features', 'not_numeric', `column "${name}" is ${String(s.dtype)}, not numeric`, {
      where: `column ${name}`,
      hint: 'use numeric customer columns only (cast text columns to numbers first)',
    });
  }
  const values = s.toArray() as Array<number | bigint | null>;
  const out = new Float64Array(values.length);
  const bad: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const x = v === null || v === undefined ? NaN : Number(v);
    if (!Number.isFinite(x)) bad.push(i);
    out[i] = x;
  }
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).map((i) => `row ${i} (${values[i] === null ? 'null' : String(values[i])})`).join(', ');
    throw new SegkitError('features', 'not_finite', `column "${name}" has ${bad.length} missing, NaN or infinite value(s): ${shown}${bad.length > 5 ? ', …' : ''}`, {
      where: `column ${name}, row ${bad[0]}`,
      hint: 'k-means needs a finite number for every customer: fill or drop these rows (and count them) before building features',
    });
  }
  return out;
}

function checkOptions(o: Required<Omit<FeatureOptions, 'winsorize'>> & { winsorize: [number, number] | null }): void {
  if (!SCALES.includes(o.scale)) {
    throw new SegkitError('features', 'bad_option', `scale "${String(o.scale)}" is not one of ${SCALES.join(', ')}`, { where: 'option scale', hint: `use one of ${SCALES.join(', ')}` });
  }
  if (!Array.isArray(o.columns) || o.columns.length === 0) {
    throw new SegkitError('features', 'bad_option', 'no feature columns given', { where: 'option columns', hint: "pass e.g. { columns: ['recency_days', 'frequency', 'monetary'] }" });
  }
  const dup = o.columns.find((c, i) => o.columns.indexOf(c) !== i);
  if (dup) throw new SegkitError('features', 'bad_option', `column "${dup}" is listed twice`, { where: 'option columns' });
  if (Array.isArray(o.log)) {
    const unknown = o.log.filter((c) => !o.columns.includes(c));
    if (unknown.length) {
      throw new SegkitError('features', 'bad_option', `log lists ${unknown.map((c) => `"${c}"`).join(', ')}, which is not a feature column`, { where: 'option log', hint: `log may name only columns among ${o.columns.join(', ')}` });
    }
  }
  const w = o.winsorize;
  if (w !== null && (!Array.isArray(w) || w.length !== 2 || !(w[0] >= 0 && w[0] < w[1] && w[1] <= 1))) {
    throw new SegkitError('features', 'bad_option', `winsorize must be [lower, upper] quantiles with 0 <= lower < upper <= 1, got ${JSON.stringify(w)}`, { where: 'option winsorize', hint: 'e.g. { winsorize: [0.01, 0.99] }' });
  }
}

/**
 * Build the feature matrix from a customer table (or an RFM result): pick numeric columns, optionally
 * winsorize, log1p (default on), then scale (z-score by default). Throws on missing, non-numeric,
 * non-finite or (when scaling) constant columns, naming the column and the rows.
 * @throws SegkitError `features/missing_column`, `features/not_numeric`, `features/not_finite` (a feature column is absent, not numeric, or has a missing or infinite value), `features/log_domain` (a value ≤ −1 under log1p), `features/zero_variance` (a column with one value cannot be scaled), `features/bad_option`.
 */
export function buildFeatures(input: pl.DataFrame | { table: pl.DataFrame }, options: FeatureOptions = {}): FeatureMatrix {
  const df = tableOf(input);
  const o = {
    columns: options.columns ?? [...FEATURE_DEFAULTS.columns],
    log: options.log ?? FEATURE_DEFAULTS.log,
    scale: options.scale ?? FEATURE_DEFAULTS.scale,
    winsorize: options.winsorize ?? FEATURE_DEFAULTS.winsorize,
    id: options.id ?? FEATURE_DEFAULTS.id,
  };
  checkOptions(o);
  const warnings: SegkitWarning[] = [];
  const n = df.height;
  const raw = o.columns.map((c) => numericColumn(df, c));
  const logged = o.columns.map((c) => (Array.isArray(o.log) ? o.log.includes(c) : o.log));

  // 1. winsorize bounds (quantiles of the raw values)
  let bounds: Array<[number, number]> | undefined;
  if (o.winsorize && n > 0) {
    const [lo, hi] = o.winsorize;
    bounds = raw.map((col) => {
      const s = Float64Array.from(col).sort();
      return [quantile7(s, lo), quantile7(s, hi)] as [number, number];
    });
  }
  // 2. clipped + logged values, column by column
  const pre = raw.map((col, j) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = col[i];
      if (bounds) v = Math.min(Math.max(v, bounds[j][0]), bounds[j][1]);
      if (logged[j]) {
        if (v <= -1) {
          throw logDomain(o.columns[j], v, i, {
            where: `column ${o.columns[j]}, row ${i}`,
            hint: `use { log: false }, or { log: [${o.columns.filter((_, jj) => jj !== j).map((c) => `'${c}'`).join(', ')}] } to leave this column unlogged`,
          });
        }
        v = Math.log1p(v);
      }
      out[i] = v;
    }
    return out;
  });
  // 3. scaling parameters
  const center: number[] = [];
  const scaleBy: number[] = [];
  pre.forEach((col, j) => {
    const name = o.columns[j];
    const [c, s] = scaleParams(col, o.scale, name, warnings);
    center.push(c);
    scaleBy.push(s);
  });

  const transform: FeatureTransform = {
    columns: [...o.columns],
    log: logged.some(Boolean),
    ...(logged.some(Boolean) && !logged.every(Boolean) ? { logged } : {}),
    ...(bounds ? { winsorize: { lower: o.winsorize![0], upper: o.winsorize![1], bounds } } : {}),
    scale: o.scale,
    center,
    scaleBy,
  };
  const X: number[][] = new Array(n);
  const original: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(o.columns.length);
    const orig = new Array<number>(o.columns.length);
    for (let j = 0; j < o.columns.length; j++) {
      row[j] = (pre[j][i] - center[j]) / scaleBy[j];
      orig[j] = raw[j][i];
    }
    X[i] = row;
    original[i] = orig;
  }

  let ids: string[];
  if (df.columns.includes(o.id)) {
    ids = (df.getColumn(o.id).toArray() as unknown[]).map((v) => (v === null || v === undefined ? '' : String(v)));
  } else {
    ids = Array.from({ length: n }, (_, i) => String(i + 1));
    if (options.id !== undefined) {
      throw new SegkitError('features', 'missing_column', `id column "${o.id}" not found. Available: ${df.columns.join(', ')}`, { where: 'option id', hint: 'pass the name of the customer id column, or leave id out to number the rows' });
    }
    warnings.push(warn('features', 'no_id_column', `no "${o.id}" column: customers are identified by their row number 1..${n}`));
  }
  return { ids, columns: [...o.columns], X, transform, original, warnings };
}

/** Center and scale of one (clipped, logged) column. */
function scaleParams(col: Float64Array, scale: Scaling, name: string, warnings: SegkitWarning[]): [number, number] {
  const n = col.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (col[i] < min) min = col[i];
    if (col[i] > max) max = col[i];
  }
  const constant = n > 0 && min === max;
  if (constant && scale !== 'none') {
    throw new SegkitError('features', 'zero_variance', `column "${name}" has the same value (${min}) for every customer, so it cannot be scaled and carries no information for clustering`, {
      where: `column ${name}`,
      hint: `leave it out: pass { columns: [...] } without "${name}"`,
    });
  }
  if (constant) {
    warnings.push(warn('features', 'zero_variance', `column "${name}" has the same value (${min}) for every customer; it adds nothing to the clustering`));
    return [0, 1];
  }
  if (scale === 'none') return [0, 1];
  if (scale === 'minmax') return [min, max - min];
  if (scale === 'robust') {
    const s = Float64Array.from(col).sort();
    const med = quantile7(s, 0.5);
    const iqr = quantile7(s, 0.75) - quantile7(s, 0.25);
    if (iqr > 0) return [med, iqr];
    const sd = stdDev(col);
    warnings.push(warn('features', 'zero_iqr', `column "${name}" has an interquartile range of 0 (at least half the customers share one value): scaled by its standard deviation (${sd.toPrecision(4)}) instead`));
    return [med, sd];
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += col[i];
  mean /= n;
  return [mean, stdDev(col)];
}

/** Population standard deviation (ddof 0), two-pass. */
function stdDev(col: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < col.length; i++) mean += col[i];
  mean /= col.length;
  let ss = 0;
  for (let i = 0; i < col.length; i++) ss += (col[i] - mean) ** 2;
  return Math.sqrt(ss / col.length);
}

/**
 * The same transform applied to new customers of a table (columns by name); ids come along.
 * @throws SegkitError `features/missing_column`, `features/not_numeric`, `features/not_finite`, `features/bad_row`, `features/log_domain`.
 */
export function transformTable(transform: FeatureTransform, input: pl.DataFrame | { table: pl.DataFrame }, id = FEATURE_DEFAULTS.id): FeatureMatrix {
  const df = tableOf(input);
  const original = transform.columns.map((c) => numericColumn(df, c));
  const rows = Array.from({ length: df.height }, (_, i) => original.map((col) => col[i]));
  const ids = df.columns.includes(id) ? (df.getColumn(id).toArray() as unknown[]).map((v) => String(v ?? '')) : rows.map((_, i) => String(i + 1));
  return { ids, columns: [...transform.columns], X: applyTransform(transform, rows), transform, original: rows };
}
