/**
 * `analyze(input, options)`: the whole segmentation in one call, every stage with its defaults:
 *
 *   source (file | PostgreSQL | ClickHouse) → cleaning record → explore → per-customer RFM → score + segment
 *     → buildFeatures → sweepK → fitKMeans → profileSegments (top products/countries asked of the source)
 *
 * `input` is a file path, a database URL (postgres://…?table=…, clickhouse://…?table=…) or an open
 * TransactionSource. The line-level work happens in the source; from the customer table on, in memory.
 *
 * The result holds each stage's output, so a notebook can show any of it and `buildReport` can render it.
 * Deterministic: `seed` drives every random choice and `asOf` (default: the day after the last
 * transaction) fixes the analysis date.
 */
import { SegkitError, setWarningSink, type SegkitWarning } from './errors';
import pl from 'nodejs-polars';
import type { ReadOptions } from './io';
import type { CleanOptions } from './clean';
import type { Exploration, ExploreOptions } from './eda';
import { scoreRfm, segmentRfm, segmentSummary, type RfmOptions, type RfmRun } from './rfm';
import { clustersOfRows } from './profile/align';
import { nextTurn } from './eda/steps';
import { FileSource, source as openSource, isTransactionSource, type SourceDescription, type TransactionSource } from './source';
import { buildFeatures, type FeatureOptions } from './features';
import { fitKMeans } from './cluster';
import { sweepK, type SweepOptions } from './select-k';
import { profileSegments, type ProfileResult } from './profile';
import { checkCompareAsOf, compareWith, type Migration } from './migrate';
import { clvForAnalysis, type ClvAnalysis, type ClvAnalysisOptions } from './clv';
import type { FeatureMatrix, KMeansModel, KSweep, QualityRecord, TransactionTable } from './types';

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
  /**
   * Smallest k the recommendation may choose. Default 3: k = 2 stays in the sweep, charts and appendix as
   * the coarsest split; 2 lets it be recommended. A kMin below the sweep's range widens the sweep.
   */
  kMin?: number;
  /** Largest k the recommendation may choose. Default 8; above the sweep's range it widens the sweep. */
  kMax?: number;
  /** Seed for k-means, samples and bootstraps. Default 42. */
  seed?: number;
  /** k-means restarts. Default 10. */
  nInit?: number;
  /** Other options of the sweep (gap B, stability resamples, silhouette sample). */
  sweep?: Omit<SweepOptions, 'k' | 'seed' | 'onProgress'>;
  /**
   * Keep the transactions as read in `Analysis.transactions` (file sources). Default false: the raw
   * lines are let go while they are cleaned (about 1 GB per 10M lines; see FileSource.letGoOfLinesWhenCleaned);
   * the cleaned table stays in `cleaned.clean`.
   */
  keepTransactions?: boolean;
  /**
   * An earlier as-of date (YYYY-MM-DD) to compare with: adds `migration`, who moved between RFM segments
   * since then, the earlier customers scored with this analysis's cut points (src/migrate/compare.ts).
   * Checked before any data is read. Default: none.
   */
  compareAsOf?: string;
  /**
   * Customer lifetime value (BG/NBD + Gamma-Gamma, src/clv/analysis.ts): true or options (occasions,
   * holdoutFrom — default 'auto', the last quarter of the days —, horizon, discount, penalty). Adds `clv`;
   * a fit that fails is recorded in words there, not thrown. File sources only. Default: off.
   */
  clv?: boolean | ClvAnalysisOptions;
  /** Progress lines: a stage name and detail. */
  onProgress?: (stage: string, detail?: string) => void;
}

export const ANALYZE_DEFAULTS = { k: 'auto' as const, kRange: [2, 10] as [number, number], seed: 42, nInit: 10 };

export interface Analysis {
  /** The file path, or the database URL without its password. */
  input: string;
  options: AnalyzeOptions;
  /** Where the transactions came from (kind, label, column mapping, rows, server). */
  source: SourceDescription;
  /** The transactions as read: file sources with `keepTransactions: true` only (a database's lines stay in the database). */
  transactions?: TransactionTable;
  /** The cleaning record (and, for file sources, the cleaned table). */
  cleaned: { quality: QualityRecord; clean?: TransactionTable };
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
  /** Segment migration since `options.compareAsOf` (only when it is given). */
  migration?: Migration;
  /** Customer lifetime value (only with `options.clv`). */
  clv?: ClvAnalysis;
  warnings: SegkitWarning[];
  /** Wall time per stage in ms. */
  timings: Record<string, number>;
}

/**
 * The options `analyze` gives sweepK for `n` customers: the k range (kRange, widened by an explicit kMin /
 * kMax, capped at n − 1), seed, restarts, the recommendation's range and the user's k. Exported so a test
 * can sweep with exactly the report's settings.
 */
export function analyzeSweepOptions(options: AnalyzeOptions, n: number): SweepOptions {
  const [lo, hi] = options.kRange ?? ANALYZE_DEFAULTS.kRange;
  const recommend = { ...options.sweep?.recommend, ...(options.kMin !== undefined ? { kMin: options.kMin } : {}), ...(options.kMax !== undefined ? { kMax: options.kMax } : {}) };
  const kMin = Math.min(lo, options.kMin ?? lo);
  const kMax = Math.min(Math.max(hi, options.kMax ?? hi), n - 1);
  const userK = options.k ?? ANALYZE_DEFAULTS.k;
  return {
    ...options.sweep,
    k: [kMin, kMax],
    seed: options.seed ?? ANALYZE_DEFAULTS.seed,
    nInit: options.nInit ?? ANALYZE_DEFAULTS.nInit,
    recommend,
    // the user's k goes into the sweep too, so its evidence (per-point silhouettes) sits beside the recommendation's
    ...(userK === 'auto' ? {} : { userK }),
  };
}

export async function analyze(input: string | TransactionSource, options: AnalyzeOptions = {}): Promise<Analysis> {
  const COMPARE = 'compareAsOf (segkit report --compare-as-of)';
  const compareAsOf = options.compareAsOf == null ? undefined : checkCompareAsOf(options.compareAsOf, options.rfm?.asOf, COMPARE);
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
  if (typeof input !== 'string' && !isTransactionSource(input)) {
    throw new SegkitError('io', 'bad_input', 'analyze needs a file path, a database URL or a source', {
      where: 'analyze(input)',
      hint: "pass 'data/tx.csv', 'postgres://user@host/db?table=tx', or await seg.source(…)",
    });
  }
  const src = typeof input === 'string' ? await openSource(input, { read: options.read }) : input;
  try {
    const description = await time('read', typeof input === 'string' ? input : src.kind, () => src.describe());
    const clean = options.clean;
    const file = src instanceof FileSource ? src : null;
    // the lines as read are let go while they are cleaned, explore's tables of them made first (file sources)
    if (file && !options.keepTransactions) file.letGoOfLinesWhenCleaned(options.explore);
    const quality = await time('clean', `${description.rowsRead.toLocaleString('en-GB')} rows`, () => src.quality({ clean }));
    const exploration = await time('explore', 'tables and charts', () => src.explore({ ...options.explore, clean }));
    const transactions = file && options.keepTransactions ? await file.transactions() : undefined;
    if (file && !options.keepTransactions) {
      file.releaseTransactions();
      await nextTurn(); // (the table is freed there: see eda/steps.ts)
    }
    const { rules, bins, method, breaks, ...compute } = options.rfm ?? {};
    const rfmRun = await time('rfm', 'recency, frequency, monetary, scores', async () =>
      segmentRfm(scoreRfm(await src.customers({ clean, rfm: compute }), { bins, method, breaks }), { rules }),
    );
    const summary = segmentSummary(rfmRun);
    const migration = compareAsOf
      ? await time('migrate', `since ${compareAsOf}`, () => compareWith(src, rfmRun, compareAsOf, { clean, returns: compute.returns, label: COMPARE }))
      : undefined;
    // the customer count is checked before the features: with one or two customers every feature is
    // constant, and "zero variance" would hide the real problem
    const customers = rfmRun.table.height;
    if (customers < 3) {
      throw new SegkitError('cluster', 'too_few_customers', `only ${customers} customer(s) after cleaning; segmentation needs at least 3`, {
        where: description.label,
        hint: 'check the cleaning record: a rule may be removing most rows, or the file holds too few customers',
      });
    }
    const features = await time('features', 'log1p + scaling', () => buildFeatures(rfmRun.table, options.features));
    const n = features.X.length;
    const userK = options.k ?? ANALYZE_DEFAULTS.k;
    const sweepOptions = analyzeSweepOptions(options, n);
    const [kMin, kMax] = sweepOptions.k!;
    const sweep = await time('select-k', `k = ${kMin}..${kMax}`, () =>
      sweepK(features, { ...sweepOptions, onProgress: (done, total, label) => progress('select-k', `${done}/${total} ${label ?? ''}`.trim()) }),
    );
    const k = userK === 'auto' ? sweep.recommendation.k : userK;
    const model = await time('cluster', `k-means, k = ${k}`, () => fitKMeans(features, { k, seed, nInit }));
    const profiles = await time('profile', `${k} segments`, async () => {
      const labels = clustersOfRows(rfmRun.table, model, features);
      // (the ids stay in Polars: no JavaScript array of every customer id)
      const groups = rfmRun.table.select(pl.col('customer_id').cast(pl.Utf8)).withColumns(pl.Series('group', labels, pl.Int32));
      const tops = await src.segmentTops(groups, k, { clean, asOf: rfmRun.asOf });
      return profileSegments({ rfm: rfmRun, model, features, tops });
    });
    return {
      input: description.label,
      options,
      source: description,
      transactions,
      cleaned: { quality, clean: file ? (await file.cleaned(clean)).clean : undefined },
      exploration,
      rfm: rfmRun,
      segmentSummary: summary,
      features,
      sweep,
      k,
      kSource: userK === 'auto' ? 'recommended' : 'user',
      model,
      profiles,
      ...(migration ? { migration } : {}),
      ...(options.clv ? { clv: await time('clv', 'BG/NBD + Gamma-Gamma', async () => clvForAnalysis(file ? (await file.cleaned(clean)).clean : undefined, options.rfm ?? {}, options.clv!, src.kind)) } : {}),
      warnings,
      timings,
    };
  } finally {
    setWarningSink(prevSink);
    if (typeof input === 'string' && !(src instanceof FileSource)) await src.close();
  }
}
