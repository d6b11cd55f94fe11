import { describe, expect, it } from 'vitest';
import { digamma, hyp2f1, lgamma, logDiffExp, logSumExp } from '../../src/clv/special';
import { hessianFromGradient, invert, lbfgs, nelderMead, numericHessian, standardErrorsFromHessian } from '../../src/clv/optimize';

describe('lgamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lgamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lgamma(171)).toBeCloseTo(706.5730622457874, 9); // ln(170!)
    expect(lgamma(1e-8)).toBeCloseTo(18.420680738180209, 7); // ≈ −ln x − γ·x
    expect(Number.isNaN(lgamma(0))).toBe(true);
  });
});

describe('digamma', () => {
  it('matches known values and the derivative of lgamma', () => {
    const EULER = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-EULER, 13);
    expect(digamma(0.5)).toBeCloseTo(-EULER - 2 * Math.LN2, 13);
    expect(digamma(10)).toBeCloseTo(-EULER + [1, 2, 3, 4, 5, 6, 7, 8, 9].reduce((s, k) => s + 1 / k, 0), 13);
    expect(digamma(1e-8)).toBeCloseTo(-1e8 - EULER, 4);
    for (const x of [0.03, 0.7, 3.3, 17, 250]) expect(digamma(x)).toBeCloseTo((lgamma(x + 1e-6) - lgamma(x - 1e-6)) / 2e-6, 6);
    expect(Number.isNaN(digamma(0))).toBe(true);
  });
});

describe('log-sum-exp', () => {
  it('adds without overflow and handles −∞', () => {
    expect(logSumExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logSumExp(-Infinity, 3)).toBe(3);
    expect(logSumExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logDiffExp(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 14);
  });
});

describe('hyp2f1', () => {
  it('matches closed forms', () => {
    for (const z of [0, 0.1, 0.5, 0.9, 0.99]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(z === 0 ? 1 : -Math.log(1 - z) / z, 10);
      expect(hyp2f1(0.7, 2, 2, z)).toBeCloseTo((1 - z) ** -0.7, 10); // 2F1(a, b; b; z) = (1−z)^−a
    }
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });
});

describe('Nelder-Mead and the numerical Hessian', () => {
  it('finds the minimum of Rosenbrock\'s function', () => {
    const f = ([x, y]: number[]): number => 100 * (y - x * x) ** 2 + (1 - x) ** 2;
    const res = nelderMead(f, [-1.2, 1]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 5);
    expect(res.x[1]).toBeCloseTo(1, 5);
  });

  it('L-BFGS finds the minimum of Rosenbrock\'s function with its gradient, in far fewer evaluations', () => {
    const fg = ([x, y]: number[], g: number[]): number => {
      g[0] = -400 * x * (y - x * x) - 2 * (1 - x);
      g[1] = 200 * (y - x * x);
      return 100 * (y - x * x) ** 2 + (1 - x) ** 2;
    };
    const res = lbfgs(fg, [-1.2, 1]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 6);
    expect(res.x[1]).toBeCloseTo(1, 6);
    expect(res.evaluations).toBeLessThan(nelderMead(([x, y]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2, [-1.2, 1]).evaluations / 5);
    expect(lbfgs(fg, [-1.2, 1], { maxEvaluations: 5 }).converged).toBe(false);
  });

  it('L-BFGS steps back from where the objective is not defined', () => {
    // f = x − ln x on x > 0 (minimum at 1); NaN for x <= 0, which a unit step from 0.05 overshoots into
    const fg = ([x]: number[], g: number[]): number => {
      g[0] = 1 - 1 / x;
      return x > 0 ? x - Math.log(x) : NaN;
    };
    const res = lbfgs(fg, [5]);
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 7);
  });

  it('Hessian from the gradient of a quadratic, and standard errors from it', () => {
    const H = hessianFromGradient(([x, y]) => [6 * x + 2 * y, 2 * x + 10 * y], [1, 2]);
    expect(H[0][0]).toBeCloseTo(6, 6);
    expect(H[0][1]).toBeCloseTo(2, 6);
    expect(H[1][0]).toBeCloseTo(2, 6);
    expect(H[1][1]).toBeCloseTo(10, 6);
    const se = standardErrorsFromHessian(H);
    expect(se[0]).toBeCloseTo(Math.sqrt(10 / 56), 6);
    expect(standardErrorsFromHessian([[1, 0], [0, -1]])[1]).toBeNaN();
  });

  it('gives the Hessian of a quadratic and its inverse', () => {
    const f = ([x, y]: number[]): number => 3 * x * x + 2 * x * y + 5 * y * y;
    const H = numericHessian(f, [1, 2]);
    expect(H[0][0]).toBeCloseTo(6, 4);
    expect(H[0][1]).toBeCloseTo(2, 4);
    expect(H[1][1]).toBeCloseTo(10, 4);
    const inv = invert([[6, 2], [2, 10]])!;
    expect(inv[0][0]).toBeCloseTo(10 / 56, 12);
    expect(inv[0][1]).toBeCloseTo(-2 / 56, 12);
    expect(invert([[1, 2], [2, 4]])).toBeNull();
  });
});
