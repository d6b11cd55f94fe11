import { describe, expect, it } from 'vitest';
import { negate } from '../../src/source/sql/relation';

describe('negate: NOT p without a double negation (ClickHouse 18.16 folds not(not(x)) on the shards only)', () => {
  it('drops a leading NOT of one function call', () => {
    expect(negate("NOT ifNull(startsWith(invoice, 'C'), 0)")).toBe("ifNull(startsWith(invoice, 'C'), 0)");
    expect(negate("NOT f(')(', \"a)\")")).toBe("f(')(', \"a)\")");
  });
  it('wraps anything else', () => {
    expect(negate('NOT f(a) AND g(b)')).toBe('NOT (NOT f(a) AND g(b))');
    expect(negate('customer_id IS NOT NULL')).toBe('NOT (customer_id IS NOT NULL)');
    expect(negate('NOT f(a)) OR (g(b)')).toBe('NOT (NOT f(a)) OR (g(b))');
  });
});
