/**
 * Seeded synthetic transactions in the exact format of the UCI Online Retail file, for sample
 * data, tests and benchmarks.
 *
 *   options ─► plan customers (groups = ground truth) ─► event loop in date order ─► rows
 *                                                         + faults (C invoices, guests,
 *                                                           zero prices, duplicates, outliers)
 *
 * `generateTransactions` keeps rows in memory (small sizes); `writeTransactions` streams
 * them to `.csv` / `.csv.gz` with flat memory. Both give byte-identical CSV for the same options.
 */
import { SegkitError } from '../errors';
import { makeCalendar } from './calendar';
import type { TransactionRow } from './csv';
import { Engine, type GenerateSummary } from './engine';
import { resolveOptions, type GenerateOptions } from './options';
import { planCustomers, truthOf, type CustomerTruth } from './profiles';
import { ObjectSink } from './sinks';

export { COLUMNS, HEADER, formatRow, transactionsToCsv, type TransactionRow } from './csv';
export type { GenerateSummary } from './engine';
export { DEFAULTS, NO_FAULTS, resolveOptions, type FaultOptions, type GenerateOptions, type ResolvedOptions } from './options';
export { COUNTRIES, FIRST_CUSTOMER_ID, GROUPS, PROFILES, type CustomerTruth, type Group } from './profiles';
export { writeTransactions, type WriteOptions } from './write';

/** Largest `rows` that generateTransactions accepts; use writeTransactions beyond it. */
export const MAX_IN_MEMORY_ROWS = 2000000;

export interface GenerateResult {
  /** The rows in file order (date order). */
  rows: TransactionRow[];
  summary: GenerateSummary;
  /** The true behaviour group of every customer, by CustomerID order. */
  truth: CustomerTruth[];
}

/**
 * Generates transactions in memory.
 *
 * Defaults ({@link DEFAULTS}): seed 42; 2,000 customers and about 40,000 rows (when only one of
 * the two is given the other follows at 20 rows per customer, customers at most 100,000);
 * start '2010-12-01', end '2011-12-09' (inclusive); 400 products; faults: cancelRate 0.04,
 * missingCustomerRate 0.04, zeroPriceRate 0.01, duplicateRate 0.01, outliers 2.
 *
 * Throws SegkitError('generate', CODE) for bad options (customers_invalid, rows_invalid,
 * rows_below_customers, date_invalid, end_before_start, rate_out_of_range, outliers_invalid,
 * products_invalid, seed_invalid, unknown_option, too_many_invoices) and too_large_for_memory
 * above {@link MAX_IN_MEMORY_ROWS} rows.
 */
export function generateTransactions(options: GenerateOptions = {}): GenerateResult {
  const o = resolveOptions(options);
  if (o.rows > MAX_IN_MEMORY_ROWS) {
    throw new SegkitError('generate', 'too_large_for_memory', `${o.rows} rows are too many to hold in memory`, {
      where: 'option rows',
      hint: `stream them to a file with writeTransactions(path, options), or ask for at most ${MAX_IN_MEMORY_ROWS} rows`,
    });
  }
  const engine = new Engine(o, (catalog) => new ObjectSink(catalog));
  let next = 4000;
  while (engine.step()) {
    if (o.onProgress && engine.summary.rows >= next) {
      o.onProgress(engine.summary.rows, o.rows, 'rows');
      next += 4000;
    }
  }
  o.onProgress?.(engine.summary.rows, o.rows, 'rows');
  return { rows: engine.sink.rows, summary: engine.summary, truth: truthOf(engine.plan) };
}

/**
 * The true behaviour group of every customer for these options (same defaults as
 * {@link generateTransactions}), without generating any rows. Use it with a file written by
 * writeTransactions to check that a segmentation recovers the groups.
 */
export function customerTruth(options: GenerateOptions = {}): CustomerTruth[] {
  const o = resolveOptions(options);
  return truthOf(planCustomers(o, makeCalendar(o.start, o.end)));
}
