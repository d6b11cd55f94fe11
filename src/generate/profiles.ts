/**
 * Customer behaviour groups and the per-customer plan (the ground truth of a generated file).
 *
 * Each customer belongs to one group, which fixes how many invoices they place, over which
 * part of the period, how regularly, how many lines per invoice and how large the quantities
 * are. Spend is heavy-tailed: a log-normal factor per customer multiplies the group's level.
 */
import { normal, sampleIndices } from '../random';
import type { Calendar } from './calendar';
import { STREAM, streamRng } from './hash';
import type { ResolvedOptions } from './options';

/** The behaviour groups, in a fixed order (their index is stored per customer). */
export const GROUPS = ['champion', 'loyal', 'occasional', 'lapsed', 'one-time', 'new'] as const;
export type Group = (typeof GROUPS)[number];

interface GroupProfile {
  /** Share of the customers. */
  share: number;
  /** Invoice count: log-normal median and spread, clamped to [min, max] (before scaling). */
  invoices: [median: number, sigma: number, min: number, max: number];
  /** Multiplier of the mean number of lines per invoice. */
  basket: number;
  /** Multiplier of the quantities bought. */
  spend: number;
  /** Timing irregularity in (0, 1): 0.6 is near-periodic, 0.98 nearly random. */
  jitter: number;
  /** Active window [from, to] in calendar days, given S = number of days. */
  window: (u: () => number, S: number) => [number, number];
  /** Whether invoice counts may grow when many rows per customer are asked for. */
  scales: boolean;
}

/** What each group means, with its share of customers. */
export const PROFILES: Record<Group, GroupProfile> = {
  /** Frequent big spenders, active all year up to the last days. */
  champion: { share: 0.06, invoices: [24, 0.35, 6, 120], basket: 2.2, spend: 2.5, jitter: 0.7, scales: true,
    window: (u, S) => [0.08 * S * u(), S - 3 * u()] },
  /** Regular buyers at moderate spend until near the end. */
  loyal: { share: 0.16, invoices: [10, 0.3, 4, 40], basket: 1.3, spend: 1.4, jitter: 0.6, scales: true,
    window: (u, S) => [0.25 * S * u(), S - 14 * u()] },
  /** A few irregular purchases spread over the period. */
  occasional: { share: 0.3, invoices: [3, 0.35, 2, 6], basket: 1.0, spend: 1.0, jitter: 0.98, scales: true,
    window: (u, S) => { const a = 0.4 * S * u(); return [a, a + (S - a) * (0.5 + 0.5 * u())]; } },
  /** Bought a few times early on, then stopped: the last purchase is 45–70 % of the period before the end. */
  lapsed: { share: 0.18, invoices: [3.5, 0.35, 2, 8], basket: 0.9, spend: 0.9, jitter: 0.9, scales: true,
    window: (u, S) => [0.15 * S * u(), S * (0.3 + 0.25 * u())] },
  /** Exactly one invoice, not in the last 60 days. */
  'one-time': { share: 0.2, invoices: [1, 0, 1, 1], basket: 0.8, spend: 0.8, jitter: 0.98, scales: false,
    window: (_u, S) => [0, Math.max(0.5 * S, S - 60)] },
  /** First purchase in the last 45 days, one to three invoices. */
  new: { share: 0.1, invoices: [1.5, 0.5, 1, 3], basket: 1.0, spend: 1.0, jitter: 0.98, scales: false,
    window: (_u, S) => [Math.max(0.8 * S, S - 45), S] },
};

/** Countries with their share of customers (the UK dominates, as in the UCI file). */
export const COUNTRIES: ReadonlyArray<[string, number]> = [
  ['United Kingdom', 0.9], ['Germany', 0.022], ['France', 0.02], ['Spain', 0.008], ['Belgium', 0.006],
  ['Switzerland', 0.005], ['Portugal', 0.005], ['EIRE', 0.004], ['Italy', 0.004], ['Netherlands', 0.003],
  ['Australia', 0.002], ['Norway', 0.002],
];
/** Guest (no CustomerID) invoices are nearly all from the UK. */
export const GUEST_UK_SHARE = 0.97;

/** The first CustomerID; customer i gets FIRST_CUSTOMER_ID + i. */
export const FIRST_CUSTOMER_ID = 12346;
/** Mean non-product lines per invoice (POST abroad, rare M and BANK CHARGES), used to size baskets. */
export const POST_RATE = 0.75;
export const MANUAL_RATE = 0.004;
export const BANK_RATE = 0.002;
/** Mean share of an invoice's lines that a cancellation copies. */
export const CANCEL_SHARE = 0.75;
const BASE_ROWS_PER_CUSTOMER = 20;
/** Mean product lines per invoice (at basket 1) above which invoice counts grow instead. */
const MAX_BASKET = 25;

/** One customer of the ground truth. */
export interface CustomerTruth {
  customerId: number;
  group: Group;
  country: string;
  /** Number of sale invoices planned (all are written; cancellations come on top). */
  invoices: number;
}

/** Everything the engine needs per customer, in typed arrays (memory O(customers)). */
export interface Plan {
  customers: number;
  group: Uint8Array;
  country: Uint8Array;
  invoices: Uint32Array;
  /** Active window on the calendar's time axis. */
  from: Float64Array;
  to: Float64Array;
  /** Mean product lines per invoice. */
  basket: Float64Array;
  /** Quantity multiplier (heavy-tailed). */
  spend: Float64Array;
  /** Guest invoices (no CustomerID) and their mean product lines. */
  guestInvoices: number;
  guestBasket: number;
}

function countryIndex(u: number): number {
  let acc = 0;
  for (let i = 0; i < COUNTRIES.length; i++) {
    acc += COUNTRIES[i][1];
    if (u < acc) return i;
  }
  return 0;
}

/** Draws the plan of every customer: group, country, window, invoice count, basket, spend. */
export function planCustomers(o: ResolvedOptions, cal: Calendar): Plan {
  const N = o.customers;
  const rand = streamRng(o.seed, STREAM.plan);
  const group = new Uint8Array(N);
  // Exact group sizes (rounded shares; the remainder goes to 'occasional'), spread by a permutation.
  const perm = sampleIndices(rand, N, N);
  let pos = 0;
  GROUPS.forEach((g, gi) => {
    const count = g === 'occasional' ? 0 : Math.min(N - pos, Math.round(PROFILES[g].share * N));
    for (let i = 0; i < count; i++) group[perm[pos++]] = gi;
  });
  for (; pos < N; pos++) group[perm[pos]] = GROUPS.indexOf('occasional');

  const country = new Uint8Array(N);
  const base = new Float64Array(N); // invoice count before scaling
  const from = new Float64Array(N);
  const to = new Float64Array(N);
  const basket = new Float64Array(N);
  const spend = new Float64Array(N);
  const S = cal.days;
  for (let i = 0; i < N; i++) {
    const p = PROFILES[GROUPS[group[i]]];
    country[i] = countryIndex(rand());
    const [med, sigma] = p.invoices;
    base[i] = med * Math.exp(sigma * normal(rand));
    const [a, b] = p.window(rand, S);
    from[i] = cal.tAt(Math.min(a, S));
    to[i] = Math.max(from[i], cal.tAt(Math.max(a, Math.min(b, S))));
    basket[i] = p.basket * Math.exp(0.3 * normal(rand));
    spend[i] = p.spend * Math.exp(0.7 * normal(rand));
  }

  // Size invoices and baskets so the file has about o.rows lines (faults included).
  const f = o.faults;
  const custLines = (o.rows * (1 - f.missingCustomerRate)) / (1 + f.duplicateRate) / (1 + f.cancelRate * CANCEL_SHARE);
  const invoices = new Uint32Array(N);
  const count = (scale: number): [number, number] => {
    let sumN = 0;
    let sumNB = 0;
    let extra = 0;
    for (let i = 0; i < N; i++) {
      const p = PROFILES[GROUPS[group[i]]];
      const s = p.scales ? scale : 1;
      invoices[i] = Math.max(p.invoices[2], Math.min(Math.ceil(p.invoices[3] * Math.max(1, s)), Math.round(base[i] * s)));
      sumN += invoices[i];
      sumNB += invoices[i] * basket[i];
      extra += invoices[i] * ((country[i] === 0 ? 0 : POST_RATE) + MANUAL_RATE + BANK_RATE);
    }
    return [sumN, Math.max(0.05, (custLines - extra) / sumNB)];
  };
  const r = o.rows / N;
  let [sumN, kappa] = count(Math.min(1, Math.sqrt(r / BASE_ROWS_PER_CUSTOMER)));
  if (kappa > MAX_BASKET) [sumN, kappa] = count(kappa / MAX_BASKET);
  for (let i = 0; i < N; i++) basket[i] *= kappa;
  const m = f.missingCustomerRate;
  const guestInvoices = Math.round((m / (1 - m)) * sumN);
  return { customers: N, group, country, invoices, from, to, basket, spend, guestInvoices, guestBasket: (custLines / sumN) };
}

/** The ground truth: group, country and invoice count of every customer. */
export function truthOf(plan: Plan): CustomerTruth[] {
  return Array.from({ length: plan.customers }, (_, i) => ({
    customerId: FIRST_CUSTOMER_ID + i,
    group: GROUPS[plan.group[i]],
    country: COUNTRIES[plan.country[i]][0],
    invoices: plan.invoices[i],
  }));
}
