/**
 * RFM from a customer-level table that already has recency, frequency and monetary (any column names,
 * mapped by role). Values are checked, not trusted: duplicates, gaps and impossible values are errors.
 */
import pl from 'nodejs-polars';
import { SegkitError, closest, warn, type SegkitWarning } from '../errors';
import { ROLE_COLUMNS, dayString, parseDay, type ComputeOptions, type CustomerRfm, type RfmRole } from './options';

/** Number of true values of a boolean Series (its .sum() is a boolean in nodejs-polars). */
const countTrue = (s: pl.Series): number => s.argTrue().length;

function column(df: pl.DataFrame, role: RfmRole, options: ComputeOptions, where: string): string {
  const name = options.columns?.[role] ?? ROLE_COLUMNS[role];
  if (!df.columns.includes(name)) {
    const near = closest(name, df.columns, 2);
    throw new SegkitError('rfm', options.columns?.[role] ? 'unknown_column' : 'missing_column', `no ${role} column "${name}" in the customer table`, {
      where: `${where} (columns: ${df.columns.join(', ')})`,
      hint: `pass columns: { ${role}: '<column>' }${near.length ? ` (closest: ${near.join(', ')})` : ''}`,
    });
  }
  return name;
}

/** Validate and rename a customer-level table to customer_id, recency_days, frequency, monetary (+ its other columns). */
export function fromCustomerTable(df: pl.DataFrame, options: ComputeOptions, where: string): CustomerRfm {
  const warnings: SegkitWarning[] = [];
  const roles = ['customer', 'recency', 'frequency', 'monetary'] as const;
  const names = roles.map((r) => column(df, r, options, where));
  if (new Set(names).size < names.length) {
    throw new SegkitError('rfm', 'bad_option', `one column plays two roles: ${roles.map((r, i) => `${r}=${names[i]}`).join(', ')}`, { where: 'option columns' });
  }
  if (df.height === 0) throw new SegkitError('rfm', 'empty_input', 'the customer table has no rows', { where });
  for (const [i, role] of roles.entries()) {
    const s = df.getColumn(names[i]);
    if (i > 0 && !/^(Float|Int|UInt)/.test(s.dtype.variant)) {
      throw new SegkitError('rfm', 'not_numeric', `the ${role} column "${names[i]}" holds ${s.dtype.variant} values, not numbers`, { where: `${where}, column "${names[i]}"` });
    }
    const isFloat = i > 0 && s.dtype.variant.startsWith('Float');
    const missing = df.select((isFloat ? pl.col(names[i]).isNull().or(pl.col(names[i]).isNan()) : pl.col(names[i]).isNull()).alias('x')).getColumn('x');
    const nulls = countTrue(missing);
    if (nulls > 0) {
      const firstRow = (missing.argTrue().toArray()[0] as number) + 1;
      throw new SegkitError('rfm', 'missing_values', `${nulls} customers have no ${role} value`, {
        where: `${where}, column "${names[i]}", data row ${firstRow}`,
        hint: 'fill or remove those rows before scoring: a missing value cannot be ranked',
      });
    }
  }
  const ids = df.getColumn(names[0]).cast(pl.Utf8);
  const dup = ids.isDuplicated();
  if (countTrue(dup) > 0) {
    const id = ids.get(dup.argTrue().toArray()[0] as number);
    const all = ids.toArray();
    const rows = all.flatMap((x, r) => (x === id ? [r + 1] : [])).slice(0, 3);
    throw new SegkitError('rfm', 'duplicate_customer', `customer id "${id}" appears more than once; a customer table needs one row per customer`, {
      where: `${where}, column "${names[0]}", data rows ${rows.join(', ')}`,
      hint: 'pass the transactions instead (computeRfm aggregates them), or aggregate the table first',
    });
  }
  const bad = (role: string, col: string, mask: pl.Series, why: string): void => {
    if (countTrue(mask) > 0) {
      const row = (mask.argTrue().toArray()[0] as number) + 1;
      throw new SegkitError('rfm', 'bad_value', `${countTrue(mask)} customers have ${why} (first: ${df.getColumn(col).get(row - 1)})`, {
        where: `${where}, column "${col}", data row ${row}`,
        hint: `${role} must be ${role === 'recency' ? 'days since the last purchase, 0 or more' : 'a count of orders, 0 or more'}`,
      });
    }
  };
  // An expression, not Series.lt: nodejs-polars' Series.lt(0) throws "invalid primitive cast" on Int32 (computeRfm's own output).
  const below0 = (c: string): pl.Series => df.select(pl.col(c).lt(pl.lit(0)).alias('x')).getColumn('x');
  bad('recency', names[1], below0(names[1]), 'a negative recency');
  bad('frequency', names[2], below0(names[2]), 'a negative frequency');

  const rec = df.getColumn(names[1]).cast(pl.Float64);
  const wholeDays = rec.eq(rec.floor()).all();
  if (!wholeDays) warnings.push(warn('rfm', 'recency_fraction', `recency column "${names[1]}" has fractions of days; they are kept as given`));
  const negativeMonetary = countTrue(below0(names[3]));
  if (negativeMonetary > 0) warnings.push(warn('rfm', 'negative_monetary', `${negativeMonetary} customers have a negative monetary value; they are kept and score lowest on M`));

  const out = ['customer_id', 'recency_days', 'frequency', 'monetary'];
  const others = df.columns.filter((c) => !names.includes(c) && !out.includes(c));
  const table = df.select(
    pl.col(names[0]).cast(pl.Utf8).alias('customer_id'),
    wholeDays ? pl.col(names[1]).cast(pl.Int32).alias('recency_days') : pl.col(names[1]).cast(pl.Float64).alias('recency_days'),
    /^(Int|UInt)/.test(df.getColumn(names[2]).dtype.variant) || df.getColumn(names[2]).cast(pl.Float64).eq(df.getColumn(names[2]).cast(pl.Float64).floor()).all()
      ? pl.col(names[2]).cast(pl.Int32).alias('frequency')
      : pl.col(names[2]).cast(pl.Float64).alias('frequency'),
    pl.col(names[3]).cast(pl.Float64).alias('monetary'),
    ...others.map((c) => pl.col(c)),
  );
  const asOf = options.asOf == null ? '' : dayString(parseDay(options.asOf, 'option asOf'));
  return {
    table,
    asOf,
    orders: 'given',
    returns: options.returns ?? 'drop',
    counts: {
      rowsIn: df.height,
      rowsUsed: df.height,
      missingCustomer: 0,
      missingValues: 0,
      afterAsOf: 0,
      returnRows: 0,
      returnsOnlyCustomers: 0,
      negativeMonetary,
      customers: df.height,
    },
    warnings,
  };
}
