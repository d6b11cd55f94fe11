/**
 * A TransactionSource over a database table: every question is answered by SQL generated here and in
 * relation.ts / rfm.ts / eda.ts, run where the data lives; only small answers come back.
 */
import pl, { type DataType } from 'nodejs-polars';
import { SegkitError } from '../../errors';
import type { CleanOptions } from '../../clean';
import { resolveMapping, type ColumnsOption } from '../../io/mapping';
import type { EdaResult, ExploreOptions } from '../../eda';
import { finishExploration } from '../../eda/explore';
import { parseDay } from '../../rfm/options';
import { shapeTopCountries, shapeTopProducts } from '../../profile/transactions';
import type { QualityRecord, RuleCount } from '../../types';
import { CANONICAL_COLUMNS } from '../../types';
import type { CustomerRfm } from '../../rfm/options';
import type { AskOptions, CustomersOptions, GroupMap, SegmentTops, SourceDescription, TopsOptions, TransactionSource } from '../types';
import { type SqlClient, dateOfText, num } from './client';
import { exploreSql } from './eda';
import { canonicalSelect, checkTypes, cleanPlan, cleanedRelation, qualityQueries, qualityQueriesFrom, stageSelects, type TableSpec } from './relation';
import { rfmFromSql } from './rfm';
import { flatSql, measures, perShardSql, shardedByCustomer, type Grouped } from './shards';

export interface SqlSourceOptions {
  /** Role → column of the table (as for files); roles not given are detected from the column names. */
  columns?: ColumnsOption;
}

interface Cleaned {
  quality: QualityRecord;
  /** FROM-able relation of the cleaned rows (a table, or a subquery whose literals are inline). */
  relation: string;
  /** Values bound by the relation (PostgreSQL placeholders in `relation`). */
  values: unknown[];
  /** FROM-able relation of the canonical rows before cleaning (a staged table, or the parenthesised SELECT). */
  raw: string;
  /** Where the cleaned rows are kept: a table on every shard, a table on the node asked, a table of the database, or not kept (a subquery). */
  kept: 'shards' | 'node' | 'table' | 'query';
  /** Kept on the shards of a table sharded by customer: grouped queries can be completed on each shard (shards.ts). */
  perShard: boolean;
}

export class SqlSource implements TransactionSource {
  readonly kind: 'postgres' | 'clickhouse';
  private desc?: Promise<SourceDescription>;
  private spec?: TableSpec;
  private cleanedBy = new Map<string, Promise<Cleaned>>();
  /** The table is Distributed and sharded by the customer column alone (see shards.ts). */
  private byCustomer = false;

  constructor(
    private readonly client: SqlClient,
    private readonly table: string,
    private readonly label: string,
    private readonly options: SqlSourceOptions = {},
  ) {
    this.kind = client.dialect.name;
  }

  describe(): Promise<SourceDescription> {
    this.desc ??= this.open();
    return this.desc;
  }

  private async open(): Promise<SourceDescription> {
    const columns = await this.client.columns(this.table);
    if (!columns.length) {
      throw new SegkitError('io', 'table_not_found', `the table "${this.table}" does not exist (or has no columns) in ${this.label}`, {
        where: this.label,
        hint: 'check ?table= in the source URL (schema-qualify it as schema.table if needed), or load a file into it with `segkit load`',
      });
    }
    const names = columns.map((c) => c.name);
    const { mapping } = resolveMapping(names, this.options.columns ?? {}, undefined, this.label);
    this.spec = { table: this.table, columns, mapping };
    checkTypes(this.spec, this.label);
    const d = this.client.dialect;
    const [count] = await this.client.query(`SELECT count(*) AS n FROM (${canonicalSelect(d, this.spec)}) AS b`);
    const version = await this.client.version();
    const dist = this.client.distributed ? await this.client.distributed(this.table) : null;
    this.byCustomer = Boolean(dist && shardedByCustomer(dist.key, mapping.customer));
    const keptOn = dist && this.client.staging ? await this.client.staging() : null;
    return {
      kind: this.kind,
      label: this.label,
      table: this.table,
      mapping,
      orders: mapping.invoice ? 'invoice' : 'customer-day',
      columns: names,
      rowsRead: num(count.n)!,
      server: {
        version,
        ...(dist ? { cluster: dist.cluster, shards: dist.shards, localTable: dist.localTable, ...(keptOn ? { keptOn } : {}), shardedByCustomer: this.byCustomer } : {}),
      },
    };
  }

  /** The SELECT of the canonical columns (before cleaning). */
  private async canonical(): Promise<string> {
    await this.describe();
    return canonicalSelect(this.client.dialect, this.spec!);
  }

  private cleaned(clean: CleanOptions = {}): Promise<Cleaned> {
    const key = JSON.stringify(clean);
    let c = this.cleanedBy.get(key);
    if (!c) {
      c = this.clean(clean);
      this.cleanedBy.set(key, c);
      c.catch(() => this.cleanedBy.delete(key));
    }
    return c;
  }

  private async clean(options: CleanOptions): Promise<Cleaned> {
    const d = this.client.dialect;
    const canonical = await this.canonical();
    const params = d.params();
    const plan = cleanPlan(d, params, this.spec!, options);
    // ClickHouse over a Distributed table: the canonical rows (a view on each shard), the distinct rows
    // (a table on each shard) and the cleaned rows (a view over either) are staged where the rows are
    // (SqlClient.stage), so the counts below and every later query aggregate on the shards
    const steps = stageSelects(d, this.spec!, plan);
    const raw = this.client.stage ? await this.client.stage(steps.canonical, undefined, { view: true }) : null;
    const distinct = raw && plan.dup >= 0 ? await this.client.stage!(steps.distinct, raw) : null;
    const q = raw ? qualityQueriesFrom(d, plan, raw.table, distinct?.table ?? null) : qualityQueries(d, canonical, plan);
    const a = (await this.client.query(q.rowWise, params.values))[0];
    const b = q.afterDup ? (await this.client.query(q.afterDup, params.values))[0] : null;
    const rowsRead = num(a.rows_read)!;
    const rules: RuleCount[] = plan.rules.map((r, i) => {
      let removed: number;
      if (plan.dup >= 0 && i === plan.dup) removed = num(a.before_dup)! - num(b!.distinct_rows)!;
      else removed = num((plan.dup >= 0 && i > plan.dup ? b! : a)[r])!;
      return { rule: r, label: plan.labels[r], removed };
    });
    const last = b ?? a;
    const rowsKept = num(last.kept)!;
    const sum = rules.reduce((s, r) => s + r.removed, 0);
    if (rowsRead !== rowsKept + sum) {
      throw new SegkitError('clean', 'invariant_broken', `rows read (${rowsRead}) ≠ rows kept (${rowsKept}) + rows removed (${sum})`, { where: this.label, hint: 'this is a bug in segkit; please report it' });
    }
    if (rowsKept === 0 && !options.allowEmpty) {
      const worst = [...rules].sort((x, y) => y.removed - x.removed)[0];
      throw new SegkitError('clean', 'all_rows_removed', `cleaning removed every one of the ${rowsRead.toLocaleString('en-GB')} rows (${rules.map((c) => `${c.rule}: ${c.removed}`).join(', ')})`, {
        where: this.label,
        hint: worst ? `most went to "${worst.rule}" (${worst.label}); check the column mapping or turn that rule off` : 'check the table',
      });
    }
    const iso = (v: unknown): string | null => (v == null ? null : dateOfText(v)!.toISOString().slice(0, 19));
    const quality: QualityRecord = {
      rowsRead,
      rowsKept,
      rules,
      removed: Object.fromEntries(rules.map((r) => [r.rule, r.removed])),
      dateRange: { first: iso(last.first), last: iso(last.last) },
      warnings: [],
    };
    if (raw) {
      const kept = distinct && !steps.rulesAfterDup ? distinct : await this.client.stage!(steps.kept, distinct ?? raw, { view: true });
      return { quality, relation: kept!.table, values: [], raw: raw.table, kept: raw.where, perShard: raw.where === 'shards' && this.byCustomer && Boolean(this.client.queryPerShard) };
    }
    // No duplicates removed: the cleaned rows are the same without the DISTINCT step.
    const dupRemoved = plan.dup >= 0 && rules[plan.dup].removed > 0;
    const relation = cleanedRelation(d, canonical, plan, dupRemoved);
    if (this.client.materialize) {
      const t = await this.client.materialize(relation, params.values);
      return { quality, relation: t, values: [], raw: `(${canonical})`, kept: 'table', perShard: false };
    }
    return { quality, relation, values: params.values, raw: `(${canonical})`, kept: 'query', perShard: false };
  }

  async quality(options: AskOptions = {}): Promise<QualityRecord> {
    return (await this.cleaned(options.clean)).quality;
  }

  async customers(options: CustomersOptions = {}): Promise<CustomerRfm> {
    const desc = await this.describe();
    const c = await this.cleaned(options.clean);
    const params = this.params(c);
    return rfmFromSql(this.client, c.relation, params, { asOf: options.rfm?.asOf, returns: options.rfm?.returns, orders: desc.orders, perShard: this.perShard(c) }, this.label);
  }

  async explore(options: Omit<ExploreOptions, 'cleaned'> = {}): Promise<EdaResult> {
    const desc = await this.describe();
    const c = await this.cleaned(options.clean);
    const tables = await exploreSql(this.client, {
      raw: c.raw,
      cleaned: c.relation,
      values: c.values,
      mapping: desc.mapping,
      orders: desc.orders,
      rowsRead: desc.rowsRead,
      quality: c.quality,
      cancelPrefix: options.clean?.cancelPrefix,
      options,
      perShard: this.perShard(c),
    });
    return finishExploration(tables, { mapping: desc.mapping, orders: desc.orders, quality: c.quality, options });
  }

  async segmentTops(groups: GroupMap, k: number, options: TopsOptions = {}): Promise<SegmentTops> {
    const desc = await this.describe();
    const c = await this.cleaned(options.clean);
    const d = this.client.dialect;
    const top = options.top ?? 5;
    const ids = groups.getColumn('customer_id').toArray() as string[];
    const gs = groups.getColumn('group').toArray() as number[];
    const rows = ids.map((id, i): [string, number] => [String(id), Number(gs[i])]);
    const asOf = options.asOf ? parseDay(options.asOf, 'option asOf') : null;
    const m = desc.mapping;
    return this.client.withGroups(rows, async (t) => {
      const params = this.params(c);
      // one flat query per table (the join and the aggregate at one level): over a Distributed table the
      // shards aggregate their own lines (GLOBAL JOIN sends them the customer → segment map)
      const join = d.name === 'clickhouse' ? `GLOBAL ANY INNER JOIN ${t} USING customer_id` : `JOIN ${t} g USING (customer_id)`;
      const from = `${c.relation} AS c ${join}`;
      const where = (cond?: string): string => {
        const parts = [...(asOf === null ? [] : [`${d.dayNumber('date')} <= ${asOf}`]), ...(cond ? [cond] : [])];
        return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
      };
      // customers per (segment, product) add up over the shards when each customer's lines sit on one
      const M = measures(d);
      const perShard = this.perShard(c);
      const grouped = (g: Grouped) => (perShard ? perShard(perShardSql(g)) : this.client.query(flatSql(g), params.values));
      const totals = await grouped({ keys: [['grp', 'grp']], measures: [M.exactSum('total', 'amount')], from: `${from}${where()}` });
      const key = m.product ? 'product' : m.description ? 'description' : null;
      let products: SegmentTops['products'] = Array.from({ length: k }, () => []);
      if (key) {
        const agg = await grouped({
          keys: [['grp', 'grp'], [key, 'key']],
          measures: [M.exactSum('revenue', 'amount'), m.quantity ? M.exactSum('quantity', 'quantity') : M.count('quantity'), M.distinct('customers', 'customer_id')],
          from: `${from}${where(`${key} IS NOT NULL`)}`,
        });
        const descs =
          key === 'product' && m.description
            ? await this.client.query(`SELECT grp, product AS key, description, count(*) AS n FROM ${from}${where('product IS NOT NULL AND description IS NOT NULL')} GROUP BY grp, product, description`, params.values)
            : [];
        products = shapeTopProducts(toFrame(agg, { grp: pl.Int32, key: pl.Utf8, revenue: pl.Float64, quantity: pl.Float64, customers: pl.Int64 }), toFrame(descs, { grp: pl.Int32, key: pl.Utf8, description: pl.Utf8, n: pl.Int64 }), totals, key, k, top);
      }
      let countries: SegmentTops['countries'] = Array.from({ length: k }, () => []);
      if (m.country) {
        const agg = await grouped({ keys: [['grp', 'grp'], ['country', 'key']], measures: [M.exactSum('revenue', 'amount'), M.distinct('customers', 'customer_id')], from: `${from}${where()}` });
        countries = shapeTopCountries(toFrame(agg, { grp: pl.Int32, key: pl.Utf8, revenue: pl.Float64, customers: pl.Int64 }), totals, k, top);
      }
      return { products, countries };
    });
  }

  async customerLines(customerId: string, options: TopsOptions = {}): Promise<pl.DataFrame> {
    const c = await this.cleaned(options.clean);
    const d = this.client.dialect;
    const params = this.params(c);
    const asOf = options.asOf ? parseDay(options.asOf, 'option asOf') : null;
    const rows = await this.client.query(
      `SELECT customer_id, invoice, ${d.timestampText('date')} AS date, quantity, unit_price, amount, product, description, country FROM ${c.relation} AS c ` +
        `WHERE customer_id = ${params.text(customerId)}${asOf === null ? '' : ` AND ${d.dayNumber('date')} <= ${asOf}`} ORDER BY date, invoice, product`,
      params.values,
    );
    return linesFrame(rows);
  }

  /** How to ask a query completed on each shard (null: ask it as it is). */
  private perShard(c: Cleaned): ((sql: string) => Promise<Array<Record<string, unknown>>>) | null {
    return c.perShard && this.client.queryPerShard ? (sql) => this.client.queryPerShard!(sql) : null;
  }

  /** Parameters continuing after the relation's own. */
  private params(c: Cleaned) {
    const p = this.client.dialect.params();
    p.values.push(...c.values);
    return p;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Rows → a DataFrame with the given column types (missing columns are nulls). */
export function toFrame(rows: Array<Record<string, unknown>>, types: Record<string, DataType>): pl.DataFrame {
  return pl.DataFrame(
    Object.entries(types).map(([name, t]) => {
      const vs = rows.map((r) => r[name] ?? null);
      const isNum = /Int|Float/.test(String(t));
      return pl.Series(name, isNum ? vs.map(num) : vs.map((v) => (v === null ? null : String(v))), isNum ? pl.Float64 : pl.Utf8).cast(t);
    }),
  );
}

/** Canonical line rows → a DataFrame in the TransactionTable's column types. */
export function linesFrame(rows: Array<Record<string, unknown>>): pl.DataFrame {
  const text = (c: string): pl.Series => pl.Series(c, rows.map((r) => (r[c] == null ? null : String(r[c]))), pl.Utf8);
  const float = (c: string): pl.Series => pl.Series(c, rows.map((r) => num(r[c])), pl.Float64);
  const cols: Record<string, () => pl.Series> = {
    customer_id: () => text('customer_id'),
    invoice: () => text('invoice'),
    date: () => pl.Series('date', rows.map((r) => dateOfText(r.date)), pl.Datetime('ms')),
    quantity: () => float('quantity'),
    unit_price: () => float('unit_price'),
    amount: () => float('amount'),
    product: () => text('product'),
    description: () => text('description'),
    country: () => text('country'),
  };
  return pl.DataFrame(CANONICAL_COLUMNS.map((c) => cols[c]()));
}
