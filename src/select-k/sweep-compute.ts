/**
 * The computing core of sweepK, on a resolved plan (./sweep-options.ts): k-means and the internal indices
 * at every k, the elbow, the gap statistic, stability under resampling, the recommendation (and the
 * user's k), the silhouette points and a Ward dendrogram. No option checking and no warnings here: the
 * facts a warning needs are returned (sweep.ts records them).
 */
import { mulberry32, sampleIndices } from '../random';
import type { KResult, KSweep, SilhouettePoints } from '../types';
import { takeRows, toRows, type Dense } from '../cluster/matrix';
import { shareDense } from '../cluster/parallel';
import { checkK, kmeansCore } from '../cluster/kmeans';
import { orderClusters, relabel } from '../cluster/order';
import { openPool, type Pool } from '../threads';
import { GAP_DEFAULTS, gapStatistic } from './gap';
import { calinskiHarabaszDense, daviesBouldinDense } from './indices';
import { kneedle } from './kneedle';
import { encodeLabels } from './labels';
import { overrideRecommendation, recommendK } from './recommend';
import { silhouetteDense } from './silhouette';
import { STABILITY_DEFAULTS, stability } from './stability';
import { wardDendrogram } from './dendrogram';
import type { SweepOptions, SweepPlan } from './sweep-options';

/** What the sweep found: the KSweep's evidence, before its settings and warnings are recorded. */
export interface SweepEvidence {
  /** kMin..kMax (an out-of-range user k is fitted but not listed). */
  perK: KResult[];
  elbow: KSweep['elbow'];
  /** Customers the silhouette was computed on (all, or the seeded sample). */
  silhouetteN: number;
  silhouetteExact: boolean;
  gap?: KSweep['gap'];
  dendrogram?: KSweep['dendrogram'];
  recommendation: KSweep['recommendation'];
  chosenK: number;
  silhouettePoints: SilhouettePoints[];
}

/** Shared state of one sweep: the data, the silhouette sample and every fit so far. */
interface Run {
  plan: SweepPlan;
  options: SweepOptions;
  data: Dense;
  pool: Pool | null;
  silRows: number[] | null;
  silX: Dense;
  perK: KResult[];
  labelsByK: Map<number, Int32Array>;
  silByK: Map<number, Float64Array>;
}

/** Worker threads for restarts and reference sets when the data are large enough to pay for them. */
function poolFor(plan: SweepPlan, threads: number | undefined): Pool | null {
  const { n, nInit, gap, stability: stab } = plan;
  const B = gap ? (gap.B ?? GAP_DEFAULTS.B) : 0;
  const gapN = gap ? Math.min(n, gap.sample ?? GAP_DEFAULTS.sample) : 0;
  const stabN = stab ? Math.min(n, stab.sample ?? STABILITY_DEFAULTS.sample) * (stab.B ?? STABILITY_DEFAULTS.B) : 0;
  return n * nInit >= 200_000 || gapN * B >= 20_000 || stabN >= 20_000 ? openPool(threads) : null;
}

/** k-means at k, its labels in cluster order, and the silhouette and internal indices of that clustering. */
function fitOne(run: Run, k: number): void {
  const { plan, options, data, silRows, silX } = run;
  const { dense, n } = plan;
  const fit = kmeansCore(data, k, { nInit: plan.nInit, seed: plan.seed, maxIterations: plan.maxIterations, tolerance: plan.tolerance, pool: run.pool });
  const ord = orderClusters(plan.X, fit.labels, toRows(fit.centers, k, dense.d), options.orderBy, options.descending ?? true);
  const labels = relabel(Int32Array.from(fit.labels), ord.perm);
  run.labelsByK.set(k, labels);
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) sizes[labels[i]]++;
  const silCodes = silRows ? Int32Array.from(silRows, (i) => labels[i]) : labels;
  const enc = encodeLabels(silCodes, silX.n);
  let sil = NaN;
  if (enc.k >= 2) {
    const s = silhouetteDense(silX, enc.codes, enc.k);
    run.silByK.set(k, s);
    sil = s.reduce((a, v) => a + v, 0) / s.length;
  }
  run.perK.push({ k, inertia: fit.inertia, silhouette: sil, calinskiHarabasz: calinskiHarabaszDense(dense, labels, k), daviesBouldin: daviesBouldinDense(dense, labels, k), sizes });
}

/** Per-point silhouettes for the recommended and the chosen k (once when they are the same). */
function silhouettePointsOf(run: Run, ks: Iterable<number>): SilhouettePoints[] {
  const out: SilhouettePoints[] = [];
  for (const k of new Set(ks)) {
    const s = run.silByK.get(k);
    const labels = run.labelsByK.get(k);
    if (!s || !labels) continue;
    const rows = run.silRows ?? Array.from({ length: run.plan.n }, (_, i) => i);
    out.push({ k, rows, labels: rows.map((i) => labels[i]), values: Array.from(s) });
  }
  return out;
}

/** Compute every piece of evidence of a resolved sweep, reporting progress in one count. */
export function computeSweep(plan: SweepPlan, options: SweepOptions): SweepEvidence {
  const { dense, n, ks, kMin, kMax, seed, nInit, maxIterations } = plan;
  const B = plan.gap ? (plan.gap.B ?? GAP_DEFAULTS.B) : 0;
  const total = ks.length + (plan.gap ? B + 1 : 0) + (plan.stability ? ks.length : 0) + (plan.dendrogram ? 1 : 0);
  let done = 0;
  const tick = (label: string): void => options.onProgress?.(++done, total, label);

  // silhouette sample: the same customers for every k
  const silRows = n > plan.silLimit ? Array.from(sampleIndices(mulberry32(seed ^ 0x51ed270b), n, plan.silLimit)).sort((a, b) => a - b) : null;
  const pool = poolFor(plan, options.threads);
  const run: Run = { plan, options, data: pool ? shareDense(dense) : dense, pool, silRows, silX: silRows ? takeRows(dense, silRows) : dense, perK: [], labelsByK: new Map(), silByK: new Map() };
  try {
    for (const k of ks) {
      fitOne(run, k);
      tick(`k-means and indices, k = ${k}`);
    }
    const knee = kneedle(
      ks,
      run.perK.map((r) => r.inertia),
      options.kneedle,
    );
    const elbow = { k: knee.knee, note: knee.note };

    let gap: KSweep['gap'];
    if (plan.gap) {
      const offset = done;
      gap = gapStatistic(run.data, {
        kMax,
        nInit,
        seed,
        pool,
        ...plan.gap,
        dataLabels: (k) => run.labelsByK.get(k),
        onProgress: (d, _t, label) => {
          done = offset + d;
          options.onProgress?.(done, total, label);
        },
      });
      done = offset + B + 1;
      for (const r of run.perK) {
        const g = gap.perK[r.k - 1];
        if (g) Object.assign(r, { gap: g.gap, gapSE: g.se, logW: g.logW, expectedLogW: g.expectedLogW });
      }
    }
    if (plan.stability) {
      for (const r of run.perK) {
        const s = stability(run.data, r.k, { nInit, maxIterations, ...plan.stability, seed: plan.stability.seed ?? seed }, pool);
        Object.assign(r, { stability: s.mean, stabilitySD: s.sd, stabilitySE: s.se, stabilityReading: s.reading });
        tick(`stability, k = ${r.k}`);
      }
    }

    let recommendation = recommendK({ perK: run.perK, elbow, gap }, plan.recommend);
    let chosenK = recommendation.k;
    if (options.userK !== undefined) {
      const u = checkK(options.userK, n, 'select-k', 'option userK');
      if (!run.labelsByK.has(u)) fitOne(run, u);
      recommendation = overrideRecommendation(recommendation, u);
      chosenK = u;
    }
    const silhouettePoints = silhouettePointsOf(run, [recommendation.k, chosenK]);

    let dendrogram: KSweep['dendrogram'];
    if (plan.dendrogram) {
      dendrogram = wardDendrogram(dense, { seed, ...plan.dendrogram });
      tick('Ward dendrogram');
    }
    return {
      // the extra fit for an out-of-range userK is evidence for that k only, not part of the sweep table
      perK: run.perK.filter((r) => r.k >= kMin && r.k <= kMax),
      elbow,
      silhouetteN: run.silX.n,
      silhouetteExact: silRows === null,
      ...(gap ? { gap } : {}),
      ...(dendrogram ? { dendrogram } : {}),
      recommendation,
      chosenK,
      silhouettePoints,
    };
  } finally {
    pool?.close();
  }
}
