/**
 * The lines of one sale invoice, rebuilt on demand from (seed, customer, invoice number k):
 * the same call always gives the same lines, which is how a cancellation copies an earlier
 * invoice without the generator keeping it in memory.
 */
import { normal } from '../random';
import type { Catalog } from './catalog';
import { formatPrice } from './csv';
import { STREAM, streamRng } from './hash';
import { BANK_RATE, MANUAL_RATE, POST_RATE } from './profiles';

/** Quantities people order: singles, then pack sizes. */
const PACKS = [6, 8, 10, 12, 16, 20, 24, 32, 36, 48, 50, 72, 96, 100, 120, 144, 160, 192, 200, 240, 288, 300, 384,
  400, 480, 500, 576, 600, 720, 864, 960, 1000, 1200, 1440, 1728, 2000, 2400, 2880, 3000, 4000, 4800];
/** Share of guest invoices carrying a DOTCOM POSTAGE line. */
const DOT_RATE = 0.4;

/** Scratch space for one invoice's lines (reused; not thread-safe, not re-entrant). */
export interface Lines {
  n: number;
  product: Int32Array;
  qty: Int32Array;
  price: string[];
}

export function makeLines(max: number): Lines {
  return { n: 0, product: new Int32Array(max), qty: new Int32Array(max), price: new Array<string>(max).fill('') };
}

/** Snaps a positive amount to a quantity people order (1–5 as is, then the nearest pack). */
export function snapQuantity(q: number): number {
  if (q < 5.5) return Math.max(1, Math.round(q));
  if (q > 5000) return Math.min(10000, Math.round(q / 100) * 100);
  let best = PACKS[0];
  for (const p of PACKS) if (Math.abs(p - q) < Math.abs(best - q)) best = p;
  return best;
}

export interface InvoiceContext {
  seed: number;
  catalog: Catalog;
  zeroPriceRate: number;
  /** Upper bound of product lines per invoice. */
  maxLines: number;
  /** stamp[p] === token marks product p as already on the current invoice. */
  stamp: Uint32Array;
  token: number;
}

function add(out: Lines, product: number, qty: number, price: string): void {
  out.product[out.n] = product;
  out.qty[out.n] = qty;
  out.price[out.n] = price;
  out.n++;
}

/**
 * Fills `out` with invoice k of customer `c` (c = number of customers for guest invoices).
 * `basket` is the mean number of product lines, `spend` the quantity multiplier.
 */
export function buildInvoice(ctx: InvoiceContext, out: Lines, c: number, k: number, basket: number, spend: number, abroad: boolean, guest: boolean): void {
  const rng = streamRng(ctx.seed, STREAM.invoice, c, k);
  const cat = ctx.catalog;
  out.n = 0;
  if (abroad && rng() < POST_RATE) add(out, cat.special.POST, 1 + Math.floor(rng() * 3), cat.priceText[cat.special.POST]);
  // Log-normal basket size with mean `basket`, rounded without bias (floor(x + u)).
  const sigma = 0.55;
  const x = Math.exp(Math.log(Math.max(basket, 1e-3)) - (sigma * sigma) / 2 + sigma * normal(rng));
  const lines = Math.min(ctx.maxLines, Math.max(1, Math.floor(x + rng())));
  const token = ++ctx.token;
  for (let j = 0; j < lines; j++) {
    let p = cat.pick(rng());
    for (let tries = 0; ctx.stamp[p] === token && tries < 40; tries++) p = cat.pick(rng());
    while (ctx.stamp[p] === token) p = (p + 1) % cat.products; // popular products taken: next free one
    ctx.stamp[p] = token;
    const price = cat.price[p];
    const qty = snapQuantity(spend * Math.exp(Math.log(3) + 0.9 * normal(rng)) * Math.sqrt(2.5 / price));
    const zero = rng() < ctx.zeroPriceRate;
    add(out, p, qty, zero ? '0.0' : cat.priceText[p]);
  }
  if (rng() < MANUAL_RATE) add(out, cat.special.M, 1, formatPrice(Math.max(0.01, Math.exp(Math.log(3) + normal(rng)))));
  if (rng() < BANK_RATE) add(out, cat.special.BANK, 1, cat.priceText[cat.special.BANK]);
  if (guest && rng() < DOT_RATE) add(out, cat.special.DOT, 1, formatPrice(Math.max(0.01, Math.exp(Math.log(80) + 0.8 * normal(rng)))));
}
