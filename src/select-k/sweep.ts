/**
 * sweepK: fit k-means for every k in a range and gather the evidence for choosing k (inertia and its
 * elbow, silhouette, Calinski-Harabasz, Davies-Bouldin, gap statistic, stability, a Ward dendrogram),
 * then one recommendation with a plain-words explanation.
 *
 *   resolveSweep (./sweep-options.ts)  check the options against the data, fill the defaults
 *   computeSweep (./sweep-compute.ts)  k-means and indices per k, gap, stability, recommendation, dendrogram
 *   recordSweep                        the warnings and the settings the sweep ran with
 */
import { SegkitError, warn, type SegkitWarning } from '../errors';
import type { KSweep } from '../types';
import type { Points } from '../cluster/matrix';
import { GAP_DEFAULTS } from './gap';
import { RECOMMEND_DEFAULTS, overrideRecommendation } from './recommend';
import { STABILITY_DEFAULTS } from './stability';
import { DENDROGRAM_DEFAULTS } from './dendrogram';
import { computeSweep, type SweepEvidence } from './sweep-compute';
import { resolveSweep, type SweepOptions, type SweepPlan } from './sweep-options';

export { SWEEP_DEFAULTS, type SweepOptions } from './sweep-options';

/**
 * Sweep k over a range and recommend one, with the evidence.
 * @throws SegkitError `select-k/bad_k`, `select-k/too_few_customers`, `select-k/bad_option`,
 *   `select-k/sample_too_small` (see resolveSweep); `select-k/not_finite`, `select-k/bad_input` (X).
 */
export function sweepK(X: Points, options: SweepOptions = {}): KSweep {
  const plan = resolveSweep(X, options);
  const evidence = computeSweep(plan, options);
  return recordSweep(plan, evidence, options);
}

/** The warnings of a sweep (emitted now, and kept in the result) and the KSweep with its settings. */
function recordSweep(plan: SweepPlan, e: SweepEvidence, options: SweepOptions): KSweep {
  const { n, nInit } = plan;
  const warnings: SegkitWarning[] = [];
  if (options.silhouetteSample !== undefined && options.silhouetteSample > n) {
    warnings.push(warn('select-k', 'sample_larger_than_data', `silhouetteSample ${options.silhouetteSample} is more than the ${n} customers: the silhouette is exact on all of them`));
  }
  if (e.gap?.sampled) warnings.push(warn('select-k', 'gap_sampled', `gap statistic computed on a seeded sample of ${e.gap.n} of the ${n} customers`));
  return {
    perK: e.perK,
    elbow: e.elbow,
    silhouetteSample: e.silhouetteN,
    recommendation: e.recommendation,
    chosenK: e.chosenK,
    silhouettePoints: e.silhouettePoints,
    ...(e.gap ? { gap: e.gap } : {}),
    ...(e.dendrogram ? { dendrogram: e.dendrogram } : {}),
    settings: {
      n,
      k: [plan.kMin, plan.kMax],
      seed: plan.seed,
      nInit,
      maxIterations: plan.maxIterations,
      tolerance: plan.tolerance,
      silhouetteSample: plan.silLimit,
      silhouetteExact: e.silhouetteExact,
      gap: plan.gap ? { ...GAP_DEFAULTS, nInit, ...plan.gap } : false,
      stability: plan.stability ? { ...STABILITY_DEFAULTS, nInit, ...plan.stability } : false,
      dendrogram: plan.dendrogram ? { ...DENDROGRAM_DEFAULTS, ...plan.dendrogram } : false,
      recommend: { ...RECOMMEND_DEFAULTS, ...plan.recommend },
    },
    warnings,
  };
}

/**
 * Choose another k than the recommendation after the sweep (both are kept and shown).
 * @throws SegkitError `select-k/bad_k` (not a whole number from 2 to customers − 1).
 */
export function overrideK(sweep: KSweep, k: number, note?: string): KSweep {
  const n = (sweep.settings?.n as number | undefined) ?? Infinity;
  if (!Number.isInteger(k) || k < 2 || k > n - 1) {
    throw new SegkitError('select-k', 'bad_k', `cannot choose k = ${k}: it must be a whole number between 2 and ${n - 1}`, { where: 'k' });
  }
  return { ...sweep, recommendation: overrideRecommendation(sweep.recommendation, k, note), chosenK: k };
}
