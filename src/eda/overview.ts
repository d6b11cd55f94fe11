/** The overview row (size, span, revenue) and missing values per mapped column. */
import pl from 'nodejs-polars';
import type { QualityRecord, TransactionTable } from '../types';
import { CANONICAL_COLUMNS, type ColumnMapping, type Role } from '../types';
import { countTrue, isoMinute, one, orderKey } from './common';
import type { OrderPass } from './orders';

/**
 * One row: rows, customers, orders, products, countries, first_date, last_date, revenue,
 * avg_order_value (revenue / orders), plus `orders_are` ('invoice' or 'customer-day').
 * `rows_read` is the raw table's row count when given (before cleaning), else the table's.
 */
export function overview(tx: TransactionTable, rowsRead?: number, orders?: OrderPass | null): pl.DataFrame {
  // With the order pass (see orders.ts), counts that its checks allow are read off the run starts.
  const fromStarts = {
    customers: Boolean(orders?.customer),
    orders: Boolean(orders?.oneRun),
    countries: Boolean(orders?.country),
  };
  const r = one<{ customers: number; orders: number; products: number; countries: number; first: Date | null; last: Date | null; revenue: number | null }>(
    tx.df.select(
      ...(fromStarts.customers ? [] : [pl.col('customer_id').dropNulls().nUnique().alias('customers')]),
      ...(fromStarts.orders ? [] : [orderKey(tx).dropNulls().nUnique().alias('orders')]),
      pl.col('product').dropNulls().nUnique().alias('products'),
      ...(fromStarts.countries ? [] : [pl.col('country').dropNulls().nUnique().alias('countries')]),
      pl.col('date').min().alias('first'),
      pl.col('date').max().alias('last'),
      pl.col('amount').sum().alias('revenue'),
    ),
  );
  if (orders && (fromStarts.customers || fromStarts.orders || fromStarts.countries)) {
    Object.assign(
      r,
      one(
        orders.starts.select(
          ...(fromStarts.customers ? [pl.col('customer_id').dropNulls().nUnique().alias('customers')] : []),
          ...(fromStarts.orders ? [countTrue(pl.col('__run')).alias('orders')] : []),
          ...(fromStarts.countries ? [pl.col('country').dropNulls().nUnique().alias('countries')] : []),
        ),
      ),
    );
  }
  const revenue = Number(r.revenue ?? 0);
  const int = (name: string, v: number | null): pl.Series => pl.Series(name, [v], pl.Int64);
  return pl.DataFrame({
    rows_read: int('rows_read', rowsRead ?? tx.df.height),
    rows: int('rows', tx.df.height),
    customers: int('customers', Number(r.customers)),
    orders: int('orders', Number(r.orders)),
    orders_are: [tx.orders],
    products: int('products', tx.mapping.product ? Number(r.products) : null),
    countries: int('countries', tx.mapping.country ? Number(r.countries) : null),
    first_date: [isoMinute(r.first)],
    last_date: [isoMinute(r.last)],
    revenue: [Math.round(revenue * 100) / 100],
    avg_order_value: [Number(r.orders) ? Math.round((revenue / Number(r.orders)) * 100) / 100 : null],
  });
}

const ROLE_OF: Record<string, Role> = {
  customer_id: 'customer',
  invoice: 'invoice',
  date: 'date',
  quantity: 'quantity',
  unit_price: 'unitPrice',
  amount: 'amount',
  product: 'product',
  description: 'description',
  country: 'country',
};

/**
 * Missing values per canonical column that comes from the file: column, source (the file's name for it),
 * missing, missing_pct. Columns the file does not have are listed with source null and missing null.
 */
export function missingValues(tx: TransactionTable): pl.DataFrame {
  const counts = one<Record<string, number>>(tx.df.select(...CANONICAL_COLUMNS.map((c) => pl.col(c).nullCount().alias(c))));
  return missingTable(tx.mapping, counts, tx.df.height);
}

/** The missing-values table from each canonical column's null count over `n` rows (files and databases). */
export function missingTable(mapping: ColumnMapping, nulls: Record<string, number>, n: number): pl.DataFrame {
  const derived = (c: string): boolean => c === 'amount' && !mapping.amount && !!mapping.unitPrice;
  const rows = CANONICAL_COLUMNS.map((c) => {
    const src = mapping[ROLE_OF[c]] ?? (derived(c) ? `${mapping.quantity ?? '1'} × ${mapping.unitPrice}` : null);
    const missing = src ? Number(nulls[c]) : null;
    return { column: c, source: src, missing, missing_pct: missing === null || n === 0 ? null : Math.round((missing / n) * 10000) / 100 };
  });
  return pl.DataFrame({
    column: rows.map((r) => r.column),
    source: pl.Series('source', rows.map((r) => r.source), pl.Utf8),
    missing: pl.Series('missing', rows.map((r) => r.missing), pl.Float64).cast(pl.Int64),
    missing_pct: pl.Series('missing_pct', rows.map((r) => r.missing_pct), pl.Float64),
  });
}

/** The cleaning record as a table: step, rule, label, rows (read, removed by each rule, kept). */
export function qualityTable(q: QualityRecord): pl.DataFrame {
  const steps = [
    { rule: 'rows_read', label: 'Rows read', rows: q.rowsRead },
    ...q.rules.map((r) => ({ rule: r.rule, label: r.label, rows: -r.removed })),
    { rule: 'rows_kept', label: 'Rows kept', rows: q.rowsKept },
  ];
  return pl.DataFrame({
    rule: steps.map((s) => s.rule),
    label: steps.map((s) => s.label),
    rows: pl.Series('rows', steps.map((s) => s.rows), pl.Float64).cast(pl.Int64),
  });
}
