/**
 * The dialect seam: everything that differs between SQL engines, kept small. The query builders in
 * this folder write one SQL text for every engine through these functions; adding a warehouse
 * (BigQuery, Snowflake, DuckDB…) means adding one Dialect and one client.
 *
 * Identifiers are checked and quoted; values never enter SQL text raw: PostgreSQL binds them as
 * parameters ($1, $2…), and ClickHouse 18.16, which has no server-side parameters, receives them as
 * literals escaped by {@link chString} (every quote and backslash escaped, control characters as escapes).
 */
import { SegkitError } from '../../errors';

export interface Params {
  /** A placeholder (or an escaped literal) for a string value. */
  text(v: string): string;
  /** A placeholder (or a literal) for a finite number. */
  num(v: number): string;
  /** The values bound so far (PostgreSQL). */
  values: unknown[];
}

export interface Dialect {
  name: 'postgres' | 'clickhouse';
  /** A quoted identifier (checked by {@link checkIdentifier} first). */
  ident(name: string): string;
  params(): Params;
  /** Expressions over canonical columns (already NULL for missing values). */
  asText(e: string): string;
  asFloat(e: string): string;
  /** A timestamp column as a naive timestamp (Dates become midnight). */
  asTimestamp(e: string, sourceType: string): string;
  /** s starts with prefix (NULL when s is NULL). */
  startsWith(s: string, prefix: string): string;
  /** upper(trim(s)). */
  upperTrim(s: string): string;
  /** Calendar day of a timestamp as an integer: days since 1970-01-01. */
  dayNumber(ts: string): string;
  /** Month index year × 12 + month − 1. */
  monthIndex(ts: string): string;
  /** ISO weekday 1 = Monday … 7 = Sunday. */
  weekday(ts: string): string;
  hour(ts: string): string;
  /** Naive timestamp as text 'YYYY-MM-DD HH:MM:SS[.mmm]' (read back as UTC). */
  timestampText(ts: string): string;
  /** Milliseconds since the epoch of a naive timestamp (read as UTC). */
  epochMs(ts: string): string;
  /** Count of distinct non-null values. */
  countDistinct(e: string): string;
  /** Count of rows where the condition holds. */
  countIf(cond: string): string;
  /** Sum of a Float64 expression where the condition holds, added exactly (see the dialect). */
  sumIf(e: string, cond: string): string;
  /** Exact sum of a Float64 expression, returned as a Float64. */
  exactSum(e: string): string;
  /**
   * An exact sum in two steps, for a per-shard query summed again on the node asked (shards.ts): the partial
   * sum in the exact type, then the sum of the partials as a Float64 (`merge` takes the partial's alias).
   */
  exactSumParts?: { part(e: string): string; merge(partial: string): string };
  /** The row-uniqueness step of the duplicate rule: SELECT DISTINCT. */
  distinct: string;
  /** Text of a boolean condition usable as a value (ClickHouse has UInt8). */
  bool(cond: string): string;
  /** The first non-null of the arguments. */
  coalesce(...e: string[]): string;
  /** Boolean literals (ClickHouse 18.16 has no true/false keywords: 1 and 0). */
  false: string;
  true: string;
  /** A NULL literal of the canonical text / float type. */
  nullText: string;
  nullFloat: string;
  /**
   * WHERE may use the SELECT list's aliases (ClickHouse): the DISTINCT of the duplicate rule is then made
   * in the query that reads the table, which a Distributed table runs on each shard.
   */
  aliasesInWhere: boolean;
}

/** Characters no identifier may hold: quotes, backticks, backslashes, semicolons, control characters. */
const BAD_IDENT = /["'`\\;\u0000-\u001f\u007f]/;

/** Refuse a column or table name that could end or comment out a statement; quoting handles the rest. */
export function checkIdentifier(name: string, what: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 128 || BAD_IDENT.test(name) || name.includes('--') || name.includes('/*')) {
    throw new SegkitError('io', 'bad_identifier', `the ${what} ${JSON.stringify(name)} cannot be used: names with quotes, backticks, backslashes, semicolons, "--", "/*" or control characters are refused`, {
      where: what,
      hint: 'rename the column or table, or create a view whose column names are plain (letters, digits, spaces, underscores)',
    });
  }
  return name;
}

/** A ClickHouse string literal: quotes, backslashes and control characters escaped. */
export function chString(v: string): string {
  let out = "'";
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if (ch === "'" || ch === '\\') out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

function finite(v: number): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new SegkitError('io', 'bad_value', `a number bound into SQL must be finite, got ${String(v)}`, { where: 'SQL parameter' });
  }
  return String(v);
}

export const postgres: Dialect = {
  name: 'postgres',
  ident: (n) => `"${checkIdentifier(n, 'identifier')}"`,
  params() {
    const values: unknown[] = [];
    return {
      values,
      text: (v) => {
        values.push(String(v));
        return `CAST($${values.length} AS text)`;
      },
      num: (v) => {
        values.push(Number(finite(v)));
        return `CAST($${values.length} AS double precision)`;
      },
    };
  },
  asText: (e) => `NULLIF(CAST(${e} AS text), '')`,
  asFloat: (e) => `CAST(${e} AS double precision)`,
  asTimestamp: (e) => `CAST(${e} AS timestamp(3))`,
  startsWith: (s, p) => `(left(${s}, char_length(${p})) = ${p})`,
  upperTrim: (s) => `upper(regexp_replace(${s}, '^\\s+|\\s+$', '', 'g'))`,
  dayNumber: (ts) => `(CAST(${ts} AS date) - DATE '1970-01-01')`,
  monthIndex: (ts) => `(CAST(EXTRACT(YEAR FROM ${ts}) AS integer) * 12 + CAST(EXTRACT(MONTH FROM ${ts}) AS integer) - 1)`,
  weekday: (ts) => `CAST(EXTRACT(ISODOW FROM ${ts}) AS integer)`,
  hour: (ts) => `CAST(EXTRACT(HOUR FROM ${ts}) AS integer)`,
  timestampText: (ts) => `to_char(${ts}, 'YYYY-MM-DD HH24:MI:SS.MS')`,
  epochMs: (ts) => `CAST(round(EXTRACT(EPOCH FROM ${ts}) * 1000) AS double precision)`,
  countDistinct: (e) => `COUNT(DISTINCT ${e})`,
  countIf: (c) => `COUNT(*) FILTER (WHERE ${c})`,
  // Fixed point: each value in units of 10^-8 as a bigint, whose SUM PostgreSQL accumulates in 128-bit
  // integers (exact; on 5M rows 4.8× faster than a numeric sum over the table, 2.3–2.8× grouped by
  // 100k customers, within 1.2–1.4× of a float sum); values of 9·10^10 or more are summed as numeric
  // (float8 → numeric keeps 15 significant digits). The total does not depend on the order of the rows.
  sumIf: (e, c) => pgFixedSum(e, ` FILTER (WHERE ${c})`),
  exactSum: (e) => `CASE WHEN COUNT(${e}) = 0 THEN NULL ELSE ${pgFixedSum(e, '')} END`,
  distinct: 'SELECT DISTINCT',
  bool: (c) => `(${c})`,
  coalesce: (...e) => `COALESCE(${e.join(', ')})`,
  false: 'false',
  true: 'true',
  nullText: 'CAST(NULL AS text)',
  nullFloat: 'CAST(NULL AS double precision)',
  aliasesInWhere: false,
};

/** PostgreSQL: the exact sum of a float8 expression (0 over no rows), optionally FILTERed. */
function pgFixedSum(e: string, filter: string): string {
  const small = `abs(${e}) < 9e10`;
  const fixed = `SUM(CASE WHEN ${small} THEN CAST(${e} * CAST(1e8 AS double precision) AS bigint) END)${filter}`;
  const large = `SUM(CASE WHEN NOT ${small} THEN CAST(${e} AS numeric) END)${filter}`;
  return `CAST(COALESCE(${fixed} / 100000000, 0) + COALESCE(${large}, 0) AS double precision)`;
}

export const clickhouse: Dialect = {
  name: 'clickhouse',
  ident: (n) => `\`${checkIdentifier(n, 'identifier')}\``,
  params() {
    return { values: [], text: (v) => chString(String(v)), num: (v) => `toFloat64(${finite(v)})` };
  },
  asText: (e) => `nullIf(toString(${e}), '')`,
  asFloat: (e) => `toFloat64(${e})`,
  asTimestamp: (e, t) => (/^(Nullable\()?Date\)?$/.test(t) ? `toDateTime(${e})` : e),
  startsWith: (s, p) => `startsWith(${s}, ${p})`,
  upperTrim: (s) => `upper(replaceRegexpAll(${s}, '^\\\\s+|\\\\s+$', ''))`,
  dayNumber: (ts) => `toInt32(toUInt16(toDate(${ts})))`,
  monthIndex: (ts) => `(toInt32(toYear(${ts})) * 12 + toInt32(toMonth(${ts})) - 1)`,
  weekday: (ts) => `toInt32(toDayOfWeek(${ts}))`,
  hour: (ts) => `toInt32(toHour(${ts}))`,
  timestampText: (ts) => `toString(${ts})`,
  epochMs: (ts) => `(toFloat64(toUInt32(${ts})) * 1000)`,
  countDistinct: (e) => `uniqExact(${e})`,
  countIf: (c) => `countIf(${c})`,
  // Decimal128 with 10 decimals of the value's shortest decimal text (a Float64 cast to Decimal truncates its
  // binary expansion): exact for amounts with up to 10 decimals, whatever the order of the rows
  sumIf: (e, c) => `toFloat64(sumIf(toDecimal128(toString(round(${e}, 10)), 10), ${c}))`,
  exactSum: (e) => `toFloat64(sum(toDecimal128(toString(round(${e}, 10)), 10)))`,
  exactSumParts: {
    part: (e) => `sum(toDecimal128(toString(round(${e}, 10)), 10))`,
    merge: (partial) => `toFloat64(sum(${partial}))`,
  },
  distinct: 'SELECT DISTINCT',
  bool: (c) => `(${c})`,
  coalesce: (...e) => `ifNull(${e.join(', ')})`,
  false: '0',
  true: '1',
  nullText: 'CAST(NULL AS Nullable(String))',
  nullFloat: 'CAST(NULL AS Nullable(Float64))',
  aliasesInWhere: true,
};
