/**
 * Grouped aggregates that each shard of a ClickHouse cluster completes on its own.
 *
 * A Distributed table sharded by a function of the customer column keeps all of a customer's lines on one
 * shard. A distinct count of customers per product (or month, country, segment) is then the sum of each
 * shard's own distinct count, and so is a distinct count of orders when no order has lines on two shards
 * (checked: see exploreSql). Asked that way (`distributed_group_by_no_merge`, an outer sum on the node
 * asked), only one small row per group and shard travels, instead of every shard's set of distinct values
 * merged in the memory of one node: at 100M lines the per-product sets of customers and invoices went over
 * a node's per-query memory limit.
 *
 *   flat:       SELECT k, uniqExact(customer_id) AS customers FROM c GROUP BY k
 *   per shard:  SELECT k, sum(p_customers) AS customers
 *               FROM (SELECT k, uniqExact(customer_id) AS p_customers FROM c GROUP BY k)   ← on each shard
 *               GROUP BY k                                                                ← on the node asked
 *
 * Sums stay exact: each shard's partial sum is kept in the dialect's exact type and added again there.
 */
import type { Dialect } from './dialect';

/** One aggregate column: its flat SQL, its per-shard partial, and how partials are combined ($ = the partial). */
export interface Measure {
  as: string;
  flat: string;
  part: string;
  merge: string;
}

/** The aggregates the queries use, in both forms. */
export function measures(d: Dialect) {
  const same = (as: string, sql: string, merge: string): Measure => ({ as, flat: sql, part: sql, merge });
  return {
    count: (as: string): Measure => same(as, 'count(*)', 'sum($)'),
    countOf: (as: string, e: string): Measure => same(as, `count(${e})`, 'sum($)'),
    /** Distinct values that never sit on two shards (customers; orders once checked). */
    distinct: (as: string, e: string): Measure => same(as, d.countDistinct(e), 'sum($)'),
    min: (as: string, e: string): Measure => same(as, `min(${e})`, 'min($)'),
    max: (as: string, e: string): Measure => same(as, `max(${e})`, 'max($)'),
    exactSum: (as: string, e: string): Measure => ({
      as,
      flat: d.exactSum(e),
      part: d.exactSumParts ? d.exactSumParts.part(e) : d.exactSum(e),
      merge: d.exactSumParts ? d.exactSumParts.merge('$') : 'sum($)',
    }),
    /** A column computed from a partial's result that needs no merge (a timestamp's text): min/max first. */
    raw: (as: string, flat: string, part: string, merge: string): Measure => ({ as, flat, part, merge }),
  };
}

export interface Grouped {
  /** Group keys: [expression, alias]. */
  keys: Array<[string, string]>;
  measures: Measure[];
  /** FROM … [WHERE …] (without GROUP BY). */
  from: string;
}

/** The flat query: one level, aggregated by the engine as it chooses. */
export function flatSql(g: Grouped): string {
  const cols = [...g.keys.map(([e, a]) => `${e} AS ${a}`), ...g.measures.map((m) => `${m.flat} AS ${m.as}`)];
  return `SELECT ${cols.join(', ')} FROM ${g.from}${g.keys.length ? ` GROUP BY ${g.keys.map(([e]) => e).join(', ')}` : ''}`;
}

/**
 * The per-shard query: each shard groups its own rows (run with distributed_group_by_no_merge), the node
 * asked combines one row per group and shard. With `complete`, every group lives on one shard (grouped by
 * customer): the shards' rows are the answer and no outer level is needed.
 */
export function perShardSql(g: Grouped, complete = false): string {
  if (complete) return flatSql(g);
  const inner = [...g.keys.map(([e, a]) => `${e} AS ${a}`), ...g.measures.map((m) => `${m.part} AS p_${m.as}`)];
  const outer = [...g.keys.map(([, a]) => a), ...g.measures.map((m) => `${m.merge.replace(/\$/g, `p_${m.as}`)} AS ${m.as}`)];
  const groupBy = (list: string[]): string => (list.length ? ` GROUP BY ${list.join(', ')}` : '');
  return (
    `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${g.from}${groupBy(g.keys.map(([e]) => e))})` +
    groupBy(g.keys.map(([, a]) => a))
  );
}

/**
 * Whether a Distributed table's sharding key is a function of the customer column alone (so each
 * customer's lines sit on one shard): every identifier in it that is not a function name or a literal
 * is that column. `cityHash64(ifNull(customer_id, ''))` is; `rand()` and `cityHash64(invoice)` are not.
 */
export function shardedByCustomer(key: string, customerColumn: string | undefined): boolean {
  if (!customerColumn || !key.trim()) return false;
  const text = key.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  if (/\b(rand\w*|now|today|yesterday|generateUUID\w*|rowNumber\w*|blockNumber|hostName|shardNum)\s*\(/i.test(text)) return false;
  const names: string[] = [];
  const re = /`((?:[^`\\]|\\.)*)`|([A-Za-z_][A-Za-z0-9_.]*)(\s*\()?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] !== undefined) names.push(m[1].replace(/\\(.)/g, '$1'));
    else if (!m[3] && !/^(NULL|AS)$/i.test(m[2])) names.push(m[2]);
  }
  return names.length > 0 && names.every((n) => n === customerColumn || n.split('.').pop() === customerColumn);
}
