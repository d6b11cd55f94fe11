/**
 * Issue 19, "Hostile content in exports" and money in CSV: customer ids such as =1+2 were written verbatim
 * at the start of cells (a spreadsheet runs them: CSV injection), and amounts carried float noise
 * (15.299999999999999). CSV for people is neutralised (OWASP: a leading ') and rounded to the currency's
 * minor unit; --csv-raw / csvRaw writes cells as they are; Parquet and JSON always keep values raw.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline';
import { buildReport, currencyDecimals } from '../../src/report/build';
import { neutraliseFormulas, tableCsv, writeTable } from '../../src/io';
import { segkit, tmpDir, txCsv } from './helpers';

const HOSTILE = ['=1+2', '@SUM(1+1)', '+41791234567', '-2+3', '=HYPERLINK("http://evil.example/?x")', '\tTAB', '\rCR'];
const SAFE = ['17850', "'already", 'a=b', ' =1'];

const csvCells = (text: string): string[][] => {
  // the neutralised cells hold no quotes except the HYPERLINK one; read with Polars to honour quoting
  const df = pl.readCSV(text, { hasHeader: true, inferSchemaLength: 0 });
  return df.toRecords().map((r) => Object.values(r).map(String));
};

describe('CSV injection', () => {
  const df = pl.DataFrame({
    customer_id: [...HOSTILE, ...SAFE],
    monetary: [-12.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    segment: ['=cmd|" /C calc"!A0', 'Lost', 'Lost', 'Lost', 'Lost', 'Lost', 'Lost', 'Lost', 'Lost', 'Lost', 'Lost'],
  });

  it('text cells starting with = + - @ tab CR get a leading apostrophe; other cells and numbers are unchanged', () => {
    const rows = csvCells(tableCsv(df).toString());
    expect(rows.map((r) => r[0])).toEqual([...HOSTILE.map((h) => `'${h}`), ...SAFE]);
    expect(rows[0][1]).toBe('-12.5'); // a negative number is not a formula
    expect(rows[0][2]).toBe(`'=cmd|" /C calc"!A0`);
    expect(rows[1][2]).toBe('Lost');
  });

  it('is idempotent (the migration export neutralises too)', () => {
    const once = neutraliseFormulas(df);
    expect(neutraliseFormulas(once).getColumn('customer_id').toArray()).toEqual(once.getColumn('customer_id').toArray());
  });

  it('csvRaw writes the cells as they are; Parquet, JSON and NDJSON always keep the raw values', async () => {
    const dir = tmpDir();
    expect(csvCells(tableCsv(df, { csvRaw: true }).toString()).map((r) => r[0])).toEqual([...HOSTILE, ...SAFE]);
    await writeTable(df, path.join(dir, 't.parquet'));
    await writeTable(df, path.join(dir, 't.json'));
    await writeTable(df, path.join(dir, 't.csv.gz'));
    expect(pl.readParquet(path.join(dir, 't.parquet')).getColumn('customer_id').toArray()).toEqual([...HOSTILE, ...SAFE]);
    expect((JSON.parse(readFileSync(path.join(dir, 't.json'), 'utf8')) as Array<{ customer_id: string }>).map((r) => r.customer_id)).toEqual([...HOSTILE, ...SAFE]);
    expect(gunzipSync(readFileSync(path.join(dir, 't.csv.gz'))).toString()).toContain("\n'=1+2,");
  });

  it('segkit rfm --out: hostile ids neutralised in the customer table; --csv-raw keeps them', async () => {
    const dir = tmpDir();
    const ids = ['=1+2', '@SUM(1+1)', '+41791234567', '-2+3', '"=HYPERLINK(""http://evil.example"")"'];
    const input = txCsv(dir, 'tx.csv', ids.map((id, i) => `9${i},A,x,1,2011-01-2${i} 10:00,2.5,${id},United Kingdom`));
    const out = path.join(dir, 'rfm.csv');
    expect((await segkit(['rfm', '-i', input, '-o', out])).code).toBe(0);
    const cells = csvCells(readFileSync(out, 'utf8')).map((r) => r[0]);
    for (const id of ['=1+2', '@SUM(1+1)', '+41791234567', '-2+3', '=HYPERLINK("http://evil.example")']) expect(cells).toContain(`'${id}`);
    expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
    const raw = path.join(dir, 'raw.csv');
    expect((await segkit(['rfm', '-i', input, '-o', raw, '--csv-raw'])).code).toBe(0);
    expect(csvCells(readFileSync(raw, 'utf8')).map((r) => r[0])).toContain('=1+2');
  });
});

describe('money in CSV exports', () => {
  it('money columns are rounded to the minor unit; other floats keep their digits', () => {
    const df = pl.DataFrame({ customer_id: ['a'], monetary: [15.299999999999999], avg_order_value: [5.1000000000000005], monetary_before: [0.1 + 0.2], p_alive: [0.123456789], clv: [99.99499999] });
    const text = tableCsv(df).toString();
    expect(text).toBe('customer_id,monetary,avg_order_value,monetary_before,p_alive,clv\na,15.3,5.1,0.3,0.123456789,99.99\n');
    expect(tableCsv(df, { moneyDecimals: 0 }).toString().split('\n')[1]).toBe('a,15.0,5.0,0.0,0.123456789,100.0');
  });

  it("the currency's minor unit", () => {
    expect(currencyDecimals('GBP')).toBe(2);
    expect(currencyDecimals('JPY')).toBe(0);
    expect(currencyDecimals('KWD')).toBe(3);
    expect(currencyDecimals('£')).toBe(2);
  });

  it('segkit rfm --out has no float noise in monetary (sums of 5.1 and 10.2)', async () => {
    const dir = tmpDir();
    // 5.1 × 1 + 5.1 × 2 = 15.299999999999999 in floating point
    const input = txCsv(dir, 'tx.csv', ['801,A,x,1,2011-01-20 10:00,5.1,99999,UK', '802,A,x,2,2011-01-21 10:00,5.1,99999,UK']);
    const out = path.join(dir, 'rfm.csv');
    expect((await segkit(['rfm', '-i', input, '-o', out])).code).toBe(0);
    const line = readFileSync(out, 'utf8').split('\n').find((l) => l.startsWith('99999,'))!;
    expect(line.split(',')[3]).toBe('15.3');
    expect(readFileSync(out, 'utf8')).not.toMatch(/\d\.\d*(0000000|9999999)\d/);
  });
});

describe("the report's per-customer CSV", () => {
  it('neutralises hostile ids and rounds money; csvRaw turns the neutralising off', async () => {
    const dir = tmpDir();
    const hostile = ['=1+2', '@SUM(1+1)', '-2+3'];
    const input = txCsv(dir, 'tx.csv', hostile.map((id, i) => `9${i},A,x,${i + 1},2011-01-2${i} 10:00,5.1,${id},United Kingdom`), 20);
    const analysis = await analyze(input, { k: 3, seed: 1 });
    const built = await buildReport(analysis, { outDir: dir, name: 'r', formats: ['csv'] });
    const text = readFileSync(built.csv!, 'utf8');
    const ids = csvCells(text).map((r) => r[0]);
    for (const id of hostile) expect(ids).toContain(`'${id}`);
    expect(text).not.toMatch(/\d\.\d*(0000000|9999999)\d/);
    const raw = await buildReport(analysis, { outDir: dir, name: 'raw', formats: ['csv'], csvRaw: true });
    expect(csvCells(readFileSync(raw.csv!, 'utf8')).map((r) => r[0])).toContain('=1+2');
  });
});
