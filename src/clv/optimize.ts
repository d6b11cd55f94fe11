/**
 * Small, tested optimisers for the CLV fitters: L-BFGS (Nocedal & Wright 2006, alg. 7.4, with a strong
 * Wolfe line search, alg. 3.5/3.6) for objectives with an analytic gradient, and Nelder-Mead (adaptive
 * coefficients, Gao & Han 2012) with restarts from the best point for those without; plus the numerical
 * gradient and Hessians used for the convergence report and standard errors. No dependencies;
 * everything is deterministic.
 */

export interface MinimizeOptions {
  /** Stop when the simplex's function values differ by less than this (absolute). Default 1e-10. */
  fTol?: number;
  /** … and its points differ by less than this in every coordinate. Default 1e-8. */
  xTol?: number;
  /** Function evaluations allowed over all restarts. Default 20000. */
  maxEvaluations?: number;
  /** Restarts from the best point (a fresh simplex) after the first run. Default 3. */
  restarts?: number;
  /** Size of the initial simplex steps. Default 0.5. */
  step?: number;
}

export interface MinimizeResult {
  x: number[];
  f: number;
  evaluations: number;
  iterations: number;
  /** True when the last run stopped on the tolerances (not on the evaluation budget). */
  converged: boolean;
}

export const MINIMIZE_DEFAULTS: Required<MinimizeOptions> = { fTol: 1e-10, xTol: 1e-8, maxEvaluations: 20000, restarts: 3, step: 0.5 };

/** Minimise `f` from `x0` by Nelder-Mead. Non-finite values count as +Infinity. */
export function nelderMead(f: (x: number[]) => number, x0: number[], options: MinimizeOptions = {}): MinimizeResult {
  const o = { ...MINIMIZE_DEFAULTS, ...options };
  const n = x0.length;
  let evaluations = 0;
  let iterations = 0;
  const F = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  let best = x0.slice();
  let bestF = F(best);
  let converged = false;
  for (let run = 0; run <= o.restarts; run++) {
    const pts: number[][] = [best.slice()];
    for (let i = 0; i < n; i++) {
      const p = best.slice();
      p[i] += o.step;
      pts.push(p);
    }
    let vals = pts.map((p, i) => (i === 0 ? bestF : F(p)));
    converged = false;
    while (evaluations < o.maxEvaluations) {
      iterations++;
      const order = vals.map((_, i) => i).sort((i, j) => vals[i] - vals[j]);
      const sorted = order.map((i) => pts[i]);
      vals = order.map((i) => vals[i]);
      pts.splice(0, pts.length, ...sorted);
      const spreadX = Math.max(...pts.slice(1).map((p) => Math.max(...p.map((v, k) => Math.abs(v - pts[0][k])))));
      if (Math.abs(vals[n] - vals[0]) <= o.fTol && spreadX <= o.xTol) {
        converged = true;
        break;
      }
      const centroid = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) centroid[k] += pts[i][k] / n;
      const along = (t: number): number[] => centroid.map((c, k) => c + t * (pts[n][k] - c));
      const xr = along(-alpha);
      const fr = F(xr);
      if (fr < vals[0]) {
        const xe = along(-alpha * beta);
        const fe = F(xe);
        if (fe < fr) [pts[n], vals[n]] = [xe, fe];
        else [pts[n], vals[n]] = [xr, fr];
      } else if (fr < vals[n - 1]) {
        [pts[n], vals[n]] = [xr, fr];
      } else {
        const outside = fr < vals[n];
        const xc = along(outside ? -alpha * gamma : gamma);
        const fc = F(xc);
        if (fc <= (outside ? fr : vals[n])) {
          [pts[n], vals[n]] = [xc, fc];
        } else {
          for (let i = 1; i <= n; i++) {
            pts[i] = pts[i].map((v, k) => pts[0][k] + delta * (v - pts[0][k]));
            vals[i] = F(pts[i]);
          }
        }
      }
    }
    const i0 = vals.indexOf(Math.min(...vals));
    const improved = vals[i0] < bestF - o.fTol;
    if (vals[i0] <= bestF) [best, bestF] = [pts[i0].slice(), vals[i0]];
    if (!improved && run > 0 && converged) break;
    if (evaluations >= o.maxEvaluations) break;
  }
  return { x: best, f: bestF, evaluations, iterations, converged };
}

/** Central-difference gradient with relative steps. */
export function numericGradient(f: (x: number[]) => number, x: number[], h = 1e-5): number[] {
  return x.map((v, i) => {
    const s = h * Math.max(1, Math.abs(v));
    const up = x.slice();
    const dn = x.slice();
    up[i] += s;
    dn[i] -= s;
    return (f(up) - f(dn)) / (2 * s);
  });
}

/** Central-difference Hessian with steps h·|x_i| (h when x_i = 0), symmetric by construction. */
export function numericHessian(f: (x: number[]) => number, x: number[], h = 1e-4): number[][] {
  const n = x.length;
  const s = x.map((v) => h * (Math.abs(v) || 1));
  const at = (di: number, si: number, dj: number, sj: number): number => {
    const p = x.slice();
    p[di] += si * s[di];
    p[dj] += sj * s[dj];
    return f(p);
  };
  const f0 = f(x);
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const xp = x.slice();
    const xm = x.slice();
    xp[i] += s[i];
    xm[i] -= s[i];
    H[i][i] = (f(xp) - 2 * f0 + f(xm)) / (s[i] * s[i]);
    for (let j = 0; j < i; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * s[i] * s[j]);
      H[i][j] = v;
      H[j][i] = v;
    }
  }
  return H;
}

/** Inverse of a small square matrix by Gauss-Jordan with partial pivoting; null when singular. */
export function invert(A: number[][]): number[][] | null {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (!(Math.abs(M[p][c]) > 1e-300)) return null;
    [M[c], M[p]] = [M[p], M[c]];
    const d = M[c][c];
    for (let k = 0; k < 2 * n; k++) M[c][k] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const m = M[r][c];
      if (m !== 0) for (let k = 0; k < 2 * n; k++) M[r][k] -= m * M[c][k];
    }
  }
  return M.map((row) => row.slice(n));
}

/**
 * Standard errors of maximum-likelihood estimates `theta` from the Hessian of the total negative
 * log-likelihood at `theta` (observed information). NaN where the information is not positive definite.
 */
export function standardErrors(negLL: (theta: number[]) => number, theta: number[]): number[] {
  const H = numericHessian(negLL, theta);
  const cov = invert(H);
  return theta.map((_, i) => (cov && cov[i][i] > 0 ? Math.sqrt(cov[i][i]) : NaN));
}

/** f(x) that also writes ∇f(x) into `grad` (same length as x). */
export type ValueAndGradient = (x: number[], grad: number[]) => number;

export interface LbfgsOptions {
  /** Converged when the largest |∂f/∂x_i| is below this. Default 1e-9. */
  gTol?: number;
  /** … or when an iteration lowers f by less than fTol · max(|f|, 1). Default 1e-13. */
  fTol?: number;
  /** Function + gradient evaluations allowed. Default 2000. */
  maxEvaluations?: number;
  /** Correction pairs kept. Default 8. */
  memory?: number;
}

export const LBFGS_DEFAULTS: Required<LbfgsOptions> = { gTol: 1e-9, fTol: 1e-13, maxEvaluations: 2000, memory: 8 };

const dot = (a: number[], b: number[]): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxAbs = (a: number[]): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Minimise `fg` from `x0` by L-BFGS. Non-finite values count as "too far" (the line search steps back).
 * `converged` is true when it stopped on gTol or fTol, false on the evaluation budget or a failed line search.
 */
export function lbfgs(fg: ValueAndGradient, x0: number[], options: LbfgsOptions = {}): MinimizeResult & { gradient: number[] } {
  const o = { ...LBFGS_DEFAULTS, ...options };
  const n = x0.length;
  let evaluations = 0;
  const evaluate = (x: number[]): { f: number; g: number[] } => {
    evaluations++;
    const g = new Array<number>(n).fill(0);
    const f = fg(x, g);
    return Number.isFinite(f) && g.every(Number.isFinite) ? { f, g } : { f: Infinity, g };
  };
  let x = x0.slice();
  let { f, g } = evaluate(x);
  if (!Number.isFinite(f)) return { x, f, evaluations, iterations: 0, converged: false, gradient: g };
  const S: number[][] = [];
  const Y: number[][] = [];
  let iterations = 0;
  let converged = maxAbs(g) <= o.gTol;
  while (!converged && evaluations < o.maxEvaluations) {
    iterations++;
    // two-loop recursion: d = −H·g
    const q = g.slice();
    const alphas: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const a = dot(S[k], q) / dot(Y[k], S[k]);
      alphas[k] = a;
      for (let i = 0; i < n; i++) q[i] -= a * Y[k][i];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, maxAbs(g));
    for (let i = 0; i < n; i++) q[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const b = dot(Y[k], q) / dot(Y[k], S[k]);
      for (let i = 0; i < n; i++) q[i] += S[k][i] * (alphas[k] - b);
    }
    let d = q.map((v) => -v);
    let d0 = dot(g, d);
    if (!(d0 < 0)) {
      // not a descent direction (numerical trouble): restart from steepest descent
      S.length = 0;
      Y.length = 0;
      d = g.map((v) => -v / Math.max(1, maxAbs(g)));
      d0 = dot(g, d);
    }
    const step = wolfeLineSearch(evaluate, x, f, d, d0, () => evaluations < o.maxEvaluations);
    if (!step) {
      if (S.length === 0) break; // even steepest descent found no decrease
      S.length = 0;
      Y.length = 0;
      continue;
    }
    const s = step.x.map((v, i) => v - x[i]);
    const y = step.g.map((v, i) => v - g[i]);
    const fOld = f;
    [x, f, g] = [step.x, step.f, step.g];
    if (dot(s, y) > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      S.push(s);
      Y.push(y);
      if (S.length > o.memory) {
        S.shift();
        Y.shift();
      }
    }
    if (maxAbs(g) <= o.gTol || fOld - f <= o.fTol * Math.max(Math.abs(f), 1)) converged = true;
  }
  return { x, f, evaluations, iterations, converged, gradient: g };
}

/**
 * A step length t along d meeting the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9) by bracketing and
 * zooming with safeguarded quadratic interpolation; null when none is found (or `more()` says stop).
 */
function wolfeLineSearch(
  evaluate: (x: number[]) => { f: number; g: number[] },
  x: number[],
  f0: number,
  d: number[],
  d0: number,
  more: () => boolean,
): { x: number[]; f: number; g: number[] } | null {
  const c1 = 1e-4;
  const c2 = 0.9;
  const at = (t: number) => {
    const xt = x.map((v, i) => v + t * d[i]);
    const { f, g } = evaluate(xt);
    return { t, x: xt, f, g, dphi: dot(g, d) };
  };
  type Point = ReturnType<typeof at>;
  const zoom = (lo: Point, hi: Point): Point | null => {
    for (let k = 0; k < 40 && more(); k++) {
      const width = hi.t - lo.t;
      let t = Number.isFinite(hi.f) ? lo.t - (lo.dphi * width * width) / (2 * (hi.f - lo.f - lo.dphi * width)) : NaN;
      const [a, b] = [lo.t + 0.1 * width, hi.t - 0.1 * width];
      if (!Number.isFinite(t) || (t - a) * (t - b) > 0) t = lo.t + 0.5 * width;
      const p = at(t);
      if (!(p.f <= f0 + c1 * t * d0) || p.f >= lo.f) hi = p;
      else {
        if (Math.abs(p.dphi) <= -c2 * d0) return p;
        if (p.dphi * (hi.t - lo.t) >= 0) hi = lo;
        lo = p;
      }
      if (Math.abs(hi.t - lo.t) < 1e-16 * Math.max(1, Math.abs(lo.t))) break;
    }
    return lo.t > 0 ? lo : null; // a point with sufficient decrease, if any
  };
  let prev: Point = { t: 0, x, f: f0, g: [], dphi: d0 };
  let t = 1;
  for (let i = 0; i < 60 && more(); i++) {
    const p = at(t);
    if (!Number.isFinite(p.f)) {
      // past the region where f is defined: bracket with the last good point
      const z = zoom(prev, p);
      return z && { x: z.x, f: z.f, g: z.g };
    }
    if (p.f > f0 + c1 * t * d0 || (i > 0 && p.f >= prev.f)) {
      const z = zoom(prev, p);
      return z && { x: z.x, f: z.f, g: z.g };
    }
    if (Math.abs(p.dphi) <= -c2 * d0) return { x: p.x, f: p.f, g: p.g };
    if (p.dphi >= 0) {
      const z = zoom(p, prev);
      return z && { x: z.x, f: z.f, g: z.g };
    }
    prev = p;
    t *= 2;
  }
  return prev.t > 0 ? { x: prev.x, f: prev.f, g: prev.g } : null;
}

/**
 * Hessian from central differences of an analytic gradient (2n gradient evaluations, steps h·|x_i|),
 * symmetrised.
 */
export function hessianFromGradient(grad: (x: number[]) => number[], x: number[], h = 1e-5): number[][] {
  const n = x.length;
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const s = h * (Math.abs(x[j]) || 1);
    const up = x.slice();
    const dn = x.slice();
    up[j] += s;
    dn[j] -= s;
    const [gu, gd] = [grad(up), grad(dn)];
    for (let i = 0; i < n; i++) H[i][j] = (gu[i] - gd[i]) / (2 * s);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) H[i][j] = H[j][i] = (H[i][j] + H[j][i]) / 2;
  return H;
}

/** Standard errors from a Hessian of the total negative log-likelihood (NaN where not positive definite). */
export function standardErrorsFromHessian(H: number[][]): number[] {
  const cov = invert(H);
  return H.map((_, i) => (cov && cov[i][i] > 0 ? Math.sqrt(cov[i][i]) : NaN));
}
