import { describe, expect, it } from 'vitest';
import { conditionalExpectedSpend, fitGammaGamma, gammaGammaLogLikelihoodOne, simulateCustomers } from '../../src/clv';
import { captureWarnings } from '../helpers/warnings';

const warnings = captureWarnings();

describe('Gamma-Gamma', () => {
  it('log-likelihood equals Fader & Hardie (2013) eq. worked by hand', () => {
    // p = 2, q = 3, γ = 4; x = 2, m = 5: px = 4, f = Γ(7)/(Γ(4)Γ(3)) · 4³ · 5³ · 2⁴ / (4 + 10)^7
    //   = 720/(6·2) · 64 · 125 · 16 / 14^7
    const f = (60 * 64 * 125 * 16) / 14 ** 7;
    expect(gammaGammaLogLikelihoodOne({ p: 2, q: 3, gamma: 4 }, 2, 5)).toBeCloseTo(Math.log(f), 12);
    // x = 1, m = 10: px = 2: Γ(5)/(Γ(2)Γ(3)) · 4³ · 10 · 1 / 14^5 = 12 · 640 / 14^5
    expect(gammaGammaLogLikelihoodOne({ p: 2, q: 3, gamma: 4 }, 1, 10)).toBeCloseTo(Math.log((12 * 640) / 14 ** 5), 12);
  });

  it('conditional expected spend: a weighted mean of the population mean and the customer\'s own', () => {
    const g = { p: 6.25, q: 3.74, gamma: 15.44 };
    expect(conditionalExpectedSpend(g, 0, 0)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
    const pop = (g.p * g.gamma) / (g.q - 1);
    const w = (g.p * 3) / (g.p * 3 + g.q - 1);
    expect(conditionalExpectedSpend(g, 3, 40)).toBeCloseTo((1 - w) * pop + w * 40, 10);
  });

  it('recovers (p, q, γ) from 5,000 simulated customers', () => {
    const truth = { p: 6.25, q: 3.74, gamma: 15.44 };
    const sim = simulateCustomers(5_000, { r: 0.8, alpha: 5, a: 0.5, b: 3 }, 52, 2013, truth);
    const fit = fitGammaGamma({ x: sim.x, m: sim.m });
    expect(fit.report.converged).toBe(true);
    expect(fit.customers).toBe(sim.x.filter((x) => x > 0).length);
    for (const k of ['p', 'q', 'gamma'] as const) {
      expect(Math.abs(fit.params[k] - truth[k]), `${k}: ${fit.params[k]} ± ${fit.standardErrors[k]}`).toBeLessThan(3 * fit.standardErrors[k]);
    }
    expect(Math.abs(fit.correlation)).toBeLessThan(0.1);
    expect(warnings.map((w) => w.code)).not.toContain('spend_frequency_correlated');
  });

  it('warns when spend and frequency are correlated, refuses zero spend and no repeat customers', () => {
    const x = Array.from({ length: 200 }, (_, i) => 1 + (i % 10));
    const m = x.map((v, i) => 10 * v + (i % 7));
    fitGammaGamma({ x, m });
    expect(warnings.map((w) => w.code)).toContain('spend_frequency_correlated');
    expect(() => fitGammaGamma({ x: [1, 2], m: [10, 0] })).toThrow(/positive spend/);
    expect(() => fitGammaGamma({ x: [0, 0, 1], m: [0, 0, 5] })).toThrow(/needs repeat customers/);
  });
});
