/**
 * The Gamma-Gamma model of spend per purchase (Fader & Hardie 2013, "The Gamma-Gamma model of monetary
 * value"): each purchase of a customer is Gamma(p, ν), ν ~ Gamma(q, γ) across customers. Fitted on
 * customers with repeat purchases (x > 0) from x and their mean repeat-purchase value m:
 *   ln f(m | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x)
 * The model assumes spend and purchase frequency are independent: fitGammaGamma warns when their Pearson
 * correlation among repeat customers is strong.
 */
import type pl from 'nodejs-polars';
import { SegkitError, warn, type SegkitWarning } from '../errors';
import { nelderMead, numericGradient, standardErrors, type MinimizeOptions } from './optimize';
import type { FitReport } from './bgnbd';
import { lgamma } from './special';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaOptions {
  /** L2 penalty λ on (p, q, γ), as in fitBgNbd. Default 0. */
  penalty?: number;
  /** |correlation| of frequency and monetary above which to warn. Default 0.3. */
  maxCorrelation?: number;
  optimizer?: MinimizeOptions;
}

export const GAMMA_GAMMA_DEFAULTS = { penalty: 0, maxCorrelation: 0.3 } as const;

export interface GammaGammaFit {
  model: 'gamma-gamma';
  params: GammaGammaParams;
  standardErrors: GammaGammaParams;
  logLikelihood: number;
  /** Repeat customers the model was fitted on. */
  customers: number;
  /** Pearson correlation of frequency and monetary among them. */
  correlation: number;
  penalty: number;
  report: FitReport;
  warnings: SegkitWarning[];
}

/** Frequencies and mean repeat spend: a summary table (frequency, monetary) or arrays. */
export type SpendInput = pl.DataFrame | { x: ArrayLike<number>; m: ArrayLike<number> };

const toParams = (v: number[]): GammaGammaParams => ({ p: v[0], q: v[1], gamma: v[2] });

/** ln f(m | x) of one repeat customer. */
export function gammaGammaLogLikelihoodOne(g: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = g;
  const px = p * x;
  return lgamma(px + q) - lgamma(px) - lgamma(q) + q * Math.log(gamma) + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(gamma + m * x);
}

/** Σ ln f over customers with x > 0. */
export function gammaGammaLogLikelihood(g: GammaGammaParams, x: ArrayLike<number>, m: ArrayLike<number>): number {
  if (!(g.p > 0 && g.q > 0 && g.gamma > 0)) return NaN;
  let total = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > 0) total += gammaGammaLogLikelihoodOne(g, x[i], m[i]);
  return total;
}

/** E[M | x, m]: a customer's expected spend per purchase (x = 0 gives the population mean pγ/(q−1)). */
export function conditionalExpectedSpend(g: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = g;
  return (p * (gamma + x * m)) / (p * x + q - 1);
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** A nodejs-polars DataFrame (a Proxy: the `in` operator does not see its properties). */
const isDataFrame = (v: unknown): v is pl.DataFrame => typeof (v as { getColumn?: unknown }).getColumn === 'function';

function spendArrays(input: SpendInput): { x: number[]; m: number[] } {
  if (isDataFrame(input)) {
    for (const c of ['frequency', 'monetary']) {
      if (!input.columns.includes(c)) {
        throw new SegkitError('clv', 'missing_column', `no "${c}" column in the summary table`, { where: `columns: ${input.columns.join(', ')}`, hint: 'build it with clvSummary(transactions)' });
      }
    }
    const num = (c: string): number[] => (input.getColumn(c).toArray() as unknown[]).map((v) => (v == null ? NaN : Number(v)));
    return { x: num('frequency'), m: num('monetary') };
  }
  return { x: Array.from(input.x, Number), m: Array.from(input.m, Number) };
}

/**
 * Fit Gamma-Gamma to repeat customers (x > 0); customers with x = 0 are ignored.
 * @throws SegkitError `clv/bad_option` (penalty), `clv/no_repeat_customers`, `clv/nonpositive_spend`, `clv/missing_column`.
 */
export function fitGammaGamma(input: SpendInput, options: GammaGammaOptions = {}): GammaGammaFit {
  const penalty = options.penalty ?? GAMMA_GAMMA_DEFAULTS.penalty;
  const maxCorrelation = options.maxCorrelation ?? GAMMA_GAMMA_DEFAULTS.maxCorrelation;
  const all = spendArrays(input);
  const x: number[] = [];
  const m: number[] = [];
  for (let i = 0; i < all.x.length; i++) {
    if (!(all.x[i] > 0)) continue;
    if (!(all.m[i] > 0) || !Number.isFinite(all.m[i])) {
      throw new SegkitError('clv', 'nonpositive_spend', `customer ${i} has ${all.x[i]} repeat purchases with mean value ${all.m[i]}: Gamma-Gamma needs positive spend`, {
        where: `row ${i}`,
        hint: 'clean the transactions first (cleanTransactions drops returns and zero prices), or drop these customers',
      });
    }
    x.push(all.x[i]);
    m.push(all.m[i]);
  }
  if (x.length < 2) {
    throw new SegkitError('clv', 'no_repeat_customers', `Gamma-Gamma needs repeat customers; found ${x.length}`, { where: 'Gamma-Gamma input', hint: 'use a longer calibration period' });
  }
  const warnings: SegkitWarning[] = [];
  const correlation = pearson(x, m);
  if (Math.abs(correlation) > maxCorrelation) {
    warnings.push(warn('clv', 'spend_frequency_correlated', `frequency and mean spend are correlated (r = ${correlation.toFixed(2)} among ${x.length} repeat customers): Gamma-Gamma assumes they are independent, so expected spend may be biased`));
  }
  const n = x.length;
  const objective = (logTheta: number[]): number => {
    const g = toParams(logTheta.map(Math.exp));
    const pen = penalty > 0 ? penalty * (g.p ** 2 + g.q ** 2 + g.gamma ** 2) : 0;
    return -gammaGammaLogLikelihood(g, x, m) / n + pen;
  };
  const meanM = m.reduce((s, v) => s + v, 0) / n;
  const res = nelderMead(objective, [0, Math.log(2), Math.log(meanM)], options.optimizer);
  const params = toParams(res.x.map(Math.exp));
  const gradient = Math.max(...numericGradient(objective, res.x).map(Math.abs));
  const negLL = (theta: number[]): number => -gammaGammaLogLikelihood(toParams(theta), x, m) + (penalty > 0 ? n * penalty * theta.reduce((s, v) => s + v * v, 0) : 0);
  const se = standardErrors(negLL, [params.p, params.q, params.gamma]);
  const converged = res.converged && gradient < 1e-4;
  if (!converged) warnings.push(warn('clv', 'not_converged', `Gamma-Gamma fit did not converge (largest gradient ${gradient.toExponential(2)})`));
  if (params.q <= 1) {
    warnings.push(warn('clv', 'infinite_mean_spend', `Gamma-Gamma q = ${params.q.toFixed(3)} <= 1: the population mean spend is infinite; expected spend is unreliable`));
  }
  return {
    model: 'gamma-gamma',
    params,
    standardErrors: toParams(se),
    logLikelihood: gammaGammaLogLikelihood(params, x, m),
    customers: n,
    correlation,
    penalty,
    report: { converged, iterations: res.iterations, evaluations: res.evaluations, gradient },
    warnings,
  };
}
