/**
 * RFM: recency, frequency, monetary per customer → scores 1..n → named segments.
 *
 *   computeRfm(transactions | customer table) ─► scoreRfm ─► segmentRfm ─► RfmResult (+ segmentSummary)
 *
 * `rfm(clean, options)` runs the three steps with one options object.
 */
import type pl from 'nodejs-polars';
import type { TransactionTable } from '../types';
import { computeRfm } from './compute';
import type { ComputeOptions, ScoreOptions } from './options';
import { scoreRfm } from './score';
import { segmentRfm, type RfmRun, type SegmentOptions } from './segment';

export type RfmOptions = ComputeOptions & ScoreOptions & SegmentOptions;

/** compute → score → segment in one call. Returns the RfmResult (with the rules used and counts). */
export function rfm(input: TransactionTable | pl.DataFrame, options: RfmOptions = {}): RfmRun {
  const { rules, bins, method, breaks, ...compute } = options;
  return segmentRfm(scoreRfm(computeRfm(input, compute), { bins, method, breaks }), { rules });
}

export { computeRfm, CUSTOMER_COLUMNS, isTransactionTable } from './compute';
export { scoreRfm, SCORE_COLUMNS } from './score';
export { segmentRfm } from './segment';
export type { RfmRun, SegmentOptions } from './segment';
export { segmentSummary, thresholdTable, SUMMARY_COLUMNS } from './summary';
export type { SummaryOptions } from './summary';
export { DEFAULT_SEGMENT_RULES, OTHERS, parseSegmentRules, compileRules, mapScore } from './rules';
export type { RuleTable, SegmentRule, CompiledRules } from './rules';
export { rankScores, quantileCuts, cutScores, quantileType7 } from './binning';
export { DEFAULTS as RFM_DEFAULTS, checkBins } from './options';
export type { ComputeOptions, ScoreOptions, Breaks, CustomerRfm, ScoredRfm, RfmCounts, ScoreMethod, ReturnsPolicy, RfmRole } from './options';
