/**
 * Calibration/holdout validation: the BG/NBD forecast of each calibration customer's holdout purchases
 * against what they did, per frequency bucket (the classic chart of lifetimes'
 * plot_calibration_purchases_vs_holdout_purchases) and in total, with the mean absolute error per
 * customer against the naive forecast "same repeat rate as before" (x / T × holdout length).
 * With Gamma-Gamma parameters also predicted vs actual holdout revenue.
 */
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import type { BgNbdParams } from './bgnbd';
import { historyArrays } from './data';
import { conditionalExpectedSpend, type GammaGammaParams } from './gammagamma';
import { conditionalExpectedPurchases } from './predict';
import type { ClvSummary } from './summary';

export interface HoldoutOptions {
  /** Gamma-Gamma parameters, for predicted revenue. */
  spend?: GammaGammaParams;
  /** Calibration frequencies >= this are one bucket ("7+"). Default 7. */
  maxBucket?: number;
}

export interface HoldoutValidation {
  /** bucket, customers, actual (mean holdout purchases), predicted (mean), naive (mean). */
  byFrequency: pl.DataFrame;
  /** The per-customer forecasts: customer_id, frequency, holdout_purchases, predicted, naive (+ holdout_value, predicted_value). */
  customers: pl.DataFrame;
  totals: { customers: number; actual: number; predicted: number; naive: number; relativeError: number; actualValue?: number; predictedValue?: number };
  /** Mean absolute error per customer of the model and of the naive forecast. */
  mae: { model: number; naive: number };
  duration: number;
}

/**
 * @throws SegkitError `clv/no_holdout` (a summary without a holdout period), `clv/missing_column`, `clv/bad_history`, `clv/prediction_undefined`.
 */
export function validateHoldout(summary: ClvSummary, bgnbd: BgNbdParams, options: HoldoutOptions = {}): HoldoutValidation {
  if (!summary.holdout || !summary.table.columns.includes('holdout_purchases')) {
    throw new SegkitError('clv', 'no_holdout', 'the summary has no holdout period', { where: 'clvSummary result', hint: "build it with clvSummary(tx, { holdoutFrom: 'YYYY-MM-DD' })" });
  }
  const maxBucket = options.maxBucket ?? 7;
  const t = summary.holdout.duration;
  const h = historyArrays(summary.table);
  const actual = (summary.table.getColumn('holdout_purchases').toArray() as number[]).map(Number);
  const m = (summary.table.getColumn('monetary').toArray() as number[]).map(Number);
  const n = h.x.length;
  const predicted = new Float64Array(n);
  const naive = new Float64Array(n);
  const predictedValue = new Float64Array(n);
  let [sa, sp, sn, ea, en, pv] = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    predicted[i] = conditionalExpectedPurchases(bgnbd, t, h.x[i], h.tx[i], h.T[i]);
    naive[i] = h.T[i] > 0 ? (h.x[i] / h.T[i]) * t : 0;
    if (options.spend) predictedValue[i] = predicted[i] * conditionalExpectedSpend(options.spend, h.x[i], h.x[i] > 0 ? m[i] : 0);
    sa += actual[i];
    sp += predicted[i];
    sn += naive[i];
    ea += Math.abs(predicted[i] - actual[i]);
    en += Math.abs(naive[i] - actual[i]);
    pv += predictedValue[i];
  }
  const cols: pl.Series[] = [pl.Series('predicted', predicted), pl.Series('naive', naive)];
  if (options.spend) cols.push(pl.Series('predicted_value', predictedValue));
  const keep = ['customer_id', 'frequency', 'holdout_purchases', ...(options.spend ? ['holdout_value'] : [])];
  const customers = summary.table.select(...keep).hstack(pl.DataFrame(cols));
  const bucket = pl.when(pl.col('frequency').gtEq(maxBucket)).then(pl.lit(maxBucket)).otherwise(pl.col('frequency')).cast(pl.Int32);
  const byFrequency = customers
    .withColumns(bucket.alias('bucket'))
    .groupBy('bucket')
    .agg(pl.len().alias('customers'), pl.col('holdout_purchases').mean().alias('actual'), pl.col('predicted').mean(), pl.col('naive').mean())
    .sort('bucket')
    .withColumns(pl.when(pl.col('bucket').eq(maxBucket)).then(pl.lit(`${maxBucket}+`)).otherwise(pl.col('bucket').cast(pl.Utf8)).alias('bucket'));
  const totals: HoldoutValidation['totals'] = { customers: n, actual: sa, predicted: sp, naive: sn, relativeError: sa > 0 ? (sp - sa) / sa : NaN };
  if (options.spend) {
    totals.actualValue = Number(summary.table.getColumn('holdout_value').sum());
    totals.predictedValue = pv;
  }
  return { byFrequency, customers, totals, mae: { model: ea / n, naive: en / n }, duration: t };
}
