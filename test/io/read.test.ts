/** readTransactions on small hand-made files: formats, detection, ids, dates, compression. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setWarningSink, type SegkitWarning } from '../../src/errors';
import { readTransactions } from '../../src/io';
import { CANONICAL_COLUMNS } from '../../src/types';

const FX = path.resolve(__dirname, '..', 'fixtures', 'io');
const fx = (n: string): string => path.join(FX, n);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'segkit-read-'));
const rows = (df: pl.DataFrame): Array<Record<string, unknown>> => df.toRecords() as Array<Record<string, unknown>>;
const iso = (d: unknown): string => (d as Date).toISOString().slice(0, 19);

let warnings: SegkitWarning[] = [];
let prev: ReturnType<typeof setWarningSink>;
beforeAll(() => {
  prev = setWarningSink((w) => warnings.push(w));
});
afterAll(() => {
  setWarningSink(prev);
});

describe('CSV with the UCI Online Retail schema', () => {
  it('detects the mapping and produces the canonical columns and types', async () => {
    const tx = await readTransactions(fx('uci_small.csv'));
    expect(tx.df.columns).toEqual([...CANONICAL_COLUMNS]);
    const types = tx.df.dtypes.map(String);
    expect(types.filter((_, i) => [0, 1, 6, 7, 8].includes(i)).every((t) => /String|Utf8/.test(t))).toBe(true);
    expect(types.filter((_, i) => [3, 4, 5].includes(i)).every((t) => /Float64/.test(t))).toBe(true);
    expect(types[2]).toMatch(/Datetime\(ms/);
    expect(String(tx.df.getColumn('date').dtype)).toMatch(/Datetime/);
    expect(tx.mapping).toEqual({ customer: 'CustomerID', invoice: 'InvoiceNo', date: 'InvoiceDate', quantity: 'Quantity', unitPrice: 'UnitPrice', product: 'StockCode', description: 'Description', country: 'Country' });
    expect(tx.orders).toBe('invoice');
    expect(tx.source.rowsRead).toBe(12);
    expect(tx.source.format).toBe('csv');
    expect(tx.source.compressed).toBe(false);
    expect(tx.source.columns).toEqual(['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country']);
    expect(tx.source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('normalises customer ids: "17850.0" → "17850", zero padding kept, blank → null', async () => {
    const tx = await readTransactions(fx('uci_small.csv'));
    const ids = tx.df.getColumn('customer_id').toArray();
    expect(ids.slice(0, 4)).toEqual(['17850', '17850', '17850', null]);
    expect(ids[6]).toBe('00123');
    expect(ids[9]).toBe('00123');
  });

  it('parses dates, quantities, prices and computes amount = quantity × price; keeps quoted fields whole', async () => {
    const r = rows((await readTransactions(fx('uci_small.csv'))).df);
    expect(iso(r[0].date)).toBe('2010-12-01T08:26:00');
    expect(r[0].quantity).toBe(6);
    expect(r[0].amount).toBeCloseTo(15.3, 10);
    expect(r[10].amount).toBeCloseTo(54.08, 10);
    expect(r[9].product).toBe('22,A');
    expect(r[9].description).toBe('TEXT, WITH "QUOTES" AND COMMA');
    expect(r[6].description).toBe('RETROSPOT TEA SET CERAMIC 11 PC '); // trailing space kept
    expect(r[4].invoice).toBe('C536379');
  });

  it('reads the same file gzip-compressed, in memory or through a temp file', async () => {
    const gz = path.join(tmp, 'uci_small.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(fx('uci_small.csv'))));
    const plain = await readTransactions(fx('uci_small.csv'));
    for (const decompress of ['memory', 'tempfile'] as const) {
      const tx = await readTransactions(gz, { decompress });
      expect(tx.source.compressed).toBe(true);
      expect(tx.df.frameEqual(plain.df, true)).toBe(true);
    }
  });
});

describe('other layouts', () => {
  it('UCI Online Retail II, tab-separated', async () => {
    const tx = await readTransactions(fx('uci_ii_small.tsv'));
    expect(tx.mapping).toMatchObject({ customer: 'Customer ID', invoice: 'Invoice', unitPrice: 'Price' });
    const r = rows(tx.df);
    expect(r.map((x) => x.customer_id)).toEqual(['13085', '13085', '16321', null]);
    expect(r[0].amount).toBeCloseTo(83.4, 10);
  });

  it('Excel-style semicolon CSV with BOM, CRLF, decimal commas and DD.MM.YYYY dates', async () => {
    warnings = [];
    const tx = await readTransactions(fx('excel_semicolon.csv'), { columns: { customer: 'Kunde', date: 'Datum', quantity: 'Menge', unitPrice: 'Preis', country: 'Land' } });
    const r = rows(tx.df);
    expect(r.map((x) => x.unit_price)).toEqual([2.55, 1234.5, 0.99]);
    expect(iso(r[1].date)).toBe('2021-03-15T11:00:00');
    expect(r[1].country).toBe('Österreich');
    expect(tx.source.columns[0]).toBe('Kunde'); // BOM stripped
    expect(tx.orders).toBe('customer-day');
    expect(warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['decimal_comma', 'customer_day_orders']));
  });

  it('headerless CSV with positional roles; zero-padded ids kept; amount column used as is', async () => {
    const tx = await readTransactions(fx('headerless.csv'), { columns: ['customer', 'date', 'quantity', 'amount'] });
    const r = rows(tx.df);
    expect(tx.source.rowsRead).toBe(4);
    expect(r.map((x) => x.customer_id)).toEqual(['0042', '0042', '0107', '0042']);
    expect(r.map((x) => x.amount)).toEqual([19.9, 5, 40, 12.5]);
    expect(r[0].unit_price).toBeNull();
    expect(tx.orders).toBe('customer-day');
  });

  it('fixed-width text with a header and spaces inside values', async () => {
    const tx = await readTransactions(fx('fixed_width.txt'));
    const r = rows(tx.df);
    expect(r.map((x) => x.description)).toEqual(['BLUE MUG', 'TEA POT LARGE', 'NAPKINS']);
    expect(r.map((x) => x.amount)).toEqual([19.9, 24, 15]);
    expect(iso(r[1].date)).toBe('2021-01-20T00:00:00');
  });

  it('whitespace-separated, headerless, YYYYMMDD dates', async () => {
    const tx = await readTransactions(fx('whitespace.txt'), { columns: ['customer', 'date', 'quantity', 'amount'] });
    const r = rows(tx.df);
    expect(r.map((x) => iso(x.date).slice(0, 10))).toEqual(['2021-01-05', '2021-02-03', '2021-03-01']);
    expect(r.map((x) => x.amount)).toEqual([19.9, 5, 7.5]);
  });

  it('no invoice and no quantity: quantity 1, orders are customer-days, and it says so', async () => {
    warnings = [];
    const tx = await readTransactions(fx('no_invoice.csv'));
    expect(tx.orders).toBe('customer-day');
    expect(tx.df.getColumn('invoice').nullCount()).toBe(4);
    expect(tx.df.getColumn('quantity').toArray()).toEqual([1, 1, 1, 1]);
    expect(tx.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['customer_day_orders', 'no_quantity']));
    expect(warnings.some((w) => /customer on one calendar day/.test(w.message))).toBe(true);
  });

  it('explicit mapping overrides detection, null marks a role absent', async () => {
    const tx = await readTransactions(fx('uci_small.csv'), { columns: { invoice: null, product: 'Description', description: null } });
    expect(tx.mapping.invoice).toBeUndefined();
    expect(tx.orders).toBe('customer-day');
    expect(tx.df.getColumn('product').get(0)).toBe('WHITE HANGING HEART T-LIGHT HOLDER');
  });
});

describe('JSON and Parquet', () => {
  it('JSON array of records: numeric customer ids become strings', async () => {
    const tx = await readTransactions(fx('tx.json'));
    expect(tx.source.format).toBe('json');
    expect(tx.df.getColumn('customer_id').toArray()).toEqual(['17850', '17850', null]);
    expect(tx.df.getColumn('amount').get(0)).toBeCloseTo(15.3, 10);
    expect(tx.mapping).toMatchObject({ customer: 'customer', invoice: 'order_id', quantity: 'qty' });
  });

  it('NDJSON with a line amount', async () => {
    const tx = await readTransactions(fx('tx.ndjson'));
    expect(tx.source.format).toBe('ndjson');
    expect(tx.df.getColumn('customer_id').toArray()).toEqual(['0042', '0042', '0107']);
    expect(tx.df.getColumn('amount').toArray()).toEqual([19.9, 5, 40]);
  });

  it('Parquet with native types (float customer ids, datetimes) gives the same table as the CSV', async () => {
    const csv = await readTransactions(fx('uci_small.csv'));
    const src = pl.readCSV(readFileSync(fx('uci_small.csv'), 'utf8'), { inferSchemaLength: 100, tryParseDates: false }).withColumns(
      pl.col('InvoiceDate').str.strptime(pl.Datetime('ms'), '%Y-%m-%d %H:%M:%S'),
      pl.col('CustomerID').cast(pl.Float64),
    );
    const pq = path.join(tmp, 'uci_small.parquet');
    src.writeParquet(pq);
    const tx = await readTransactions(pq);
    expect(tx.source.format).toBe('parquet');
    // the CSV kept "00123"; a float column cannot, so compare the rest
    expect(tx.df.drop('customer_id').frameEqual(csv.df.drop('customer_id'), true)).toBe(true);
    expect(tx.df.getColumn('customer_id').toArray().slice(0, 4)).toEqual(['17850', '17850', '17850', null]);
  });
});

describe('dates', () => {
  it('slash dates with explicit day-first and month-first formats', async () => {
    const d = await readTransactions(fx('dmy_ambiguous.csv'), { dateFormat: 'DD/MM/YYYY' });
    expect(rows(d.df).map((r) => iso(r.date))).toEqual(['2011-02-01T08:26:00', '2011-04-03T09:00:00', '2011-06-05T10:00:00']);
    const m = await readTransactions(fx('dmy_ambiguous.csv'), { dateFormat: 'MM/DD/YYYY HH:MM' });
    expect(rows(m.df).map((r) => iso(r.date))).toEqual(['2011-01-02T08:26:00', '2011-03-04T09:00:00', '2011-05-06T10:00:00']);
    const s = await readTransactions(fx('mdy.csv'), { dateFormat: '%m/%d/%Y %H:%M' });
    expect(iso(rows(s.df)[1].date)).toBe('2011-12-11T17:05:00');
  });

  it('a day above 12 settles the order, with a warning', async () => {
    warnings = [];
    const tx = await readTransactions(fx('dmy_proven.csv'));
    expect(iso(rows(tx.df)[1].date)).toBe('2011-12-25T09:00:00');
    expect(tx.warnings.map((w) => w.code)).toContain('date_order_inferred');
  });

  it('ISO with Z and offsets is converted to UTC', async () => {
    const tx = await readTransactions(fx('iso_tz.csv'));
    expect(rows(tx.df).map((r) => iso(r.date))).toEqual(['2011-01-02T08:26:00', '2011-01-02T08:00:00']);
  });

  it('YYYY-MM-DD, T-separated and YYYYMMDD layouts', async () => {
    const f = path.join(tmp, 'mixed_iso.csv');
    writeFileSync(f, 'customer_id,date,amount\na,2011-01-02,1\nb,2011-01-02T10:11,2\nc,2011-01-02 10:11:12.5,3\n');
    const r = rows((await readTransactions(f)).df);
    expect(r.map((x) => (x.date as Date).toISOString())).toEqual(['2011-01-02T00:00:00.000Z', '2011-01-02T10:11:00.000Z', '2011-01-02T10:11:12.500Z']);
  });
});

describe('compact text columns', () => {
  it('product, description and country as Categorical hold the same values; cleaning counts agree', async () => {
    const { cleanTransactions } = await import('../../src/clean');
    const a = await readTransactions(fx('uci_small.csv'));
    const b = await readTransactions(fx('uci_small.csv'), { compact: true, engine: 'in-memory' });
    expect(String(b.df.getColumn('country').dtype)).toMatch(/Categorical/);
    for (const c of ['product', 'description', 'country']) expect(b.df.getColumn(c).cast(pl.Utf8).toArray()).toEqual(a.df.getColumn(c).toArray());
    expect(cleanTransactions(b, { rules: { non_product_code: true } }).quality.removed).toEqual(cleanTransactions(a, { rules: { non_product_code: true } }).quality.removed);
  });
});
