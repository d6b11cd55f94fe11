/**
 * Kneedle (Satopää, Albrecht, Irwin & Raghavan 2011), as the Python package kneed implements it
 * (offline, no smoothing): the point of maximum curvature of a curve, e.g. the elbow of inertia against k.
 */
import { SegkitError } from '../errors';

export interface KneedleOptions {
  /** Sensitivity: how far the difference curve must drop after a local maximum. Default 1. */
  S?: number;
  /** Default 'convex' (inertia against k). */
  curve?: 'convex' | 'concave';
  /** Default 'decreasing'. */
  direction?: 'decreasing' | 'increasing';
}

export interface KneedleResult {
  /** x at the knee, or null when there is none. */
  knee: number | null;
  index: number | null;
  /** The normalised difference curve (for plots). */
  difference: number[];
  note: string;
}

/**
 * Find the knee/elbow of y(x). x must be strictly increasing.
 * @throws SegkitError `select-k/bad_input` (x and y of different lengths, x not increasing), `select-k/not_finite`.
 */
export function kneedle(x: number[], y: number[], options: KneedleOptions = {}): KneedleResult {
  const S = options.S ?? 1;
  const curve = options.curve ?? 'convex';
  const direction = options.direction ?? 'decreasing';
  const n = x.length;
  if (n !== y.length) throw new SegkitError('select-k', 'bad_input', `kneedle: x has ${n} values, y has ${y.length}`, { where: 'kneedle' });
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new SegkitError('select-k', 'not_finite', `kneedle: point ${i} is (${x[i]}, ${y[i]})`, { where: `kneedle, point ${i}` });
    if (i > 0 && !(x[i] > x[i - 1])) throw new SegkitError('select-k', 'bad_input', 'kneedle: x must be strictly increasing', { where: `kneedle, point ${i}` });
  }
  if (n < 3) return { knee: null, index: null, difference: [], note: `no elbow: ${n} point(s) are too few to have one` };
  const norm = (v: number[]): number[] => {
    const lo = Math.min(...v);
    const hi = Math.max(...v);
    return v.map((t) => (hi > lo ? (t - lo) / (hi - lo) : 0));
  };
  const xn = norm(x);
  let yn = norm(y);
  if (direction === 'decreasing') {
    if (curve === 'concave') yn = [...yn].reverse();
    else {
      const m = Math.max(...yn);
      yn = yn.map((t) => m - t);
    }
  } else if (curve === 'convex') {
    const m = Math.max(...yn);
    yn = yn.map((t) => m - t).reverse();
  }
  const diff = yn.map((t, i) => t - xn[i]);
  const isMax = (i: number): boolean => diff[i] >= diff[Math.max(i - 1, 0)] && diff[i] >= diff[Math.min(i + 1, n - 1)];
  const isMin = (i: number): boolean => diff[i] <= diff[Math.max(i - 1, 0)] && diff[i] <= diff[Math.min(i + 1, n - 1)];
  let meanStep = 0;
  for (let i = 1; i < n; i++) meanStep += xn[i] - xn[i - 1];
  meanStep = Math.abs(meanStep / (n - 1));
  const firstMax = diff.findIndex((_, i) => isMax(i));
  let threshold = NaN;
  let thresholdIndex = -1;
  for (let i = firstMax; i >= 0 && i < n - 1; i++) {
    if (isMax(i)) {
      threshold = diff[i] - S * meanStep;
      thresholdIndex = i;
    }
    if (isMin(i)) threshold = 0;
    if (diff[i + 1] < threshold) {
      const flipped = (curve === 'convex' && direction === 'increasing') || (curve === 'concave' && direction === 'decreasing');
      const idx = flipped ? n - 1 - thresholdIndex : thresholdIndex;
      return { knee: x[idx], index: idx, difference: diff, note: `elbow at ${x[idx]} (kneedle, S = ${S})` };
    }
  }
  return { knee: null, index: null, difference: diff, note: 'no clear elbow: the curve bends too evenly for kneedle to find one' };
}
