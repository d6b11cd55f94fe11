/**
 * Customer lifetime value: BG/NBD expected purchases per month × Gamma-Gamma expected spend, discounted
 * monthly (as lifetimes' customer_lifetime_value, with months of 365.25/12 days):
 *   CLV = Σ_{i=1..H} [E(Y(i·M) | x, t_x, T) − E(Y((i−1)·M) | x, t_x, T)] · E(M | x, m) / (1 + d)^i
 */
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import { checkDiscount, checkHorizon } from './checks';
import type { BgNbdParams } from './bgnbd';
import { conditionalExpectedSpend, type GammaGammaParams } from './gammagamma';
import { historyArrays } from './data';
import { conditionalExpectedPurchases, probabilityAlive } from './predict';
import type { TimeUnit } from './summary';

export interface ClvOptions {
  /** Months ahead. Default 12. */
  horizon?: number;
  /** Monthly discount rate. Default 0.01 (1 %). */
  discount?: number;
  /** Unit of recency and T in the summary table. Default 'days'. */
  unit?: TimeUnit;
}

export const CLV_DEFAULTS = { horizon: 12, discount: 0.01, unit: 'days' } as const;

/** Days per month (365.25 / 12). */
export const MONTH_DAYS = 365.25 / 12;

/**
 * Per customer of a clvSummary table: p_alive, expected_purchases (over the horizon), expected_spend
 * (per purchase) and clv (discounted), after the table's own columns.
 * @throws SegkitError `clv/bad_option` (horizon, discount), `clv/missing_column`, `clv/bad_history`, `clv/bad_input`, `clv/prediction_undefined`.
 */
export function customerValue(summary: pl.DataFrame, bgnbd: BgNbdParams, gg: GammaGammaParams, options: ClvOptions = {}): pl.DataFrame {
  const horizon = options.horizon ?? CLV_DEFAULTS.horizon;
  const discount = options.discount ?? CLV_DEFAULTS.discount;
  const unit = options.unit ?? CLV_DEFAULTS.unit;
  checkHorizon(horizon);
  checkDiscount(discount);
  const month = unit === 'weeks' ? MONTH_DAYS / 7 : MONTH_DAYS;
  const h = historyArrays(summary);
  const m = (summary.getColumn('monetary').toArray() as unknown[]).map(Number);
  const n = h.x.length;
  const [alive, purchases, spend, clv] = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    const [x, tx, T] = [h.x[i], h.tx[i], h.T[i]];
    alive[i] = probabilityAlive(bgnbd, x, tx, T);
    spend[i] = conditionalExpectedSpend(gg, x, x > 0 ? m[i] : 0);
    let prev = 0;
    let value = 0;
    for (let k = 1; k <= horizon; k++) {
      const cum = conditionalExpectedPurchases(bgnbd, k * month, x, tx, T);
      value += ((cum - prev) * spend[i]) / (1 + discount) ** k;
      prev = cum;
    }
    purchases[i] = prev;
    clv[i] = value;
  }
  return summary.hstack(pl.DataFrame([
    pl.Series('p_alive', alive),
    pl.Series('expected_purchases', purchases),
    pl.Series('expected_spend', spend),
    pl.Series('clv', clv),
  ]));
}

/**
 * CLV summed per group (RFM segment, k-means cluster, …). `groups` maps customer_id → group: a Map, a
 * record, or a DataFrame with customer_id and `column`. Customers without a group go to "(none)".
 * Columns: group, customers, clv, clv_per_customer, expected_purchases, share (of the total CLV); by clv descending.
 * @throws SegkitError `clv/missing_column` (a group table without customer_id or the group column).
 */
export function valueByGroup(values: pl.DataFrame, groups: Map<string, string | number> | Record<string, string | number> | pl.DataFrame, column = 'segment'): pl.DataFrame {
  let map: pl.DataFrame;
  if (typeof (groups as pl.DataFrame).getColumn === 'function') {
    const g = groups as pl.DataFrame;
    if (!g.columns.includes('customer_id') || !g.columns.includes(column)) {
      throw new SegkitError('clv', 'missing_column', `the group table needs customer_id and "${column}"`, { where: `columns: ${g.columns.join(', ')}`, hint: 'pass the column that holds the group, e.g. valueByGroup(values, rfm.table, "segment")' });
    }
    map = g.select(pl.col('customer_id'), pl.col(column).cast(pl.Utf8).alias('group'));
  } else {
    const entries = groups instanceof Map ? [...groups.entries()] : Object.entries(groups);
    map = pl.DataFrame({ customer_id: entries.map((e) => String(e[0])), group: entries.map((e) => String(e[1])) });
  }
  const total = Number(values.getColumn('clv').sum());
  return values
    .select('customer_id', 'clv', 'expected_purchases')
    .join(map, { on: 'customer_id', how: 'left' })
    .withColumns(pl.col('group').fillNull('(none)'))
    .groupBy('group')
    .agg(pl.len().alias('customers'), pl.col('clv').sum(), pl.col('expected_purchases').sum())
    .withColumns(pl.col('clv').div(pl.col('customers')).alias('clv_per_customer'), pl.col('clv').div(total === 0 ? 1 : total).alias('share'))
    .select('group', 'customers', 'clv', 'clv_per_customer', 'expected_purchases', 'share')
    .sort(['clv', 'group'], true);
}
