/** Paths to ../shared (real datasets and reference values; CI has it beside the checkout). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SHARED = process.env.SEGKIT_SHARED ?? path.resolve(ROOT, '..', 'shared');
export const HAS_SHARED = existsSync(path.join(SHARED, 'data', 'online_retail.csv.gz'));
if (!HAS_SHARED) {
  // Loud, so a missing ../shared never passes silently in CI.
  console.warn(`\n*** ../shared not found at ${SHARED}: reference tests against real data will be skipped ***\n`);
}
export const sharedData = (name: string): string => path.join(SHARED, 'data', name);
export function reference<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(path.join(SHARED, 'reference', name), 'utf8')) as T;
}
export const SAMPLE = path.join(ROOT, 'data', 'sample_transactions.csv');
