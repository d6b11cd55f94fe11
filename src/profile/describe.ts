/**
 * Plain-words descriptions of clusters: each cluster's median recency, frequency and monetary value
 * placed against the whole customer base (its tertiles) as low / moderate / high, then said in words,
 * e.g. "Bought recently, buys often, spends the most".
 */
import { percentileOf, quantile7, sortedCopy } from './stats';

export type Level = 'low' | 'moderate' | 'high';
export type Dimension = 'recency' | 'frequency' | 'monetary';
export const DIMENSIONS: Dimension[] = ['recency', 'frequency', 'monetary'];
export const DIMENSION_COLUMNS: Record<Dimension, string> = { recency: 'recency_days', frequency: 'frequency', monetary: 'monetary' };

/** The whole customer base, for placing clusters: sorted values and tertile cut points per dimension. */
export interface Baseline {
  customers: number;
  /** [33.3 %, 66.7 %] quantiles (type 7) of every customer's value. */
  tertiles: Record<Dimension, [number, number]>;
  sorted: Record<Dimension, Float64Array>;
}

/** Tertiles of recency, frequency and monetary over all customers. */
export function baselineOf(columns: Record<Dimension, ArrayLike<number>>): Baseline {
  const sorted = {} as Record<Dimension, Float64Array>;
  const tertiles = {} as Record<Dimension, [number, number]>;
  for (const d of DIMENSIONS) {
    sorted[d] = sortedCopy(columns[d]);
    tertiles[d] = [quantile7(sorted[d], 1 / 3), quantile7(sorted[d], 2 / 3)];
  }
  return { customers: sorted.recency.length, tertiles, sorted };
}

/** low: at or below the lower tertile; high: above the upper tertile; else moderate. */
export function levelOf(value: number, [lower, upper]: [number, number]): Level {
  if (value <= lower) return 'low';
  if (value > upper) return 'high';
  return 'moderate';
}

const WORDS: Record<Dimension, Record<Level, string>> = {
  recency: { low: 'bought recently', moderate: 'last bought a while ago', high: 'has not bought for a long time' },
  frequency: { low: 'buys rarely', moderate: 'buys now and then', high: 'buys often' },
  monetary: { low: 'spends little', moderate: 'spends a moderate amount', high: 'spends a lot' },
};

export interface ClusterDescription {
  levels: Record<Dimension, Level>;
  /** Where the cluster's median falls among all customers (mid-rank percentile, 0..1). */
  position: Record<Dimension, number>;
  /** "Low recency, high frequency, high monetary" (recency in days: low = recent). */
  levelText: string;
  /** "Bought recently, buys often, spends the most". */
  description: string;
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Describe clusters from their medians. `medians[c]` holds cluster c's median of each dimension.
 * The high-monetary cluster with the largest median spend "spends the most".
 */
export function describeClusters(medians: Array<Record<Dimension, number>>, baseline: Baseline): ClusterDescription[] {
  let top = -1;
  medians.forEach((m, c) => {
    if (top < 0 || m.monetary > medians[top].monetary) top = c;
  });
  return medians.map((m, c) => {
    const levels = {} as Record<Dimension, Level>;
    const position = {} as Record<Dimension, number>;
    for (const d of DIMENSIONS) {
      levels[d] = levelOf(m[d], baseline.tertiles[d]);
      position[d] = percentileOf(baseline.sorted[d], m[d]);
    }
    const words = DIMENSIONS.map((d) => WORDS[d][levels[d]]);
    if (levels.monetary === 'high' && c === top && medians.length > 1) words[2] = 'spends the most';
    return {
      levels,
      position,
      levelText: cap(DIMENSIONS.map((d) => `${levels[d]} ${d}`).join(', ')),
      description: cap(words.join(', ')),
    };
  });
}
