import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { writeTable } from '../../src/io';

const df = pl.DataFrame({
  customer_id: ['001', '17850'],
  date: pl.Series('date', [new Date('2011-01-02T03:04:05Z'), new Date('2011-12-09T12:50:00Z')], pl.Datetime('ms')),
  amount: [1.5, 20],
});

describe('writeTable', () => {
  it('writes CSV (ISO datetimes, ids as text) and nothing else in the folder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-write-'));
    const f = path.join(dir, 't.csv');
    await writeTable(df, f);
    expect(readFileSync(f, 'utf8')).toBe('customer_id,date,amount\n001,2011-01-02T03:04:05,1.5\n17850,2011-12-09T12:50:00,20.0\n');
    expect(readdirSync(dir)).toEqual(['t.csv']);
  });

  it('writes .csv.gz, .parquet, .json, .ndjson that read back equal', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-write-'));
    await writeTable(df, path.join(dir, 't.csv.gz'));
    expect(gunzipSync(readFileSync(path.join(dir, 't.csv.gz'))).toString()).toContain('001,2011-01-02T03:04:05,1.5');
    await writeTable(df, path.join(dir, 't.parquet'));
    expect(pl.readParquet(path.join(dir, 't.parquet')).frameEqual(df)).toBe(true);
    await writeTable(df, path.join(dir, 't.json'));
    expect(JSON.parse(readFileSync(path.join(dir, 't.json'), 'utf8'))).toHaveLength(2);
    await writeTable(df, path.join(dir, 't.ndjson'));
    expect(readFileSync(path.join(dir, 't.ndjson'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual(['t.csv.gz', 't.json', 't.ndjson', 't.parquet']);
  });

  it('refuses an unknown extension', async () => {
    await expect(writeTable(df, '/tmp/x.xlsx')).rejects.toMatchObject({ code: 'unsupported_format' });
  });
});
