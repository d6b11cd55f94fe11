import { describe, expect, it } from 'vitest';
import { SegkitError } from '../../src/errors';
import { parseRoleName, resolveMapping } from '../../src/io/mapping';

describe('resolveMapping', () => {
  it('recognises UCI Online Retail and Online Retail II', () => {
    const a = resolveMapping(['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'], {}, undefined, 'f');
    expect(a.schema).toBe('UCI Online Retail');
    expect(a.mapping).toMatchObject({ invoice: 'InvoiceNo', unitPrice: 'UnitPrice', customer: 'CustomerID' });
    const b = resolveMapping(['Invoice', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'Price', 'Customer ID', 'Country'], {}, undefined, 'f');
    expect(b.schema).toBe('UCI Online Retail II');
    expect(b.mapping).toMatchObject({ invoice: 'Invoice', unitPrice: 'Price', customer: 'Customer ID', product: 'StockCode' });
  });

  it('recognises snake, camel and lower-case variants', () => {
    const m = resolveMapping(['order_id', 'customer_id', 'order_date', 'qty', 'unit_price', 'sku', 'country'], {}, undefined, 'f').mapping;
    expect(m).toEqual({ customer: 'customer_id', invoice: 'order_id', date: 'order_date', quantity: 'qty', unitPrice: 'unit_price', product: 'sku', country: 'country' });
    const c = resolveMapping(['customerId', 'invoiceDate', 'lineTotal'], {}, undefined, 'f').mapping;
    expect(c).toEqual({ customer: 'customerId', date: 'invoiceDate', amount: 'lineTotal' });
  });

  it('prefers the earlier synonym when several columns match', () => {
    const m = resolveMapping(['customer_id', 'date', 'invoice_date', 'price', 'total'], {}, undefined, 'f').mapping;
    expect(m.date).toBe('invoice_date');
    expect(m.unitPrice).toBe('price');
    expect(m.amount).toBe('total');
  });

  it('explicit names win and are not reused by detection', () => {
    const m = resolveMapping(['id', 'when', 'CustomerID', 'amount'], { customer: 'id', date: 'when' }, undefined, 'f').mapping;
    expect(m.customer).toBe('id');
    expect(m.date).toBe('when');
  });

  it('positional roles with skipped columns', () => {
    const roles = ['customer', '_', 'date', 'amount'].map((r) => parseRoleName(r, 'x'));
    const m = resolveMapping(['column_1', 'column_2', 'column_3', 'column_4'], {}, roles, 'f').mapping;
    expect(m).toEqual({ customer: 'column_1', date: 'column_3', amount: 'column_4' });
  });

  it('refuses one column for two roles', () => {
    expect(() => resolveMapping(['a', 'b', 'c'], { customer: 'a', date: 'a', amount: 'c' }, undefined, 'f')).toThrow(SegkitError);
  });

  it('needs a price or an amount', () => {
    try {
      resolveMapping(['customer_id', 'date', 'quantity'], {}, undefined, 'f.csv');
      expect.unreachable();
    } catch (e) {
      expect((e as SegkitError).code).toBe('missing_column');
      expect((e as SegkitError).message).toContain('unit price');
      expect((e as SegkitError).hint).toContain("columns: { unitPrice: 'NAME' }");
    }
  });

  it('role names: aliases and errors', () => {
    expect(parseRoleName('qty', 'x')).toBe('quantity');
    expect(parseRoleName('Unit Price', 'x')).toBe('unitPrice');
    expect(parseRoleName('skip', 'x')).toBeNull();
    expect(() => parseRoleName('custmer', 'x')).toThrow(/unknown column role/);
  });
});
