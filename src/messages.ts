/**
 * Messages said in more than one place, each built once (as Vega-Lite's src/log/message.ts), so the same
 * problem reads the same wherever it is found. Each builder returns the SegkitError to throw; its code is
 * checked against the catalogue (./error-codes.ts) when it compiles. The option checkers of ./options.ts
 * are the builders of "must be a whole number / one of / a date" messages.
 */
import type { ErrorCode } from './error-codes';
import { SegkitError, closest, type SegkitErrorOptions, type Stage } from './errors';

/** A SegkitError whose code must be in the catalogue for its stage. */
export function segkitError<S extends Stage>(stage: S, code: ErrorCode<S>, message: string, options?: SegkitErrorOptions): SegkitError {
  return new SegkitError(stage, code, message, options);
}

/** `too_few_customers`: "<what> needs at least 3 customers, got 2". */
export function tooFewCustomers(stage: 'cluster' | 'select-k', what: string, n: number): SegkitError {
  return segkitError(stage, 'too_few_customers', `${what} needs at least 3 customers, got ${n}`, { where: 'X', hint: 'check the filters upstream: the customer table has almost no rows' });
}

/** `size_mismatch`: "the model has 10 labels but the feature matrix has 9 rows". */
export function labelsMismatch(stage: 'profile' | 'charts', labels: number, what: string, rows: number, options: { where: string; hint: string }): SegkitError {
  return segkitError(stage, 'size_mismatch', `the model has ${labels} labels but the ${what} has ${rows} rows`, options);
}

/** `features/log_domain`: 'log1p needs values > -1 but column "monetary" has -2 at row 3'. */
export function logDomain(column: string, value: number, row: number, options: { where: string; hint: string }): SegkitError {
  return segkitError('features', 'log_domain', `log1p needs values > -1 but column "${column}" has ${value} at row ${row}`, options);
}

/** `profile/actions_unknown_field`: 'unknown field "sumary" in the action table', naming the known fields and the closest. */
export function unknownActionField(field: string, inWhat: string, known: readonly string[], knownAs: string, where: string): SegkitError {
  return segkitError('profile', 'actions_unknown_field', `unknown field "${field}" in ${inWhat}`, {
    where,
    hint: `${knownAs} are ${known.join(', ')} (did you mean "${closest(field, known, 1)[0]}"?)`,
  });
}
