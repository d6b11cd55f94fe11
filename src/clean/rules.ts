/**
 * The cleaning rules: each one says which rows it keeps, as a Polars expression over the canonical
 * transaction columns. Rules run in order; each counts the rows it removes among those still present.
 */
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';

/** Rule keys, as used in QualityRecord.removed (the first five are the default RFM contract). */
export type RuleKey =
  | 'missing_customer_id'
  | 'cancelled_invoice'
  | 'nonpositive_quantity'
  | 'nonpositive_unit_price'
  | 'duplicate_row'
  | 'non_product_code'
  | 'date_window'
  | 'outlier_line';

/** The default order (default rules first, then the optional ones). */
export const RULE_ORDER: readonly RuleKey[] = [
  'missing_customer_id',
  'cancelled_invoice',
  'nonpositive_quantity',
  'nonpositive_unit_price',
  'duplicate_row',
  'non_product_code',
  'date_window',
  'outlier_line',
];

/** Rules on by default. */
export const DEFAULT_RULES: readonly RuleKey[] = ['missing_customer_id', 'cancelled_invoice', 'nonpositive_quantity', 'nonpositive_unit_price', 'duplicate_row'];

/**
 * Stock codes that are not products in UCI-style retail data (postage, fees, manual adjustments,
 * discounts, samples, bad debt, charity…). Compared case-insensitively after trimming; an entry ending
 * in `*` matches codes starting with what comes before it.
 */
export const NON_PRODUCT_CODES: readonly string[] = [
  'POST', 'DOT', 'M', 'D', 'C2', 'S', 'B', 'BANK CHARGES', 'AMAZONFEE', 'CRUK', 'PADS',
  'ADJUST', 'ADJUST2', 'TEST001', 'TEST002', 'gift_0001_*',
];

export interface OutlierOptions {
  /** Column judged: 'quantity' or the line 'amount'. Default 'amount'. */
  by?: 'quantity' | 'amount';
  /** 'quantile': beyond the `upper` quantile; 'iqr': beyond Q3 + k·IQR. Default 'quantile'. */
  method?: 'quantile' | 'iqr';
  /** Upper quantile for method 'quantile' (the lower one is 1 − upper when side is 'both'). Default 0.999. */
  upper?: number;
  /** IQR multiplier for method 'iqr'. Default 3. */
  k?: number;
  /** Remove only high lines ('upper') or both tails ('both'). Default 'upper'. */
  side?: 'upper' | 'both';
}

export const OUTLIER_DEFAULTS: Required<OutlierOptions> = { by: 'amount', method: 'quantile', upper: 0.999, k: 3, side: 'upper' };

export interface DateWindow {
  /** First day kept, `YYYY-MM-DD` (or a full ISO date-time), inclusive. */
  from?: string;
  /** Last day kept, `YYYY-MM-DD` inclusive (a full ISO date-time is an inclusive instant). */
  to?: string;
}

/** Rows-kept expression for a code list: codes matching the list are removed; null codes are kept. */
export function nonProductKeep(codes: readonly string[]): pl.Expr {
  const code = pl.col('product').cast(pl.Utf8).str.strip().str.toUpperCase();
  const exact = codes.filter((c) => !c.endsWith('*')).map((c) => c.trim().toUpperCase());
  const prefixes = codes.filter((c) => c.endsWith('*')).map((c) => c.slice(0, -1).trim().toUpperCase());
  let hit = code.isIn(exact);
  for (const p of prefixes) hit = hit.or(code.str.startsWith(p));
  return hit.not().fillNull(true);
}

/** Milliseconds since the epoch (naive = UTC) of a date window bound; `end` makes a date-only bound inclusive of its whole day. */
export function boundMs(s: string, end: boolean, param: string): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(s.trim());
  const iso = dateOnly ? `${s.trim()}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(s.trim()) ? s.trim() : `${s.trim().replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new SegkitError('clean', 'bad_option', `cannot read the date "${s}"`, { where: `option dateWindow.${param}`, hint: 'give a date as YYYY-MM-DD (or YYYY-MM-DDTHH:MM:SS)' });
  }
  // Date.parse rolls impossible days over (2011-02-30 → 2011-03-02): refuse them instead
  const ymd = /^(\d{4})-(\d{2})-(\d{2})/.exec(s.trim());
  if (ymd) {
    const [y, m, d] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
    const day = new Date(Date.UTC(y, m - 1, d));
    if (m < 1 || m > 12 || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) {
      const days = m >= 1 && m <= 12 ? new Date(Date.UTC(y, m, 0)).getUTCDate() : 0;
      throw new SegkitError('clean', 'bad_option', `the date "${s}" does not exist${days ? ` (${ymd[1]}-${ymd[2]} has ${days} days)` : ' (months are 01 to 12)'}`, {
        where: `option dateWindow.${param}`,
        hint: 'give a real calendar day as YYYY-MM-DD',
      });
    }
  }
  return dateOnly && end ? ms + 86_400_000 - 1 : ms;
}

/** Check a date window before any data is read: each bound a real day, and from not after to. */
export function checkDateWindow(w: DateWindow): void {
  const from = w.from === undefined || w.from === '' ? undefined : boundMs(w.from, false, 'from');
  const to = w.to === undefined || w.to === '' ? undefined : boundMs(w.to, true, 'to');
  if (from !== undefined && to !== undefined && from > to) {
    throw new SegkitError('clean', 'bad_option', `the date window is empty: dateWindow.from (${w.from}) is after dateWindow.to (${w.to})`, {
      where: 'option dateWindow',
      hint: 'give the earlier day as the start of the window and the later one as its end',
    });
  }
}

export function dateWindowKeep(w: DateWindow): pl.Expr {
  checkDateWindow(w);
  const t = pl.col('date').cast(pl.Int64);
  let keep: pl.Expr = pl.lit(true);
  if (w.from) keep = keep.and(t.gtEq(boundMs(w.from, false, 'from')));
  if (w.to) keep = keep.and(t.ltEq(boundMs(w.to, true, 'to')));
  return keep.fillNull(false);
}
