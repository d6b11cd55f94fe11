/** Shared pieces of the profile tests: the five-group fixture through RFM, and small utilities. */
import { setWarningSink, type SegkitWarning } from '../../src/errors';
import { rfm, type RfmRun } from '../../src/rfm';
import type { KMeansModel } from '../../src/types';
import { AS_OF, LABEL_ORDER, customers, transactions, type Group } from '../fixtures/profile/groups';

let cached: RfmRun | undefined;
/** RFM of the five-group fixture (computed once from its transactions; results are not mutated). */
export function fixtureRfm(): RfmRun {
  return (cached ??= quiet(() => rfm(transactions(), { asOf: AS_OF })));
}

/** A hand-made model: cluster = position of the customer's group in LABEL_ORDER; centroids given. */
export function handModel(table: RfmRun['table'], centroids?: number[][]): KMeansModel {
  const group = new Map(customers().map((c) => [c.id, c.group]));
  const labels = (table.getColumn('customer_id').toArray() as string[]).map((id) => LABEL_ORDER.indexOf(group.get(id) as Group));
  const sizes = LABEL_ORDER.map((_, c) => labels.filter((l) => l === c).length);
  return {
    k: 5,
    labels,
    centroids: centroids ?? LABEL_ORDER.map((_, c) => [c, 10 - c, c / 2]),
    inertia: 0,
    iterations: 1,
    sizes,
    seed: 0,
    nInit: 1,
    order: 'mean monetary, descending',
    columns: ['recency_days', 'frequency', 'monetary'],
  };
}

/** Run `fn` with warnings captured (not printed). */
export function quiet<T>(fn: () => T, into: SegkitWarning[] = []): T {
  const prev = setWarningSink((w) => into.push(w));
  try {
    return fn();
  } finally {
    setWarningSink(prev);
  }
}

/** The error thrown by `fn` (fails when nothing is thrown). */
export function errorOf(fn: () => unknown): { code: string; message: string; where?: string; hint?: string; stage?: string } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; message: string; where?: string; hint?: string; stage?: string };
  }
  throw new Error('expected an error, none was thrown');
}

/** The error of a rejected promise. */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; where?: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string; where?: string; hint?: string };
  }
  throw new Error('expected a rejection, none came');
}
