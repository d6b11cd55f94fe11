/**
 * A small, tested optimiser for the CLV fitters: Nelder-Mead (adaptive coefficients, Gao & Han 2012)
 * with restarts from the best point, plus the numerical gradient and Hessian used for the convergence
 * report and standard errors. No dependencies; everything is deterministic.
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
