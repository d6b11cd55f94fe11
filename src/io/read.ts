/**
 * `readTransactions(path, options)`: any transactions file → a {@link TransactionTable} with the canonical
 * columns of src/types.ts, or one clear SegkitError saying what is wrong, where, and how to fix it.
 *
 * The file is scanned lazily by Polars (only the mapped columns are materialised); values are parsed by
 * Polars expressions, never row by row in JS.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import pl, { type DataType } from 'nodejs-polars';
import { SegkitError, warn, type SegkitWarning } from '../errors';
import type { ColumnMapping, Role, TransactionTable } from '../types';
import { CANONICAL_COLUMNS, ROLE_COLUMN } from '../types';
import { type DateLayout, DATE_FORMAT_CHOICES, dayMonthExprs, guessDateLayout, layoutExample, layoutFromOption, parseDateExpr, DATE_LAYOUTS } from './dates';
import { type FileFormat, inspectFile, parseDelimiterOption, splitRecords } from './detect';
import { type ColumnsOption, parseRoleName, resolveMapping } from './mapping';
import { type RawSource, findRaggedLine, jsonError, openJson, openParquet, openText } from './source';

export interface ReadOptions {
  /**
   * Role → column name (`{ customer: 'CustomerID', date: 'InvoiceDate' }`; `null` marks a role absent),
   * or positional roles for a headerless file (`['customer', 'date', 'quantity', 'amount']`, `'_'` skips a
   * column). Roles not given are detected from known schemas and common names.
   */
  columns?: ColumnsOption | Array<string | null>;
  /** Date layout: ISO, YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY, MM/DD/YYYY, … or a strftime format. Default: detected; slash dates need it unless the values settle day/month order. */
  dateFormat?: string;
  /** Delimiter for text files: a character, or comma/semicolon/tab/pipe/whitespace/fixed. Default: detected. */
  delimiter?: string;
  /** Whether a text file has a header line. Default: detected (a first line with a number or date in it is data). */
  header?: boolean;
  /** Numbers use a decimal comma ("2,55", thousands "1.234,50"). Default: detected for non-comma-delimited files. */
  decimalComma?: boolean;
  /** Override the format implied by the extension. */
  format?: FileFormat;
  /** Compute the sha256 of the file (streamed while Polars parses). Default true. */
  hash?: boolean;
  /**
   * gzip text: 'memory' (Polars decompresses as it reads), 'tempfile' (Node streams it to a temp file
   * first), 'auto' ('memory' with the streaming engine, which measured fastest and leanest at 10M rows;
   * 'tempfile' above 16 MB with the in-memory engine). Default 'auto'.
   */
  decompress?: 'auto' | 'memory' | 'tempfile';
  /** Customer-id texts that mean "missing" (besides empty). Default: nan, NaN, NULL, null, None, NA, N/A, #N/A. */
  missingIds?: string[];
  /**
   * Store product, description and country as Polars Categorical instead of String: the same values,
   * a fraction of the memory for large files (10M rows: about half the table). Default false (String,
   * as in the TransactionTable contract). Compare them with strings after `.cast(pl.Utf8)` when needed.
   */
  compact?: boolean;
  /** Polars engine for parsing: 'streaming' (batches, lower peak memory) or 'in-memory'. Default 'streaming'. */
  engine?: 'streaming' | 'in-memory';
  /**
   * Largest believable absolute line amount (quantity × unit price, or the amount column). A larger or
   * infinite amount (e.g. a price of 1e308) is an error: sums over customers would become infinite.
   * Default 1e15.
   */
  maxAmount?: number;
  /**
   * Dates outside this window are warned about (count, first one and where): 1850 or 2099 in a
   * transactions file is almost always a typo, and one such date moves the default as-of date. Default
   * from 1900-01-01 to one year after the day the file is read. Give `to` to make the check repeatable.
   */
  plausibleDates?: { from?: string; to?: string };
}

/** Defaults of {@link readTransactions}. */
export const READ_DEFAULTS = {
  hash: true,
  decompress: 'auto' as const,
  missingIds: ['nan', 'NaN', 'NULL', 'null', 'None', 'NA', 'N/A', '#N/A'],
  compact: false,
  engine: 'streaming' as const,
  maxAmount: 1e15,
  plausibleFrom: '1900-01-01',
};

const NUMERIC_ROLES = ['quantity', 'unitPrice', 'amount'] as const;
/** Flag column: the file's last column is null in this row (a candidate short row). */
const MAYBE_SHORT = '__maybe_short';
const CANON: Record<Role, string> = ROLE_COLUMN;

const isString = (dt: DataType): boolean => dt.equals(pl.Utf8) || String(dt).includes('String');
const isNumeric = (dt: DataType): boolean => /Int|Float|Decimal/.test(String(dt));
const isTemporal = (dt: DataType): boolean => /Datetime|Date\b|Date\)/.test(String(dt));

/** Read a transactions file into the canonical TransactionTable. See {@link ReadOptions}. */
export async function readTransactions(file: string, options: ReadOptions = {}): Promise<TransactionTable> {
  const opts = { ...READ_DEFAULTS, ...options };
  const info = await inspectFile(file, opts.format);
  const hashing = opts.hash ? sha256File(file) : Promise.resolve(undefined);
  hashing.catch(() => undefined);

  const positional = Array.isArray(opts.columns) ? opts.columns.map((r, i) => (r === null ? null : parseRoleName(r, `positional role ${i + 1} (option columns)`))) : undefined;
  const explicit = Array.isArray(opts.columns) ? {} : (opts.columns ?? {});
  const header = opts.header;

  let src: RawSource;
  if (info.format === 'csv') {
    src = await openText(info, {
      delimiter: opts.delimiter === undefined ? undefined : parseDelimiterOption(opts.delimiter),
      header,
      decompress: opts.decompress === 'auto' && opts.engine !== 'in-memory' ? 'memory' : opts.decompress,
    });
  } else if (info.format === 'parquet') src = await openParquet(info);
  else src = await openJson(info, info.format === 'ndjson');

  try {
    const { mapping, schema } = resolveMapping(src.columns, explicit, positional, file);
    const warnings: SegkitWarning[] = [];
    const w = (code: string, msg: string): void => {
      warnings.push(warn('io', code, msg));
    };
    for (const d of src.duplicates ?? []) {
      const roles = (Object.entries(mapping) as Array<[Role, string]>).filter(([, c]) => d.columns.includes(c));
      const chosen = roles.filter(([r]) => explicit[r] !== undefined);
      const list = d.columns.map((c) => `"${c}"`).join(', ');
      if (roles.length > chosen.length) {
        const [role] = roles.find(([r]) => explicit[r] === undefined)!;
        throw new SegkitError('io', 'duplicate_column', `the header names ${d.columns.length} columns "${d.name}" (read as ${list}): which one is the ${role}?`, {
          where: `${file}, line 1`,
          hint: `rename the columns in the file, or choose one with ${d.columns.map((c) => `columns: { ${role}: '${c}' }`).join(' or ')}`,
        });
      }
      if (!roles.length) w('duplicate_column', `the header of ${file} names ${d.columns.length} columns "${d.name}" (read as ${list}); none of them is used`);
    }

    // ── how to parse: a fast plan from the sampled rows, a robust one if the fast one leaves failures ──
    const dateDt = src.dtypes[mapping.date!];
    let layout: DateLayout | undefined;
    if (isString(dateDt)) layout = await chooseDateLayout(src, mapping.date!, opts.dateFormat, file, w);
    else if (!isTemporal(dateDt)) {
      throw new SegkitError('io', 'unreadable_date', `the date column "${mapping.date}" holds ${String(dateDt)} values, not dates or date texts`, {
        where: `${file}, column ${mapping.date}`,
        hint: `store dates as text (e.g. ${layoutExample(DATE_LAYOUTS.iso)}) or as a date/datetime type, or map another column with columns: { date: 'NAME' }`,
      });
    }
    for (const role of NUMERIC_ROLES) {
      const dt = mapping[role] ? src.dtypes[mapping[role]!] : undefined;
      if (dt && !isNumeric(dt) && !isString(dt)) {
        throw new SegkitError('io', 'not_numeric', `the ${role} column "${mapping[role]}" holds ${String(dt)} values, not numbers`, {
          where: `${file}, column ${mapping[role]}`,
          hint: `map a numeric column with columns: { ${role}: 'NAME' }`,
        });
      }
    }
    const decimalComma = opts.decimalComma ?? detectDecimalComma(src, mapping);
    if (decimalComma && opts.decimalComma === undefined) w('decimal_comma', `numbers in ${file} use a decimal comma (e.g. "2,55"): read as decimals; pass decimalComma: false if that is wrong`);

    // a row with fewer fields than the header is read with nulls in the missing columns: flag the rows
    // whose last column is null (a short row's always is) and look for a short record only if any are
    const lastColumn = src.findShortRow ? src.columns[src.columns.length - 1] : undefined;
    const fast = fastPlan(src, mapping, layout, opts.missingIds);
    const robust: ParsePlan = { dateFormats: layout?.formats ?? [], tzFormats: layout?.tz ?? false, strip: true, ids: 'exact', missingIds: opts.missingIds };
    const collect = async (plan: ParsePlan): Promise<{ df: pl.DataFrame; checks: Check[] }> => {
      const q = parseQuery(src, mapping, plan, decimalComma, opts.compact);
      try {
        // Quantity 1 without a quantity column, unit price null without one, amount = quantity × price
        // unless the file has a line amount: derived in the same query (no extra DataFrames held in JS).
        const derived: pl.Expr[] = [];
        if (!mapping.quantity) derived.push(pl.lit(1).cast(pl.Float64).alias('quantity'));
        if (!mapping.unitPrice) derived.push(pl.lit(null).cast(pl.Float64).alias('unit_price'));
        if (!mapping.amount) derived.push(pl.col('quantity').mul(pl.col('unit_price')).alias('amount'));
        const maybeShort = lastColumn === undefined ? [] : [pl.col(lastColumn).isNull().alias(MAYBE_SHORT)];
        let query = src.lf.select(...q.exprs, ...maybeShort);
        if (derived.length) query = query.withColumns(...derived);
        query = query.select(...CANONICAL_COLUMNS, ...q.checks.map((c) => c.flag), ...maybeShort.map(() => MAYBE_SHORT));
        // Polars' streaming engine parses the file in batches, so the raw text columns are never all in
        // memory at once (at 10M rows this halves the peak). It is only reachable through collectSync in
        // nodejs-polars 0.26; the sha256 stream has mostly finished by now.
        return { df: opts.engine === 'in-memory' ? await query.collect() : query.collectSync({ engine: 'streaming' } as never), checks: q.checks };
      } catch (e) {
        throw await polarsReadError(e, src, info.path, info.compressed, info.format);
      }
    };
    let { df, checks } = await collect(fast);
    if (checks.some((c) => countTrue(df.getColumn(c.flag)) > 0) && JSON.stringify(fast) !== JSON.stringify(robust)) {
      ({ df, checks } = await collect(robust));
    }

    // ── checks: short rows, unreadable dates, text in numeric columns ──────
    if (lastColumn !== undefined) {
      if (countTrue(df.getColumn(MAYBE_SHORT)) > 0) {
        const short = await src.findShortRow!();
        if (short) {
          throw new SegkitError('io', 'short_row', `line ${short.line} has ${short.fields} field${short.fields === 1 ? '' : 's'}, expected ${short.expected} (as many as ${src.header ? 'the header has' : 'the first line'}): ${JSON.stringify(short.text)}`, {
            where: `${file}, line ${short.line}`,
            hint: `the row was cut short or its fields were merged: fix or remove it (an empty field still needs its delimiter, e.g. "a${src.delimiter}${src.delimiter}c"); if the file is not separated by "${src.delimiter}", give its delimiter (option delimiter)`,
          });
        }
      }
      df = df.drop(MAYBE_SHORT);
    }
    for (const c of checks) {
      const flag = df.getColumn(c.flag);
      const n = countTrue(flag);
      if (n === 0) continue;
      const idx = Number(flag.argTrue().get(0));
      const value = await rawValue(src, mapping[c.role]!, idx);
      const where = `${file}, ${src.position(idx)}, column ${mapping[c.role]}`;
      const more = n > 1 ? ` (${n.toLocaleString('en-GB')} rows in all)` : '';
      if (c.kind === 'date' && value.trim() === '') {
        throw new SegkitError('io', 'missing_date', `a row has no date${more}`, {
          where,
          hint: 'fill in or remove rows without a date; every transaction needs one',
        });
      }
      if (c.kind === 'date') {
        const expected = layout ? `; expected ${layout.name}, e.g. ${layoutExample(layout)}` : '';
        throw new SegkitError('io', 'unreadable_date', `cannot read the date "${value}"${more}${expected}`, {
          where,
          hint: `pass the layout with dateFormat, one of: ${DATE_FORMAT_CHOICES}; or fix that row`,
        });
      }
      throw new SegkitError('io', 'not_numeric', `text "${value}" in the numeric ${c.role} column${more}`, {
        where,
        hint: `fix or remove that row, or map another column with columns: { ${c.role}: 'NAME' }${decimalComma ? '' : '; if the file uses decimal commas, pass decimalComma: true'}`,
      });
    }
    df = df.drop(checks.map((c) => c.flag));
    await checkAmounts(df, src, mapping, file, opts.maxAmount);
    await checkDates(df, src, mapping, file, opts.plausibleDates, w);

    if (!mapping.quantity) w('no_quantity', `no quantity column in ${file}: each line counts as quantity 1`);

    if (df.height === 0) {
      throw new SegkitError('io', 'empty_file', 'the input file has no data rows', { where: file, hint: 'export the transactions again, including the rows' });
    }
    const orders = mapping.invoice ? 'invoice' : 'customer-day';
    if (!mapping.invoice) w('customer_day_orders', `no invoice column in ${file}: an order is counted as one customer on one calendar day`);
    if (schema) void schema;

    const sha256 = await hashing;
    return {
      df,
      source: {
        path: file,
        format: info.format,
        compressed: info.compressed,
        rowsRead: df.height,
        columns: src.columns,
        sha256,
        bytes: info.bytes,
      },
      mapping: { ...mapping } as ColumnMapping,
      orders,
      warnings,
    };
  } finally {
    await src.dispose();
  }
}

/** Refuse infinite or unbelievably large line amounts (quantity × a unit price of 1e308 overflows). */
async function checkAmounts(df: pl.DataFrame, src: RawSource, mapping: ColumnMapping, file: string, max: number): Promise<void> {
  const bad = df.select(pl.col('amount').isFinite().not().or(pl.col('amount').abs().gt(max)).fillNull(false).alias('b')).getColumn('b');
  const n = countTrue(bad);
  if (n === 0) return;
  const idx = Number(bad.argTrue().get(0));
  const amount = Number(df.getColumn('amount').get(idx));
  const roles = (['quantity', 'unitPrice', 'amount'] as const).filter((r) => mapping[r]);
  const raw = await Promise.all(roles.map(async (r) => `${mapping[r]} "${await rawValue(src, mapping[r]!, idx)}"`));
  const more = n > 1 ? ` (${n.toLocaleString('en-GB')} rows in all)` : '';
  throw new SegkitError('io', 'implausible_amount', `a line amount of ${Number.isFinite(amount) ? amount.toExponential(3) : String(amount)} is too large to be real (${raw.join(', ')})${more}`, {
    where: `${file}, ${src.position(idx)}`,
    hint: `fix or remove that row (line amounts above ${max.toExponential(0)} are refused, as sums over customers would overflow or drown every other value); option maxAmount raises the limit`,
  });
}

/** Warn about dates before 1900 or more than a year in the future (typos that move the as-of date). */
async function checkDates(df: pl.DataFrame, src: RawSource, mapping: ColumnMapping, file: string, bounds: ReadOptions['plausibleDates'], w: (c: string, m: string) => void): Promise<void> {
  const fromText = bounds?.from ?? READ_DEFAULTS.plausibleFrom;
  const from = Date.parse(`${fromText}T00:00:00Z`);
  // the reading day is io's business (like the file's bytes); it only decides whether to warn
  const to = bounds?.to ? Date.parse(`${bounds.to}T23:59:59.999Z`) : Date.UTC(new Date().getUTCFullYear() + 1, new Date().getUTCMonth(), new Date().getUTCDate(), 23, 59, 59);
  const t = pl.col('date').cast(pl.Int64);
  const out = df.select(t.lt(from).or(t.gt(to)).fillNull(false).alias('o')).getColumn('o');
  const n = countTrue(out);
  if (n === 0) return;
  const idx = Number(out.argTrue().get(0));
  const value = await rawValue(src, mapping.date!, idx);
  const toText = new Date(to).toISOString().slice(0, 10);
  w(
    'implausible_dates',
    `${n.toLocaleString('en-GB')} row${n === 1 ? ' has a date' : 's have dates'} before ${fromText} or after ${toText}, first "${value}" (${file}, ${src.position(idx)}, column ${mapping.date}): probably typos; they count in the analysis (and move the default as-of date) unless dateWindow: { from: '${fromText}', to: '${toText}' } leaves them out`,
  );
}

/** Count of true values (a Boolean Series' sum() is a boolean in nodejs-polars 0.26). */
const countTrue = (s: pl.Series): number => Number(s.cast(pl.UInt32).sum() ?? 0);

interface Check {
  flag: string;
  role: Role;
  kind: 'number' | 'date';
}

/**
 * How text columns are parsed. The fast plan is chosen from the sampled rows (the one date format they
 * use, no trimming when no sampled value has spaces, the cheap "17850.0" fix when every sampled id is
 * written that way); when it leaves any failure the robust plan (every format of the layout, trimming,
 * exact id normalisation) runs instead, and only its failures are errors.
 */
interface ParsePlan {
  dateFormats: string[];
  tzFormats: boolean;
  strip: boolean;
  /** 'float-text': every id looks like "17850.0" (strip a trailing ".0"); 'exact': regex for ^-?digits.0+$. */
  ids: 'float-text' | 'exact';
  missingIds: string[];
}

function fastPlan(src: RawSource, mapping: ColumnMapping, layout: DateLayout | undefined, missingIds: string[]): ParsePlan {
  const values = (col?: string): string[] => (col ? src.sample.map((r) => r[col]).filter((v): v is string => v !== null && v !== undefined) : []);
  const spaced = (vs: string[]): boolean => vs.some((v) => v !== v.trim());
  const ids = values(mapping.customer);
  const numbers = NUMERIC_ROLES.flatMap((r) => values(mapping[r]));
  const dates = values(mapping.date);
  let dateFormats = layout?.formats ?? [];
  if (layout && dates.length && !spaced(dates)) {
    // the fewest formats of the layout that read every sampled date, most used first
    const sample = pl.DataFrame({ d: pl.Series('d', dates, pl.Utf8) });
    const hits = layout.formats.map((f) => ({ f, ok: sample.select(parseDateExpr(pl.col('d'), { name: f, formats: [f], tz: layout.tz }).isNotNull().alias('ok')).getColumn('ok').toArray() as boolean[] }));
    const chosen: string[] = [];
    const covered = new Array<boolean>(dates.length).fill(false);
    while (covered.some((c) => !c)) {
      const best = hits.map((h) => ({ f: h.f, n: h.ok.filter((ok, i) => ok && !covered[i]).length })).sort((a, b) => b.n - a.n)[0];
      if (!best || best.n === 0) break;
      chosen.push(best.f);
      hits.find((h) => h.f === best.f)!.ok.forEach((ok, i) => ok && (covered[i] = true));
    }
    if (chosen.length) dateFormats = chosen;
  }
  return {
    dateFormats,
    tzFormats: layout?.tz ?? false,
    strip: spaced(ids) || spaced(numbers) || spaced(dates),
    ids: ids.length > 0 && ids.every((v) => /^-?\d+\.0+$/.test(v)) ? 'float-text' : 'exact',
    missingIds,
  };
}

/**
 * The canonical columns as expressions over the raw columns, plus one Boolean flag column per check
 * (a date that could not be read or is missing; text in a numeric column). Flags repeat the parse
 * expression; Polars evaluates the common sub-expression once.
 */
function parseQuery(src: RawSource, mapping: ColumnMapping, plan: ParsePlan, decimalComma: boolean, compact: boolean): { exprs: pl.Expr[]; checks: Check[] } {
  const dtypeOf = (role: Role): DataType => src.dtypes[mapping[role]!];
  const raw = (role: Role): pl.Expr => pl.col(mapping[role]!);
  const trim = (e: pl.Expr): pl.Expr => (plan.strip ? e.str.strip() : e);
  const exprs: pl.Expr[] = [];
  const checks: Check[] = [];

  // customer id and invoice: strings; "17850.0" → "17850"; blank or a missing token → null
  const idExpr = (role: Role, tokens: string[]): pl.Expr => {
    const dt = dtypeOf(role);
    let e = isString(dt) ? trim(raw(role)) : raw(role).cast(pl.Utf8);
    e =
      plan.ids === 'float-text' && isString(dt)
        ? pl.when(e.str.endsWith('.0')).then(e.str.stripCharsEnd('0').str.stripCharsEnd('.')).otherwise(e)
        : e.str.replace('^(-?[0-9]+)\\.0+$', '$1');
    const missing = tokens.length ? e.eq(pl.lit('')).or(e.isIn(tokens)) : e.eq(pl.lit(''));
    return pl.when(missing).then(pl.lit(null).cast(pl.Utf8)).otherwise(e);
  };
  exprs.push(idExpr('customer', plan.missingIds).alias('customer_id'));
  exprs.push((mapping.invoice ? idExpr('invoice', []) : pl.lit(null).cast(pl.Utf8)).alias('invoice'));

  // date: every row needs one; a blank or unreadable date is flagged
  const dateDt = dtypeOf('date');
  let date: pl.Expr;
  if (isTemporal(dateDt)) {
    date = raw('date');
    if (/Datetime\([a-z]+,\s*[A-Za-z]/.test(String(dateDt)) || String(dateDt).includes('UTC')) {
      date = date.dt.convertTimeZone('UTC').dt.replaceTimeZone(undefined as unknown as string);
    }
    date = date.cast(pl.Datetime('ms'));
  } else {
    date = parseDateExpr(trim(raw('date')), { name: 'plan', formats: plan.dateFormats, tz: plan.tzFormats }, false);
  }
  exprs.push(date.alias('date'), date.isNull().alias('__bad_date'));
  checks.push({ flag: '__bad_date', role: 'date', kind: 'date' });

  // numbers: text that is not blank and does not parse (or is NaN/inf) is flagged
  for (const role of NUMERIC_ROLES) {
    if (!mapping[role]) continue;
    const name = CANON[role];
    if (isNumeric(dtypeOf(role))) {
      exprs.push(raw(role).cast(pl.Float64).alias(name));
      continue;
    }
    let s = trim(raw(role));
    if (decimalComma) s = s.str.replaceAll('\\.', '').str.replaceAll(',', '.');
    const v = s.cast(pl.Float64, false);
    const flag = `__bad_${name}`;
    exprs.push(v.alias(name), trim(raw(role)).neq(pl.lit('')).and(v.isNull().or(v.isFinite().not())).fillNull(false).alias(flag));
    checks.push({ flag, role, kind: 'number' });
  }

  const type = compact ? pl.Categorical : pl.Utf8;
  const text = (role: Role): pl.Expr =>
    (mapping[role] ? (isString(dtypeOf(role)) && !compact ? raw(role) : raw(role).cast(pl.Utf8).cast(type)) : pl.lit(null).cast(type)).alias(CANON[role]);
  exprs.push(text('product'), text('description'), text('country'));
  return { exprs, checks };
}

/** sha256 of a file's bytes (hex), streamed. */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

async function rawValue(src: RawSource, column: string, idx: number): Promise<string> {
  try {
    const v = src.lf.select(pl.col(column)).slice(idx, 1).collectSync().getColumn(column).get(0);
    return v === null || v === undefined ? '' : String(v);
  } catch {
    return '?';
  }
}

async function chooseDateLayout(src: RawSource, column: string, dateFormat: string | undefined, file: string, w: (c: string, m: string) => void): Promise<DateLayout> {
  if (dateFormat) return layoutFromOption(dateFormat);
  const sample = src.sample.map((r) => r[column]).filter((v): v is string => v !== null && v !== undefined);
  const g = guessDateLayout(sample);
  if (g.kind === 'layout') {
    if (g.note) w('date_order_inferred', `dates in column ${column} read as ${g.layout.name}: ${g.note}; pass dateFormat to make this explicit`);
    return g.layout;
  }
  if (g.kind === 'dayMonthUnknown') {
    const [a, b] = dayMonthExprs(pl.col(column), g.sep);
    const r = src.lf.select(a, b).collectSync().toRecords()[0] as { first_max: number | null; second_max: number | null };
    const dayFirst = (r.first_max ?? 0) > 12;
    const monthFirst = (r.second_max ?? 0) > 12;
    const dmy = g.sep === '/' ? DATE_LAYOUTS.dmy : DATE_LAYOUTS.dmyDash;
    const mdy = g.sep === '/' ? DATE_LAYOUTS.mdy : DATE_LAYOUTS.mdyDash;
    if (dayFirst !== monthFirst) {
      const layout = dayFirst ? dmy : mdy;
      w('date_order_inferred', `dates in column ${column} read as ${layout.name}: the ${dayFirst ? 'first' : 'second'} part goes above 12; pass dateFormat to make this explicit`);
      return layout;
    }
    throw new SegkitError(
      'io',
      'ambiguous_date',
      dayFirst
        ? `dates in column ${column} are inconsistent: some have a first part above 12 (day first), others a second part above 12 (month first)`
        : `dates in column ${column} are ambiguous: every value (e.g. "${sample[0]}") could be ${dmy.name} or ${mdy.name}`,
      { where: `${file}, column ${column}`, hint: `say which with dateFormat: 'DD/MM/YYYY' or dateFormat: 'MM/DD/YYYY'` },
    );
  }
  const example = g.example;
  const idx = src.sample.findIndex((r) => r[column] === example || r[column]?.trim() === example);
  const where = idx >= 0 ? `${file}, ${src.position(idx)}, column ${column}` : `${file}, column ${column}`;
  if (/^\d{5}(\.\d+)?$/.test(example)) {
    throw new SegkitError('io', 'unreadable_date', `the date "${example}" looks like an Excel serial number, not a date`, {
      where,
      hint: 'format the column as a date (e.g. YYYY-MM-DD HH:MM) in the spreadsheet before exporting to CSV',
    });
  }
  if (g.usual !== undefined) {
    throw new SegkitError('io', 'mixed_date_layouts', `the date "${example}" is not written like the others in column ${column} (e.g. "${g.usual}")`, {
      where,
      hint: `write every date of the column in one layout (fix that row), or pass the layout with dateFormat; one of: ${DATE_FORMAT_CHOICES}`,
    });
  }
  throw new SegkitError('io', 'unreadable_date', `cannot recognise the date "${example}"`, {
    where,
    hint: `pass the layout with dateFormat, one of: ${DATE_FORMAT_CHOICES}`,
  });
}

/** Decimal comma when the file is not comma-separated and sampled numbers look like "2,55" with no "x.yy". */
function detectDecimalComma(src: RawSource, mapping: ColumnMapping): boolean {
  if (!src.delimiter || src.delimiter === ',') return false;
  let comma = 0;
  let dot = 0;
  for (const role of NUMERIC_ROLES) {
    const col = mapping[role];
    if (!col) continue;
    for (const r of src.sample) {
      const v = r[col]?.trim();
      if (!v) continue;
      if (/^[-+]?\d{1,3}(\.\d{3})*,\d+$|^[-+]?\d+,\d+$/.test(v)) comma++;
      else if (/^[-+]?\d+\.\d+$/.test(v)) dot++;
    }
  }
  return comma > 0 && dot === 0;
}

async function polarsReadError(e: unknown, src: RawSource, file: string, compressed: boolean, format: FileFormat): Promise<SegkitError> {
  const msg = (e as Error)?.message ?? String(e);
  if ((format === 'json' || format === 'ndjson') && !compressed) return jsonError({ path: file, format, compressed, bytes: 0 }, file, format === 'ndjson', e);
  if (/could not parse `"/.test(msg) && !compressed) {
    // Polars read on to the end of the file inside a quoted field: name the line where that quote opens
    const open = await unclosedQuote(file);
    if (open) {
      return new SegkitError('io', 'unclosed_quote', `a quoted field is never closed: ${JSON.stringify(open.text.split('\n')[0].slice(0, 80))}`, {
        where: `${file}, line ${open.line}`,
        hint: 'close the quote, or remove the stray " character; a quote inside a quoted field is written twice ("")',
        cause: e,
      });
    }
  }
  if (/more fields than defined/i.test(msg) && src.delimiter && src.delimiter.length === 1) {
    const r = await findRaggedLine({ path: file, compressed, format: 'csv', bytes: 0 }, src.delimiter, src.columns.length);
    return new SegkitError('io', 'malformed_csv', `a row has ${r ? r.fields : 'more'} fields but the header has ${src.columns.length}${r ? `: ${JSON.stringify(r.text)}` : ''}`, {
      where: r ? `${file}, line ${r.line}` : file,
      hint: 'quote fields that contain the delimiter ("a, b"), or pass the right delimiter (option delimiter)',
      cause: e,
    });
  }
  if (/gzip|deflate|invalid.*header|corrupt|unexpected end/i.test(msg) && compressed) {
    return new SegkitError('io', 'corrupt_gzip', `the gzip file could not be decompressed: ${msg}`, {
      where: file,
      hint: 'the file is damaged or was cut short; download or export it again (check it with `gzip -t FILE`)',
      cause: e,
    });
  }
  if (/utf-?8/i.test(msg)) {
    return new SegkitError('io', 'bad_encoding', `the file is not valid UTF-8 text: ${msg}`, {
      where: file,
      hint: 'save or export the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 in.csv > out.csv`)',
      cause: e,
    });
  }
  return new SegkitError('io', 'parse_failed', `the file could not be parsed: ${msg}`, {
    where: file,
    hint: 'check the delimiter (option delimiter), the header (option header) and the quoting of fields',
    cause: e,
  });
}

/** The record (and its first line) where a double quote opens and never closes, in a text file of at most 64 MB. */
async function unclosedQuote(file: string): Promise<{ line: number; text: string } | undefined> {
  try {
    const { size } = await fsp.stat(file);
    if (size > 64 * 1024 * 1024) return undefined;
    const records = splitRecords(await fsp.readFile(file, 'utf8'), true);
    return records.find((r) => (r.text.match(/"/g)?.length ?? 0) % 2 === 1);
  } catch {
    return undefined;
  }
}
