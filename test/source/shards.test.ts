import { describe, expect, it } from 'vitest';
import { clickhouse, postgres } from '../../src/source/sql/dialect';
import { flatSql, measures, perShardSql, shardedByCustomer } from '../../src/source/sql/shards';

describe('shardedByCustomer: is every customer on one shard?', () => {
  it.each([
    ["cityHash64(ifNull(customer_id, ''))", 'customer_id', true],
    ['cityHash64(customer_id)', 'customer_id', true],
    ['intHash32(toUInt64(`Customer ID`)) % 4', 'Customer ID', true],
    ["sipHash64(concat(CustomerID, 'x'))", 'CustomerID', true],
    ['cityHash64(customer_id, invoice)', 'customer_id', false],
    ['cityHash64(invoice)', 'customer_id', false],
    ['rand()', 'customer_id', false],
    ['cityHash64(customer_id) + rand()', 'customer_id', false],
    ['', 'customer_id', false],
    ['cityHash64(customer_id)', undefined, false],
    ["cityHash64(ifNull(customer_id, 'invoice'))", 'customer_id', true],
  ])('%s over %s → %s', (key, col, want) => {
    expect(shardedByCustomer(key, col)).toBe(want);
  });
});

describe('per-shard queries', () => {
  const M = measures(clickhouse);
  const g = { keys: [['product', 'k']] as Array<[string, string]>, measures: [M.exactSum('revenue', 'amount'), M.distinct('customers', 'customer_id'), M.count('lines')], from: 't AS c WHERE product IS NOT NULL' };

  it('the flat form is one level', () => {
    expect(flatSql(g)).toBe(
      'SELECT product AS k, toFloat64(sum(toDecimal128(toString(round(amount, 10)), 10))) AS revenue, uniqExact(customer_id) AS customers, count(*) AS lines ' +
        'FROM t AS c WHERE product IS NOT NULL GROUP BY product',
    );
  });

  it('the per-shard form keeps exact partial sums and adds the partials by group', () => {
    expect(perShardSql(g)).toBe(
      'SELECT k, toFloat64(sum(p_revenue)) AS revenue, sum(p_customers) AS customers, sum(p_lines) AS lines FROM (' +
        'SELECT product AS k, sum(toDecimal128(toString(round(amount, 10)), 10)) AS p_revenue, uniqExact(customer_id) AS p_customers, count(*) AS p_lines ' +
        'FROM t AS c WHERE product IS NOT NULL GROUP BY product) GROUP BY k',
    );
  });

  it('without keys it is one row; complete groups need no outer level', () => {
    expect(perShardSql({ keys: [], measures: [M.distinct('orders', 'invoice')], from: 't' })).toBe('SELECT sum(p_orders) AS orders FROM (SELECT uniqExact(invoice) AS p_orders FROM t)');
    expect(perShardSql({ keys: [['customer_id', 'customer_id']], measures: [M.count('n')], from: 't' }, true)).toBe('SELECT customer_id AS customer_id, count(*) AS n FROM t GROUP BY customer_id');
  });

  it('a dialect without two-step exact sums adds its sums as they are', () => {
    const P = measures(postgres);
    expect(P.exactSum('r', 'amount').merge).toBe('sum($)');
    expect(P.min('first', 'date').merge).toBe('min($)');
  });
});
