/**
 * The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
 * while alive, a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with
 * probability p ~ Beta(a, b). Fitted by maximum likelihood on log-parameters (Nelder-Mead), with an
 * optional L2 penalty (as lifetimes' penalizer_coef), a convergence report and standard errors from the
 * numerical Hessian of the log-likelihood.
 *
 * Per customer with x repeat purchases, the last at t_x, observed for T (FHL 2005 eq. 6):
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *          + ln[ (α+T)^−(r+x) + δ(x>0) · a/(b+x−1) · (α+t_x)^−(r+x) ]       (the last term by log-sum-exp)
 */
import { SegkitError, warn, type SegkitWarning } from '../errors';
import { groupHistory, type GroupedHistory, type HistoryInput } from './data';
import { nelderMead, numericGradient, standardErrors, type MinimizeOptions } from './optimize';
import { lgamma, logSumExp } from './special';

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
  optimizer?: MinimizeOptions;
}

export const BGNBD_DEFAULTS = { penalty: 0 } as const;

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
 * Σ weight · ln L over grouped histories. ln Γ terms are shared by customers with the same x, so they
 * are computed once per distinct x.
 */
export function bgnbdLogLikelihoodGrouped(p: BgNbdParams, g: GroupedHistory): number {
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

/** Total BG/NBD log-likelihood of customers (summary table or arrays) at `params`. */
export function bgnbdLogLikelihood(params: BgNbdParams, data: HistoryInput): number {
  return bgnbdLogLikelihoodGrouped(params, groupHistory(data));
}

/** Fit BG/NBD by maximum likelihood to a summary table (frequency, recency, T) or arrays {x, tx, T}. */
export function fitBgNbd(data: HistoryInput | GroupedHistory, options: BgNbdOptions = {}): BgNbdFit {
  const g = data instanceof Object && (data as GroupedHistory).weight instanceof Float64Array ? (data as GroupedHistory) : groupHistory(data as HistoryInput);
  const penalty = options.penalty ?? BGNBD_DEFAULTS.penalty;
  if (!(penalty >= 0)) throw new SegkitError('clv', 'bad_option', `penalty must be >= 0, got ${penalty}`, { where: 'option penalty' });
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
  const objective = (logTheta: number[]): number => {
    const p = toParams(logTheta.map(Math.exp));
    const pen = penalty > 0 ? penalty * fromParams(p).reduce((s, v) => s + v * v, 0) : 0;
    return -bgnbdLogLikelihoodGrouped(p, g) / n + pen;
  };
  const rate = Math.max(sx / Math.max(sT, 1e-12), 1e-6);
  const start = { r: 1, alpha: 1 / rate, a: 1, b: 1, ...options.start };
  const res = nelderMead(objective, fromParams(start).map(Math.log), options.optimizer);
  const params = toParams(res.x.map(Math.exp));
  const gradient = Math.max(...numericGradient(objective, res.x).map(Math.abs));
  const negLL = (theta: number[]): number => {
    const pen = penalty > 0 ? n * penalty * theta.reduce((s, v) => s + v * v, 0) : 0;
    return -bgnbdLogLikelihoodGrouped(toParams(theta), g) + pen;
  };
  const se = standardErrors(negLL, fromParams(params));
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
    logLikelihood: bgnbdLogLikelihoodGrouped(params, g),
    customers: n,
    distinct: g.x.length,
    penalty,
    report: { converged, iterations: res.iterations, evaluations: res.evaluations, gradient },
    warnings,
  };
}
