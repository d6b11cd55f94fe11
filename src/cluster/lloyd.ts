/**
 * One k-means run on typed arrays: greedy k-means++ seeding (as scikit-learn) and Lloyd's iterations,
 * accelerated with Hamerly's bounds (exact: the same assignments as plain Lloyd, fewer distances).
 *
 * Convergence as scikit-learn: stop when no label changes, or when the total squared centre shift is at
 * most `tol` (absolute; fitKMeans passes tolerance × mean feature variance). Labels are always those of
 * the returned centres (a final assignment step runs when the loop stopped on the shift rule).
 */
import type { Dense } from './matrix';

/** Scratch arrays of length n reused across runs on the same data (restarts), sparing allocation and zeroing. */
export interface Workspace {
  n: number;
  f: Float64Array[];
  labels: Int32Array;
}

export function workspace(n: number): Workspace {
  return { n, f: Array.from({ length: 4 }, () => new Float64Array(n)), labels: new Int32Array(n) };
}

export interface RunResult {
  labels: Int32Array;
  centers: Float64Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

/** Squared Euclidean distance between rows; unrolled for 2 and 3 features (the common cases), which V8 runs much faster. */
export function sqDist(a: Float64Array, ia: number, b: Float64Array, ib: number, d: number): number {
  if (d === 3) {
    const x = a[ia] - b[ib];
    const y = a[ia + 1] - b[ib + 1];
    const z = a[ia + 2] - b[ib + 2];
    return x * x + y * y + z * z;
  }
  if (d === 2) {
    const x = a[ia] - b[ib];
    const y = a[ia + 1] - b[ib + 1];
    return x * x + y * y;
  }
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ia + j] - b[ib + j];
    s += t * t;
  }
  return s;
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's 2 + ⌊ln k⌋ local trials):
 * returns k initial centres (k × d, row-major) chosen among the points.
 */
export function kmeansPlusPlus(X: Dense, k: number, rand: () => number, ws: Workspace = workspace(X.n)): Float64Array {
  const { data, n, d } = X;
  const centers = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(rand() * n);
  centers.set(data.subarray(first * d, first * d + d), 0);
  const cum = ws.f[1];
  let [closest, , cand, best] = ws.f;
  for (let i = 0; i < n; i++) closest[i] = sqDist(data, i * d, data, first * d, d);
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += closest[i];
      cum[i] = acc;
    }
    let bestPot = Infinity;
    let bestIdx = -1;
    for (let t = 0; t < trials; t++) {
      // searchsorted(cum, r) with r uniform in [0, pot): the first index whose cumulative sum exceeds r
      const r = rand() * acc;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cum[mid] <= r) lo = mid + 1;
        else hi = mid;
      }
      const idx = lo;
      let p = 0;
      const base = idx * d;
      for (let i = 0; i < n; i++) {
        const dd = sqDist(data, i * d, data, base, d);
        const v = dd < closest[i] ? dd : closest[i];
        cand[i] = v;
        p += v;
      }
      if (p < bestPot) {
        bestPot = p;
        bestIdx = idx;
        const tmp = best;
        best = cand;
        cand = tmp;
      }
    }
    centers.set(data.subarray(bestIdx * d, bestIdx * d + d), c * d);
    const tmp = closest;
    closest = best;
    best = tmp;
  }
  return centers;
}

/** Nearest centre of every point (squared Euclidean; ties go to the lower index). */
export function assignNearest(X: Dense, centers: Float64Array, k: number, labels = new Int32Array(X.n)): { labels: Int32Array; inertia: number } {
  const { data, n, d } = X;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let arg = 0;
    const base = i * d;
    for (let c = 0; c < k; c++) {
      const dd = sqDist(data, base, centers, c * d, d);
      if (dd < best) {
        best = dd;
        arg = c;
      }
    }
    labels[i] = arg;
    inertia += best;
  }
  return { labels, inertia };
}

/** Σ squared distances of points to their labelled centre. */
export function inertiaOf(X: Dense, labels: Int32Array, centers: Float64Array): number {
  const { data, n, d } = X;
  let s = 0;
  for (let i = 0; i < n; i++) s += sqDist(data, i * d, centers, labels[i] * d, d);
  return s;
}

interface HamerlyState {
  labels: Int32Array;
  /** Upper bound on the distance to the own centre, stored as bound − cumMove[label] (so it needs no update when centres move). */
  upperN: Float64Array;
  /** Lower bound on the distance to every other centre, stored as bound + cumMax. */
  lowerN: Float64Array;
  /** Total distance each centre has moved so far. */
  cumMove: Float64Array;
  /** Total of the largest centre move of each iteration. */
  cumMax: number;
  half: Float64Array;
  sums: Float64Array;
  counts: Float64Array;
}

/** One assignment step with Hamerly's bounds; returns how many points changed cluster. */
function hamerlyAssign(X: Dense, centers: Float64Array, k: number, st: HamerlyState): number {
  const { data, n, d } = X;
  const { labels, upperN, lowerN, cumMove, half, sums, counts } = st;
  const cumMax = st.cumMax;
  for (let c = 0; c < k; c++) {
    let m = Infinity;
    for (let c2 = 0; c2 < k; c2++) {
      if (c2 === c) continue;
      const dd = sqDist(centers, c * d, centers, c2 * d, d);
      if (dd < m) m = dd;
    }
    half[c] = 0.5 * Math.sqrt(m);
  }
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    const lo = lowerN[i] - cumMax;
    const h = half[a];
    const bound = h > lo ? h : lo;
    const ca = cumMove[a];
    if (upperN[i] + ca <= bound) continue;
    const base = i * d;
    const u = Math.sqrt(sqDist(data, base, centers, a * d, d));
    upperN[i] = u - ca;
    if (u <= bound) continue;
    let b1 = Infinity;
    let b2 = Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      const dd = sqDist(data, base, centers, c * d, d);
      if (dd < b1) {
        b2 = b1;
        b1 = dd;
        arg = c;
      } else if (dd < b2) b2 = dd;
    }
    upperN[i] = Math.sqrt(b1) - cumMove[arg];
    lowerN[i] = Math.sqrt(b2) + cumMax;
    if (arg !== a) {
      changed++;
      labels[i] = arg;
      counts[a]--;
      counts[arg]++;
      for (let j = 0; j < d; j++) {
        sums[a * d + j] -= data[base + j];
        sums[arg * d + j] += data[base + j];
      }
    }
  }
  return changed;
}

/**
 * Hartigan's single-point transfers after Lloyd (as R's default Hartigan-Wong does): move a point from
 * cluster a to b whenever that lowers the inertia, i.e. n_b/(n_b+1)·|x − c_b|² < n_a/(n_a−1)·|x − c_a|²,
 * updating both means at once, until a full pass moves nothing. The result is also a Lloyd fixed point
 * (every point is nearest its own centre), often with a lower inertia. Hamerly's bounds skip most points.
 */
function hartigan(X: Dense, centers: Float64Array, k: number, st: HamerlyState, maxPasses = 50): void {
  const { data, n, d } = X;
  const { labels, upperN, lowerN, cumMove, sums, counts } = st;
  // centres must be the means of the current labels
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = sums[c * d + j] / counts[c];
      s += (v - centers[c * d + j]) ** 2;
      centers[c * d + j] = v;
    }
    cumMove[c] += Math.sqrt(s);
    if (Math.sqrt(s) > 0) st.cumMax += Math.sqrt(s);
  }
  const minFactor = (): number => {
    let m = Infinity;
    for (let c = 0; c < k; c++) if (counts[c] > 0) m = Math.min(m, counts[c] / (counts[c] + 1));
    return m;
  };
  let mf = minFactor();
  for (let pass = 0; pass < maxPasses; pass++) {
    let moves = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i];
      const na = counts[a];
      if (na <= 1) continue;
      const fa = na / (na - 1);
      const u = upperN[i] + cumMove[a];
      const l = lowerN[i] - st.cumMax;
      // no other cluster can take x for less than mf·l², and keeping it costs at most fa·u²
      if (l > 0 && mf * l * l >= fa * u * u) continue;
      const base = i * d;
      const da2 = sqDist(data, base, centers, a * d, d);
      upperN[i] = Math.sqrt(da2) - cumMove[a];
      let best = Infinity;
      let arg = -1;
      let nearestOther = Infinity;
      for (let c = 0; c < k; c++) {
        if (c === a || counts[c] === 0) continue;
        const dd = sqDist(data, base, centers, c * d, d);
        if (dd < nearestOther) nearestOther = dd;
        const v = (counts[c] / (counts[c] + 1)) * dd;
        if (v < best) {
          best = v;
          arg = c;
        }
      }
      lowerN[i] = Math.sqrt(nearestOther) + st.cumMax;
      if (!(arg >= 0 && best < fa * da2 * (1 - 1e-12))) continue;
      // transfer x from a to arg, updating both means and the drift of their bounds
      const nb = counts[arg];
      let sa = 0;
      let sb = 0;
      for (let j = 0; j < d; j++) {
        const x = data[base + j];
        sums[a * d + j] -= x;
        sums[arg * d + j] += x;
        const ca = sums[a * d + j] / (na - 1);
        const cb = sums[arg * d + j] / (nb + 1);
        sa += (ca - centers[a * d + j]) ** 2;
        sb += (cb - centers[arg * d + j]) ** 2;
        centers[a * d + j] = ca;
        centers[arg * d + j] = cb;
      }
      counts[a] = na - 1;
      counts[arg] = nb + 1;
      const ma = Math.sqrt(sa);
      const mb = Math.sqrt(sb);
      cumMove[a] += ma;
      cumMove[arg] += mb;
      st.cumMax += Math.max(ma, mb);
      labels[i] = arg;
      upperN[i] = Math.sqrt(sqDist(data, base, centers, arg * d, d)) - cumMove[arg];
      lowerN[i] = st.cumMax; // unknown: look again next pass
      mf = minFactor();
      moves++;
    }
    if (moves === 0) return;
  }
  // pass cap reached (never seen in practice): make labels those of the final centres
  hamerlyAssign(X, centers, k, st);
}

/**
 * Lloyd's algorithm from the given initial centres, with Hamerly's bounds kept lazily: each point stores
 * its bounds offset by the cumulative centre drift, so no O(n) pass is needed to loosen them after every
 * move; cluster sums are updated incrementally as points change cluster.
 */
export function lloyd(X: Dense, init: Float64Array, k: number, maxIter: number, tol: number, ws: Workspace = workspace(X.n), refine = false): RunResult {
  const { data, n, d } = X;
  const centers = Float64Array.from(init);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  // labels live in the workspace: the caller copies them if it keeps this run
  const labels = ws.labels;
  const [upperN, lowerN] = ws.f;
  const cumMove = new Float64Array(k); // total distance each centre has moved
  const st: HamerlyState = { labels, upperN, lowerN, cumMove, cumMax: 0, half: new Float64Array(k), sums, counts };
  const prev = new Float64Array(k * d);
  let iterations = 0;
  let converged = false;
  let strict = false;

  // first assignment: a full scan of every point
  for (let i = 0; i < n; i++) {
    const base = i * d;
    let b1 = Infinity;
    let b2 = Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      const dd = sqDist(data, base, centers, c * d, d);
      if (dd < b1) {
        b2 = b1;
        b1 = dd;
        arg = c;
      } else if (dd < b2) b2 = dd;
    }
    labels[i] = arg;
    upperN[i] = Math.sqrt(b1);
    lowerN[i] = Math.sqrt(b2);
    counts[arg]++;
    for (let j = 0; j < d; j++) sums[arg * d + j] += data[base + j];
  }

  while (iterations < maxIter) {
    iterations++;
    // M-step: centres are the means of their points
    prev.set(centers);
    let empty = false;
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) for (let j = 0; j < d; j++) centers[c * d + j] = sums[c * d + j] / counts[c];
      else empty = true;
    }
    if (empty) {
      // a relocated point changes cluster: its bounds no longer hold, so force a fresh look next time
      for (const i of relocateEmpty(X, labels, prev, centers, sums, counts, k)) {
        lowerN[i] = st.cumMax;
        upperN[i] = Infinity;
      }
    }
    let shift = 0;
    let maxMove = 0;
    for (let c = 0; c < k; c++) {
      const s = sqDist(centers, c * d, prev, c * d, d);
      shift += s;
      const m = Math.sqrt(s);
      cumMove[c] += m;
      if (m > maxMove) maxMove = m;
    }
    st.cumMax += maxMove;
    if (shift <= tol) {
      converged = true;
      break;
    }
    if (hamerlyAssign(X, centers, k, st) === 0) {
      // same labels ⇒ the next M-step would give the same centres: labels and centres are consistent
      strict = true;
      converged = true;
      break;
    }
  }
  // the loop stopped on the shift rule or maxIter: give the labels of the final centres
  if (!strict) hamerlyAssign(X, centers, k, st);
  if (refine) hartigan(X, centers, k, st);
  return { labels, centers, inertia: inertiaOf(X, labels, centers), iterations, converged };
}

/** scikit-learn's rule: an empty cluster takes the point farthest from its (previous) centre. */
function relocateEmpty(X: Dense, labels: Int32Array, oldCenters: Float64Array, centers: Float64Array, sums: Float64Array, counts: Float64Array, k: number): number[] {
  const { data, n, d } = X;
  const far: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) far.push([sqDist(data, i * d, oldCenters, labels[i] * d, d), i]);
  far.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const moved: number[] = [];
  let next = 0;
  for (let c = 0; c < k; c++) {
    if (counts[c] > 0) continue;
    while (next < far.length && counts[labels[far[next][1]]] <= 1) next++;
    if (next >= far.length) {
      centers.set(oldCenters.subarray(c * d, c * d + d), c * d);
      continue;
    }
    const i = far[next++][1];
    const from = labels[i];
    for (let j = 0; j < d; j++) {
      sums[from * d + j] -= data[i * d + j];
      sums[c * d + j] = data[i * d + j];
    }
    counts[from]--;
    counts[c] = 1;
    labels[i] = c;
    for (let j = 0; j < d; j++) {
      centers[from * d + j] = sums[from * d + j] / counts[from];
      centers[c * d + j] = data[i * d + j];
    }
    moved.push(i);
  }
  return moved;
}
