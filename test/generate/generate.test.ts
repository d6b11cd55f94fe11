/**
 * The seeded transaction generator: determinism, the UCI format of every column, fault counts
 * and rates, behaviour groups, streaming (.csv / .csv.gz), the committed sample file, errors.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pl from 'nodejs-polars';
import { afterAll, describe, expect, it } from 'vitest';
import { isSegkitError } from '../../src/errors';
import {
  COUNTRIES,
  customerTruth,
  DEFAULTS,
  formatRow,
  generateTransactions,
  HEADER,
  NO_FAULTS,
  transactionsToCsv,
  writeTransactions,
  type GenerateOptions,
  type TransactionRow,
} from '../../src/generate';

const SAMPLE = join(__dirname, '..', '..', 'data', 'sample_transactions.csv');
const SAMPLE_OPTIONS: GenerateOptions = { seed: 42, customers: 2000, rows: 40000, start: '2010-12-01', end: '2011-12-09' };
const tmp = mkdtempSync(join(tmpdir(), 'segkit-generate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha256 = (x: string | Buffer): string => createHash('sha256').update(x).digest('hex');
const DAY = 86400000;
const dayMs = (date: string): number => Date.parse(date.slice(0, 10) + 'T00:00:00Z');

/** Minimal RFC-4180 split of one line (no embedded newlines in this data). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') { s += '"'; i += 2; }
        else if (line[i] === '"') { i++; break; }
        else s += line[i++];
      }
      out.push(s);
      i++; // the comma
    } else {
      const j = line.indexOf(',', i);
      const end = j < 0 ? line.length : j;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

const sample = generateTransactions(SAMPLE_OPTIONS);

describe('determinism', () => {
  it('the same seed gives identical output, another seed a different one', () => {
    const o = { customers: 150, rows: 3000, seed: 7 };
    const a = transactionsToCsv(generateTransactions(o).rows);
    expect(transactionsToCsv(generateTransactions(o).rows)).toBe(a);
    expect(transactionsToCsv(generateTransactions({ ...o, seed: 8 }).rows)).not.toBe(a);
  });

  it('does not depend on the machine time zone', () => {
    const o = { customers: 100, rows: 2000, seed: 3 };
    const before = process.env.TZ;
    const a = transactionsToCsv(generateTransactions(o).rows);
    try {
      process.env.TZ = 'Pacific/Chatham'; // UTC+13:45 in December
      expect(new Date(Date.UTC(2011, 0, 1)).getDate()).toBe(1); // the zone really changed (local date 1 Jan 13:45)
      expect(new Date(Date.UTC(2011, 0, 1)).getHours()).toBe(13);
      expect(transactionsToCsv(generateTransactions(o).rows)).toBe(a);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('customerTruth gives the same groups as a generation', () => {
    expect(customerTruth(SAMPLE_OPTIONS)).toEqual(sample.truth);
  });
});

describe('format: the UCI Online Retail schema', () => {
  const text = transactionsToCsv(sample.rows);
  const lines = text.split('\n');

  it('has the exact header and one LF-terminated line per row', () => {
    expect(HEADER).toBe('InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n');
    expect(lines[0] + '\n').toBe(HEADER);
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(sample.summary.rows);
    expect(text.includes('\r')).toBe(false);
  });

  it('every column of every line matches its format', () => {
    const countries = new Set(COUNTRIES.map(([c]) => c));
    const start = dayMs('2010-12-01');
    const end = dayMs('2011-12-09');
    const bad: string[] = []; // "problem: line" for every failed check (plain checks: 40,000 lines × 14 expects is slow)
    const check = (ok: boolean, what: string, line: string) => { if (!ok && bad.length < 20) bad.push(`${what}: ${line}`); };
    let prev = '';
    let quoted = 0;
    for (const line of lines.slice(1, -1)) {
      const f = splitCsv(line);
      check(f.length === 8, 'field count', line);
      const [inv, code, desc, qty, date, price, cust, country] = f;
      check(/^C?\d{6}$/.test(inv), 'InvoiceNo', line);
      check(/^(\d{5}[A-Z]?|POST|DOT|M|D|BANK CHARGES)$/.test(code), 'StockCode', line);
      check(desc.length > 0, 'Description', line);
      check(/^-?[1-9]\d*$/.test(qty), 'Quantity', line);
      check(qty.startsWith('-') === inv.startsWith('C'), 'negative exactly on cancellations', line);
      check(/^\d{4}-\d{2}-\d{2} (0[7-9]|1\d):[0-5]\d:00$/.test(date), 'InvoiceDate', line);
      check(date >= prev, 'date order', line);
      prev = date;
      check(dayMs(date) >= start && dayMs(date) <= end, 'date range', line);
      check(new Date(dayMs(date)).getUTCDay() !== 6, 'no Saturdays (as in the UCI file)', line);
      check(/^\d+\.\d{1,2}$/.test(price), 'UnitPrice', line);
      check(/^(\d{5,6}\.0)?$/.test(cust), 'CustomerID', line);
      check(countries.has(country), 'Country', line);
      // RFC-4180: quoted exactly when a field holds a comma or a quote.
      if (line.includes('"')) quoted++;
      check(line.includes('"') === /[",]/.test(desc), 'quoting', line);
    }
    expect(bad).toEqual([]);
    expect(quoted).toBeGreaterThan(100);
    // The checks can fail: a broken line is caught.
    check(/^C?\d{6}$/.test('53636'), 'InvoiceNo', 'probe');
    expect(bad).toEqual(['InvoiceNo: probe']);
  });

  it('writes in-memory rows back to the same text (formatRow round trip)', () => {
    const row: TransactionRow = { InvoiceNo: '536365', StockCode: '85123A', Description: 'TRAY, "BIG"', Quantity: 6, InvoiceDate: '2010-12-01 08:26:00', UnitPrice: 18, CustomerID: 17850, Country: 'United Kingdom' };
    expect(formatRow(row)).toBe('536365,85123A,"TRAY, ""BIG""",6,2010-12-01 08:26:00,18.0,17850.0,United Kingdom\n');
    expect(formatRow({ ...row, CustomerID: null, UnitPrice: 0 })).toBe('536365,85123A,"TRAY, ""BIG""",6,2010-12-01 08:26:00,0.0,,United Kingdom\n');
  });

  it('has several lines per invoice, a few hundred StockCodes, the non-product codes and a dominant UK', () => {
    const codes = new Set(sample.rows.map((r) => r.StockCode));
    expect(codes.size).toBeGreaterThan(300);
    for (const c of ['POST', 'DOT', 'M', 'D']) expect(codes.has(c)).toBe(true);
    const invoices = new Set(sample.rows.map((r) => r.InvoiceNo));
    expect(sample.summary.invoices).toBe(invoices.size);
    expect(sample.summary.rows / invoices.size).toBeGreaterThan(3);
    const uk = sample.rows.filter((r) => r.Country === 'United Kingdom').length;
    expect(uk / sample.rows.length).toBeGreaterThan(0.8);
    expect(new Set(sample.rows.map((r) => r.CustomerID)).size - 1).toBe(2000); // every customer appears (+ null)
  });

  it('gets close to the requested number of rows', () => {
    expect(Math.abs(sample.summary.rows - 40000) / 40000).toBeLessThan(0.03);
    const big = generateTransactions({ customers: 50, rows: 20000, seed: 5 }).summary.rows;
    expect(Math.abs(big - 20000) / 20000).toBeLessThan(0.05);
  });
});

/** Recounts every fault kind from the rows themselves. */
function recount(rows: TransactionRow[]) {
  const key = (r: TransactionRow) => formatRow(r);
  let duplicateRows = 0;
  rows.forEach((r, i) => { if (i > 0 && key(r) === key(rows[i - 1])) duplicateRows++; });
  const outlierRows = rows.filter((r) => Math.abs(r.Quantity) >= 20000);
  const cancelInvoices = new Set(rows.filter((r) => r.InvoiceNo.startsWith('C')).map((r) => r.InvoiceNo));
  for (const r of outlierRows) cancelInvoices.delete(r.InvoiceNo);
  return {
    cancelInvoices: cancelInvoices.size,
    cancelRows: rows.filter((r) => r.InvoiceNo.startsWith('C')).length,
    missingCustomerInvoices: new Set(rows.filter((r) => r.CustomerID === null).map((r) => r.InvoiceNo)).size,
    missingCustomerRows: rows.filter((r) => r.CustomerID === null).length,
    zeroPriceRows: rows.filter((r) => r.UnitPrice === 0).length,
    duplicateRows,
    outliers: outlierRows.filter((r) => r.Quantity > 0).length,
    outlierRows: outlierRows.length,
  };
}

describe('faults', () => {
  it('the summary equals a recount of the rows, and rates are near the defaults', () => {
    const s = sample.summary;
    expect(recount(sample.rows)).toEqual(s.faults);
    expect(s.faults.cancelInvoices / s.saleInvoices).toBeCloseTo(DEFAULTS.faults.cancelRate, 1);
    expect(Math.abs(s.faults.cancelInvoices / s.saleInvoices - 0.04)).toBeLessThan(0.01);
    expect(Math.abs(s.faults.missingCustomerRows / s.rows - 0.04)).toBeLessThan(0.01);
    expect(Math.abs(s.faults.zeroPriceRows / s.rows - 0.01)).toBeLessThan(0.003);
    expect(Math.abs(s.faults.duplicateRows / s.rows - 0.01)).toBeLessThan(0.003);
    expect(s.faults.outliers).toBe(2);
    expect(s.faults.outlierRows).toBe(4);
  });

  it('follows other configured rates', () => {
    const faults = { cancelRate: 0.2, missingCustomerRate: 0.15, zeroPriceRate: 0.05, duplicateRate: 0.08, outliers: 5 };
    const { rows, summary: s } = generateTransactions({ customers: 400, rows: 12000, seed: 11, faults });
    expect(recount(rows)).toEqual(s.faults);
    expect(Math.abs(s.faults.cancelInvoices / s.saleInvoices - 0.2)).toBeLessThan(0.03);
    expect(Math.abs(s.faults.missingCustomerRows / s.rows - 0.15)).toBeLessThan(0.03);
    expect(Math.abs(s.faults.zeroPriceRows / s.rows - 0.05)).toBeLessThan(0.01);
    expect(Math.abs(s.faults.duplicateRows / s.rows - 0.08 / 1.08)).toBeLessThan(0.01);
    expect(s.faults.outliers).toBe(5);
  });

  it('NO_FAULTS gives clean data', () => {
    const { rows, summary } = generateTransactions({ customers: 200, rows: 4000, faults: NO_FAULTS });
    expect(Object.values(summary.faults).every((v) => v === 0)).toBe(true);
    expect(recount(rows)).toEqual(summary.faults);
    expect(rows.every((r) => r.Quantity > 0 && r.UnitPrice > 0 && r.CustomerID !== null)).toBe(true);
  });

  it('a cancellation copies lines of an earlier invoice of the same customer', () => {
    const bought = new Map<string, { qty: number; price: number }>(); // customer|product|price → quantity bought so far
    let checked = 0;
    for (const r of sample.rows) {
      if (r.CustomerID === null || Math.abs(r.Quantity) >= 20000 || r.StockCode === 'D') continue;
      const k = `${r.CustomerID}|${r.StockCode}|${r.UnitPrice}`;
      if (!r.InvoiceNo.startsWith('C')) {
        bought.set(k, { qty: (bought.get(k)?.qty ?? 0) + r.Quantity, price: r.UnitPrice });
      } else {
        expect(bought.has(k), `${r.InvoiceNo} ${k}`).toBe(true);
        expect(-r.Quantity).toBeLessThanOrEqual(bought.get(k)!.qty);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('each outlier is a huge single line followed by its cancellation', () => {
    const out = sample.rows.filter((r) => Math.abs(r.Quantity) >= 20000);
    expect(out).toHaveLength(4);
    for (let i = 0; i < out.length; i += 2) {
      const [buy, cancel] = [out[i], out[i + 1]];
      expect(buy.Quantity).toBeGreaterThan(0);
      expect(cancel.Quantity).toBe(-buy.Quantity);
      expect(cancel.InvoiceNo.startsWith('C')).toBe(true);
      expect([cancel.StockCode, cancel.CustomerID, cancel.UnitPrice]).toEqual([buy.StockCode, buy.CustomerID, buy.UnitPrice]);
      expect(cancel.InvoiceDate >= buy.InvoiceDate).toBe(true);
    }
  });
});

describe('behaviour groups', () => {
  const end = dayMs('2011-12-09');
  const stats = new Map<number, { invoices: Set<string>; first: string; last: string; spend: number }>();
  for (const r of sample.rows) {
    if (r.CustomerID === null || r.InvoiceNo.startsWith('C') || Math.abs(r.Quantity) >= 20000) continue;
    const s = stats.get(r.CustomerID) ?? { invoices: new Set<string>(), first: r.InvoiceDate, last: r.InvoiceDate, spend: 0 };
    s.invoices.add(r.InvoiceNo);
    s.last = r.InvoiceDate;
    s.spend += r.Quantity * r.UnitPrice;
    stats.set(r.CustomerID, s);
  }
  const byGroup = (g: string) => sample.truth.filter((t) => t.group === g).map((t) => stats.get(t.customerId)!);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const daysBeforeEnd = (date: string) => (end - dayMs(date)) / DAY;

  it('has the six groups in their shares', () => {
    expect(sample.summary.groups).toEqual({ champion: 120, loyal: 320, occasional: 600, lapsed: 360, 'one-time': 400, new: 200 });
    for (const t of sample.truth) expect(stats.get(t.customerId)!.invoices.size).toBe(t.invoices);
  });

  it('lapsed customers stopped buying months before the end', () => {
    expect(Math.min(...byGroup('lapsed').map((s) => daysBeforeEnd(s.last)))).toBeGreaterThan(120);
  });

  it('one-time buyers have exactly one invoice; new customers started in the last 45 days', () => {
    expect(byGroup('one-time').every((s) => s.invoices.size === 1)).toBe(true);
    expect(Math.max(...byGroup('new').map((s) => daysBeforeEnd(s.first)))).toBeLessThanOrEqual(45);
  });

  it('champions buy most often, most recently and spend most', () => {
    const champion = byGroup('champion');
    const loyal = byGroup('loyal');
    const occasional = byGroup('occasional');
    expect(median(champion.map((s) => s.invoices.size))).toBeGreaterThan(median(loyal.map((s) => s.invoices.size)));
    expect(median(loyal.map((s) => s.invoices.size))).toBeGreaterThan(median(occasional.map((s) => s.invoices.size)));
    expect(median(champion.map((s) => s.spend))).toBeGreaterThan(3 * median(loyal.map((s) => s.spend)));
    expect(median(loyal.map((s) => s.spend))).toBeGreaterThan(2 * median(occasional.map((s) => s.spend)));
    expect(Math.max(...champion.map((s) => daysBeforeEnd(s.last)))).toBeLessThan(30);
  });
});

describe('streaming to a file', () => {
  const o = { customers: 300, rows: 6000, seed: 3 };
  const expected = generateTransactions(o);

  it('.csv.gz gunzips to exactly the in-memory output, with the same summary', async () => {
    const file = join(tmp, 'sub', 'tx.csv.gz');
    const progress: number[] = [];
    const summary = await writeTransactions(file, { ...o, onProgress: (done) => progress.push(done) });
    expect(gunzipSync(readFileSync(file)).toString('utf8')).toBe(transactionsToCsv(expected.rows));
    expect(summary).toEqual(expected.summary);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(summary.rows);
    expect(readdirSync(join(tmp, 'sub'))).toEqual(['tx.csv.gz']); // no temporary file left behind
  });

  it('.csv is written as plain text', async () => {
    const file = join(tmp, 'tx.csv');
    await writeTransactions(file, { ...o, gzipLevel: 1 });
    expect(readFileSync(file, 'utf8')).toBe(transactionsToCsv(expected.rows));
  });
});

describe('data/sample_transactions.csv', () => {
  it('equals a fresh generation with seed 42, 2,000 customers, ~40,000 rows (sha256)', () => {
    expect(existsSync(SAMPLE)).toBe(true);
    expect(sha256(readFileSync(SAMPLE))).toBe(sha256(transactionsToCsv(sample.rows)));
  });

  it('parses with nodejs-polars', () => {
    const df = pl.readCSV(SAMPLE, { dtypes: { InvoiceNo: pl.Utf8, StockCode: pl.Utf8, CustomerID: pl.Utf8 } });
    expect(df.columns).toEqual(['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country']);
    expect(df.height).toBe(sample.summary.rows);
    expect(df.getColumn('CustomerID').nullCount()).toBe(sample.summary.faults.missingCustomerRows);
    expect(df.getColumn('Quantity').dtype.equals(pl.Int64)).toBe(true);
    expect(df.getColumn('UnitPrice').dtype.equals(pl.Float64)).toBe(true);
    expect(df.getColumn('Description').toArray()).toEqual(sample.rows.map((r) => r.Description));
  });
});

describe('bad options', () => {
  const cases: Array<[string, GenerateOptions, string, string]> = [
    ['customers < 1', { customers: 0 }, 'customers_invalid', 'option customers'],
    ['fractional customers', { customers: 10.5, rows: 100 }, 'customers_invalid', 'option customers'],
    ['rows not a number', { rows: Number.NaN }, 'rows_invalid', 'option rows'],
    ['rows < customers', { customers: 100, rows: 50 }, 'rows_below_customers', 'option rows'],
    ['bad date', { start: '2011-02-30' }, 'date_invalid', 'option start'],
    ['date in another layout', { end: '09/12/2011' }, 'date_invalid', 'option end'],
    ['end before start', { start: '2011-06-01', end: '2011-05-31' }, 'end_before_start', 'option end'],
    ['rate of 1', { faults: { cancelRate: 1 } }, 'rate_out_of_range', 'option faults.cancelRate'],
    ['negative rate', { faults: { duplicateRate: -0.1 } }, 'rate_out_of_range', 'option faults.duplicateRate'],
    ['negative outliers', { faults: { outliers: -1 } }, 'outliers_invalid', 'option faults.outliers'],
    ['fractional seed', { seed: 1.5 }, 'seed_invalid', 'option seed'],
    ['too few products', { products: 5 }, 'products_invalid', 'option products'],
    ['misspelt option', { seeds: 1 } as GenerateOptions, 'unknown_option', 'option seeds'],
    ['misspelt fault', { faults: { cancelrate: 0.1 } } as GenerateOptions, 'unknown_option', 'option faults.cancelrate'],
    ['too many rows in memory', { rows: 3_000_000 }, 'too_large_for_memory', 'option rows'],
  ];
  it.each(cases)('%s', (_name, options, code, where) => {
    let error: unknown;
    try {
      generateTransactions(options);
    } catch (e) {
      error = e;
    }
    expect(isSegkitError(error)).toBe(true);
    const e = error as { stage: string; code: string; where: string; hint: string };
    expect([e.stage, e.code, e.where]).toEqual(['generate', code, where]);
    expect(e.hint.length).toBeGreaterThan(5);
  });

  it('suggests the right name for a misspelt option', () => {
    expect(() => generateTransactions({ faults: { zeroprice: 0.1 } } as GenerateOptions)).toThrow(/zeroPriceRate/);
  });

  it('writeTransactions refuses other extensions and too many invoices, leaving no file', async () => {
    await expect(writeTransactions(join(tmp, 'x.txt'))).rejects.toMatchObject({ code: 'output_extension' });
    await expect(writeTransactions(join(tmp, 'x.csv'), { gzipLevel: 0 })).rejects.toMatchObject({ code: 'gzip_level_invalid' });
    await expect(writeTransactions(join(tmp, 'big.csv'), { customers: 200000, rows: 4000000 })).rejects.toMatchObject({ code: 'too_many_invoices', where: 'option customers' });
    expect(existsSync(join(tmp, 'big.csv'))).toBe(false);
  });
});
