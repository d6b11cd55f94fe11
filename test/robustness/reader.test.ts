/**
 * Issue 19, the reader: valid input it rejected, wrong results without a word, and messages that
 * misdiagnosed or did not say where. Each test failed before the fix in src/io.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { readTransactions } from '../../src/io';
import { captureWarnings } from '../helpers/warnings';
import { HEADER, tmpDir, txCsv } from './helpers';

const warnings = captureWarnings();
const fail = async (p: Promise<unknown>): Promise<{ code: string; message: string; where?: string; hint?: string }> => {
  const e = await p.then(
    () => undefined,
    (x) => x,
  );
  if (!e) throw new Error('expected an error');
  return e as { code: string; message: string; where?: string; hint?: string };
};

describe('quoted fields with newlines', () => {
  it('a doubled quote, a comma and a newline inside a quoted field in the first lines are read (the date sniffing split the record)', async () => {
    const dir = tmpDir();
    const f = txCsv(dir, 'q.csv');
    const lines = (await import('node:fs')).readFileSync(f, 'utf8').split('\n');
    lines.splice(11, 0, '999,A,"He said ""hi"",\nthen left",6,2011-01-05 08:26:00,2.55,17850,United Kingdom');
    writeFileSync(f, lines.join('\n'));
    const tx = await readTransactions(f);
    expect(tx.df.height).toBe(37);
    expect(tx.df.filter(pl.col('invoice').eq(pl.lit('999'))).getColumn('description').get(0)).toBe('He said "hi",\nthen left');
  });

  it('an error after a quoted newline names the row and the physical line', async () => {
    const dir = tmpDir();
    const rows = [HEADER, '1,A,"two\nlines",1,2011-01-02 10:00,1.5,17850,UK', '2,A,x,1,2011-13-45 10:00,1.5,17850,UK'];
    writeFileSync(path.join(dir, 'p.csv'), rows.join('\n') + '\n');
    const e = await fail(readTransactions(path.join(dir, 'p.csv')));
    expect(e.code).toBe('unreadable_date');
    expect(e.where).toBe(`${path.join(dir, 'p.csv')}, row 2, line 4, column InvoiceDate`);
  });

  it('beyond the sniffed head too (the line is found by scanning the file)', async () => {
    const dir = tmpDir();
    const rows = [HEADER];
    for (let i = 0; i < 3000; i++) rows.push(`${i},A,"a long description that takes\nsome room in the head of the file, ${'x'.repeat(80)}",1,2011-01-02 10:00,1.5,${17000 + (i % 50)},UK`);
    rows.push('x,A,x,1,2011-13-45 10:00,1.5,17850,UK');
    writeFileSync(path.join(dir, 'far.csv'), rows.join('\n') + '\n');
    const e = await fail(readTransactions(path.join(dir, 'far.csv')));
    expect(e.where).toBe(`${path.join(dir, 'far.csv')}, row 3001, line 6002, column InvoiceDate`);
  });
});

describe('values that gave wrong results without a word', () => {
  it('a unit price of 1e308 (quantity × price = inf) is refused with its row', async () => {
    const dir = tmpDir();
    const f = txCsv(dir, 'huge.csv', ['9,A,x,6,2011-01-05 10:00,1e308,17850,UK']);
    const e = await fail(readTransactions(f));
    expect(e.code).toBe('implausible_amount');
    expect(e.message).toContain('UnitPrice "1e308"');
    expect(e.where).toBe(`${f}, line 38`);
  });

  it('dates in 2099 and 1850 are warned about, with the count, the first one and where', async () => {
    const dir = tmpDir();
    const f = txCsv(dir, 'dates.csv', ['9,A,x,1,2099-06-01 10:00,1.5,17850,UK', '10,A,x,1,1850-06-01 10:00,1.5,17850,UK']);
    await readTransactions(f, { plausibleDates: { to: '2030-12-31' } });
    const w = warnings.find((x) => x.code === 'implausible_dates');
    expect(w?.message).toBe(
      `2 rows have dates before 1900-01-01 or after 2030-12-31, first "2099-06-01 10:00" (${f}, line 38, column InvoiceDate): probably typos; they count in the analysis (and move the default as-of date) unless dateWindow: { from: '1900-01-01', to: '2030-12-31' } leaves them out`,
    );
  });

  it('a header with two Quantity columns: an error asking which one; chosen explicitly it reads', async () => {
    const dir = tmpDir();
    const f = path.join(dir, 'dup.csv');
    writeFileSync(f, 'InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID,Quantity\n1,2,2011-01-02 10:00,1.5,17850,7\n2,1,2011-01-03 10:00,2.5,17851,9\n');
    const e = await fail(readTransactions(f));
    expect(e.code).toBe('duplicate_column');
    expect(e.message).toBe('the header names 2 columns "Quantity" (read as "Quantity", "Quantity_2"): which one is the quantity?');
    expect(e.hint).toContain("columns: { quantity: 'Quantity_2' }");
    const tx = await readTransactions(f, { columns: { quantity: 'Quantity_2' } });
    expect(tx.df.getColumn('quantity').toArray()).toEqual([7, 9]);
  });

  it('an unused duplicated column is warned about', async () => {
    const dir = tmpDir();
    const f = path.join(dir, 'dup2.csv');
    writeFileSync(f, 'InvoiceNo,Note,InvoiceDate,Amount,CustomerID,Note\n1,a,2011-01-02 10:00,1.5,17850,b\n');
    await readTransactions(f);
    expect(warnings.map((w) => w.code)).toContain('duplicate_column');
  });

  it('fewer positional roles than columns is an error (the last columns were silently ignored)', async () => {
    const dir = tmpDir();
    const f = path.join(dir, 'h.csv');
    writeFileSync(f, '17850,1,2011-01-02,2,1.5\n17851,2,2011-01-03,1,2.5\n');
    const e = await fail(readTransactions(f, { columns: ['customer', 'invoice', 'date', 'quantity'] }));
    expect(e.code).toBe('positional_mismatch');
    expect(e.message).toBe('4 positional roles were given (customer,invoice,date,quantity) but the file has 5 columns');
    expect(e.hint).toContain('add _ at the end to skip the last 1');
  });
});

describe('files that are not UTF-8 text', () => {
  it('a binary file named .csv says it is not text (it listed raw bytes as columns)', async () => {
    const dir = tmpDir();
    const f = path.join(dir, 'bin.csv');
    writeFileSync(f, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0, 1, 0, 0, 0, 0x70, 0x48, 0x2c, 0x0a, 0x00, 0x01]));
    const e = await fail(readTransactions(f));
    expect(e.code).toBe('not_text');
    expect(e.message).toBe('the file is not text: it holds NUL bytes (the first at byte 7)');
    const junk = path.join(dir, 'junk.csv');
    writeFileSync(junk, Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 37) % 31 + 1)));
    expect((await fail(readTransactions(junk))).code).toBe('not_text');
  });

  it('UTF-16 with a byte order mark (LE and BE) and without one is named as UTF-16', async () => {
    const dir = tmpDir();
    const text = `${HEADER}\n1,A,x,1,2011-01-02 10:00,1.5,17850,UK\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const cases: Array<[string, Buffer, RegExp]> = [
      ['le.csv', le, /UTF-16 byte order mark/],
      ['be.csv', be, /UTF-16 byte order mark/],
      ['nobom.csv', Buffer.from(text, 'utf16le'), /looks like UTF-16/],
    ];
    for (const [name, bytes, re] of cases) {
      writeFileSync(path.join(dir, name), bytes);
      const e = await fail(readTransactions(path.join(dir, name)));
      expect(e.code, name).toBe('utf16');
      expect(e.message).toMatch(re);
      expect(e.hint).toContain('iconv -f UTF-16 -t UTF-8');
    }
  });
});

describe('JSON errors say where', () => {
  const record = (i: number): string => JSON.stringify({ InvoiceNo: String(i), Quantity: 1, InvoiceDate: '2011-01-02 10:00', UnitPrice: 2.5, CustomerID: String(17000 + (i % 7)) });

  it('a broken NDJSON line 50 is named by its line and column', async () => {
    const dir = tmpDir();
    const lines = Array.from({ length: 60 }, (_, i) => record(i + 1));
    lines[49] = '{"InvoiceNo":"50","Quantity" 1}';
    writeFileSync(path.join(dir, 'b.ndjson'), lines.join('\n') + '\n');
    const e = await fail(readTransactions(path.join(dir, 'b.ndjson')));
    expect(e.code).toBe('bad_json');
    expect(e.where).toBe(`${path.join(dir, 'b.ndjson')}, line 50`);
    expect(e.message).toMatch(/^line 50 is not valid JSON: .+ at column 30: /);
  });

  it('a JSON array cut short says so; a syntax error gives line and column', async () => {
    const dir = tmpDir();
    const text = `[${Array.from({ length: 40 }, (_, i) => record(i)).join(',\n')}]`;
    writeFileSync(path.join(dir, 't.json'), text.slice(0, Math.floor(text.length / 2)));
    const e = await fail(readTransactions(path.join(dir, 't.json')));
    expect(e.code).toBe('bad_json');
    expect(e.message).toMatch(/^the JSON ends before the array is closed \(line \d+\): the file was probably cut short$/);
    writeFileSync(path.join(dir, 's.json'), '[{"a": 1},\n{"a" 2}]');
    const s = await fail(readTransactions(path.join(dir, 's.json')));
    expect(s.message).toMatch(/^the JSON is not valid at line 2, column 6: /);
    expect(s.where).toBe(`${path.join(dir, 's.json')}, line 2`);
  });
});
