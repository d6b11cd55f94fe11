/**
 * RFM options, their defaults (one place) and the checks shared by compute, score and segment.
 */
import type pl from 'nodejs-polars';
import { SegkitError, type SegkitWarning } from '../errors';
import { ROLE_COLUMN, type ScoreThresholds } from '../types';

export type ScoreMethod = 'rank' | 'quantile' | 'breaks';
export type ReturnsPolicy = 'drop' | 'net';

/** Column roles understood by RFM, for bare DataFrames whose columns are not the canonical names. */
export type RfmRole = 'customer' | 'invoice' | 'date' | 'quantity' | 'unitPrice' | 'amount' | 'recency' | 'frequency' | 'monetary';

/** Canonical column for each role (transactions from readTransactions, or an RFM customer table). */
export const ROLE_COLUMNS: Record<RfmRole, string> = {
  customer: ROLE_COLUMN.customer,
  invoice: ROLE_COLUMN.invoice,
  date: ROLE_COLUMN.date,
  quantity: ROLE_COLUMN.quantity,
  unitPrice: ROLE_COLUMN.unitPrice,
  amount: ROLE_COLUMN.amount,
  recency: 'recency_days',
  frequency: 'frequency',
  monetary: 'monetary',
};

export interface ComputeOptions {
  /**
   * The analysis date, `YYYY-MM-DD` or a Date (its UTC calendar day). Default: the calendar date of the
   * last transaction + 1 day. Transactions dated after it are left out (counted, with a warning);
   * those on the day itself have recency 0.
   */
  asOf?: string | Date | null;
  /** Cancellations/returns (negative amount or quantity, or an invoice starting with "C"): `'drop'` (default) leaves them out; `'net'` subtracts them from the customer's spend. */
  returns?: ReturnsPolicy;
  /** Role → column name, for a bare DataFrame with other column names (no literal names are required). */
  columns?: Partial<Record<RfmRole, string>>;
  /** `'transactions'` or `'customers'` (a table that already has recency, frequency and monetary). Default: detected from the columns. */
  level?: 'transactions' | 'customers';
}

/** User-given inner cut points per dimension (ascending raw values; `bins - 1` of them each). */
export interface Breaks {
  recency: number[];
  frequency: number[];
  monetary: number[];
}

export interface ScoreOptions {
  /** Number of scores per dimension, 2..10. Default 5 (4 gives quartiles). With `breaks`, defaults to the number of cut points + 1. */
  bins?: number;
  /** `'rank'` (default): 1 + floor(bins × below / N); `'quantile'`: the R package rfm's cut points; `'breaks'`: your own cut points. */
  method?: ScoreMethod;
  /** Cut points for `method: 'breaks'`. */
  breaks?: Breaks;
}

/** Defaults of the RFM stage (each is stated in the TSDoc of the option it fills). */
export const DEFAULTS = {
  bins: 5,
  method: 'rank' as ScoreMethod,
  returns: 'drop' as ReturnsPolicy,
  /** null = the calendar date of the last transaction + 1 day. */
  asOf: null as string | null,
  minBins: 2,
  maxBins: 10,
} as const;

/** Customer-level R, F, M (before scoring): what computeRfm returns. */
export interface CustomerRfm {
  /** customer_id, recency_days, frequency, monetary, then first_purchase, last_purchase, tenure_days, avg_order_value, items (those known). */
  table: pl.DataFrame;
  /** The analysis date, YYYY-MM-DD ("" for a customer-level input given without asOf). */
  asOf: string;
  /** How frequency was counted. */
  orders: 'invoice' | 'customer-day' | 'given';
  returns: ReturnsPolicy;
  /** What happened to the input rows (every dropped row is counted here). */
  counts: RfmCounts;
  warnings: SegkitWarning[];
}

export interface RfmCounts {
  /** Rows in the input. */
  rowsIn: number;
  /** Rows that went into R, F or M. */
  rowsUsed: number;
  /** Rows without a customer id (left out). */
  missingCustomer: number;
  /** Rows with a customer id but no date or no amount (left out). */
  missingValues: number;
  /** Rows dated after asOf (left out). */
  afterAsOf: number;
  /** Return/cancellation rows: left out under returns 'drop', netted under 'net'. */
  returnRows: number;
  /** Customers with returns only (no purchase, so no recency): left out under 'net'. */
  returnsOnlyCustomers: number;
  /** Customers whose monetary is below zero (possible under 'net'; kept). */
  negativeMonetary: number;
  customers: number;
}

/** Scored customers: what scoreRfm returns (segmentRfm adds the segment). */
export interface ScoredRfm {
  /** The customer table with r_score, f_score, m_score, rfm_code, rfm_score after monetary. */
  table: pl.DataFrame;
  asOf: string;
  bins: number;
  method: ScoreMethod;
  thresholds: ScoreThresholds[];
  counts?: RfmCounts;
  warnings: SegkitWarning[];
}

/** Check `bins` is an integer in 2..10. */
export function checkBins(bins: unknown, where = 'option bins'): number {
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < DEFAULTS.minBins || bins > DEFAULTS.maxBins) {
    throw new SegkitError('rfm', 'bins_out_of_range', `bins must be a whole number from ${DEFAULTS.minBins} to ${DEFAULTS.maxBins}, got ${JSON.stringify(bins)}`, {
      where,
      hint: 'use 5 (the usual quintiles) or 4 (quartiles); more than 10 scores cannot be told apart in an RFM code',
    });
  }
  return bins;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` string or a Date (its UTC calendar day). */
export function parseDay(value: string | Date, where: string): number {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new SegkitError('rfm', 'as_of_invalid', 'asOf is an invalid Date', { where });
    return Math.floor(value.getTime() / DAY_MS);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value).trim());
  const ms = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).getUTCDate() !== +m[3]) {
    throw new SegkitError('rfm', 'as_of_invalid', `asOf "${String(value)}" is not a calendar date`, {
      where,
      hint: 'write the analysis date as YYYY-MM-DD, e.g. 2011-12-10',
    });
  }
  return ms / DAY_MS;
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
