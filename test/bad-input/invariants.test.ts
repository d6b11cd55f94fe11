/**
 * Invariants of every successful run (issue #19), over generated messy inputs: duplicates, cancellations,
 * missing and "NULL" ids, ids written "17850.0" and "17850" for the same customer, zero prices, returns
 * without a cancelled invoice, outliers, quoted newlines, a BOM and CRLF, decimal commas, headerless
 * files, JSON and gzip, date windows and the optional rules.
 *
 * - rows read = rows kept + the rows each rule removed, and rows read = the data rows of the file;
 * - customers in the RFM table = distinct customer ids among the kept rows (up to the as-of date);
 *   the RFM table's frequency and monetary = the kept rows' orders and spend, per customer;
 * - the report's totals (customers, orders, revenue, rows read and kept, customers per segment) = the
 *   RFM table's and the cleaning record's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import { setWarningSink } from '../../src/errors';
import { transactionsToCsv, generateTransactions } from '../../src/generate';
import { analyze, type AnalyzeOptions } from '../../src/pipeline';
import { mulberry32, randInt } from '../../src/random';
import { reportContext } from '../../src/report/assemble';
import { csvRows } from './cases';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'segkit-invariants-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Messy {
  name: string;
  file: string;
  /** Data rows in the file (what rowsRead must be). */
  rows: number;
  options: AnalyzeOptions;
}

const quote = (v: string): string => (/[",\n;\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A generated file with extra damage; returns its data lines as field arrays (header first). */
function messyLines(seed: number): string[][] {
  const g = generateTransactions({ seed, customers: 120, rows: 1500, faults: { cancelRate: 0.08, missingCustomerRate: 0.06, zeroPriceRate: 0.03, duplicateRate: 0.04, outliers: 4 } });
  const rows = transactionsToCsv(g.rows).trimEnd().split('\n').map((line) => csvRows(line)[0]);
  const rand = mulberry32(seed * 7 + 1);
  const [header, ...data] = rows;
  const ci = header.indexOf('CustomerID');
  const qi = header.indexOf('Quantity');
  const di = header.indexOf('Description');
  const pi = header.indexOf('UnitPrice');
  for (const r of data) {
    const x = rand();
    if (x < 0.03) r[ci] = ['NULL', 'nan', 'N/A', '  '][randInt(rand, 4)];
    else if (x < 0.1 && r[ci]) r[ci] = r[ci].replace(/\.0$/, ''); // same customer written two ways
    else if (x < 0.12) r[qi] = String(-1 - randInt(rand, 3)); // a return without a cancelled invoice
    else if (x < 0.14) r[di] = `line one\nline "two", ${randInt(rand, 99)}`; // quoted newline
    else if (x < 0.15) r[pi] = '0';
  }
  return [header, ...data];
}

function inputs(): Messy[] {
  const out: Messy[] = [];
  const add = (name: string, content: string | Buffer, rows: number, options: AnalyzeOptions = {}): void => {
    const file = path.join(tmp, name);
    writeFileSync(file, content);
    out.push({ name, file, rows, options });
  };
  const base = messyLines(101);
  const csv = (rows: string[][], sep = ',', eol = '\n'): string => rows.map((r) => r.map(quote).join(sep)).join(eol) + eol;
  add('messy.csv', csv(base), base.length - 1);
  const crlf = messyLines(102);
  add('messy_bom_crlf.csv', '\uFEFF' + csv(crlf, ',', '\r\n'), crlf.length - 1);
  const semi = messyLines(103).map((r, i) => (i === 0 ? r : r.map((v) => v.replace(/^(-?\d+)\.(\d+)$/, '$1,$2'))));
  add('messy_semicolon.csv', csv(semi, ';'), semi.length - 1);
  const headerless = messyLines(104);
  add('messy_headerless.csv', csv(headerless.slice(1)), headerless.length - 1, {
    read: { columns: headerless[0].map((h) => ({ InvoiceNo: 'invoice', StockCode: 'product', Description: 'description', Quantity: 'quantity', InvoiceDate: 'date', UnitPrice: 'unitPrice', CustomerID: 'customer', Country: 'country' })[h] ?? null), header: false },
  });
  const j = messyLines(105);
  add('messy.json', JSON.stringify(j.slice(1).map((r) => Object.fromEntries(j[0].map((h, i) => [h, /^(Quantity|UnitPrice)$/.test(h) ? Number(r[i]) : r[i]])))), j.length - 1);
  const gz = messyLines(106);
  add('messy.csv.gz', gzipSync(csv(gz)), gz.length - 1, { clean: { rules: { non_product_code: true }, outlier: { by: 'amount', upper: 0.99 } } });
  const w = messyLines(107);
  add('messy_window.csv', csv(w), w.length - 1, { clean: { dateWindow: { from: '2011-03-01', to: '2011-10-31' } }, rfm: { asOf: '2011-11-01' } });
  const net = messyLines(108);
  // netted returns can leave a customer with negative spend: no log transform then (log1p needs > -1)
  add('messy_returns_net.csv', csv(net), net.length - 1, { clean: { rules: { cancelled_invoice: false, nonpositive_quantity: false } }, rfm: { returns: 'net' }, features: { log: false } });
  return out;
}

const within = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

describe('invariants of successful runs on messy inputs', () => {
  const cases = inputs();
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const prev = setWarningSink(() => undefined);
    let a;
    try {
      a = await analyze(c.file, { ...c.options, k: 3, nInit: 2, seed: 1, kRange: [2, 5], sweep: { gap: false, stability: false, dendrogram: false } });
    } finally {
      setWarningSink(prev);
    }
    const q = a.cleaned.quality;
    // rows read = rows kept + removed per rule; rows read = the file's data rows
    expect(q.rowsRead, 'rows read = the data rows of the file').toBe(c.rows);
    expect(q.rowsKept + q.rules.reduce((s, r) => s + r.removed, 0), 'rows read = kept + removed per rule').toBe(q.rowsRead);
    for (const r of q.rules) expect(q.removed[r.rule], `removed.${r.rule}`).toBe(r.removed);
    const clean = a.cleaned.clean!.df;
    expect(clean.height).toBe(q.rowsKept);

    // customers in the RFM table = distinct ids among kept rows up to the as-of date
    const asOf = a.rfm.asOf;
    const used = clean.filter(pl.col('date').lt(pl.lit(new Date(`${asOf}T00:00:00Z`))).and(pl.col('customer_id').isNotNull()));
    const ids = new Set(used.getColumn('customer_id').toArray() as string[]);
    const table = a.rfm.table;
    const rfmIds = table.getColumn('customer_id').toArray() as string[];
    expect(new Set(rfmIds).size, 'customer ids are unique in the RFM table').toBe(rfmIds.length);
    expect(rfmIds.length, 'customers in the RFM table = distinct ids among kept rows').toBe(ids.size);
    expect([...ids].filter((id) => !rfmIds.includes(id)), 'every kept customer is in the RFM table').toEqual([]);

    // frequency and monetary from the kept rows, per customer
    const orders = c.options.rfm?.returns === 'net' ? null : used.filter(pl.col('amount').gt(0)).groupBy('customer_id').agg(pl.col('invoice').nUnique().alias('orders'), pl.col('amount').sum().alias('spend'));
    if (orders && a.cleaned.clean!.orders === 'invoice') {
      const byId = new Map((orders.toRecords() as Array<{ customer_id: string; orders: number; spend: number }>).map((r) => [r.customer_id, r]));
      const recs = table.select('customer_id', 'frequency', 'monetary').toRecords() as Array<{ customer_id: string; frequency: number; monetary: number }>;
      const off = recs.filter((r) => byId.get(r.customer_id)?.orders !== r.frequency || !within(byId.get(r.customer_id)!.spend, r.monetary));
      expect(off.slice(0, 3), 'frequency and monetary = orders and spend of the kept rows').toEqual([]);
    }

    // the report's totals = the RFM table's and the cleaning record's
    const ctx = await reportContext(a, { currency: 'GBP' });
    const monetary = Number(table.getColumn('monetary').sum());
    const frequency = Number(table.getColumn('frequency').sum());
    expect(ctx.summary.customers, 'report customers').toBe(table.height);
    expect(ctx.summary.orders, 'report orders').toBe(frequency);
    expect(within(ctx.summary.revenue, monetary), `report revenue ${ctx.summary.revenue} = RFM monetary ${monetary}`).toBe(true);
    expect(ctx.quality.rowsRead).toBe(q.rowsRead);
    expect(ctx.quality.rowsKept).toBe(q.rowsKept);
    expect(ctx.quality.rules.reduce((s, r) => s + r.removed, 0) + ctx.quality.rowsKept, 'report: kept + removed = read').toBe(ctx.quality.rowsRead);
    const segCustomers = ctx.summary.segments.reduce((s, r) => s + Number((r as unknown as { customers: number }).customers), 0);
    expect(segCustomers, 'customers over the report\'s segments').toBe(table.height);
    const rfmSegments = a.segmentSummary.getColumn('customers').toArray() as number[];
    expect(rfmSegments.reduce((s, x) => s + x, 0), 'customers over the RFM segments').toBe(table.height);
  }, 240_000);
});
