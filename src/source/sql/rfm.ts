/**
 * Per-customer R, F, M in SQL, with computeRfm's rules (rfm/compute.ts): valid rows have a customer, a
 * date and an amount; rows after asOf are left out; returns (negative amount or quantity, or an invoice
 * starting with "C") are dropped or netted; frequency counts distinct invoices (purchase rows without an
 * invoice: one order per customer and day), or distinct days without an invoice column; sums are exact
 * (numeric / Decimal128) so the total does not depend on the order in which a database adds rows.
 *
 * Only one row per customer comes back; the table is built and sorted in Polars like the file path's.
 */
import pl from 'nodejs-polars';
import { SegkitError, warn, type SegkitWarning } from '../../errors';
import { DEFAULTS, dayString, parseDay, type CustomerRfm, type RfmCounts } from '../../rfm/options';
import { RFM_NOTES } from '../../rfm/notes';
import { type SqlClient, num } from './client';
import type { Dialect, Params } from './dialect';

export interface RfmSqlOptions {
  asOf?: string | Date | null;
  returns?: 'drop' | 'net';
  orders: 'invoice' | 'customer-day';
  /**
   * Ask a query grouped by customer with each shard answering for its own customers (a table sharded by
   * customer: every group is complete on one shard, shards.ts); null or left out: ask it as it is.
   */
  perShard?: ((sql: string) => Promise<Array<Record<string, unknown>>>) | null;
}

function exprs(d: Dialect) {
  const isNaN = d.name === 'postgres' ? "amount = CAST('NaN' AS double precision)" : 'isNaN(amount)';
  const valid = `(customer_id IS NOT NULL AND date IS NOT NULL AND amount IS NOT NULL AND NOT (${isNaN}))`;
  const isReturn = `(${d.coalesce('amount < 0', d.false)} OR ${d.coalesce('quantity < 0', d.false)} OR ${d.coalesce(d.startsWith('invoice', "'C'"), d.false)})`;
  return { valid, isReturn, day: d.dayNumber('date') };
}

/** computeRfm over a cleaned relation (a FROM-able subquery or table), asked of the database. */
export async function rfmFromSql(client: SqlClient, relation: string, params: Params, o: RfmSqlOptions, where: string): Promise<CustomerRfm> {
  const d = client.dialect;
  const warnings: SegkitWarning[] = [];
  const note = (code: keyof typeof RFM_NOTES, message: string): void => void warnings.push(warn('rfm', code, message));
  const returns = o.returns ?? DEFAULTS.returns;
  if (returns !== 'drop' && returns !== 'net') {
    throw new SegkitError('rfm', 'bad_option', `returns must be 'drop' or 'net', got ${JSON.stringify(returns)}`, { where: 'option returns' });
  }
  const x = exprs(d);
  const run = (sql: string): Promise<Array<Record<string, unknown>>> => client.query(sql, params.values);
  const byCustomer = o.perShard ?? run;

  const s1 = (await run(
    `SELECT count(*) AS rows_in, ${d.countIf('customer_id IS NULL')} AS missing_customer, ${d.countIf(`customer_id IS NOT NULL AND NOT ${x.valid}`)} AS no_value, ` +
      `${d.countIf(x.valid)} AS valid, min(CASE WHEN ${x.valid} THEN ${x.day} END) AS first, max(CASE WHEN ${x.valid} THEN ${x.day} END) AS last FROM ${relation} AS c`,
  ))[0];
  const rowsIn = num(s1.rows_in)!;
  if (rowsIn === 0) throw new SegkitError('rfm', 'empty_input', 'the transactions table has no rows', { where, hint: 'check the cleaning summary: every row may have been removed' });
  const missingCustomer = num(s1.missing_customer)!;
  const noValue = num(s1.no_value)!;
  const valid = num(s1.valid)!;
  if (missingCustomer > 0) note('missing_customer', RFM_NOTES.missing_customer(missingCustomer, rowsIn));
  if (noValue > 0) note('missing_values', RFM_NOTES.missing_values(noValue));
  if (valid === 0) throw new SegkitError('rfm', 'empty_input', `none of the ${rowsIn} rows has a customer id, a date and an amount`, { where, hint: 'check the column mapping' });
  const firstDay = num(s1.first)!;
  const lastDay = num(s1.last)!;
  const asOfDay = o.asOf == null ? lastDay + 1 : parseDay(o.asOf, 'option asOf');
  if (asOfDay < firstDay) {
    throw new SegkitError('rfm', 'as_of_before_data', `asOf ${dayString(asOfDay)} is before the first transaction (${dayString(firstDay)}): no customer has bought anything yet`, {
      where: 'option asOf',
      hint: `use a date from ${dayString(firstDay)} on; the default is the day after the last transaction (${dayString(lastDay + 1)})`,
    });
  }
  const kept = `${x.valid} AND ${x.day} <= ${asOfDay}`;
  const s2 = (await run(
    `SELECT ${d.countIf(`${x.valid} AND ${x.day} > ${asOfDay}`)} AS after_as_of, ${d.countIf(`${kept} AND ${x.isReturn}`)} AS return_rows, ` +
      `${d.countIf(`${kept} AND NOT ${x.isReturn} AND invoice IS NULL`)} AS no_invoice FROM ${relation} AS c`,
  ))[0];
  const afterAsOf = num(s2.after_as_of)!;
  const returnRows = num(s2.return_rows)!;
  const noInvoice = num(s2.no_invoice)!;
  if (afterAsOf > 0) note('after_as_of', RFM_NOTES.after_as_of(afterAsOf, dayString(asOfDay), dayString(lastDay)));
  if (returnRows > 0 && returns === 'drop') note('returns_dropped', RFM_NOTES.returns_dropped(returnRows));
  if (returnRows === 0 && returns === 'net') note('no_returns', RFM_NOTES.no_returns());
  if (o.orders === 'invoice' && noInvoice > 0) note('missing_invoice', RFM_NOTES.missing_invoice(noInvoice));

  const frequency =
    o.orders === 'customer-day'
      ? d.countDistinct(x.day)
      : noInvoice > 0
        ? `(${d.countDistinct('invoice')} + ${d.countDistinct(`CASE WHEN invoice IS NULL THEN ${x.day} END`)})`
        : d.countDistinct('invoice');
  const purchases = await byCustomer(
    `SELECT customer_id, min(${x.day}) AS first_day, max(${x.day}) AS last_day, ${frequency} AS frequency, ${d.exactSum('amount')} AS monetary, ${d.exactSum('quantity')} AS items ` +
      `FROM ${relation} AS c WHERE ${kept} AND NOT ${x.isReturn} GROUP BY customer_id`,
  );
  const ids: string[] = [];
  const first: number[] = [];
  const last: number[] = [];
  const freq: number[] = [];
  const monetary: number[] = [];
  const items: number[] = [];
  const index = new Map<string, number>();
  for (const r of purchases) {
    index.set(String(r.customer_id), ids.length);
    ids.push(String(r.customer_id));
    first.push(num(r.first_day)!);
    last.push(num(r.last_day)!);
    freq.push(num(r.frequency)!);
    monetary.push(num(r.monetary)!);
    items.push(num(r.items)!);
  }
  let rowsUsed = valid - afterAsOf - returnRows;
  let returnsOnlyCustomers = 0;
  if (returns === 'net' && returnRows > 0) {
    const back = await byCustomer(
      `SELECT customer_id, ${d.exactSum('amount')} AS returned, ${d.exactSum('quantity')} AS returned_items, count(*) AS n FROM ${relation} AS c WHERE ${kept} AND ${x.isReturn} GROUP BY customer_id`,
    );
    let orphanRows = 0;
    for (const r of back) {
      const i = index.get(String(r.customer_id));
      if (i === undefined) {
        returnsOnlyCustomers++;
        orphanRows += num(r.n)!;
        continue;
      }
      monetary[i] += num(r.returned)!;
      items[i] += num(r.returned_items)!;
    }
    if (returnsOnlyCustomers > 0) note('returns_only', RFM_NOTES.returns_only(returnsOnlyCustomers, orphanRows));
    rowsUsed += returnRows - orphanRows;
  }
  const day = (v: number[]): pl.Series => pl.Series(v.map((x) => new Date(x * 86_400_000))).cast(pl.Date);
  const table = pl
    .DataFrame([
      pl.Series('customer_id', ids, pl.Utf8),
      pl.Series('recency_days', Int32Array.from(last, (l) => asOfDay - l)),
      pl.Series('frequency', Int32Array.from(freq)),
      pl.Series('monetary', Float64Array.from(monetary)),
      day(first).alias('first_purchase'),
      day(last).alias('last_purchase'),
      pl.Series('tenure_days', Int32Array.from(first, (f) => asOfDay - f)),
      pl.Series('avg_order_value', Float64Array.from(monetary, (m, i) => m / freq[i])),
      pl.Series('items', Float64Array.from(items)),
    ])
    .sort({ by: 'customer_id', multithreaded: false });
  const negative = table.filter(pl.col('monetary').lt(0));
  if (negative.height > 0) note('negative_monetary', RFM_NOTES.negative_monetary(negative.height, negative.head(5).getColumn('customer_id').toArray()));
  const counts: RfmCounts = {
    rowsIn,
    rowsUsed,
    missingCustomer,
    missingValues: noValue,
    afterAsOf,
    returnRows,
    returnsOnlyCustomers,
    negativeMonetary: negative.height,
    customers: table.height,
  };
  return { table, asOf: dayString(asOfDay), orders: o.orders, returns, counts, warnings };
}

