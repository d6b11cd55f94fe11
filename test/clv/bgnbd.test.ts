/**
 * BG/NBD: the log-likelihood against FHL (2005) eq. 6 worked by hand, predictions against Hardie's
 * spreadsheet at the published CDNOW parameters, and parameter recovery on seeded simulated data.
 */
import { describe, expect, it } from 'vitest';
import { bgnbdLogLikelihoodGradient, bgnbdLogLikelihoodScalar } from '../../src/clv/bgnbd';
import { groupHistory, indexHistory } from '../../src/clv/data';
import { numericGradient } from '../../src/clv/optimize';
import { bgnbdLogLikelihood, bgnbdLogLikelihoodOne, conditionalExpectedPurchases, expectedPurchases, fitBgNbd, probabilityAlive, simulateCustomers, type BgNbdParams } from '../../src/clv';
import { captureWarnings } from '../helpers/warnings';

const warnings = captureWarnings();

describe('BG/NBD log-likelihood', () => {
  // FHL 2005 eq. 6: L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
  //                   + δ(x>0) · B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
  // At r = 2, α = 3, a = 2, b = 3 every Γ is a factorial; B(2, 3) = 1!·2!/4! = 1/12.
  const p: BgNbdParams = { r: 2, alpha: 3, a: 2, b: 3 };
  it('equals eq. 6 worked by hand for three customers', () => {
    // x = 0, T = 5: 1 · Γ(2)·3² / (Γ(2)·8²) = 9/64
    const L0 = 9 / 64;
    // x = 1, t_x = 1, T = 2: Γ(3)/Γ(2)·9 = 18; B(2,4)/B(2,3) = (1/20)·12 = 0.6; B(3,3)/B(2,3) = (1/30)·12 = 0.4
    const L1 = (0.6 * 18) / 5 ** 3 + (0.4 * 18) / 4 ** 3;
    // x = 2, t_x = 4, T = 6: Γ(4)/Γ(2)·9 = 54; B(2,5)/B(2,3) = (1/30)·12 = 0.4; B(3,4)/B(2,3) = (1/60)·12 = 0.2
    const L2 = (0.4 * 54) / 9 ** 4 + (0.2 * 54) / 7 ** 4;
    expect(bgnbdLogLikelihoodOne(p, 0, 0, 5)).toBeCloseTo(Math.log(L0), 12);
    expect(bgnbdLogLikelihoodOne(p, 1, 1, 2)).toBeCloseTo(Math.log(L1), 12);
    expect(bgnbdLogLikelihoodOne(p, 2, 4, 6)).toBeCloseTo(Math.log(L2), 12);
    expect(bgnbdLogLikelihood(p, { x: [0, 1, 2, 2], tx: [0, 1, 4, 4], T: [5, 2, 6, 6] })).toBeCloseTo(Math.log(L0) + Math.log(L1) + 2 * Math.log(L2), 11);
  });

  it('the one-pass typed-array likelihood equals the per-group one, and its analytic gradient the numerical one', () => {
    const sim = simulateCustomers(3_000, { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, (i) => 39 - (i % 84) / 7, 11);
    const g = groupHistory(sim);
    const h = indexHistory(g);
    expect(h.xs.length).toBeLessThan(g.x.length);
    for (const q of [p, { r: 0.3, alpha: 5, a: 0.8, b: 2.5 }, { r: 1.7, alpha: 0.4, a: 1e-4, b: 40 }]) {
      const grad = [0, 0, 0, 0];
      const ll = bgnbdLogLikelihoodGradient(q, h, grad);
      expect(ll).toBeCloseTo(bgnbdLogLikelihoodScalar(q, g), 7);
      // central differences in ln θ (steps relative to each parameter), divided by θ
      const theta = [q.r, q.alpha, q.a, q.b];
      const num = numericGradient((u) => bgnbdLogLikelihoodScalar({ r: Math.exp(u[0]), alpha: Math.exp(u[1]), a: Math.exp(u[2]), b: Math.exp(u[3]) }, g), theta.map(Math.log), 1e-6).map((v, j) => v / theta[j]);
      grad.forEach((v, j) => expect(Math.abs(v - num[j]), `∂/∂θ${j} at ${JSON.stringify(q)}: ${v} vs ${num[j]}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(num[j]))));
    }
    expect(Number.isNaN(bgnbdLogLikelihoodGradient({ ...p, a: 0 }, h))).toBe(true);
  });

  it('groups identical (x, t_x, T) with weights, −0 as 0, and indexes distinct x, T and t_x', () => {
    const g = groupHistory({ x: [0, 0, 1, 1, 1, 2], tx: [0, -0, 3, 3, 4, 4], T: [5, 5, 9, 9, 9, 9] });
    expect([...g.x]).toEqual([0, 1, 1, 2]);
    expect([...g.tx]).toEqual([0, 3, 4, 4]);
    expect([...g.weight]).toEqual([2, 2, 1, 1]);
    expect(g.customers).toBe(6);
    const h = indexHistory(g);
    expect([...h.xs]).toEqual([0, 1, 2]);
    expect([...h.xWeight]).toEqual([2, 3, 1]);
    expect([...h.xIndex]).toEqual([0, 1, 1, 2]);
    expect([...h.Ts]).toEqual([5, 9]);
    expect([...h.txs]).toEqual([0, 3, 4]);
    expect([...h.txIndex]).toEqual([0, 1, 2, 2]);
    // many integer days (the hash must spread doubles whose low bits are all zero)
    const n = 200_000;
    const big = groupHistory({ x: Array.from({ length: n }, (_, i) => i % 7), tx: Array.from({ length: n }, (_, i) => (i % 7 ? i % 300 : 0)), T: Array.from({ length: n }, () => 400) });
    // x = 0 is one group; x = 1..6 meets every t_x = 0..299 (7 and 300 are coprime): 1 + 6 · 300
    expect(big.x.length).toBe(1801);
    expect(big.weight.reduce((a, b) => a + b, 0)).toBe(n);
  });

  it('stays finite where the direct formula overflows', () => {
    const ll = bgnbdLogLikelihoodOne({ r: 0.5, alpha: 1e-3, a: 0.5, b: 0.5 }, 400, 300, 365);
    expect(Number.isFinite(ll)).toBe(true);
    expect(Math.exp(0.5 * Math.log(1e-3)) * (1e-3 + 365) ** -400.5).toBe(0); // the plain product underflows
  });
});

describe('BG/NBD predictions at the published CDNOW fit (Hardie\'s spreadsheet values, as checked in lifetimes\' tests)', () => {
  // The paper's r = 0.243, α = 4.414, a = 0.793, b = 2.426 to four decimals (Hardie's Excel note): at the
  // three-decimal values E[X(78)] is off by 0.003 from rounding alone; at these every value is within 2e-4.
  const cdnow: BgNbdParams = { r: 0.2426, alpha: 4.4135, a: 0.7931, b: 2.4259 };
  it('E[X(t)] for a new customer', () => {
    const times = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, i) => expect(Math.abs(expectedPurchases(cdnow, t) - expected[i]), `t = ${t}`).toBeLessThan(5e-4));
  });
  it('E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226 and P(alive)', () => {
    expect(Math.abs(conditionalExpectedPurchases(cdnow, 39, 2, 30.43, 38.86) - 1.226)).toBeLessThan(5e-4);
    expect(probabilityAlive(cdnow, 0, 0, 10)).toBe(1);
    const pa = probabilityAlive(cdnow, 2, 30.43, 38.86);
    // 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) by hand
    expect(pa).toBeCloseTo(1 / (1 + (0.7931 / 3.4259) * ((4.4135 + 38.86) / (4.4135 + 30.43)) ** 2.2426), 12);
  });
  it('predicts with a + b < 1 (the 2F1 series needs c = a + b + x − 1 only off 0, −1, …), as penalised fits give', () => {
    const q: BgNbdParams = { r: 0.25, alpha: 8.3, a: 0.036, b: 0.58 };
    // x = 0: E[Y(t)] equals E[X(t)] of a new customer observed for T more (by eq. 10 with x = 0: the same series)
    const y = conditionalExpectedPurchases(q, 91, 0, 0, 200);
    expect(y).toBeGreaterThan(0);
    expect(y).toBeLessThan(expectedPurchases(q, 91));
    // increasing in t, and the customer with x = 0 and T = 0 is a new customer
    expect(conditionalExpectedPurchases(q, 182, 0, 0, 200)).toBeGreaterThan(y);
    expect(conditionalExpectedPurchases(q, 91, 0, 0, 0)).toBeCloseTo(expectedPurchases(q, 91), 10);
    expect(() => conditionalExpectedPurchases({ r: 1, alpha: 1, a: 0.5, b: 0.5 }, 10, 0, 0, 5)).toThrow(/not 0, −1, −2/);
  });
});

describe('fitBgNbd', () => {
  const truth: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  // CDNOW's design: customers joined over 12 weeks, observed to week 39.
  const T = (i: number): number => 39 - (i % 84) / 7;

  it.each([5_000, 50_000])('recovers (r, α, a, b) from %i simulated customers', (n) => {
    const sim = simulateCustomers(n, truth, T, 20050101 + n);
    const t0 = performance.now();
    const fit = fitBgNbd(sim);
    const ms = performance.now() - t0;
    expect(fit.report.converged).toBe(true);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      const se = fit.standardErrors[k];
      expect(se, `SE of ${k}`).toBeGreaterThan(0);
      // within 3 standard errors of the truth, and the SE shrinks like 1/√n
      expect(Math.abs(fit.params[k] - truth[k]), `${k}: ${fit.params[k]} ± ${se}`).toBeLessThan(3 * se);
    }
    expect(fit.standardErrors.r).toBeLessThan(n === 5_000 ? 0.03 : 0.01);
    expect(ms).toBeLessThan(5000); // 50,000 customers (≈20k distinct triples): about 0.15 s with L-BFGS (bench/clv.md)
  });

  it('L-BFGS and Nelder-Mead reach the same maximum', () => {
    const sim = simulateCustomers(5_000, truth, T, 4242);
    const fast = fitBgNbd(sim);
    const slow = fitBgNbd(sim, { method: 'nelder-mead' });
    expect(fast.report.converged && slow.report.converged).toBe(true);
    expect(fast.logLikelihood).toBeCloseTo(slow.logLikelihood, 5);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(fast.params[k] / slow.params[k]).toBeCloseTo(1, 4);
      expect(fast.standardErrors[k] / slow.standardErrors[k]).toBeCloseTo(1, 2);
    }
    expect(fast.report.evaluations).toBeLessThan(slow.report.evaluations / 10);
    expect(() => fitBgNbd(sim, { method: 'newton' as never })).toThrow(/method must be/);
  });

  it('fits the same on grouped and ungrouped input, and reports the likelihood at the estimate', () => {
    const sim = simulateCustomers(2_000, truth, 39, 7);
    const fit = fitBgNbd(sim);
    expect(fit.distinct).toBeLessThanOrEqual(fit.customers);
    expect(fit.logLikelihood).toBeCloseTo(bgnbdLogLikelihood(fit.params, sim), 8);
    // the maximum: nudging any parameter lowers the likelihood
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      for (const f of [0.98, 1.02]) expect(bgnbdLogLikelihood({ ...fit.params, [k]: fit.params[k] * f }, sim)).toBeLessThan(fit.logLikelihood);
    }
  });

  it('a penalty shrinks the parameters', () => {
    const sim = simulateCustomers(2_000, truth, 39, 8);
    const plain = fitBgNbd(sim);
    const pen = fitBgNbd(sim, { penalty: 0.01 });
    expect(pen.params.alpha).toBeLessThan(plain.params.alpha);
    expect(pen.logLikelihood).toBeLessThan(plain.logLikelihood);
  });

  it('refuses data without repeat customers and bad histories, and warns when it does not converge', () => {
    expect(() => fitBgNbd({ x: [0, 0], tx: [0, 0], T: [5, 6] })).toThrow(/none of the 2 customers bought more than once/);
    expect(() => fitBgNbd({ x: [1], tx: [7], T: [5] })).toThrow(/not a purchase history/);
    const sim = simulateCustomers(500, truth, 39, 9);
    const fit = fitBgNbd(sim, { optimizer: { maxEvaluations: 4 } });
    expect(fit.report.converged).toBe(false);
    expect(fitBgNbd(sim, { method: 'nelder-mead', optimizer: { maxEvaluations: 20 } }).report.converged).toBe(false);
    expect(warnings.map((w) => w.code)).toContain('not_converged');
  });
});
