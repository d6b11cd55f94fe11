/** Small summaries used by the profiles: five numbers, Tukey whiskers, percentile positions. */
import { quantile7 } from '../features/stats';

/** Summary of one variable inside one cluster (original units). */
export interface Summary {
  mean: number;
  median: number;
  /** First and third quartiles (type 7, as numpy and R's default). */
  q1: number;
  q3: number;
  min: number;
  max: number;
  /** Tukey whiskers: the most extreme values within 1.5 × IQR of the quartiles (for box plots). */
  lowerWhisker: number;
  upperWhisker: number;
}

/** Ascending copy. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>).sort();
}

/** Mean, quartiles, extremes and whiskers of `values` (NaN everywhere for an empty list). */
export function summarize(values: ArrayLike<number>): Summary {
  const s = sortedCopy(values);
  const n = s.length;
  if (n === 0) return { mean: NaN, median: NaN, q1: NaN, q3: NaN, min: NaN, max: NaN, lowerWhisker: NaN, upperWhisker: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i];
  const q1 = quantile7(s, 0.25);
  const q3 = quantile7(s, 0.75);
  const lo = q1 - 1.5 * (q3 - q1);
  const hi = q3 + 1.5 * (q3 - q1);
  let lowerWhisker = s[0];
  for (let i = 0; i < n; i++) {
    if (s[i] >= lo) {
      lowerWhisker = s[i];
      break;
    }
  }
  let upperWhisker = s[n - 1];
  for (let i = n - 1; i >= 0; i--) {
    if (s[i] <= hi) {
      upperWhisker = s[i];
      break;
    }
  }
  return { mean: sum / n, median: quantile7(s, 0.5), q1, q3, min: s[0], max: s[n - 1], lowerWhisker, upperWhisker };
}

/** Share of `sorted` values strictly below v plus half of those equal to it (the mid-rank percentile, 0..1). */
export function percentileOf(sorted: Float64Array, v: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  let below = 0;
  let equal = 0;
  for (let i = 0; i < n; i++) {
    if (sorted[i] < v) below++;
    else if (sorted[i] === v) equal++;
  }
  return (below + equal / 2) / n;
}

export { quantile7 };
