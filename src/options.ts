/**
 * What every stage shares about options: the seed and the k-means restarts used when none are given,
 * `withDefaults` (one merge of a stage's `<STAGE>_DEFAULTS` with the caller's options), and the checkers
 * that turn a bad option into one SegkitError, in the same words in every stage:
 *
 *   wholeNumber(0, { stage: 'cluster', name: 'nInit', min: 1 })      nInit must be a whole number ≥ 1, got 0
 *   wholeNumber(11, { stage: 'rfm', name: 'bins', min: 2, max: 10 }) bins must be a whole number from 2 to 10, got 11
 *   finiteNumber(-1, { stage: 'clv', name: 'penalty', min: 0 })      penalty must be a finite number ≥ 0, got -1
 *   oneOf('x', ['day', 'invoice'], { stage: 'clv', name: 'occasions' }) occasions must be 'day' or 'invoice', got "x"
 *   isoDate('2011-02-30', { stage: 'clv', name: 'asOf' })            asOf "2011-02-30" is not a calendar date
 *
 * Each throws with code `bad_option` (or `code`), `where` "option <name>" (or `where`) and the `hint`.
 */
import { SegkitError, type Stage } from './errors';

/** The seed of every random choice when none is given: k-means seeding, samples, bootstraps, reference sets. */
export const DEFAULT_SEED = 42;

/** k-means restarts (nInit) when none are given: scikit-learn's n_init and R's nstart in the reference runs. */
export const DEFAULT_RESTARTS = 10;

/**
 * `defaults` with every option the caller set (an option set to undefined keeps its default).
 * @example withDefaults({ B: 20, sample: 5000 }, { B: 50, sample: undefined }) // { B: 50, sample: 5000 }
 */
export function withDefaults<D extends object, O extends object>(defaults: D, options: O | undefined): D & O {
  const given = Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined));
  return { ...defaults, ...given } as D & O;
}

/** Where a checked option is: its stage, its name, and what the error says beyond the defaults. */
export interface OptionAt {
  stage: Stage;
  /** The option's name, e.g. 'nInit'. */
  name: string;
  /** The name as the message says it (default `name`), e.g. 'gap B'. */
  label?: string;
  /** Default "option <name>". */
  where?: string;
  hint?: string;
  /** Default 'bad_option'. */
  code?: string;
}

/** Limits of a number: ≥ min, > above, ≤ max, < below (any of them). */
export interface Limits {
  min?: number;
  above?: number;
  max?: number;
  below?: number;
}

/** A value as an error message quotes it: numbers as they print (NaN, Infinity), anything else as JSON. */
export function shown(value: unknown): string {
  return typeof value === 'number' || value === undefined ? String(value) : (JSON.stringify(value) ?? String(value));
}

/** " from 2 to 10", " ≥ 1", " ≥ 0 and < 1", "" (no limits). */
function limitsText({ min, above, max, below }: Limits): string {
  if (min !== undefined && max !== undefined && above === undefined && below === undefined) return ` from ${min} to ${max}`;
  const parts = [min !== undefined && `≥ ${min}`, above !== undefined && `> ${above}`, max !== undefined && `≤ ${max}`, below !== undefined && `< ${below}`].filter(Boolean);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

const within = (v: number, { min, above, max, below }: Limits): boolean =>
  (min === undefined || v >= min) && (above === undefined || v > above) && (max === undefined || v <= max) && (below === undefined || v < below);

/** The error of a bad option (the checkers' one place to build it). */
export function optionError(at: OptionAt, message: string): SegkitError {
  return new SegkitError(at.stage, at.code ?? 'bad_option', message, { where: at.where ?? `option ${at.name}`, hint: at.hint });
}

/**
 * A whole number within the limits.
 * @throws SegkitError `<stage>/bad_option` (or `at.code`): "<name> must be a whole number ≥ 1, got 0".
 */
export function wholeNumber(value: unknown, at: OptionAt & Limits): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || !within(value, at)) {
    throw optionError(at, `${at.label ?? at.name} must be a whole number${limitsText(at)}, got ${shown(value)}`);
  }
  return value;
}

/**
 * A finite number within the limits.
 * @throws SegkitError `<stage>/bad_option` (or `at.code`): "<name> must be a finite number ≥ 0, got -1".
 */
export function finiteNumber(value: unknown, at: OptionAt & Limits): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !within(value, at)) {
    throw optionError(at, `${at.label ?? at.name} must be a finite number${limitsText(at)}, got ${shown(value)}`);
  }
  return value;
}

/** "'a'", "'a' or 'b'", "'a', 'b' or 'c'". */
export function choicesText(choices: readonly string[]): string {
  const q = choices.map((c) => `'${c}'`);
  return q.length < 2 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

/**
 * One of the given strings.
 * @throws SegkitError `<stage>/bad_option` (or `at.code`): "<name> must be 'a' or 'b', got \"c\"".
 */
export function oneOf<T extends string>(value: unknown, choices: readonly T[], at: OptionAt): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw optionError(at, `${at.label ?? at.name} must be ${choicesText(choices)}, got ${shown(value)}`);
  }
  return value as T;
}

/** Days since 1970-01-01 of a calendar date YYYY-MM-DD, or null when it is not one (2011-02-30, 2011-6-30). */
export function isoDay(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === value ? t / 86_400_000 : null;
}

/**
 * A calendar date written YYYY-MM-DD.
 * @throws SegkitError `<stage>/bad_option` (or `at.code`): "<name> \"2011-02-30\" is not a calendar date".
 */
export function isoDate(value: unknown, at: OptionAt): string {
  if (typeof value !== 'string' || isoDay(value) === null) {
    throw optionError({ ...at, hint: at.hint ?? 'write it as YYYY-MM-DD, e.g. 2011-09-10' }, `${at.label ?? at.name} ${shown(value)} is not a calendar date`);
  }
  return value;
}
