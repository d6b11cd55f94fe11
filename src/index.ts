/**
 * segkit: customer segmentation from transactions.
 *
 *   source(spec)                source/    where the lines live: a file (Polars, in this process), or a
 *     │                                    PostgreSQL / ClickHouse table (SQL where the data is); each
 *     │                                    answers quality(), explore(), customers(), segmentTops(), customerLines()
 *   file (csv, csv.gz, parquet, json)
 *     │ readTransactions            io/        column mapping, dates, ids → canonical columns
 *     ▼
 *   TransactionTable ──► cleanTransactions      clean/     each rule counted → QualityRecord
 *     │                  explore (eda)          eda/       tables + Vega-Lite specs
 *     ▼
 *   clean transactions ──► computeRfm ► scoreRfm ► segmentRfm     rfm/   → RfmResult (one row per customer)
 *     ▼                  (a database source returns computeRfm's customer table from SQL)
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
export * from './io';

// ── sources: files, PostgreSQL, ClickHouse ───────────────────────────────
export { source, loadTransactions, FileSource, SqlSource, isSourceUrl, parseSourceUrl, isTransactionSource } from './source';
export type { TransactionSource, SourceDescription, SourceKind, SegmentTops, LoadOptions, LoadResult, SourceOptions } from './source';

// ── clean ─────────────────────────────────────────────────────────────────
export * from './clean';

// ── eda ───────────────────────────────────────────────────────────────────
export * from './eda';
export * as edaCharts from './charts/eda';

// ── rfm ───────────────────────────────────────────────────────────────────
export {
  rfm,
  computeRfm,
  scoreRfm,
  segmentRfm,
  segmentSummary,
  thresholdTable,
  parseSegmentRules,
  compileRules,
  DEFAULT_SEGMENT_RULES,
  RFM_DEFAULTS,
  CUSTOMER_COLUMNS,
  SCORE_COLUMNS,
  SUMMARY_COLUMNS,
  OTHERS,
} from './rfm';
export type {
  RfmOptions,
  RfmRun,
  ComputeOptions,
  ScoreOptions,
  SegmentOptions,
  SummaryOptions,
  Breaks,
  CustomerRfm,
  ScoredRfm,
  RfmCounts,
  RuleTable,
  SegmentRule,
  ScoreMethod,
  ReturnsPolicy,
} from './rfm';

// ── features, cluster, select-k ───────────────────────────────────────────
export { buildFeatures, transformTable, applyTransform, inverseTransform, FEATURE_DEFAULTS } from './features';
export type { FeatureOptions, Scaling } from './features';
export { fitKMeans, assignClusters, orderClusters, KMEANS_DEFAULTS } from './cluster';
export type { KMeansOptions, OrderBy, ClusterSummary } from './cluster';
export {
  overrideK,
  SWEEP_DEFAULTS,
  silhouette,
  silhouetteSamples,
  calinskiHarabasz,
  daviesBouldin,
  maxSE,
  withinDispersion,
  kneedle,
  adjustedRandIndex,
  stability,
  stabilityReading,
  recommendK,
  localOptima,
  RECOMMEND_DEFAULTS,
  wardDendrogram,
  cutDendrogram,
  formatProgress,
  progressLine,
} from './select-k';
export type { SweepOptions, SilhouetteOptions, GapOptions, MaxSEMethod, KneedleOptions, KneedleResult, StabilityOptions, StabilityResult, DendrogramOptions, RecommendOptions } from './select-k';

// ── profile, models, look-up ──────────────────────────────────────────────
export {
  profileSegments,
  profilesTable,
  segmentCrossTab,
  segmentsOf,
  PROFILE_DEFAULTS,
  describeClusters,
  nameClusters,
  actionsFor,
  parseActionTable,
  DEFAULT_ACTIONS,
  createModel,
  saveModel,
  loadModel,
  parseModel,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  assignSegments,
  assignmentsTable,
  customerDetails,
  withClusters,
} from './profile';
export type {
  SegmentProfile,
  ProfileResult,
  ProfileInput,
  ProfileOptions,
  CrossTabRow,
  SegmentMixRow,
  NameChoice,
  ActionTable,
  SegmentActions,
  SegmentModel,
  ModelCluster,
  ModelParts,
  NewCustomer,
  Assignment,
  CustomerDetails,
  LookupOptions,
  ProductRow,
  CountryRow,
  TimelineRow,
} from './profile';

// ── charts ────────────────────────────────────────────────────────────────
export { renderSvg, renderAll, themed } from './charts/render';
export type { ChartSpec } from './charts/render';
export {
  SEGMENT_ORDER,
  SEGMENT_COLORS,
  EXTRA_SEGMENT_COLORS,
  CLUSTER_COLORS,
  segmentColor,
  segmentPalette,
  segmentShape,
  segmentColorScale,
  clusterColorScale,
  type SegmentColorOf,
} from './charts/theme';
export { rfmCharts, rfmDistributionChart, rfmHeatmap, segmentBarsChart, segmentShareChart, recencyMonetaryScatter, segmentScale } from './charts/rfm';
export type { DistributionOptions, ScatterOptions } from './charts/rfm';
export { segmentCharts, snakePlot, clusterBoxPlots, pcaScatter, clusterSizeChart, segmentClusterHeatmap, customerTimelineChart, profileColorScale } from './charts/profile';
export type { BoxPlotOptions, PcaScatterOptions } from './charts/profile';
export { kSelectionCharts, elbowChart, indexChart, gapChart, stabilityChart, silhouettePlot, dendrogramChart, dendrogramSegments, kSummaryPanel } from './charts/select-k';
export type { KChartOptions } from './charts/select-k';

// ── the whole pipeline, and the report ──────────────────────────────────
export { ANALYZE_DEFAULTS } from './pipeline';
export type { Analysis, AnalyzeOptions } from './pipeline';
export { pseudonym, BUILD_DEFAULTS } from './report/build';
export type { BuildReportOptions, BuiltReport } from './report/build';
export { reportContext, REPORT_DEFAULTS } from './report/assemble';
export type { ReportOptions } from './report/assemble';
export { renderHtml } from './report/html';
export { writeReport } from './report/write';
export type { ReportContext } from './report/context';
export { fmtInt, fmtMoney, fmtMoneyShort, fmtPct } from './report/format';

// ── notebooks ─────────────────────────────────────────────────────────────
export { show, table } from './notebook/display';
export type { ShowOptions } from './notebook/display';
// The long steps with a progress line by default in notebooks and terminals (`progress: false` turns it
// off); each is its stage's function (io/read, select-k, pipeline, report/build) plus that default.
export { readTransactions, sweepK, gapStatistic, analyze, buildReport } from './notebook/progress-defaults';
export type { ProgressOption } from './notebook/progress-defaults';

// ── generate ──────────────────────────────────────────────────────────────

// ── clv ───────────────────────────────────────────────────────────────────
// transactions ─► clvSummary (x, t_x, T, m; optional holdout) ─► fitBgNbd + fitGammaGamma
//   ─► probabilityAlive / conditionalExpectedPurchases / conditionalExpectedSpend ─► customerValue ─► valueByGroup
//   and validateHoldout (predicted vs actual holdout purchases per frequency bucket);
//   analyzeClv runs it all (holdout check + forecast, failures in words); clv*Chart draw it
export {
  clvSummary,
  CLV_SUMMARY_DEFAULTS,
  fitBgNbd,
  bgnbdLogLikelihood,
  BGNBD_DEFAULTS,
  expectedPurchases,
  probabilityAlive,
  conditionalExpectedPurchases,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  conditionalExpectedSpend,
  GAMMA_GAMMA_DEFAULTS,
  customerValue,
  valueByGroup,
  CLV_DEFAULTS,
  validateHoldout,
  simulateCustomers,
  analyzeClv,
  holdoutByGroup,
  CLV_ANALYSIS_DEFAULTS,
  clvCalibrationChart,
  clvSegmentRevenueChart,
  clvValueChart,
} from './clv';
export type { ClvSummary, ClvSummaryOptions, TimeUnit, BgNbdParams, BgNbdFit, BgNbdOptions, FitReport, GammaGammaParams, GammaGammaFit, GammaGammaOptions, ClvOptions, HoldoutValidation, HoldoutOptions, ClvAnalysis, ClvAnalysisOptions, ClvHoldout, ClvChartOptions } from './clv';

// ── migrate ───────────────────────────────────────────────────────────────
// two customer tables (or migrateAsOf: two as-of dates of one transactions table)
//   ─► migrate (period 2 scored with period 1's cut points, one rule table) ─► Migration
//   ─► migrationCharts (heatmap, flows, net change) / moversTable (per-customer export)
export {
  migrate,
  migrateAsOf,
  checkPeriods,
  MIGRATE_DEFAULTS,
  NEW as MIGRATION_NEW,
  GONE as MIGRATION_GONE,
  rankSegments,
  migrationOrder,
  STANDARD_ORDER as MIGRATION_ORDER,
  cutsOf,
  scoreWithCuts,
  moversTable,
  migrationCharts,
  migrationHeatmap,
  migrationFlowChart,
  migrationNetChart,
  checkCompareAsOf,
  compareWith,
  clustersOf,
  clusterCrossTab,
} from './migrate';
export type { PeriodInput, CustomerTable, MigrateAsOfOptions, MigrateOptions, Migration, TransitionCell, SegmentMoves, Flow, Move, ThresholdPolicy, RankedSegment, FixedCuts, MoversOptions, MigrationChartOptions, CompareOptions, ClusterMigration } from './migrate';
// RFM at two dates in one pass over the lines (what migrateAsOf uses)
export { computeRfmPair } from './rfm/compute';
