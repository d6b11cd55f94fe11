/**
 * Seeded simulation from the BG/NBD and Gamma-Gamma models (for tests, examples and benchmarks).
 * Draws use segkit's mulberry32; Gamma variates by Marsaglia & Tsang (2000).
 */
import { mulberry32, normal } from '../random';
import type { BgNbdParams } from './bgnbd';
import type { GammaGammaParams } from './gammagamma';

/** Gamma(shape, rate) variate. */
export function gammaVariate(rand: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaVariate(rand, shape + 1, rate) * Math.pow(rand() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = normal(rand);
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = rand();
    if (u < 1 - 0.0331 * z ** 4 || Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return d * v / rate;
  }
}

export interface SimulatedCustomers {
  x: number[];
  tx: number[];
  T: number[];
  /** Mean value of the repeat purchases (0 without repeats), when spend parameters were given. */
  m: number[];
}

/**
 * `n` customers observed for T periods each (a number, or a function of the customer index), each with a
 * first purchase at 0: λ ~ Gamma(r, α), p ~ Beta(a, b); Poisson(λ) purchases, drop-out with probability p
 * after each. With `spend`, each repeat purchase is Gamma(p, ν), ν ~ Gamma(q, γ).
 */
export function simulateCustomers(n: number, params: BgNbdParams, T: number | ((i: number) => number), seed: number, spend?: GammaGammaParams): SimulatedCustomers {
  const rand = mulberry32(seed);
  const out: SimulatedCustomers = { x: [], tx: [], T: [], m: [] };
  for (let i = 0; i < n; i++) {
    const Ti = typeof T === 'number' ? T : T(i);
    const lambda = gammaVariate(rand, params.r, params.alpha);
    const g1 = gammaVariate(rand, params.a, 1);
    const p = g1 / (g1 + gammaVariate(rand, params.b, 1));
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - rand()) / lambda;
      if (t > Ti) break;
      x++;
      tx = t;
      if (rand() < p) break;
    }
    let m = 0;
    if (spend && x > 0) {
      const nu = gammaVariate(rand, spend.q, spend.gamma);
      let s = 0;
      for (let k = 0; k < x; k++) s += gammaVariate(rand, spend.p, nu);
      m = s / x;
    }
    out.x.push(x);
    out.tx.push(tx);
    out.T.push(Ti);
    out.m.push(m);
  }
  return out;
}
