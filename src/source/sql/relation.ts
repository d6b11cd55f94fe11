/**
 * The canonical and cleaned relations of a database table, as SQL text, generated from the column
 * mapping and the cleaning rules in one place for every engine (dialect differences: dialect.ts).
 *
 *   table ─► canonical (customer_id, invoice, date, quantity, unit_price, amount, product, description, country)
 *         ─► row-wise rules before duplicate_row ─► [SELECT DISTINCT] ─► rules after it ─► cleaned
 *
 * Each rule is a "keep" predicate, NULL-safe, the same as clean/rules.ts: a rule counts the rows it removes
 * among those still present, in the documented order. Exact duplicates are identical under every other rule,
 * so "first of identical rows kept" is SELECT DISTINCT over the rows the earlier rules kept.
 */
import { SegkitError } from '../../errors';
import { CLEAN_DEFAULTS, enabledRules, ruleLabel, type CleanOptions } from '../../clean/clean';
import { NON_PRODUCT_CODES, OUTLIER_DEFAULTS, boundMs, type RuleKey } from '../../clean/rules';
import type { ColumnMapping, Role } from '../../types';
import { CANONICAL_COLUMNS } from '../../types';
import type { Dialect, Params } from './dialect';

/** A table column as the database describes it. */
export interface TableColumn {
  name: string;
  type: string;
}

export interface TableSpec {
  /** The table, possibly qualified ("schema.table" / "db.table"). */
  table: string;
  columns: TableColumn[];
  mapping: ColumnMapping;
}

const TEMPORAL = /^(Nullable\()?(timestamp|date|DateTime|Date)/i;
const NUMERIC = /^(Nullable\()?(smallint|integer|bigint|numeric|decimal|real|double precision|U?Int\d+|Float\d+|Decimal)/i;

/** A qualified table name, each part quoted. */
export function tableRef(d: Dialect, table: string): string {
  return table
    .split('.')
    .map((p) => d.ident(p))
    .join('.');
}

/** Check the mapped columns have types the queries can use; returns the source type of each role. */
export function checkTypes(spec: TableSpec, label: string): Partial<Record<Role, string>> {
  const types: Partial<Record<Role, string>> = {};
  for (const [role, col] of Object.entries(spec.mapping) as Array<[Role, string]>) {
    const c = spec.columns.find((x) => x.name === col)!;
    types[role] = c.type;
    const bad = (want: string, hint: string): never => {
      throw new SegkitError('io', 'column_type', `column "${col}" (${role}) has type ${c.type}; segkit needs ${want}`, { where: `${label}, column "${col}"`, hint });
    };
    if (role === 'date' && !TEMPORAL.test(c.type)) bad('a timestamp or date column', 'convert it in a view (e.g. CAST(col AS timestamp)) and point --source at the view, or load the file with `segkit load`, which types the columns');
    if ((role === 'quantity' || role === 'unitPrice' || role === 'amount') && !NUMERIC.test(c.type)) {
      bad('a numeric column', 'convert it in a view (e.g. CAST(col AS double precision)), or load the file with `segkit load`');
    }
  }
  return types;
}

/** SELECT of the canonical columns from the table (missing roles are NULL, or quantity 1). */
export function canonicalSelect(d: Dialect, spec: TableSpec): string {
  const m = spec.mapping;
  const types = Object.fromEntries(spec.columns.map((c) => [c.name, c.type]));
  const col = (role: Role): string | null => (m[role] ? d.ident(m[role]!) : null);
  const text = (role: Role): string => (col(role) ? d.asText(col(role)!) : d.nullText);
  const quantity = col('quantity') ? d.asFloat(col('quantity')!) : d.asFloat('1');
  const unitPrice = col('unitPrice') ? d.asFloat(col('unitPrice')!) : d.nullFloat;
  const amount = col('amount') ? d.asFloat(col('amount')!) : `(${quantity} * ${unitPrice})`;
  const exprs: Record<(typeof CANONICAL_COLUMNS)[number], string> = {
    customer_id: text('customer'),
    invoice: text('invoice'),
    date: d.asTimestamp(col('date')!, types[m.date!] ?? ''),
    quantity,
    unit_price: unitPrice,
    amount,
    product: text('product'),
    description: text('description'),
    country: text('country'),
  };
  return `SELECT ${CANONICAL_COLUMNS.map((c) => `${exprs[c]} AS ${c}`).join(', ')} FROM ${tableRef(d, spec.table)}`;
}

/** The cleaning rules as SQL: each rule's keep predicate, in run order. */
export interface CleanPlan {
  rules: RuleKey[];
  keep: Record<string, string>;
  /** Index of duplicate_row in `rules`, or -1. */
  dup: number;
  labels: Record<string, string>;
}

export function cleanPlan(d: Dialect, p: Params, spec: TableSpec, options: CleanOptions = {}): CleanPlan {
  const rules = enabledRules(options);
  if (rules.includes('outlier_line')) {
    throw new SegkitError('clean', 'unsupported_rule', 'the outlier_line rule is not available for database sources yet (its fence is a quantile of the rows kept so far)', {
      where: 'option clean.rules.outlier_line',
      hint: 'turn it off for a database source, or filter the lines in a view; the date_window and non_product_code rules work',
    });
  }
  const prefix = options.cancelPrefix ?? CLEAN_DEFAULTS.cancelPrefix;
  const hasUnitPrice = Boolean(spec.mapping.unitPrice);
  const keep: Record<string, string> = {};
  // only the rules that run: every placeholder made here appears in the queries
  if (rules.includes('missing_customer_id')) keep.missing_customer_id = 'customer_id IS NOT NULL';
  if (rules.includes('cancelled_invoice')) keep.cancelled_invoice = `NOT ${d.coalesce(d.startsWith('invoice', p.text(prefix)), d.false)}`;
  if (rules.includes('nonpositive_quantity')) keep.nonpositive_quantity = d.coalesce('quantity > 0', d.false);
  if (rules.includes('nonpositive_unit_price')) keep.nonpositive_unit_price = d.coalesce(`${hasUnitPrice ? 'unit_price' : 'amount'} > 0`, d.false);
  if (rules.includes('non_product_code')) {
    const codes = options.nonProductCodes ?? NON_PRODUCT_CODES;
    const exact = codes.filter((c) => !c.endsWith('*')).map((c) => c.trim().toUpperCase());
    const prefixes = codes.filter((c) => c.endsWith('*')).map((c) => c.slice(0, -1).trim().toUpperCase());
    const code = d.upperTrim('product');
    const hits = [...(exact.length ? [`${code} IN (${exact.map((c) => p.text(c)).join(', ')})`] : []), ...prefixes.map((x) => d.startsWith(code, p.text(x)))];
    keep.non_product_code = hits.length ? `NOT ${d.coalesce(`(${hits.join(' OR ')})`, d.false)}` : d.true;
  }
  if (rules.includes('date_window')) {
    const w = options.dateWindow;
    if (!w || (!w.from && !w.to)) {
      throw new SegkitError('clean', 'bad_option', 'the date_window rule is on but no window was given', { where: 'option dateWindow', hint: "pass dateWindow: { from: 'YYYY-MM-DD', to: 'YYYY-MM-DD' }" });
    }
    const parts: string[] = [];
    if (w.from) parts.push(`${d.epochMs('date')} >= ${p.num(boundMs(w.from, false, 'from'))}`);
    if (w.to) parts.push(`${d.epochMs('date')} <= ${p.num(boundMs(w.to, true, 'to'))}`);
    keep.date_window = d.coalesce(`(${parts.join(' AND ')})`, d.false);
  }
  const labels = Object.fromEntries(rules.map((r) => [r, ruleLabel(r, options, prefix, hasUnitPrice, { ...OUTLIER_DEFAULTS, ...(options.outlier ?? {}) })]));
  return { rules, keep, dup: rules.indexOf('duplicate_row'), labels };
}

/** Conjunction of the keep predicates of rules[from..to). */
export function keepAll(plan: CleanPlan, from: number, to: number): string {
  const ps = plan.rules.slice(from, to).filter((r) => r !== 'duplicate_row').map((r) => `(${plan.keep[r]})`);
  return ps.length ? ps.join(' AND ') : '1 = 1';
}

/**
 * The distinct canonical rows among those `keep` holds for: in the query that reads the table where the
 * dialect allows (see Dialect.aliasesInWhere), else over the canonical subquery.
 */
function distinctRows(d: Dialect, canonical: string, keep: string): string {
  if (d.aliasesInWhere) return `${canonical.replace(/^SELECT /, `${d.distinct} `)} WHERE ${keep}`;
  return `${d.distinct} ${CANONICAL_COLUMNS.join(', ')} FROM (${canonical}) AS b WHERE ${keep}`;
}

/**
 * The cleaned relation as a FROM-able subquery. `distinct` false skips the DISTINCT step (when the
 * quality record says the duplicate rule removed nothing, the result is the same).
 */
export function cleanedRelation(d: Dialect, canonical: string, plan: CleanPlan, distinct = true): string {
  const cols = CANONICAL_COLUMNS.join(', ');
  if (plan.dup < 0 || !distinct) return `(SELECT ${cols} FROM (${canonical}) AS b WHERE ${keepAll(plan, 0, plan.rules.length)})`;
  const before = distinctRows(d, canonical, keepAll(plan, 0, plan.dup));
  return `(SELECT ${cols} FROM (${before}) AS u WHERE ${keepAll(plan, plan.dup + 1, plan.rules.length)})`;
}

/**
 * The queries of the cleaning record: `rowWise` counts rows read and the rows each rule before
 * duplicate_row removes; `afterDup` (when the rule is on) counts the distinct rows left and the rows each
 * later rule removes among them; both give the kept rows' date range when they are last.
 */
export function qualityQueries(d: Dialect, canonical: string, plan: CleanPlan): { rowWise: string; afterDup: string | null } {
  const distinct = plan.dup < 0 ? null : `(${distinctRows(d, canonical, keepAll(plan, 0, plan.dup))})`;
  return qualityQueriesFrom(d, plan, `(${canonical})`, distinct);
}

/**
 * The same over FROM-able relations (tables, or parenthesised subqueries): `raw` the canonical rows,
 * `distinct` the distinct rows kept by the rules before duplicate_row (null when that rule is off).
 */
export function qualityQueriesFrom(d: Dialect, plan: CleanPlan, raw: string, distinct: string | null): { rowWise: string; afterDup: string | null } {
  const end = plan.dup < 0 ? plan.rules.length : plan.dup;
  const removed = (i: number, from: number): string => `${d.countIf(`${keepAll(plan, from, i)} AND ${negate(plan.keep[plan.rules[i]])}`)} AS ${plan.rules[i]}`;
  const range = (keepExpr: string): string[] => [
    `min(CASE WHEN ${keepExpr} THEN ${d.timestampText('date')} END) AS first`,
    `max(CASE WHEN ${keepExpr} THEN ${d.timestampText('date')} END) AS last`,
    `${d.countIf(keepExpr)} AS kept`,
  ];
  const first = [`count(*) AS rows_read`, ...plan.rules.slice(0, end).map((_, i) => removed(i, 0))];
  if (plan.dup < 0 || distinct === null) {
    return { rowWise: `SELECT ${[...first, ...range(keepAll(plan, 0, plan.rules.length))].join(', ')} FROM ${raw} AS b`, afterDup: null };
  }
  const rowWise = `SELECT ${[...first, `${d.countIf(keepAll(plan, 0, plan.dup))} AS before_dup`].join(', ')} FROM ${raw} AS b`;
  const after = plan.rules.slice(plan.dup + 1).map((_, j) => removed(plan.dup + 1 + j, plan.dup + 1));
  const afterDup = `SELECT ${[`count(*) AS distinct_rows`, ...after, ...range(keepAll(plan, plan.dup + 1, plan.rules.length))].join(', ')} FROM ${distinct} AS u`;
  return { rowWise, afterDup };
}

/**
 * NOT p, without a double negation when p is `NOT f(…)`: ClickHouse 18.16 folds not(not(x)) in the query
 * it sends to the shards of a Distributed table but not on the node asked, and then cannot find the
 * aggregate's column ("Not found column countIf(…not(not(…)))… in block").
 */
export function negate(p: string): string {
  const m = /^NOT ([A-Za-z_][A-Za-z0-9_]*)\(/.exec(p);
  if (m) {
    let depth = 0;
    let quote: string | null = null;
    const start = m[0].length - 1;
    for (let i = start; i < p.length; i++) {
      const ch = p[i];
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = null;
        continue;
      }
      if (ch === "'" || ch === '"' || ch === '`') quote = ch;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) return i === p.length - 1 ? p.slice(4) : `NOT (${p})`;
    }
  }
  return `NOT (${p})`;
}

/**
 * The SELECTs that keep the cleaning steps as tables where the rows are (SqlClient.stage), each over the
 * table `from` of the step before: the canonical rows; the distinct rows the rules before duplicate_row
 * keep (when that rule is on); the cleaned rows.
 */
export function stageSelects(d: Dialect, spec: TableSpec, plan: CleanPlan) {
  const cols = CANONICAL_COLUMNS.join(', ');
  return {
    canonical: (from: string): string => canonicalSelect(d, { ...spec, table: from }),
    distinct: (from: string): string => `${d.distinct} ${cols} FROM ${tableRef(d, from)} WHERE ${keepAll(plan, 0, plan.dup)}`,
    /** The rows kept by the rules after duplicate_row (over the distinct rows), or by every rule (over the canonical rows, without duplicate_row). */
    kept: (from: string): string => `SELECT ${cols} FROM ${tableRef(d, from)} WHERE ${plan.dup < 0 ? keepAll(plan, 0, plan.rules.length) : keepAll(plan, plan.dup + 1, plan.rules.length)}`,
    /** True when rules follow duplicate_row (else the distinct rows are the cleaned rows). */
    rulesAfterDup: plan.dup >= 0 && plan.dup < plan.rules.length - 1,
  };
}
