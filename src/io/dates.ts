/**
 * Date parsing for transaction files.
 *
 * Supported without options: ISO date-times (`2011-12-09 12:50:00`, `2011-12-09T12:50`, fractions,
 * `Z`/`+01:00` offsets converted to UTC), `YYYY-MM-DD`, `YYYYMMDD`, `DD.MM.YYYY`. Slash dates
 * (`DD/MM/YYYY HH:MM` or `MM/DD/YYYY HH:MM`) need `dateFormat` unless the values themselves prove the
 * order (a first part above 12 means day first); an ambiguous file without `dateFormat` is an error.
 *
 * Parsing is exact (the whole value must match) and strict about calendars (31/02 is unreadable).
 */
import pl from 'nodejs-polars';
// nodejs-polars 0.26's public `str.strptime` is hard-wired to non-exact matching (it finds a date anywhere
// inside the text, so "31/02/2011" silently becomes 1 Feb). We call the native method with exact=true.
import { _Expr } from 'nodejs-polars/bin/lazy/expr';
import { SegkitError } from '../errors';

/** A named date layout and the strftime formats it accepts (tried in order). */
export interface DateLayout {
  /** Human name, e.g. "DD/MM/YYYY HH:MM". */
  name: string;
  formats: string[];
  /** Values carry a UTC offset (converted to UTC, time zone dropped). */
  tz?: boolean;
}

const withTimes = (d: string, sep = ' '): string[] => [`${d}${sep}%H:%M:%S%.f`, `${d}${sep}%H:%M`, d];

export const DATE_LAYOUTS: Record<string, DateLayout> = {
  iso: { name: 'ISO YYYY-MM-DD[ HH:MM[:SS]]', formats: [...withTimes('%Y-%m-%d').slice(0, 2), ...withTimes('%Y-%m-%d', 'T')] },
  isoTz: { name: 'ISO YYYY-MM-DDTHH:MM:SS±HH:MM', formats: ['%Y-%m-%dT%H:%M:%S%.f%#z', '%Y-%m-%d %H:%M:%S%.f%#z', '%Y-%m-%dT%H:%M%#z'], tz: true },
  ymd: { name: 'YYYYMMDD', formats: ['%Y%m%d', '%Y%m%d %H:%M:%S', '%Y%m%d%H%M%S'] },
  dmy: { name: 'DD/MM/YYYY HH:MM', formats: withTimes('%d/%m/%Y') },
  mdy: { name: 'MM/DD/YYYY HH:MM', formats: withTimes('%m/%d/%Y') },
  dmyDot: { name: 'DD.MM.YYYY HH:MM', formats: withTimes('%d.%m.%Y') },
  dmyDash: { name: 'DD-MM-YYYY HH:MM', formats: withTimes('%d-%m-%Y') },
  mdyDash: { name: 'MM-DD-YYYY HH:MM', formats: withTimes('%m-%d-%Y') },
};

/** `dateFormat` option values → layouts. A value containing `%` is a strftime format used as is. */
const PRESETS: Record<string, keyof typeof DATE_LAYOUTS> = {
  iso: 'iso', 'yyyy-mm-dd': 'iso', 'yyyy-mm-dd hh:mm': 'iso', 'yyyy-mm-dd hh:mm:ss': 'iso',
  yyyymmdd: 'ymd',
  'dd/mm/yyyy': 'dmy', 'dd/mm/yyyy hh:mm': 'dmy', 'dd/mm/yyyy hh:mm:ss': 'dmy', dmy: 'dmy', 'day-first': 'dmy',
  'mm/dd/yyyy': 'mdy', 'mm/dd/yyyy hh:mm': 'mdy', 'mm/dd/yyyy hh:mm:ss': 'mdy', mdy: 'mdy', 'month-first': 'mdy',
  'dd.mm.yyyy': 'dmyDot', 'dd.mm.yyyy hh:mm': 'dmyDot',
  'dd-mm-yyyy': 'dmyDash', 'dd-mm-yyyy hh:mm': 'dmyDash',
  'mm-dd-yyyy': 'mdyDash', 'mm-dd-yyyy hh:mm': 'mdyDash',
};

export const DATE_FORMAT_CHOICES = 'ISO, YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY, DD-MM-YYYY, MM-DD-YYYY, or a strftime format such as "%d/%m/%Y %H:%M"';

/** The layout for a user-given `dateFormat`. */
export function layoutFromOption(fmt: string): DateLayout {
  if (fmt.includes('%')) return { name: fmt, formats: [fmt], tz: /%[#:]?z/.test(fmt) };
  const key = PRESETS[fmt.trim().toLowerCase()];
  if (!key) {
    throw new SegkitError('io', 'bad_option', `unknown date format "${fmt}"`, { where: 'option dateFormat', hint: `use one of: ${DATE_FORMAT_CHOICES}` });
  }
  return DATE_LAYOUTS[key];
}

const RE = {
  iso: /^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$/,
  isoTz: /^\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/,
  ymd: /^\d{8}( ?\d{2}:?\d{2}:?\d{2})?$/,
  slash: /^(\d{1,2})\/(\d{1,2})\/\d{4}( \d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$/,
  dot: /^\d{1,2}\.\d{1,2}\.\d{4}( \d{1,2}:\d{2}(:\d{2})?)?$/,
  dash: /^(\d{1,2})-(\d{1,2})-\d{4}( \d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$/,
};

export type DateGuess =
  | { kind: 'layout'; layout: DateLayout; note?: string }
  /** Slash/dash dates whose day/month order the sample could not settle: check the whole column. */
  | { kind: 'dayMonthUnknown'; sep: '/' | '-' }
  /** `example`: the first value that could not be placed; `usual`: a value in the layout most values have, when they mix layouts. */
  | { kind: 'unknown'; example: string; usual?: string };

/**
 * Guess the layout from sample values (strings, non-null). Slash and dash dates are settled by a first
 * part above 12 (day first) or a second part above 12 (month first); otherwise the caller must look at the
 * whole column ({@link dayMonthExprs}) or ask for `dateFormat`.
 */
export function guessDateLayout(sample: string[]): DateGuess {
  const vals = sample.map((s) => s.trim()).filter((s) => s !== '');
  if (!vals.length) return { kind: 'unknown', example: '' };
  const all = (re: RegExp): boolean => vals.every((v) => re.test(v));
  if (all(RE.iso)) return { kind: 'layout', layout: DATE_LAYOUTS.iso };
  if (all(RE.isoTz)) return { kind: 'layout', layout: DATE_LAYOUTS.isoTz };
  if (vals.every((v) => RE.iso.test(v) || RE.isoTz.test(v))) {
    return { kind: 'layout', layout: { name: 'ISO (with and without UTC offsets)', formats: [...DATE_LAYOUTS.isoTz.formats, ...DATE_LAYOUTS.iso.formats], tz: true } };
  }
  if (all(RE.ymd)) return { kind: 'layout', layout: DATE_LAYOUTS.ymd };
  if (all(RE.dot)) return { kind: 'layout', layout: DATE_LAYOUTS.dmyDot };
  for (const [re, sep] of [
    [RE.slash, '/'],
    [RE.dash, '-'],
  ] as const) {
    if (!all(re)) continue;
    let dayFirst = false;
    let monthFirst = false;
    for (const v of vals) {
      const m = re.exec(v)!;
      if (Number(m[1]) > 12) dayFirst = true;
      if (Number(m[2]) > 12) monthFirst = true;
    }
    if (dayFirst && !monthFirst) return { kind: 'layout', layout: sep === '/' ? DATE_LAYOUTS.dmy : DATE_LAYOUTS.dmyDash, note: 'day first (values above 12 in the first part)' };
    if (monthFirst && !dayFirst) return { kind: 'layout', layout: sep === '/' ? DATE_LAYOUTS.mdy : DATE_LAYOUTS.mdyDash, note: 'month first (values above 12 in the second part)' };
    if (dayFirst && monthFirst) return { kind: 'unknown', example: vals.find((v) => Number(re.exec(v)![2]) > 12) ?? vals[0] };
    return { kind: 'dayMonthUnknown', sep };
  }
  const bad = vals.find((v) => !Object.values(RE).some((re) => re.test(v)));
  if (bad !== undefined) return { kind: 'unknown', example: bad };
  // every value has a known layout but not the same one: name the first value that is not written like
  // most of them (one DD/MM/YYYY date among ISO dates is the odd one, not the first ISO date)
  const layouts = Object.values(RE);
  const usual = layouts.map((re) => ({ re, n: vals.filter((v) => re.test(v)).length })).sort((a, b) => b.n - a.n)[0].re;
  const usualExample = vals.find((v) => usual.test(v));
  return { kind: 'unknown', example: vals.find((v) => !usual.test(v)) ?? vals[0], ...(usualExample === undefined ? {} : { usual: usualExample }) };
}

/** Expressions giving the largest first and second numeric part of slash/dash dates in a column. */
export function dayMonthExprs(col: pl.Expr, sep: '/' | '-'): [pl.Expr, pl.Expr] {
  const s = sep === '/' ? '/' : '-';
  const part = (i: number): pl.Expr =>
    col
      .str.strip()
      .str.extract(`^(\\d{1,2})${s}(\\d{1,2})${s}`, i)
      .cast(pl.Int32)
      .max();
  return [part(1).alias('first_max'), part(2).alias('second_max')];
}

/** Exact, strict strptime to Datetime(ms): values that do not match the whole format become null. */
export function strptimeExact(col: pl.Expr, format: string): pl.Expr {
  // (format, timeUnit, timeZone, strict, exact, cache, ambiguous)
  const native = (col as unknown as { _expr: { strToDatetime: (...a: unknown[]) => unknown } })._expr;
  return _Expr(native.strToDatetime(format, 'ms', undefined, false, true, true, undefined) as never) as unknown as pl.Expr;
}

/**
 * A Datetime(ms, no time zone) expression parsing a string column with a layout (formats tried in
 * order; values with offsets are converted to UTC). Unparseable values become null: compare with the
 * input's nulls to find them.
 */
export function parseDateExpr(col: pl.Expr, layout: DateLayout, strip = true): pl.Expr {
  const c = strip ? col.str.strip() : col;
  const parts = layout.formats.map((f) => {
    const e = strptimeExact(c, f);
    return /%[#:]?z/.test(f) ? e.dt.replaceTimeZone(undefined as unknown as string).cast(pl.Datetime('ms')) : e;
  });
  return parts.slice(1).reduce((acc, e) => acc.fillNull(e), parts[0]);
}

/** Example values of a layout for error messages. */
export function layoutExample(layout: DateLayout): string {
  const examples: Record<string, string> = {
    '%Y-%m-%d %H:%M:%S%.f': '2011-12-09 12:50:00',
    '%Y-%m-%dT%H:%M:%S%.f%#z': '2011-12-09T12:50:00Z',
    '%Y%m%d': '20111209',
    '%d/%m/%Y %H:%M:%S%.f': '09/12/2011 12:50',
    '%m/%d/%Y %H:%M:%S%.f': '12/09/2011 12:50',
    '%d.%m.%Y %H:%M:%S%.f': '09.12.2011 12:50',
    '%d-%m-%Y %H:%M:%S%.f': '09-12-2011 12:50',
    '%m-%d-%Y %H:%M:%S%.f': '12-09-2011 12:50',
  };
  return examples[layout.formats[0]] ?? layout.formats[0];
}
