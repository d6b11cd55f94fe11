/**
 * The real-world faults, each decided by its own hash stream so that one rate never shifts
 * another fault's choices:
 * - cancellation: a `C` invoice after a customer's invoice, copying some or all of its lines
 *   with negative quantities (the same prices), sometimes with a `D` Discount line;
 * - missing CustomerID: guest invoices (planned in profiles.ts, written with an empty id);
 * - zero price: a product line priced 0.0 (decided in invoice.ts);
 * - duplicate: an exact copy of a row written right after it;
 * - outliers: a single huge-quantity line and, minutes later, its cancellation.
 */
import type { Catalog } from './catalog';
import { formatPrice } from './csv';
import { hash01, STREAM, streamRng } from './hash';
import type { Lines } from './invoice';
import { GROUPS, type Plan } from './profiles';

/** Whether invoice k of customer c gets cancelled later. */
export function isCancelled(seed: number, rate: number, c: number, k: number): boolean {
  return rate > 0 && hash01(seed, STREAM.cancel, c, k) < rate;
}

/** Days between an invoice and its cancellation: mostly the same day, up to about 2.5 days. */
export function cancelDelayDays(seed: number, c: number, k: number): number {
  const u = hash01(seed, STREAM.cancel, c, k + 0x40000000);
  return 0.002 + 2.5 * u * u;
}

/** Exact number of cancellations the plan will produce (for sizing invoice numbers). */
export function countCancellations(seed: number, rate: number, plan: Plan): number {
  if (rate <= 0) return 0;
  let n = 0;
  for (let c = 0; c < plan.customers; c++) {
    for (let k = 0; k < plan.invoices[c]; k++) if (isCancelled(seed, rate, c, k)) n++;
  }
  return n;
}

/**
 * Turns the lines of the original invoice (in `orig`) into its cancellation (in `out`):
 * half the time every line, otherwise a random non-empty subset; a fifth of the lines are
 * cancelled only in part; one cancellation in twenty adds a Discount line.
 */
export function cancelLines(seed: number, catalog: Catalog, c: number, k: number, orig: Lines, out: Lines): void {
  const rng = streamRng(seed, STREAM.cancelLines, c, k);
  const all = rng() < 0.5;
  out.n = 0;
  let value = 0;
  for (let j = 0; j < orig.n; j++) {
    const take = all || rng() < 0.5;
    const partial = rng() < 0.2;
    const u = rng();
    if (!take) continue;
    const q = orig.qty[j];
    const qty = partial && q > 1 ? Math.max(1, Math.floor(q * u)) : q;
    out.product[out.n] = orig.product[j];
    out.qty[out.n] = -qty;
    out.price[out.n] = orig.price[j];
    value += qty * Number(orig.price[j]);
    out.n++;
  }
  if (out.n === 0) {
    const j = Math.floor(rng() * orig.n);
    out.product[0] = orig.product[j];
    out.qty[0] = -orig.qty[j];
    out.price[0] = orig.price[j];
    value = orig.qty[j] * Number(orig.price[j]);
    out.n = 1;
  }
  if (rng() < 0.05 && value >= 1) {
    out.product[out.n] = catalog.special.D;
    out.qty[out.n] = -1;
    out.price[out.n] = formatPrice(value * 0.1);
    out.n++;
  }
}

/** One extreme outlier: who, when (time axis), what and how many. */
export interface Outlier {
  customer: number;
  time: number;
  product: number;
  qty: number;
}

/** Plans `count` outliers spread over the period, bought by champions or loyal customers. */
export function planOutliers(seed: number, count: number, plan: Plan, catalog: Catalog, width: number): Outlier[] {
  const big = [GROUPS.indexOf('champion'), GROUPS.indexOf('loyal')];
  const candidates: number[] = [];
  for (let c = 0; c < plan.customers; c++) if (big.includes(plan.group[c])) candidates.push(c);
  if (candidates.length === 0) candidates.push(0);
  const cheap: number[] = [];
  for (let p = 0; p < catalog.products; p++) if (catalog.price[p] <= 2.5) cheap.push(p);
  if (cheap.length === 0) cheap.push(0);
  const out: Outlier[] = [];
  for (let i = 0; i < count; i++) {
    const rng = streamRng(seed, STREAM.outlier, i);
    out.push({
      time: (width * (i + 0.5 + 0.8 * (rng() - 0.5))) / count,
      customer: candidates[Math.floor(rng() * candidates.length)],
      product: cheap[Math.floor(rng() * cheap.length)],
      qty: 20000 + Math.floor(rng() * 60000),
    });
  }
  return out.sort((a, b) => a.time - b.time);
}
