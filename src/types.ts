/**
 * The data contracts between stages. Each stage module implements one step of the flow:
 *
 *   readTransactions ─► TransactionTable ─► cleanTransactions ─► { clean: TransactionTable, quality: QualityRecord }
 *     ─► computeRfm / scoreRfm / segmentRfm ─► RfmResult (customer table)
 *     ─► buildFeatures ─► FeatureMatrix ─► sweepK ─► KSweep ─► fitKMeans ─► KMeansModel
 *     ─► profileSegments ─► SegmentProfile[] ─► report context ─► HTML / PDF
 *
 * Tables are nodejs-polars DataFrames; everything else is plain, JSON-serialisable data.
 */
import type pl from 'nodejs-polars';
import type { SegkitWarning } from './errors';

/** The roles a transaction column can play. */
export type Role = 'customer' | 'invoice' | 'date' | 'quantity' | 'unitPrice' | 'amount' | 'product' | 'description' | 'country';

/** Role → column name in the source file. */
export type ColumnMapping = Partial<Record<Role, string>>;

/**
 * Canonical transaction columns (after readTransactions), whatever the source file called them:
 * - `customer_id` Utf8, null when missing ("17850.0" → "17850"; zero padding kept)
 * - `invoice` Utf8, null when the file has no invoice column (then an order = customer × calendar day)
 * - `date` Datetime (ms, no time zone)
 * - `quantity` Float64 (1 when the file has no quantity column)
 * - `unit_price` Float64 (null when the file only has a line amount)
 * - `amount` Float64 = quantity × unit_price, or the file's line amount
 * - `product`, `description`, `country` Utf8, null when absent
 */
export const CANONICAL_COLUMNS = [
  'customer_id',
  'invoice',
  'date',
  'quantity',
  'unit_price',
  'amount',
  'product',
  'description',
  'country',
] as const;

/** The canonical column of each role (readTransactions writes these; RFM looks for them). */
export const ROLE_COLUMN: Record<Role, (typeof CANONICAL_COLUMNS)[number]> = {
  customer: 'customer_id',
  invoice: 'invoice',
  date: 'date',
  quantity: 'quantity',
  unitPrice: 'unit_price',
  amount: 'amount',
  product: 'product',
  description: 'description',
  country: 'country',
};

export interface SourceInfo {
  /** Path as given by the user. */
  path: string;
  format: 'csv' | 'parquet' | 'json' | 'ndjson';
  compressed: boolean;
  /** Data rows in the file (header excluded). */
  rowsRead: number;
  /** The file's column names as found. */
  columns: string[];
  /** sha256 of the file's bytes (hex). */
  sha256?: string;
  bytes?: number;
}

export interface TransactionTable {
  /** Canonical columns (see CANONICAL_COLUMNS). */
  df: pl.DataFrame;
  source: SourceInfo;
  mapping: ColumnMapping;
  /** How an order is defined: a distinct invoice, or (customer, calendar day) when there is no invoice column. */
  orders: 'invoice' | 'customer-day';
  warnings: SegkitWarning[];
}

/** One cleaning rule's effect: rows it removed among those still present when it ran. */
export interface RuleCount {
  rule: string;
  /** Human label, e.g. "Missing customer id". */
  label: string;
  removed: number;
}

export interface QualityRecord {
  rowsRead: number;
  rowsKept: number;
  /** In the order the rules ran. */
  rules: RuleCount[];
  /** rule → rows removed (same numbers as `rules`). */
  removed: Record<string, number>;
  /** ISO date-times of the first and last kept transaction (null when nothing is kept). */
  dateRange: { first: string | null; last: string | null };
  warnings: SegkitWarning[];
}

export interface CleanResult {
  clean: TransactionTable;
  quality: QualityRecord;
}

/** Thresholds used to score one dimension: cut points such that score s covers [cuts[s-2], cuts[s-1]). */
export interface ScoreThresholds {
  dimension: 'recency' | 'frequency' | 'monetary';
  method: 'rank' | 'quantile' | 'breaks';
  bins: number;
  /** Per score 1..bins: the min and max raw value of customers who got it (null if nobody did). */
  ranges: Array<{ score: number; min: number | null; max: number | null; customers: number }>;
  /** For quantile/breaks: the inner cut points. */
  cuts?: number[];
}

/**
 * The customer table: columns in this order
 * customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, rfm_code, rfm_score, segment,
 * then first_purchase, last_purchase, tenure_days, avg_order_value, items.
 */
export interface RfmResult {
  table: pl.DataFrame;
  /** The analysis date, YYYY-MM-DD. */
  asOf: string;
  bins: number;
  method: 'rank' | 'quantile' | 'breaks';
  thresholds: ScoreThresholds[];
  /** Customers matched by no rule ("Others"). */
  others: number;
  warnings: SegkitWarning[];
}

/** A numeric feature matrix, row-major, with the fitted transform so new customers get the same one. */
export interface FeatureMatrix {
  ids: string[];
  columns: string[];
  /** n rows × d columns. */
  X: number[][];
  transform: FeatureTransform;
  /** Optional (features stage): the same rows in original units (before winsorize/log/scale), for ordering and profiles. */
  original?: number[][];
  warnings?: SegkitWarning[];
}

/** Everything needed to apply the same feature transform again (JSON-serialisable). */
export interface FeatureTransform {
  columns: string[];
  log: boolean;
  /** Optional: per-column log1p flags when only some columns are logged (else `log` applies to all). */
  logged?: boolean[];
  winsorize?: { lower: number; upper: number; bounds: Array<[number, number]> };
  scale: 'zscore' | 'robust' | 'minmax' | 'none';
  center: number[];
  scaleBy: number[];
}

export interface KMeansModel {
  k: number;
  /** Cluster of each row, 0..k-1, renumbered in a stable order (see `order`). */
  labels: number[];
  /** k × d, in feature (transformed) space. */
  centroids: number[][];
  inertia: number;
  iterations: number;
  sizes: number[];
  seed: number;
  nInit: number;
  /** How labels were ordered, e.g. "mean monetary, descending". */
  order: string;
  /** Optional (cluster stage): centroids in original units (inverse transform), when fitted on a FeatureMatrix. */
  centroidsOriginal?: number[][];
  /** Feature column names, when fitted on a FeatureMatrix. */
  columns?: string[];
  /** Per cluster (in label order), the value the order is based on (e.g. mean monetary). */
  orderValues?: number[];
  /** Whether the kept restart converged before maxIterations. */
  converged?: boolean;
  /** Inertia of every restart, in the order run. */
  restartInertias?: number[];
  /** 'segkit' (typed-array Lloyd) or 'ml-kmeans'. */
  engine?: string;
}

export interface KResult {
  k: number;
  inertia: number;
  silhouette: number;
  calinskiHarabasz: number;
  daviesBouldin: number;
  gap?: number;
  gapSE?: number;
  logW?: number;
  expectedLogW?: number;
  /** Mean adjusted Rand index over bootstrap pairs. */
  stability?: number;
  /** Optional (select-k stage): sd of the pairwise ARIs and their plain reading ("highly stable", …). */
  stabilitySD?: number;
  /** Optional (select-k stage): jackknife standard error of the mean ARI over the bootstrap resamples. */
  stabilitySE?: number;
  stabilityReading?: string;
  /** Cluster sizes of the k-means fit at this k (largest mean monetary first, as fitKMeans orders them). */
  sizes?: number[];
}

/** One signal that points to a k in the recommendation rule (see docs/choosing-k.md). */
export type KSignal = 'silhouette' | 'calinskiHarabasz' | 'daviesBouldin' | 'gap' | 'elbow';

/** How the recommendation treated one k of the sweep. */
export interface KCandidate {
  k: number;
  /** The signals pointing to this k: a local optimum of an index, the gap's SE rule, the elbow. */
  signals: KSignal[];
  /** Share of customers in its smallest segment (NaN when the sizes are unknown). */
  smallestShare: number;
  stability?: number;
  stabilitySE?: number;
  /**
   * 'candidate': considered; 'outside-range': below kMin or above kMax; 'small-segment': a segment under
   * minSegmentShare; 'unstable': mean ARI under minStability while a stable k was there to take instead.
   */
  status: 'candidate' | 'outside-range' | 'small-segment' | 'unstable';
}

export interface KRecommendation {
  k: number;
  /** The rule in a few words. */
  rule: string;
  /** Plain words: which evidence decided, the runner-up, anything borderline, what else the indices said. */
  explanation: string;
  /** The k each index alone would pick over the whole sweep (its global optimum; gap: its SE rule; elbow: kneedle). */
  votes: Record<string, number | null>;
  /** Optional (select-k stage): k chosen by the user instead, shown beside the recommendation. */
  override?: { k: number; note: string };
  /** Optional (select-k stage): the k range the recommendation chose from. */
  range?: [number, number];
  /** Optional (select-k stage): every k of the sweep with its signals and status. */
  candidates?: KCandidate[];
  /** Optional (select-k stage): the deciding evidence in one sentence. */
  decidedBy?: string;
  /** Optional (select-k stage): the next best k and why it came second. */
  runnerUp?: { k: number; reason: string };
  /** Optional (select-k stage): set when a close call in seed-dependent evidence could change k. */
  borderline?: { alternatives: number[]; reason: string };
}

export interface KSweep {
  perK: KResult[];
  elbow: { k: number | null; note: string };
  silhouetteSample: number;
  recommendation: KRecommendation;
  /** Optional (select-k stage): the k to use (the user's override, else the recommendation). */
  chosenK?: number;
  /** Per-point silhouettes (on the silhouette sample) for the recommended and, if different, the chosen k. */
  silhouettePoints?: SilhouettePoints[];
  /** Gap statistic details for k = 1..kMax (clusGap's table). */
  gap?: GapResult;
  /** Ward dendrogram of a seeded sample of customers. */
  dendrogram?: Dendrogram;
  /** Settings the sweep ran with (k range, seed, nInit, samples). */
  settings?: Record<string, unknown>;
  warnings?: SegkitWarning[];
}

/** Per-point silhouettes for one k. `rows` are row indices into the feature matrix. */
export interface SilhouettePoints {
  k: number;
  rows: number[];
  labels: number[];
  values: number[];
}

/** The gap statistic as R's cluster::clusGap computes it, k = 1..kMax. */
export interface GapResult {
  perK: Array<{ k: number; logW: number; expectedLogW: number; gap: number; se: number }>;
  /** k chosen by `method`. */
  k: number;
  method: 'firstSEmax' | 'Tibs2001SEmax' | 'globalSEmax' | 'firstmax' | 'globalmax';
  seFactor: number;
  B: number;
  spaceH0: 'scaledPCA' | 'original';
  dPower: number;
  /** Customers used (all, or a seeded sample). */
  n: number;
  sampled: boolean;
}

/** A dendrogram: leaves 0..n-1 are sample rows, merge i creates node n+i (like scipy's linkage). */
export interface Dendrogram {
  method: 'ward.D2';
  /** Row indices into the feature matrix of the leaves. */
  rows: number[];
  merges: Array<{ a: number; b: number; height: number; size: number }>;
  /** Leaf order (positions 0..n-1 → leaf id) for drawing without crossings. */
  order: number[];
}
