/**
 * Segment migration: who moved between segments from one as-of date (or customer table) to another.
 *
 *   before, after ─► migrate ─► Migration (matrix, per-segment moves, flows in words, per-customer table)
 *                                 ─► migrationCharts (heatmap, flows, net change) / moversTable (export)
 */
export { migrate, migrateAsOf, checkPeriods } from './migrate';
export type { PeriodInput, CustomerTable, MigrateAsOfOptions } from './migrate';
export { MIGRATE_DEFAULTS, NEW, GONE } from './options';
export type { MigrateOptions, Migration, TransitionCell, SegmentMoves, Flow, Move, ThresholdPolicy, ClusterMigration } from './options';
export { clustersOf, clusterCrossTab } from './clusters';
export { rankSegments, segmentOrder as migrationOrder, STANDARD_ORDER } from './order';
export type { RankedSegment } from './order';
export { cutsOf, scoreWithCuts } from './thresholds';
export type { FixedCuts } from './thresholds';
export { moversTable } from './export';
export type { MoversOptions } from './export';
export { checkCompareAsOf, compareWith } from './compare';
export type { CompareOptions } from './compare';
export { migrationCharts, migrationHeatmap, migrationFlowChart, migrationNetChart } from './charts';
export type { MigrationChartOptions } from './charts';
