/** Every bad input gives one SegkitError with a code, the io stage, where it is, and a hint. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SegkitError, setWarningSink } from '../../src/errors';
import { cleanTransactions } from '../../src/clean';
import { readTransactions, type ReadOptions } from '../../src/io';

const FX = path.resolve(__dirname, '..', 'fixtures', 'io');
const fx = (n: string): string => path.join(FX, n);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'segkit-err-'));
setWarningSink(() => undefined);

async function fails(file: string, options: ReadOptions = {}): Promise<SegkitError> {
  const e = await readTransactions(file, options).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `${file} should fail`).toBeInstanceOf(SegkitError);
  const err = e as SegkitError;
  expect(err.stage).toBe('io');
  expect(err.where).toBeTruthy();
  expect(err.hint).toBeTruthy();
  expect(err.toLine()).toContain(`[${err.code}]`);
  return err;
}

describe('bad input → one clear error', () => {
  it('missing file: says so and lists files nearby', async () => {
    const e = await fails(fx('uci_smal.csv'));
    expect(e.code).toBe('file_not_found');
    expect(e.hint).toContain('uci_small.csv');
    // only files are offered, not folders (a folder named like the file is not an input)
    const d = mkdtempSync(path.join(tmp, 'near-'));
    mkdirSync(path.join(d, 'sales.csv.d'));
    writeFileSync(path.join(d, 'sale.csv'), 'x\n');
    const f = await fails(path.join(d, 'sales.csv'));
    expect(f.hint).toContain('sale.csv');
    expect(f.hint).not.toContain('sales.csv.d');
  });

  it('misnamed customer column: lists the columns found and suggests the mapping', async () => {
    const e = await fails(fx('misnamed.csv'));
    expect(e.code).toBe('missing_column');
    expect(e.message).toContain('customer id');
    expect(e.message).toContain('InvoiceNo, StockCode, Quantity, InvoiceDate, UnitPrice, Custmer, Country');
    // the library names its option; the CLI rewrites it as --customer-col (test/robustness/cli-messages.test.ts)
    expect(e.hint).toContain("columns: { customer: 'NAME' }");
    expect(e.hint).toContain('"Custmer"');
  });

  it('an explicit column that is not in the file: did-you-mean', async () => {
    const e = await fails(fx('uci_small.csv'), { columns: { customer: 'CustomerId ' } });
    expect(e.code).toBe('column_not_found');
    expect(e.message).toContain('columns found: InvoiceNo');
    expect(e.hint).toContain('"CustomerID"');
  });

  it('no date column', async () => {
    const f = path.join(tmp, 'nodate.csv');
    writeFileSync(f, 'customer_id,amount\n1,2\n');
    const e = await fails(f);
    expect(e.code).toBe('missing_column');
    expect(e.hint).toContain("columns: { date: 'NAME' }");
  });

  it('unreadable date: file, line, value, expected format', async () => {
    const e = await fails(fx('bad_date.csv'));
    expect(e.code).toBe('unreadable_date');
    expect(e.message).toContain('"2011-02-30 09:00:00"');
    expect(e.message).toContain('YYYY-MM-DD');
    expect(e.where).toBe(`${fx('bad_date.csv')}, line 4, column date`);
    expect(e.hint).toContain('pass the layout with dateFormat');
  });

  it('an unrecognisable date layout', async () => {
    const f = path.join(tmp, 'weird_date.csv');
    writeFileSync(f, 'customer_id,date,amount\n1,Dec 1st 2010,2\n');
    const e = await fails(f);
    expect(e.code).toBe('unreadable_date');
    expect(e.message).toContain('Dec 1st 2010');
    expect(e.where).toContain('line 2');
  });

  it('Excel serial dates are named as such', async () => {
    const f = path.join(tmp, 'serial.csv');
    writeFileSync(f, 'customer_id,date,amount\n1,40513.35,2\n');
    const e = await fails(f);
    expect(e.code).toBe('unreadable_date');
    expect(e.message).toContain('Excel serial');
  });

  it('blank date', async () => {
    const f = path.join(tmp, 'blank_date.csv');
    writeFileSync(f, 'customer_id,date,amount\n1,2011-01-01,2\n2,,3\n');
    const e = await fails(f);
    expect(e.code).toBe('missing_date');
    expect(e.where).toContain('line 3');
  });

  it('ambiguous day/month order without dateFormat', async () => {
    const e = await fails(fx('dmy_ambiguous.csv'));
    expect(e.code).toBe('ambiguous_date');
    expect(e.message).toContain('ambiguous');
    expect(e.message).toContain('DD/MM/YYYY');
    expect(e.message).toContain('MM/DD/YYYY');
    expect(e.hint).toContain('dateFormat');
  });

  it('an unknown dateFormat', async () => {
    await expect(readTransactions(fx('uci_small.csv'), { dateFormat: 'DD-MON-YY' })).rejects.toMatchObject({ code: 'bad_option' });
  });

  it('text in a numeric column: line and value', async () => {
    const e = await fails(fx('text_in_number.csv'));
    expect(e.code).toBe('not_numeric');
    expect(e.message).toContain('"two"');
    expect(e.message).toContain('quantity');
    expect(e.where).toBe(`${fx('text_in_number.csv')}, line 3, column quantity`);
  });

  it('counts every bad numeric row, reports the first', async () => {
    const f = path.join(tmp, 'many_bad.csv');
    writeFileSync(f, 'customer_id,date,amount\n1,2011-01-01,2\n2,2011-01-01,n/a\n3,2011-01-01,x\n');
    const e = await fails(f);
    expect(e.message).toContain('"n/a"');
    expect(e.message).toContain('2 rows in all');
    expect(e.where).toContain('line 3');
  });

  it('empty file (0 bytes)', async () => {
    expect((await fails(fx('empty.csv'))).code).toBe('empty_file');
  });

  it('header but no rows', async () => {
    const e = await fails(fx('header_only.csv'));
    expect(e.code).toBe('empty_file');
    expect(e.message).toContain('no data rows');
  });

  it('empty gzip and empty JSON', async () => {
    const gz = path.join(tmp, 'empty.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.alloc(0)));
    expect((await fails(gz)).code).toBe('empty_file');
    const j = path.join(tmp, 'empty.json');
    writeFileSync(j, '[]');
    expect((await fails(j)).code).toBe('empty_file');
  });

  it('unsupported extension', async () => {
    const e = await fails(fx('transactions.xlsx'));
    expect(e.code).toBe('unsupported_format');
    expect(e.message).toContain('.xlsx');
    expect(e.hint).toMatch(/CSV/);
  });

  it('a .gz that is not gzip', async () => {
    const e = await fails(fx('not_gzip.csv.gz'));
    expect(e.code).toBe('not_gzip');
    expect(e.hint).toContain('not_gzip.csv');
  });

  it('a gzip cut short', async () => {
    const gz = gzipSync(readFileSync(fx('uci_small.csv')));
    const f = path.join(tmp, 'truncated.csv.gz');
    writeFileSync(f, gz.subarray(0, Math.floor(gz.length / 2)));
    for (const decompress of ['memory', 'tempfile'] as const) {
      const e = await fails(f, { decompress });
      expect(['corrupt_gzip']).toContain(e.code);
    }
  });

  it('a row with more fields than the header', async () => {
    const e = await fails(fx('ragged.csv'));
    expect(e.code).toBe('malformed_csv');
    expect(e.where).toContain('line 3');
    expect(e.message).toContain('oops');
  });

  it('a file named .parquet that is not Parquet', async () => {
    const f = path.join(tmp, 'fake.parquet');
    writeFileSync(f, 'customer_id,date\n');
    expect((await fails(f)).code).toBe('not_parquet');
  });

  it('invalid JSON', async () => {
    const f = path.join(tmp, 'broken.json');
    writeFileSync(f, '[{"customer_id": 1, "date": "2011-01-01", "amount": 3},');
    const e = await fails(f);
    expect(e.code).toBe('bad_json');
    expect(e.message).toBe('the JSON ends before the array is closed (line 1): the file was probably cut short');
  });

  it('too many positional roles', async () => {
    const e = await fails(fx('headerless.csv'), { columns: ['customer', 'date', 'quantity', 'amount', 'country'] });
    expect(e.code).toBe('positional_mismatch');
  });

  it('an unknown positional role', async () => {
    await expect(readTransactions(fx('headerless.csv'), { columns: ['customer', 'when', 'quantity', 'amount'] })).rejects.toMatchObject({ code: 'unknown_role' });
  });

  it('cleaning that removes every row', async () => {
    const f = path.join(tmp, 'all_cancelled.csv');
    writeFileSync(f, 'InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\nC1,-1,2011-01-01 10:00:00,2,5\nC2,-2,2011-01-02 10:00:00,2,6\n');
    const tx = await readTransactions(f);
    let e: SegkitError | undefined;
    try {
      cleanTransactions(tx);
    } catch (err) {
      e = err as SegkitError;
    }
    expect(e).toBeInstanceOf(SegkitError);
    expect(e!.stage).toBe('clean');
    expect(e!.code).toBe('all_rows_removed');
    expect(e!.message).toContain('cancelled_invoice: 2');
    expect(e!.hint).toContain('cancelled_invoice');
    expect(cleanTransactions(tx, { allowEmpty: true }).quality.rowsKept).toBe(0);
  });
});
