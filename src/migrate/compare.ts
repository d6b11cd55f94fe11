/**
 * The report's "What changed since <date>": the analysis's own RFM run compared with the same source's
 * customers at an earlier as-of date.
 *
 *   checkCompareAsOf(date, asOf?)      before any data is read: a calendar date, before the analysis date
 *   compareWith(source, run, date)     RFM at the earlier date from the same source and cleaning
 *                                        ─► migrate(earlier, run, { thresholds: 'after' })
 *
 * Which cut points: the report describes the current period, and its RFM section shows the current
 * period's score thresholds and segment sizes. Scoring the earlier period with those same cut points
 * (`thresholds: 'after'`) keeps one scale, so a move is still a change in behaviour and not a shift of
 * quantiles, and it makes the matrix's column sums exactly the segment sizes printed in the RFM section.
 * (`migrate`'s own default, period 1's cut points, suits a comparison read from the first date forward.)
 */
import { SegkitError, setWarningSink } from '../errors';
import { dayString, parseDay } from '../rfm/options';
import type { CustomerRfm, ReturnsPolicy } from '../rfm/options';
import type { RfmRun } from '../rfm';
import type { CleanOptions } from '../clean';
import type { TransactionSource } from '../source/types';
import { migrate } from './migrate';
import type { MigrateOptions, Migration } from './options';

/**
 * `date` is a calendar date (YYYY-MM-DD) before `asOf` when the analysis date is known. Throws a
 * SegkitError whose `where` is `label` (the flag or option the user wrote). Returns the date normalised.
 */
export function checkCompareAsOf(date: string, asOf: string | Date | null | undefined, label = 'option compareAsOf'): string {
  let day: number;
  try {
    day = parseDay(String(date), label);
  } catch {
    throw new SegkitError('migrate', 'as_of_invalid', `the comparison date "${String(date)}" is not a calendar date`, {
      where: label,
      hint: 'write it as YYYY-MM-DD, before the analysis date, e.g. --compare-as-of 2011-06-30',
    });
  }
  const text = dayString(day);
  let main: string | undefined;
  try {
    main = asOf == null || asOf === '' ? undefined : dayString(parseDay(asOf, 'option asOf'));
  } catch {
    main = undefined; // a bad analysis date is reported by the analysis itself
  }
  if (main !== undefined) {
    if (text >= main) {
      throw new SegkitError('migrate', 'as_of_order', `the comparison date ${text} is not before the analysis date ${main}: "what changed since" needs an earlier date`, {
        where: label,
        hint: `give a date before ${main}, e.g. three or six months earlier`,
      });
    }
  }
  return text;
}

export interface CompareOptions extends Pick<MigrateOptions, 'topFlows' | 'currency' | 'lapsed' | 'order'> {
  clean?: CleanOptions;
  returns?: ReturnsPolicy;
  /** How the date was given, for messages. Default "option compareAsOf". */
  label?: string;
}

/**
 * The customers of `source` at `date` (same cleaning, same returns policy as `run`), scored with `run`'s
 * cut points and named with its rules, against `run` itself: see the module comment.
 */
export async function compareWith(source: TransactionSource, run: RfmRun, date: string, options: CompareOptions = {}): Promise<Migration> {
  const label = options.label ?? 'option compareAsOf';
  const d1 = checkCompareAsOf(date, run.asOf, label);
  let before: CustomerRfm;
  // Rows after the earlier date are left out by design: that note would only confuse the report's warnings.
  const prev = setWarningSink((w) => {
    if (w.code !== 'after_as_of') prev(w);
  });
  try {
    before = await source.customers({ clean: options.clean, rfm: { asOf: d1, ...(options.returns ? { returns: options.returns } : {}) } });
  } catch (e) {
    const err = e as SegkitError;
    if (err?.code === 'as_of_before_data') {
      throw new SegkitError('migrate', 'as_of_before_data', `the comparison date ${d1} is before the first transaction: nobody had bought anything yet (${err.message})`, {
        where: label,
        hint: err.hint ?? 'use a later date',
        cause: e,
      });
    }
    throw e;
  } finally {
    setWarningSink(prev);
  }
  return migrate(before, run, { thresholds: 'after', topFlows: options.topFlows, currency: options.currency, lapsed: options.lapsed, order: options.order });
}
