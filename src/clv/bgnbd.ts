/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
 * while alive, a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with
 * probability p ~ Beta(a, b). Fitted by maximum likelihood on log-parameters, with an optional L2 penalty
 * (as lifetimes' penalizer_coef), a convergence report and standard errors from the Hessian of the
 * log-likelihood. The default optimiser is L-BFGS with the analytic gradient, the likelihood summed in
 * one pass over typed arrays of distinct (x, t_x, T) triples (the ln Γ and ψ terms once per distinct x);
 * `method: 'nelder-mead'` keeps the earlier derivative-free fit (scalar likelihood, numerical Hessian).
 *
 * Per customer with x repeat purchases, the last at t_x, observed for T (FHL 2005 eq. 6):
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *          + ln[ (α+T)^−(r+x) + δ(x>0) · a/(b+x−1) · (α+t_x)^−(r+x) ]       (the last term by log-sum-exp)
 */
import { SegkitError, warn, type SegkitWarning } from '../errors';
import { oneOf } from '../options';
import { checkPenalty } from './checks';
import { groupHistory, indexHistory, type GroupedHistory, type HistoryInput, type IndexedHistory } from './data';
import { hessianFromGradient, lbfgs, nelderMead, numericGradient, standardErrors, standardErrorsFromHessian, type MinimizeOptions } from './optimize';
import { digamma, lgamma, logSumExp } from './special';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdOptions {
  /** L2 penalty λ: the objective is −(mean log-likelihood) + λ·(r² + α² + a² + b²). Default 0. */
  penalty?: number;
  /** Starting point (default: r = 1, α from the mean purchase rate, a = b = 1). */
  start?: Partial<BgNbdParams>;
  /** 'lbfgs' (default: analytic gradient) or 'nelder-mead' (derivative-free, slower; the earlier fitter). */
  method?: 'lbfgs' | 'nelder-mead';
  /** Optimiser limits; maxEvaluations applies to both methods, the rest to Nelder-Mead. */
  optimizer?: MinimizeOptions;
}

export const BGNBD_DEFAULTS = { penalty: 0, method: 'lbfgs' } as const;

export interface FitReport {
  converged: boolean;
  iterations: number;
  evaluations: number;
  /** Largest |∂ objective / ∂ log θ| at the optimum (the objective is per customer). */
  gradient: number;
}

export interface BgNbdFit {
  model: 'bgnbd';
  params: BgNbdParams;
  /** Standard errors from the observed information (NaN when the Hessian is not positive definite). */
  standardErrors: BgNbdParams;
  /** Total log-likelihood at the estimate (without the penalty). */
  logLikelihood: number;
  customers: number;
  /** Distinct (x, t_x, T) triples the likelihood was summed over. */
  distinct: number;
  penalty: number;
  report: FitReport;
  warnings: SegkitWarning[];
}

const NAMES = ['r', 'alpha', 'a', 'b'] as const;
const toParams = (v: number[]): BgNbdParams => ({ r: v[0], alpha: v[1], a: v[2], b: v[3] });
const fromParams = (p: BgNbdParams): number[] => [p.r, p.alpha, p.a, p.b];

/** ln L of one customer (the formula above). */
export function bgnbdLogLikelihoodOne(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const A1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
  const A2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  const A3 = -(r + x) * Math.log(alpha + T);
  const A4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return A1 + A2 + logSumExp(A3, A4);
}

/**
 * Σ weight · ln L over grouped histories, one group at a time (the Nelder-Mead path; the reference for
 * bgnbdLogLikelihoodGradient). ln Γ terms are computed once per distinct x.
 */
export function bgnbdLogLikelihoodScalar(p: BgNbdParams, g: GroupedHistory): number {
  const { r, alpha, a, b } = p;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return NaN;
  const base = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
  const cache = new Map<number, number>();
  const la = Math.log(a);
  let total = 0;
  for (let i = 0; i < g.x.length; i++) {
    const x = g.x[i];
    let gx = cache.get(x);
    if (gx === undefined) {
      gx = lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
      cache.set(x, gx);
    }
    const A3 = -(r + x) * Math.log(alpha + g.T[i]);
    const A4 = x > 0 ? la - Math.log(b + x - 1) - (r + x) * Math.log(alpha + g.tx[i]) : -Infinity;
    total += g.weight[i] * (base + gx + logSumExp(A3, A4));
  }
  return total;
}

/**
 * Σ weight · ln L over indexed histories in one pass over typed arrays, and (when `grad` is given) its
 * gradient ∂/∂(r, α, a, b) written into grad. With A3 = −(r+x) ln(α+T), A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
 * and π4 = e^A4 / (e^A3 + e^A4) (0 when x = 0), per customer:
 *   ∂/∂r = ψ(r+x) − ψ(r) + ln α − (1−π4) ln(α+T) − π4 ln(α+t_x)
 *   ∂/∂α = r/α − (r+x) [(1−π4)/(α+T) + π4/(α+t_x)]
 *   ∂/∂a = ψ(a+b) − ψ(a+b+x) + π4/a
 *   ∂/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x) − π4/(b+x−1)
 */
export function bgnbdLogLikelihoodGradient(p: BgNbdParams, h: IndexedHistory, grad?: number[]): number {
  const { r, alpha, a, b } = p;
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return NaN;
  const { xs, xWeight, xIndex, x: X, weight: W, Ts, TIndex, txs, txIndex } = h;
  const K = xs.length;
  // ln(α+T), 1/(α+T) and the same for t_x, once per distinct value
  const [lnT, invT, lnTx, invTx] = [new Float64Array(Ts.length), new Float64Array(Ts.length), new Float64Array(txs.length), new Float64Array(txs.length)];
  for (let u = 0; u < Ts.length; u++) {
    lnT[u] = Math.log(alpha + Ts[u]);
    invT[u] = 1 / (alpha + Ts[u]);
  }
  for (let u = 0; u < txs.length; u++) {
    lnTx[u] = Math.log(alpha + txs[u]);
    invTx[u] = 1 / (alpha + txs[u]);
  }
  const lnBx = new Float64Array(K); // ln(b+x−1)
  const invBx = new Float64Array(K); // 1/(b+x−1)
  const lnAlpha = Math.log(alpha);
  const lnA = Math.log(a);
  const base = -lgamma(r) + r * lnAlpha + lgamma(a + b) - lgamma(b);
  let ll = 0;
  let [gr, gal, ga, gb] = [0, 0, 0, 0];
  const [psiR, psiAB, psiB] = grad ? [digamma(r), digamma(a + b), digamma(b)] : [0, 0, 0];
  for (let k = 0; k < K; k++) {
    const x = xs[k];
    const w = xWeight[k];
    ll += w * (base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x));
    if (x > 0) {
      lnBx[k] = Math.log(b + x - 1);
      invBx[k] = 1 / (b + x - 1);
    }
    if (grad) {
      const psiABX = digamma(a + b + x);
      gr += w * (digamma(r + x) - psiR + lnAlpha);
      gal += (w * r) / alpha;
      ga += w * (psiAB - psiABX);
      gb += w * (psiAB + digamma(b + x) - psiB - psiABX);
    }
  }
  let s4 = 0; // Σ w·π4
  for (let i = 0; i < X.length; i++) {
    const x = X[i];
    const w = W[i];
    const rx = r + x;
    const uT = TIndex[i];
    const A3 = -rx * lnT[uT];
    if (x === 0) {
      ll += w * A3;
      if (grad) {
        gr -= w * lnT[uT];
        gal -= w * rx * invT[uT];
      }
      continue;
    }
    const k = xIndex[i];
    const uTx = txIndex[i];
    const A4 = lnA - lnBx[k] - rx * lnTx[uTx];
    let pi4: number;
    if (A3 >= A4) {
      const e = Math.exp(A4 - A3);
      ll += w * (A3 + Math.log1p(e));
      pi4 = e / (1 + e);
    } else {
      const e = Math.exp(A3 - A4);
      ll += w * (A4 + Math.log1p(e));
      pi4 = 1 / (1 + e);
    }
    if (grad) {
      const pi3 = 1 - pi4;
      const wp4 = w * pi4;
      gr -= w * pi3 * lnT[uT] + wp4 * lnTx[uTx];
      gal -= rx * (w * pi3 * invT[uT] + wp4 * invTx[uTx]);
      s4 += wp4;
      gb -= wp4 * invBx[k];
    }
  }
  if (grad) {
    grad[0] = gr;
    grad[1] = gal;
    grad[2] = ga + s4 / a;
    grad[3] = gb;
  }
  return ll;
}

/** Total BG/NBD log-likelihood of customers (summary table or arrays) at `params`. */
export function bgnbdLogLikelihood(params: BgNbdParams, data: HistoryInput): number {
  return bgnbdLogLikelihoodGradient(params, indexHistory(groupHistory(data)));
}

/**
 * Fit BG/NBD by maximum likelihood to a summary table (frequency, recency, T) or arrays {x, tx, T}.
 * @throws SegkitError `clv/bad_option` (penalty, method), `clv/empty_input`, `clv/no_repeat_customers`, `clv/bad_history`, `clv/bad_input`, `clv/missing_column`.
 */
export function fitBgNbd(data: HistoryInput | GroupedHistory, options: BgNbdOptions = {}): BgNbdFit {
  const g = data instanceof Object && (data as GroupedHistory).weight instanceof Float64Array ? (data as GroupedHistory) : groupHistory(data as HistoryInput);
  const penalty = options.penalty ?? BGNBD_DEFAULTS.penalty;
  checkPenalty(penalty);
  if (g.customers === 0) throw new SegkitError('clv', 'empty_input', 'no customers to fit', { where: 'BG/NBD input', hint: 'check the calibration period: it may hold no purchases' });
  let sx = 0;
  let sT = 0;
  let repeaters = 0;
  for (let i = 0; i < g.x.length; i++) {
    sx += g.weight[i] * g.x[i];
    sT += g.weight[i] * g.T[i];
    if (g.x[i] > 0) repeaters += g.weight[i];
  }
  if (repeaters === 0) {
    throw new SegkitError('clv', 'no_repeat_customers', `none of the ${g.customers} customers bought more than once: the purchase and drop-out rates cannot be told apart`, {
      where: 'BG/NBD input',
      hint: 'use a longer calibration period, or count same-day orders separately (occasions: "invoice")',
    });
  }
  const warnings: SegkitWarning[] = [];
  const n = g.customers;
  const method = options.method ?? BGNBD_DEFAULTS.method;
  oneOf(method, ['lbfgs', 'nelder-mead'] as const, { stage: 'clv', name: 'method' });
  const rate = Math.max(sx / Math.max(sT, 1e-12), 1e-6);
  const start = { r: 1, alpha: 1 / rate, a: 1, b: 1, ...options.start };
  let res: { x: number[]; converged: boolean; iterations: number; evaluations: number };
  let gradient: number;
  let se: number[];
  if (method === 'lbfgs') {
    const h = indexHistory(g);
    const gTheta = [0, 0, 0, 0];
    // objective in log-parameters φ = ln θ: −ℓ(θ)/n + λ Σ θ²; ∂/∂φ_j = θ_j (−∂ℓ/∂θ_j / n + 2λ θ_j)
    const fg = (phi: number[], out: number[]): number => {
      const theta = phi.map(Math.exp);
      const ll = bgnbdLogLikelihoodGradient(toParams(theta), h, gTheta);
      for (let j = 0; j < 4; j++) out[j] = theta[j] * (-gTheta[j] / n + 2 * penalty * theta[j]);
      return -ll / n + penalty * theta.reduce((s, v) => s + v * v, 0);
    };
    const r = lbfgs(fg, fromParams(start).map(Math.log), options.optimizer?.maxEvaluations !== undefined ? { maxEvaluations: options.optimizer.maxEvaluations } : {});
    res = r;
    gradient = Math.max(...r.gradient.map(Math.abs));
    // observed information: Hessian of the total penalised −ℓ in θ, from the analytic gradient
    const negGrad = (theta: number[]): number[] => {
      const out = [0, 0, 0, 0];
      bgnbdLogLikelihoodGradient(toParams(theta), h, out);
      return out.map((v, j) => -v + 2 * n * penalty * theta[j]);
    };
    se = standardErrorsFromHessian(hessianFromGradient(negGrad, r.x.map(Math.exp)));
  } else {
    const objective = (logTheta: number[]): number => {
      const p = toParams(logTheta.map(Math.exp));
      const pen = penalty > 0 ? penalty * fromParams(p).reduce((s, v) => s + v * v, 0) : 0;
      return -bgnbdLogLikelihoodScalar(p, g) / n + pen;
    };
    res = nelderMead(objective, fromParams(start).map(Math.log), options.optimizer);
    gradient = Math.max(...numericGradient(objective, res.x).map(Math.abs));
    const negLL = (theta: number[]): number => {
      const pen = penalty > 0 ? n * penalty * theta.reduce((s, v) => s + v * v, 0) : 0;
      return -bgnbdLogLikelihoodScalar(toParams(theta), g) + pen;
    };
    se = standardErrors(negLL, res.x.map(Math.exp));
  }
  const params = toParams(res.x.map(Math.exp));
  const converged = res.converged && gradient < 1e-4;
  if (!converged) {
    warnings.push(warn('clv', 'not_converged', `BG/NBD fit did not converge (${res.evaluations} evaluations, largest gradient ${gradient.toExponential(2)}); the parameters may be off`));
  }
  const extreme = NAMES.filter((k) => params[k] > 1e6 || params[k] < 1e-6);
  if (extreme.length) {
    warnings.push(warn('clv', 'extreme_parameters', `BG/NBD ${extreme.map((k) => `${k} = ${params[k].toExponential(2)}`).join(', ')}: at the edge of the parameter space (a → 0: no drop-out is seen in the data; b and its standard error are then not identified). Predictions stay usable; a small penalty keeps the estimates finite`));
  }
  return {
    model: 'bgnbd',
    params,
    standardErrors: toParams(se),
    logLikelihood: method === 'lbfgs' ? bgnbdLogLikelihoodGradient(params, indexHistory(g)) : bgnbdLogLikelihoodScalar(params, g),
    customers: n,
    distinct: g.x.length,
    penalty,
    report: { converged, iterations: res.iterations, evaluations: res.evaluations, gradient },
    warnings,
  };
}
