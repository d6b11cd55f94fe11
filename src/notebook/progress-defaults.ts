/**
 * The long steps as the package exports them: the same functions as their stages, with a progress line
 * by default in notebooks and terminals (see live.ts). The stages stay pure: they report through
 * `onProgress` and never write anywhere themselves; these entry points supply the default writer.
 *
 * `progress: false` turns the line off; an `onProgress` of your own replaces it.
 */
import { statSync } from 'node:fs';
import { readTransactions as readTransactionsStage, type ReadOptions } from '../io/read';
import { analyze as analyzeStage, type Analysis, type AnalyzeOptions } from '../pipeline';
import { buildReport as buildReportStage, type BuildReportOptions, type BuiltReport } from '../report/build';
import { gapStatistic as gapStage, type GapOptions } from '../select-k/gap';
import { formatProgress } from '../select-k/progress';
import { sweepK as sweepStage, type SweepOptions } from '../select-k/sweep';
import type { TransactionSource } from '../source';
import type { GapResult, KSweep, TransactionTable } from '../types';
import { liveLine, type LiveLine } from './live';

/** The option every long step takes. */
export interface ProgressOption {
  /** A progress line in notebooks and terminals for steps that run longer than a couple of seconds. Default true. */
  progress?: boolean;
}

/** Files at least this big get a "reading…" line (a read cannot report while it runs). */
export const LARGE_FILE_BYTES = 64 * 1024 * 1024;

type Points = Parameters<typeof sweepStage>[0];
const lineFor = (o: ProgressOption & { onProgress?: unknown }): LiveLine | null => (o.progress === false || o.onProgress ? null : liveLine());

/** Run `f`, ending the line with `final(result)`, or with "stopped" when it throws. */
function track<T>(line: LiveLine, what: string, f: () => T, final: (r: T) => string): T {
  let r: T;
  try {
    r = f();
  } catch (e) {
    line.done(`${what}: stopped after ${line.seconds().toFixed(1)} s`);
    throw e;
  }
  line.done(final(r));
  return r;
}
async function trackAsync<T>(line: LiveLine, what: string, f: () => Promise<T>, final: (r: T) => string): Promise<T> {
  let r: T;
  try {
    r = await f();
  } catch (e) {
    line.done(`${what}: stopped after ${line.seconds().toFixed(1)} s`);
    throw e;
  }
  line.done(final(r));
  return r;
}

/** {@link sweepStage | sweepK} with a progress line by default. */
export function sweepK(X: Points, options: SweepOptions & ProgressOption = {}): KSweep {
  const { progress, ...rest } = options;
  const line = lineFor(options);
  if (!line) return sweepStage(X, rest);
  return track(
    line,
    'k sweep',
    () => sweepStage(X, { ...rest, onProgress: (done, total, label) => line.update(`k sweep ${formatProgress(done, total, label)}`) }),
    (s) => `k sweep: k = ${s.perK[0].k}..${s.perK[s.perK.length - 1].k} in ${line.seconds().toFixed(1)} s; recommended k = ${s.recommendation.k}`,
  );
}

/** {@link gapStage | gapStatistic} with a progress line by default. */
export function gapStatistic(X: Points, options: GapOptions & ProgressOption = {}): GapResult {
  const { progress, ...rest } = options;
  const line = lineFor(options);
  if (!line) return gapStage(X, rest);
  return track(
    line,
    'gap statistic',
    () => gapStage(X, { ...rest, onProgress: (done, total, label) => line.update(`gap statistic ${formatProgress(done, total, label)}`) }),
    (g) => `gap statistic: B = ${g.B} in ${line.seconds().toFixed(1)} s; k = ${g.k}`,
  );
}

/** {@link analyzeStage | analyze} with a progress line by default. */
export async function analyze(input: string | TransactionSource, options: AnalyzeOptions & ProgressOption = {}): Promise<Analysis> {
  const { progress, ...rest } = options;
  const line = lineFor(options);
  if (!line) return analyzeStage(input, rest);
  return trackAsync(
    line,
    'analyze',
    () => analyzeStage(input, { ...rest, onProgress: (stage, detail) => line.update(`analyze: ${stage}${detail ? ` · ${detail}` : ''}`) }),
    (a) => `analyze: ${a.rfm.table.height.toLocaleString('en-GB')} customers, k = ${a.k}, in ${line.seconds().toFixed(1)} s`,
  );
}

/** {@link buildReportStage | buildReport} with a progress line by default. */
export async function buildReport(analysis: Analysis, options: BuildReportOptions & ProgressOption = {}): Promise<BuiltReport> {
  const { progress, ...rest } = options;
  const line = lineFor(options);
  if (!line) return buildReportStage(analysis, rest);
  return trackAsync(
    line,
    'report',
    () => buildReportStage(analysis, { ...rest, onProgress: (step) => line.update(`report: ${step}`) }),
    (b) => `report: ${[b.html, b.pdf, b.csv].filter(Boolean).join(', ')} in ${line.seconds().toFixed(1)} s`,
  );
}

/** {@link readTransactionsStage | readTransactions}; a large file gets a line while it is read. */
export async function readTransactions(file: string, options: ReadOptions & ProgressOption = {}): Promise<TransactionTable> {
  const { progress, ...rest } = options;
  let bytes = 0;
  try {
    bytes = statSync(file).size;
  } catch {
    bytes = 0; // the stage says what is wrong with the path
  }
  const line = progress === false || bytes < LARGE_FILE_BYTES ? null : liveLine({ immediate: true });
  if (!line) return readTransactionsStage(file, rest);
  line.update(`reading ${file} (${(bytes / 1e6).toFixed(0)} MB)…`);
  return trackAsync(line, 'reading', () => readTransactionsStage(file, rest), (tx) => `read ${tx.df.height.toLocaleString('en-GB')} lines from ${file} in ${line.seconds().toFixed(1)} s`);
}
