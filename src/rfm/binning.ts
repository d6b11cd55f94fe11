/**
 * The three ways to turn raw values into scores 1..n, written plainly on typed arrays (one value per
 * customer). scoreRfm computes the same thing with Polars expressions; these are the reference the tests
 * hold it to, and are handy for small arrays. All return ascending scores (recency is reversed by the caller).
 */

/** Sorted copy (ascending). */
function sorted(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}

/** Index of the first element of `s` that is >= v (number of elements < v). */
export function lowerBound(s: Float64Array, v: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Rank scores: score = 1 + floor(n × below / N), below = number of values strictly lower.
 * Equal values always share a score; a large tie keeps the score its position deserves.
 */
export function rankScores(values: Float64Array, n: number): Int32Array {
  const N = values.length;
  const s = sorted(values);
  const out = new Int32Array(N);
  for (let i = 0; i < N; i++) out[i] = 1 + Math.floor((n * lowerBound(s, values[i])) / N);
  return out;
}

/** Quantile of sorted values by R's default (type 7): linear interpolation between order statistics. */
export function quantileType7(s: Float64Array, p: number): number {
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/**
 * The R package rfm's cut points: the type-7 quantiles at 1/n … (n−1)/n, each plus 1 (as rfm does),
 * used as bins [lower, upper). Ties among the quantiles leave empty scores, as in rfm.
 */
export function quantileCuts(values: Float64Array, n: number): number[] {
  const s = sorted(values);
  const cuts: number[] = [];
  for (let k = 1; k < n; k++) cuts.push(quantileType7(s, k / n) + 1);
  return cuts;
}

/** Scores from inner cut points, bins [lower, upper): score = 1 + number of cuts <= value. */
export function cutScores(values: Float64Array, cuts: readonly number[]): Int32Array {
  const c = Float64Array.from(cuts);
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    // number of cuts <= v = index of the first cut > v
    const v = values[i];
    let lo = 0;
    let hi = c.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = 1 + lo;
  }
  return out;
}
