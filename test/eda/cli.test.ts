/** Shared input options (src/cli/commands/common.ts) and `segkit eda` writing its files. */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addCleanOptions, addInputOptions, cleanOptionsFromFlags, parseOutlierSpec, readOptionsFromFlags, type CleanFlags, type InputFlags } from '../../src/cli/commands/common';
import { register } from '../../src/cli/commands/eda';
import { setWarningSink } from '../../src/errors';

const FX = path.resolve(__dirname, '..', 'fixtures', 'io');
setWarningSink(() => undefined);

function parse(args: string[]): InputFlags & CleanFlags {
  const cmd = new Command('x').exitOverride();
  addInputOptions(cmd);
  addCleanOptions(cmd);
  cmd.parse(args, { from: 'user' });
  return cmd.opts();
}

describe('input options', () => {
  it('column flags become an explicit mapping; "none" marks a role absent', () => {
    const f = parse(['-i', 'a.csv', '--customer-col', 'Kunde', '--amount-col', 'Umsatz', '--invoice-col', 'none', '--date-format', 'DD/MM/YYYY', '--delimiter', ';']);
    expect(readOptionsFromFlags(f)).toEqual({
      path: 'a.csv',
      options: { columns: { customer: 'Kunde', amount: 'Umsatz', invoice: null }, dateFormat: 'DD/MM/YYYY', delimiter: ';' },
    });
  });

  it('--columns gives positional roles and implies no header; header detection stays on otherwise', () => {
    expect(readOptionsFromFlags(parse(['-i', 'a.txt', '--columns', 'customer,_,date,amount'])).options).toEqual({ columns: ['customer', null, 'date', 'amount'], header: false });
    expect(readOptionsFromFlags(parse(['-i', 'a.csv'])).options).toEqual({});
    expect(readOptionsFromFlags(parse(['-i', 'a.csv', '--no-header'])).options).toEqual({ header: false });
    expect(readOptionsFromFlags(parse(['-i', 'a.csv', '--header', '--decimal-comma'])).options).toEqual({ header: true, decimalComma: true });
  });

  it('--input or --source is required (not both), --source takes a URL, and --columns cannot mix with column flags', () => {
    expect(() => readOptionsFromFlags(parse([]))).toThrow(expect.objectContaining({ code: 'missing_input', hint: expect.stringMatching(/--input FILE.*--source URL/) }));
    expect(() => readOptionsFromFlags(parse(['-i', 'a', '--source', 'postgres://h/db?table=t']))).toThrow(/both given/);
    expect(() => readOptionsFromFlags(parse(['--source', 'tx.csv']))).toThrow(/--source takes a database URL/);
    expect(readOptionsFromFlags(parse(['--source', 'postgres://h/db?table=t', '--customer-col', 'client'])).options.columns).toEqual({ customer: 'client' });
    expect(() => readOptionsFromFlags(parse(['-i', 'a', '--columns', 'customer,date,amount', '--customer-col', 'x']))).toThrow(/cannot be combined/);
  });

  it('cleaning flags', () => {
    expect(cleanOptionsFromFlags(parse(['-i', 'a', '--skip-rule', 'duplicate_row', '--exclude-non-products', '--date-from', '2011-01-01']))).toEqual({
      rules: { duplicate_row: false, non_product_code: true },
      dateWindow: { from: '2011-01-01', to: undefined },
    });
    expect(cleanOptionsFromFlags(parse(['-i', 'a', '--exclude-outliers']))).toEqual({ outlier: {} });
    expect(parseOutlierSpec('quantity:iqr:k=1.5:both')).toEqual({ by: 'quantity', method: 'iqr', k: 1.5, side: 'both' });
    expect(parseOutlierSpec('amount:q=0.995')).toEqual({ by: 'amount', upper: 0.995 });
    expect(() => parseOutlierSpec('price')).toThrow(/cannot read "price"/);
    expect(() => cleanOptionsFromFlags(parse(['-i', 'a', '--skip-rule', 'dupes']))).toThrow(/unknown cleaning rule/);
  });
});

describe('segkit eda', () => {
  it('writes tables as CSV, charts as SVG, quality.json and index.html', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'segkit-eda-cli-'));
    const program = new Command('segkit').exitOverride();
    register(program);
    const log: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (log.push(String(s)), true)) as typeof process.stdout.write;
    try {
      await program.parseAsync(['eda', '-i', path.join(FX, 'eda_small.csv'), '-o', out, '--top', '3'], { from: 'user' });
    } finally {
      process.stdout.write = write;
    }
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'quality.json', 'overview.csv', 'monthly.csv', 'top_countries.csv', 'monthly_revenue.svg', 'top_countries.svg']));
    expect(files.some((f) => f.includes('.tmp-'))).toBe(false);
    expect(readFileSync(path.join(out, 'monthly.csv'), 'utf8').split('\n')[1]).toBe('2021-01,50.0,2,3,2,2');
    expect(JSON.parse(readFileSync(path.join(out, 'quality.json'), 'utf8')).rowsKept).toBe(6);
    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script');
    expect(log.join('')).toContain('kept 6');
    expect(existsSync(path.join(out, 'unit_price.svg'))).toBe(true);
  });

  it('bad input is one SegkitError', async () => {
    const program = new Command('segkit').exitOverride();
    register(program);
    await expect(program.parseAsync(['eda', '-i', path.join(FX, 'misnamed.csv'), '-o', os.tmpdir()], { from: 'user' })).rejects.toMatchObject({ code: 'missing_column' });
  });
});
