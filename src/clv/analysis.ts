/**
 * `analyzeClv(transactions, options)`: the whole lifetime-value run in one call, for a report, a notebook or
 * `analyze({ clv })`, and never a NaN out of it:
 *
 *   cleaned transactions → [calibration / holdout split → fit → validateHoldout]   (the model checked)
 *                        → summary to asOf → fitBgNbd + fitGammaGamma → customerValue (the forecast)
 *
 * The forecast refits both models on every day up to asOf (the holdout fit only judges the model). What
 * cannot be fitted (no repeat customers, no positive spend, a fit that fails) comes back as
 * `status: 'failed'` with the reason in plain words; a holdout that cannot be made (too little history)
 * leaves the forecast and says why in `holdoutReason`.
 */
import pl from 'nodejs-polars';
import { SegkitError, setWarningSink, type SegkitWarning } from '../errors';
import { checkDiscount, checkHorizon, checkPenalty } from './checks';
import type { TransactionTable } from '../types';
import { rfm, type RfmOptions } from '../rfm';
import { fitBgNbd, type BgNbdFit } from './bgnbd';
import { fitGammaGamma, type GammaGammaFit } from './gammagamma';
import { clvSummary, dayString, parseClvDay, type ClvSummary } from './summary';
import { validateHoldout, type HoldoutValidation } from './validate';
import { customerValue, valueByGroup, CLV_DEFAULTS } from './value';

export interface ClvAnalysisOptions {
  /** Purchase occasions: 'day' (default; same-day orders are one) or 'invoice'. */
  occasions?: 'day' | 'invoice';
  /** Last day observed, YYYY-MM-DD. Default: the last transaction day. */
  asOf?: string | null;
  /**
   * First day of the holdout used to check the model: a date, 'auto' (default: the last quarter of the
   * observed days, at least 28 of them) or null (no check).
   */
  holdoutFrom?: string | 'auto' | null;
  /** Months of future value. Default 12. */
  horizon?: number;
  /** Monthly discount rate. Default 0.01. */
  discount?: number;
  /** L2 penalty of both fits. Default 0. */
  penalty?: number;
  /**
   * Customers' segments on a day (a table with customer_id and segment): with it, holdout purchases and
   * revenue are also summed per segment the customers were in when the holdout began (`holdout.bySegment`).
   */
  segmentsAt?: (day: string) => pl.DataFrame;
}

export const CLV_ANALYSIS_DEFAULTS = { occasions: 'day', holdoutFrom: 'auto', horizon: CLV_DEFAULTS.horizon, discount: CLV_DEFAULTS.discount, penalty: 0 } as const;

export interface ClvHoldout {
  summary: ClvSummary;
  bgnbd: BgNbdFit;
  gammaGamma: GammaGammaFit | null;
  validation: HoldoutValidation;
  /** holdoutByGroup per segment on the calibration period's last day (with `segmentsAt`). */
  bySegment: pl.DataFrame | null;
}

export interface ClvAnalysis {
  status: 'ok' | 'failed';
  /** Why there is no forecast, in plain words (status 'failed'). */
  reason: string | null;
  options: { occasions: 'day' | 'invoice'; horizon: number; discount: number; penalty: number; holdoutFrom: string | null };
  /** The history to asOf and the models fitted on it. */
  summary: ClvSummary | null;
  bgnbd: BgNbdFit | null;
  gammaGamma: GammaGammaFit | null;
  /** Per customer: customer_id, frequency, recency, T, monetary, first_purchase, p_alive, expected_purchases, expected_spend, clv (all finite). */
  values: pl.DataFrame | null;
  /** The model fitted before the holdout and checked against it. */
  holdout: ClvHoldout | null;
  /** Why there is no holdout check, in plain words. */
  holdoutReason: string | null;
  warnings: SegkitWarning[];
}

/** A run that did not happen, with why. */
export function failedClv(reason: string, options: ClvAnalysisOptions = {}): ClvAnalysis {
  return emptyClv(reason, {
    occasions: options.occasions ?? CLV_ANALYSIS_DEFAULTS.occasions,
    horizon: options.horizon ?? CLV_ANALYSIS_DEFAULTS.horizon,
    discount: options.discount ?? CLV_ANALYSIS_DEFAULTS.discount,
    penalty: options.penalty ?? CLV_ANALYSIS_DEFAULTS.penalty,
  });
}

/** A failed run with nothing computed yet: the start of every run, and what a run that cannot happen returns. */
function emptyClv(reason: string | null, options: Omit<ClvAnalysis['options'], 'holdoutFrom'>, warnings: SegkitWarning[] = []): ClvAnalysis {
  return {
    status: 'failed',
    reason,
    options: { ...options, holdoutFrom: null },
    summary: null,
    bgnbd: null,
    gammaGamma: null,
    values: null,
    holdout: null,
    holdoutReason: null,
    warnings,
  };
}

/**
 * Lifetime value inside `analyze` (option clv): on the cleaned lines (file sources; a database source has
 * none in memory, said in words), to the analysis date, with the holdout compared per RFM segment (the
 * analysis's RFM options, scored on the calibration's last day).
 */
export function clvForAnalysis(clean: TransactionTable | pl.DataFrame | undefined, rfmOptions: RfmOptions, options: boolean | ClvAnalysisOptions, sourceKind = 'database'): ClvAnalysis {
  const o = typeof options === 'object' && options !== null ? options : {};
  if (!clean) return failedClv(`lifetime value is computed from the transaction lines in memory, which a ${sourceKind} source does not load (run the report on a file export to include it)`, o);
  const asOf = rfmOptions.asOf instanceof Date ? rfmOptions.asOf.toISOString().slice(0, 10) : (rfmOptions.asOf ?? null);
  // the earlier RFM run's own notes (rows after its date left out, …) are expected here: not repeated to the user
  const segmentsAt = (day: string): pl.DataFrame => {
    const prev = setWarningSink(() => undefined);
    try {
      return rfm(clean, { ...rfmOptions, asOf: day }).table;
    } finally {
      setWarningSink(prev);
    }
  };
  return analyzeClv(clean, { asOf, ...o, segmentsAt: o.segmentsAt ?? segmentsAt });
}

const words = (e: unknown): string => (e instanceof SegkitError ? e.message : e instanceof Error ? e.message : String(e));

/** Every value of the numeric columns finite. */
function allFinite(df: pl.DataFrame, columns: string[]): boolean {
  return columns.every((c) => (df.getColumn(c).toArray() as number[]).every((v) => typeof v === 'number' && Number.isFinite(v)));
}

/** The holdout's first day for 'auto': the last quarter of the days from the first to the last (at least 28 days), or null with why. */
function autoHoldout(df: pl.DataFrame, asOf: string | null): { from: string | null; why: string | null } {
  const r = df.select(pl.col('date').cast(pl.Date).cast(pl.Int32).min().alias('a'), pl.col('date').cast(pl.Date).cast(pl.Int32).max().alias('b')).toRecords()[0] as Record<string, number | null>;
  if (r.a === null || r.b === null) return { from: null, why: 'there are no dated transactions' };
  const last = asOf ? parseClvDay(asOf, 'asOf') : Number(r.b);
  const span = last - Number(r.a) + 1;
  const days = Math.max(28, Math.round(span / 4));
  if (span < 2 * days + 28) return { from: null, why: `the data covers ${span} days, too few to keep ${days} of them aside and still fit on the rest` };
  return { from: dayString(last - days + 1), why: null };
}

/**
 * @throws SegkitError `clv/bad_option` (horizon, discount, penalty), `clv/bad_date` (asOf), `clv/missing_column`; a failed fit is not thrown but reported in the result (status, reason).
 */
export function analyzeClv(input: TransactionTable | pl.DataFrame, options: ClvAnalysisOptions = {}): ClvAnalysis {
  const df = typeof (input as pl.DataFrame).getColumn === 'function' ? (input as pl.DataFrame) : (input as TransactionTable).df;
  const occasions = options.occasions ?? CLV_ANALYSIS_DEFAULTS.occasions;
  const horizon = options.horizon ?? CLV_ANALYSIS_DEFAULTS.horizon;
  const discount = options.discount ?? CLV_ANALYSIS_DEFAULTS.discount;
  const penalty = options.penalty ?? CLV_ANALYSIS_DEFAULTS.penalty;
  const asOf = options.asOf ?? null;
  const warnings: SegkitWarning[] = [];
  const prevSink = setWarningSink((w) => {
    warnings.push(w);
    prevSink(w);
  });
  const out = emptyClv(null, { occasions, horizon, discount, penalty }, warnings);
  try {
    // options that are the caller's mistake are thrown, not reported
    checkHorizon(horizon);
    checkDiscount(discount);
    checkPenalty(penalty);
    if (df.height === 0 || !df.columns.includes('date')) {
      out.reason = 'there are no transactions to model';
      return out;
    }
    // 1. the forecast: every day to asOf
    try {
      out.summary = clvSummary(df, { occasions, asOf });
    } catch (e) {
      if (e instanceof SegkitError && e.code === 'bad_date') throw e;
      out.reason = `the purchase histories could not be built: ${words(e)}`;
      return out;
    }
    const s = out.summary;
    if (s.counts.repeatCustomers === 0) {
      out.reason = `none of the ${s.counts.customers.toLocaleString('en-GB')} customers bought more than once by ${s.calibrationEnd}: repeat purchasing cannot be modelled, so there is no forecast of their value`;
      return out;
    }
    try {
      out.bgnbd = fitBgNbd(s.table, { penalty });
    } catch (e) {
      out.reason = `the BG/NBD model of repeat purchases could not be fitted: ${words(e)}`;
      return out;
    }
    try {
      out.gammaGamma = fitGammaGamma(s.table, { penalty });
    } catch (e) {
      out.reason = `the Gamma-Gamma model of spend could not be fitted: ${words(e)}`;
      return out;
    }
    let values: pl.DataFrame;
    try {
      values = customerValue(s.table, out.bgnbd.params, out.gammaGamma.params, { horizon, discount, unit: s.unit });
    } catch (e) {
      out.reason = `the models were fitted but give no forecast: ${words(e)}`;
      return out;
    }
    if (!allFinite(values, ['p_alive', 'expected_purchases', 'expected_spend', 'clv'])) {
      out.reason = `the fitted models give non-finite values for some customers (BG/NBD ${JSON.stringify(out.bgnbd.params)}), so no forecast is shown`;
      return out;
    }
    out.values = values;
    out.status = 'ok';

    // 2. the check: fit before the holdout, compare with what happened in it
    let from: string | null = null;
    if (options.holdoutFrom === 'auto' || options.holdoutFrom === undefined) {
      const a = autoHoldout(df, asOf);
      from = a.from;
      if (!from) out.holdoutReason = `no holdout check: ${a.why}`;
    } else from = options.holdoutFrom;
    if (from) {
      out.options.holdoutFrom = from;
      try {
        const hs = clvSummary(df, { occasions, asOf, holdoutFrom: from });
        if (hs.counts.repeatCustomers === 0) {
          out.holdoutReason = `no holdout check: none of the customers bought more than once before ${from}`;
        } else {
          const bg = fitBgNbd(hs.table, { penalty });
          let gg: GammaGammaFit | null = null;
          try {
            gg = fitGammaGamma(hs.table, { penalty });
          } catch {
            gg = null; // revenue is then not checked; purchases still are
          }
          const validation = validateHoldout(hs, bg.params, gg ? { spend: gg.params } : {});
          const t = validation.totals;
          const finite = [t.actual, t.predicted, t.naive, validation.mae.model, validation.mae.naive, ...(gg ? [t.predictedValue ?? NaN, t.actualValue ?? NaN] : [])].every(Number.isFinite);
          if (!finite) out.holdoutReason = 'no holdout check: the model fitted before the holdout gives non-finite predictions';
          else {
            let bySegment: pl.DataFrame | null = null;
            if (options.segmentsAt) {
              try {
                bySegment = holdoutByGroup(validation, options.segmentsAt(hs.calibrationEnd), 'segment');
              } catch {
                bySegment = null; // the per-segment view is optional; the check stands without it
              }
            }
            out.holdout = { summary: hs, bgnbd: bg, gammaGamma: gg, validation, bySegment };
          }
        }
      } catch (e) {
        if (e instanceof SegkitError && e.code === 'bad_date') throw e;
        out.holdoutReason = `no holdout check: ${words(e)}`;
      }
    }
    return out;
  } finally {
    setWarningSink(prevSink);
  }
}

/**
 * Holdout purchases and revenue per group (segment, cluster): customers, actual and predicted purchases and
 * revenue (revenue only when the holdout has Gamma-Gamma predictions). `groups` is a DataFrame with
 * customer_id and `column`; customers without a group go to "(none)". Sorted by group.
 */
export function holdoutByGroup(validation: HoldoutValidation, groups: pl.DataFrame, column: string): pl.DataFrame {
  const c = validation.customers;
  const revenue = c.columns.includes('predicted_value');
  const map = groups.select(pl.col('customer_id').cast(pl.Utf8), pl.col(column).cast(pl.Utf8).alias('group'));
  return c
    .withColumns(pl.col('customer_id').cast(pl.Utf8))
    .join(map, { on: 'customer_id', how: 'left' })
    .withColumns(pl.col('group').fillNull('(none)'))
    .groupBy('group')
    .agg(
      pl.len().alias('customers'),
      pl.col('holdout_purchases').sum().alias('actual_purchases'),
      pl.col('predicted').sum().alias('predicted_purchases'),
      ...(revenue ? [pl.col('holdout_value').sum().alias('actual_revenue'), pl.col('predicted_value').sum().alias('predicted_revenue')] : []),
    )
    .sort('group');
}

export { valueByGroup };
