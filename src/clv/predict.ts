/**
 * BG/NBD predictions (FHL 2005): expected purchases of a new customer in (0, t], P(alive) of a customer
 * with history (x, t_x, T), and that customer's expected purchases in the next t periods.
 */
import { SegkitError } from '../errors';
import type { BgNbdParams } from './bgnbd';
import { hyp2f1 } from './special';

/** 2F1 with c = a + b + x − 1: its series (|z| < 1) is defined for every c but 0, −1, −2, … */
function hyp(a: number, b: number, c: number, z: number): number {
  if (!Number.isFinite(c) || (c <= 0 && Math.abs(c - Math.round(c)) < 1e-9)) {
    throw new SegkitError('clv', 'prediction_undefined', `BG/NBD prediction needs a + b + x − 1 not 0, −1, −2, …; got ${c}`, {
      where: 'BG/NBD parameters',
      hint: 'refit without a penalty or with a different one: a + b is exactly 1 here',
    });
  }
  return hyp2f1(a, b, c, z);
}

/** E[X(t)]: expected repeat purchases in (0, t] of a customer who made a first purchase at 0 (FHL eq. 9). */
export function expectedPurchases(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  const z = t / (alpha + t);
  const f = Math.exp(r * Math.log(alpha / (alpha + t))) * hyp(r, b, a + b - 1, z);
  return ((a + b - 1) / (a - 1)) * (1 - f);
}

/** ln of the odds of having dropped out: ln[ a/(b+x−1) · ((α+T)/(α+t_x))^(r+x) ] (−∞ when x = 0). */
function logDeadOdds(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x <= 0) return -Infinity;
  return Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
}

/** 1 / (1 + e^l), without overflow. */
const logistic = (l: number): number => (l > 0 ? Math.exp(-l) / (1 + Math.exp(-l)) : 1 / (1 + Math.exp(l)));

/** P(alive at T | x, t_x, T) (FHL eq. 11). 1 for customers without repeat purchases. */
export function probabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  return logistic(logDeadOdds(p, x, tx, T));
}

/** E[Y(t) | x, t_x, T]: expected purchases in (T, T+t] of a customer with that history (FHL eq. 10). */
export function conditionalExpectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  const c = a + b + x - 1;
  const z = t / (alpha + T + t);
  const f = Math.exp((r + x) * Math.log((alpha + T) / (alpha + T + t))) * hyp(r + x, b + x, c, z);
  return ((c / (a - 1)) * (1 - f)) * logistic(logDeadOdds(p, x, tx, T));
}
