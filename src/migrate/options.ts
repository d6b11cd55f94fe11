/**
 * Options of the migrate stage, their defaults (one place) and the result's types.
 */
import type pl from 'nodejs-polars';
import type { SegkitWarning } from '../errors';
import type { SegmentModel } from '../profile/model';
import type { Breaks, RuleTable, ScoreMethod } from '../rfm';
import type { ScoreThresholds } from '../types';

/** Row label of customers with no purchase on or before the first as-of date. */
export const NEW = '(new)';
/** Column label of customers in the first table and absent from the second (two customer tables only). */
export const GONE = '(gone)';

export type ThresholdPolicy = 'before' | 'after' | 'each';
export type Move = 'stayed' | 'up' | 'down' | 'new' | 'gone';

export interface MigrateOptions {
  /**
   * `'before'` (default): period 2 is scored with period 1's cut points, so a move is a change of
   * behaviour, not a shift of quantiles. `'after'`: both with period 2's cut points (period 2's segments
   * are then those of a plain RFM run at the second date, e.g. a report's). `'each'`: each period is
   * scored on its own customers (the result says so in a warning and in `thresholdPolicy`).
   */
  thresholds?: ThresholdPolicy;
  /** Scoring of the reference period (and of both with 'each'): as scoreRfm. Default rank, 5 bins. */
  method?: ScoreMethod;
  bins?: number;
  breaks?: Breaks;
  /** The rule table used in both periods. Default: the 11 named segments. */
  rules?: RuleTable | string | null;
  /**
   * Segments best first, for "moved up" / "moved down". Default: the rule table's segments ordered by
   * the mean R + F + M score of the codes each one wins (ties: rule order), then Others.
   */
  order?: string[];
  /**
   * Segments that mean the customer has left the base (they "went quiet" as the rules define it).
   * Default: ["Lost"] when the rule table has a segment of that name, else none.
   */
  lapsed?: string[];
  /** Number of flows in `flows` (largest first, by customers). Default 10. */
  topFlows?: number;
  /** Currency symbol of the sentences. Default "£". */
  currency?: string;
  /**
   * A saved segment model (loadModel of `segkit report`'s `<name>-model.json`): each period's customers are
   * also put in its k-means clusters (its own transform and centroids, as `segkit assign`), giving
   * `clusters` (cluster before × after) and the columns cluster_before / cluster_after. Default: none.
   */
  model?: SegmentModel;
}

/** Cluster before × cluster after with one saved model (MigrateOptions.model). */
export interface ClusterMigration {
  /** The model's cluster labels ("1 · Champions"), in label order. */
  labels: string[];
  /** NEW, then the labels; the labels, then GONE if anyone left the table. */
  rows: string[];
  columns: string[];
  counts: number[][];
  /** Customers in the same cluster at both dates. */
  stayed: number;
  /** The model's training date, k and creation stamp. */
  model: { asOf: string; k: number; createdAt: string | null };
}

export const MIGRATE_DEFAULTS = {
  thresholds: 'before' as ThresholdPolicy,
  topFlows: 10,
  currency: '£',
  lapsed: ['Lost'],
} as const;

/** One cell of the transition matrix. */
export interface TransitionCell {
  from: string;
  to: string;
  customers: number;
  /** Σ monetary as of the first date (0 for NEW). */
  revenueBefore: number;
  /** Σ monetary as of the second date (0 for GONE). */
  revenueAfter: number;
}

/** Per segment: where its customers went, and where its new members came from. */
export interface SegmentMoves {
  segment: string;
  /** Position in `order` (0 = best). */
  rank: number;
  before: number;
  after: number;
  stayed: number;
  /** Left for a better segment / a worse one (GONE and lapsed segments count as worse). */
  movedUp: number;
  movedDown: number;
  /** Arrived from a worse segment / a better one / NEW. */
  cameUp: number;
  cameDown: number;
  cameNew: number;
  net: number;
  revenueBefore: number;
  revenueAfter: number;
  /** Revenue (as of the first date) of those who stayed, moved up, moved down. */
  stayedRevenue: number;
  movedUpRevenue: number;
  movedDownRevenue: number;
}

export interface Flow extends TransitionCell {
  /** Plain words: "412 Loyal Customers (£58k last period) are now At Risk". */
  text: string;
  move: Move;
}

export interface Migration {
  asOf: { before: string; after: string };
  thresholdPolicy: ThresholdPolicy;
  /** The cut points both periods were scored with (period 1's), or each period's own. */
  thresholds: { before: ScoreThresholds[]; after: ScoreThresholds[] };
  bins: number;
  rules: RuleTable;
  /** Segments best first (the order of up/down), then Others if present. */
  order: string[];
  lapsed: string[];
  /** Row labels (NEW then `order`) and column labels (`order`, then GONE if anyone left the table). */
  rows: string[];
  columns: string[];
  /** Every non-empty cell. */
  cells: TransitionCell[];
  /** counts[i][j], revenueBefore[i][j], revenueAfter[i][j] for rows[i] → columns[j]. */
  counts: number[][];
  revenueBefore: number[][];
  revenueAfter: number[][];
  segments: SegmentMoves[];
  /** Off-diagonal cells, most customers first. */
  flows: Flow[];
  totals: { before: number; after: number; both: number; new: number; gone: number; stayed: number; up: number; down: number; lapsed: number };
  /**
   * One row per customer: customer_id, segment_before, segment_after, move, then recency_days, frequency,
   * monetary, r_score, f_score, m_score, rfm_code of each period (suffixed _before / _after).
   */
  customers: pl.DataFrame;
  /** With option model: cluster before × cluster after. */
  clusters?: ClusterMigration;
  warnings: SegkitWarning[];
}
