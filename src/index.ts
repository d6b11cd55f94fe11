/**
 * segkit: customer segmentation from transactions.
 *
 *   file (csv, csv.gz, parquet, json)
 *     │ readTransactions            io/        column mapping, dates, ids → canonical columns
 *     ▼
 *   TransactionTable ──► cleanTransactions      clean/     each rule counted → QualityRecord
 *     │                  explore (eda)          eda/       tables + Vega-Lite specs
 *     ▼
 *   clean transactions ──► computeRfm ► scoreRfm ► segmentRfm     rfm/   → RfmResult (one row per customer)
 *     ▼
 *   buildFeatures              features/   log1p, scaling, kept for new customers
 *     ▼
 *   sweepK ──► recommendation  select-k/   elbow, silhouette, CH, DB, gap, stability
 *     ▼
 *   fitKMeans                  cluster/    k-means++ with restarts, stable label order
 *     ▼
 *   profileSegments, saveModel, assignSegments, customerDetails      profile/
 *     ▼
 *   charts (Vega-Lite → SVG)   charts/
 *     ▼
 *   buildReport → HTML + PDF   report/     Handlebars + Chromium
 *
 * Notebooks use the build (`import * as seg from '../dist'`) and `seg.show(...)` to display results.
 */

// ── errors, randomness, contracts ─────────────────────────────────────────
export { SegkitError, isSegkitError, setWarningSink, warn } from './errors';
export type { SegkitWarning, Stage, Progress } from './errors';
export * from './types';
export { mulberry32 } from './random';
export { VERSION } from './version';

// ── io ────────────────────────────────────────────────────────────────────

// ── clean ─────────────────────────────────────────────────────────────────

// ── eda ───────────────────────────────────────────────────────────────────

// ── rfm ───────────────────────────────────────────────────────────────────

// ── features, cluster, select-k ───────────────────────────────────────────

// ── profile, models, look-up ──────────────────────────────────────────────

// ── charts ────────────────────────────────────────────────────────────────
export { renderSvg, renderAll, themed } from './charts/render';
export type { ChartSpec } from './charts/render';
export { SEGMENT_ORDER, SEGMENT_COLORS, CLUSTER_COLORS, segmentColorScale, clusterColorScale } from './charts/theme';

// ── report ────────────────────────────────────────────────────────────────

// ── notebooks ─────────────────────────────────────────────────────────────
export { show, table } from './notebook/display';

// ── generate ──────────────────────────────────────────────────────────────
