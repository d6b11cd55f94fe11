/**
 * `analyze(input, options)`: the whole segmentation in one call, every stage with its defaults:
 *
 *   readTransactions → cleanTransactions → explore → rfm → buildFeatures → sweepK → fitKMeans → profileSegments
 *
 * The result holds each stage's output, so a notebook can show any of it and `buildReport` can render it.
 * Deterministic: `seed` drives every random choice and `asOf` (default: the day after the last
 * transaction) fixes the analysis date.
 */
import type pl from 'nodejs-polars';
import { SegkitError, setWarningSink, type SegkitWarning } from './errors';
import { readTransactions, type ReadOptions } from './io';
import { cleanTransactions, type CleanOptions } from './clean';
import { explore, type Exploration, type ExploreOptions } from './eda';
import { rfm, segmentSummary, type RfmOptions, type RfmRun } from './rfm';
import { buildFeatures, type FeatureOptions } from './features';
import { fitKMeans } from './cluster';
import { sweepK, type SweepOptions } from './select-k';
import { profileSegments, type ProfileResult } from './profile';
import type { CleanResult, FeatureMatrix, KMeansModel, KSweep, TransactionTable } from './types';

export interface AnalyzeOptions {
  read?: ReadOptions;
  clean?: CleanOptions;
  explore?: ExploreOptions;
  rfm?: RfmOptions;
  features?: FeatureOptions;
  /** Number of clusters, or 'auto' (default) to take the k sweep's recommendation. */
  k?: number | 'auto';
  /** k range of the sweep. Default [2, 10] (capped at customers − 1). */
  kRange?: [number, number];
  /** Seed for k-means, samples and bootstraps. Default 42. */
  seed?: number;
  /** k-means restarts. Default 10. */
  nInit?: number;
  /** Other options of the sweep (gap B, stability resamples, silhouette sample). */
  sweep?: Omit<SweepOptions, 'k' | 'seed' | 'onProgress'>;
  /** Progress lines: a stage name and detail. */
  onProgress?: (stage: string, detail?: string) => void;
}

export const ANALYZE_DEFAULTS = { k: 'auto' as const, kRange: [2, 10] as [number, number], seed: 42, nInit: 10 };

export interface Analysis {
  input: string;
  options: AnalyzeOptions;
  transactions: TransactionTable;
  cleaned: CleanResult;
  exploration: Exploration;
  rfm: RfmRun;
  segmentSummary: pl.DataFrame;
  features: FeatureMatrix;
  sweep: KSweep;
  /** The k used: the recommendation unless the user gave one. */
  k: number;
  kSource: 'recommended' | 'user';
  model: KMeansModel;
  profiles: ProfileResult;
  warnings: SegkitWarning[];
  /** Wall time per stage in ms. */
  timings: Record<string, number>;
}

export async function analyze(input: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  const seed = options.seed ?? ANALYZE_DEFAULTS.seed;
  const nInit = options.nInit ?? ANALYZE_DEFAULTS.nInit;
  const progress = options.onProgress ?? (() => undefined);
  const warnings: SegkitWarning[] = [];
  const prevSink = setWarningSink((w) => {
    warnings.push(w);
    prevSink(w);
  });
  const timings: Record<string, number> = {};
  const time = async <T>(stage: string, detail: string, f: () => T | Promise<T>): Promise<T> => {
    progress(stage, detail);
    const t = performance.now();
    const r = await f();
    timings[stage] = performance.now() - t;
    return r;
  };
  try {
    const transactions = await time('read', input, () => readTransactions(input, options.read));
    const cleaned = await time('clean', `${transactions.source.rowsRead.toLocaleString('en-GB')} rows`, () => cleanTransactions(transactions, options.clean));
    const exploration = await time('explore', 'tables and charts', () => explore(transactions, { ...options.explore, cleaned }));
    const rfmRun = await time('rfm', 'recency, frequency, monetary, scores', () => rfm(cleaned.clean, options.rfm));
    const summary = segmentSummary(rfmRun);
    const features = await time('features', 'log1p + scaling', () => buildFeatures(rfmRun.table, options.features));
    const n = features.X.length;
    if (n < 3) {
      throw new SegkitError('cluster', 'too_few_customers', `only ${n} customer(s) after cleaning; segmentation needs at least 3`, {
        where: input,
        hint: 'check the cleaning record: a rule may be removing most rows, or the file holds too few customers',
      });
    }
    const [kMin, kMax0] = options.kRange ?? ANALYZE_DEFAULTS.kRange;
    const kMax = Math.min(kMax0, n - 1);
    const userK = options.k ?? ANALYZE_DEFAULTS.k;
    // the user's k goes into the sweep too, so its evidence (per-point silhouettes) sits beside the recommendation's
    const sweep = await time('select-k', `k = ${kMin}..${kMax}`, () =>
      sweepK(features, {
        ...options.sweep,
        k: [kMin, kMax],
        seed,
        nInit,
        ...(userK === 'auto' ? {} : { userK }),
        onProgress: (done, total, label) => progress('select-k', `${done}/${total} ${label ?? ''}`.trim()),
      }),
    );
    const k = userK === 'auto' ? sweep.recommendation.k : userK;
    const model = await time('cluster', `k-means, k = ${k}`, () => fitKMeans(features, { k, seed, nInit }));
    const profiles = await time('profile', `${k} segments`, () =>
      profileSegments({ rfm: rfmRun, model, features, transactions: cleaned.clean }),
    );
    return {
      input,
      options,
      transactions,
      cleaned,
      exploration,
      rfm: rfmRun,
      segmentSummary: summary,
      features,
      sweep,
      k,
      kSource: userK === 'auto' ? 'recommended' : 'user',
      model,
      profiles,
      warnings,
      timings,
    };
  } finally {
    setWarningSink(prevSink);
  }
}
