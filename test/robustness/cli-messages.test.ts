/**
 * Issue 19, messages on the command line: flags named instead of library options, what can be checked
 * is checked before any data is read, the user's own text quoted, and the error set apart as the last
 * thing printed (warnings came first and hid it).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanTransactions } from '../../src/clean';
import { createProgram } from '../../src/cli/main';
import { cliText } from '../../src/cli/wording';
import { readTransactions } from '../../src/io';
import { analyze } from '../../src/pipeline';
import { CRASH_TEXT, segkit, tmpDir, txCsv } from './helpers';

const MISSING = '/nonexistent/segkit/tx.csv';
const lastBlock = (err: string): string => err.trimEnd().split('\n\n').pop()!;

describe('checked before any data is read', () => {
  it.each([
    [['rfm', '-i', MISSING, '--date-from', '2011-02-30'], '--date-from', 'the date "2011-02-30" does not exist (2011-02 has 28 days)'],
    [['rfm', '-i', MISSING, '--date-to', '2011-13-01'], '--date-to', 'cannot read the date "2011-13-01"'],
    [['rfm', '-i', MISSING, '--date-from', '2011-06-01', '--date-to', '2011-05-01'], '--date-from / --date-to', 'the date window is empty: --date-from (2011-06-01) is after --date-to (2011-05-01)'],
    [['rfm', '-i', MISSING, '-o', 'x.xlsx'], '--out x.xlsx', 'cannot tell which format to write from "x.xlsx"'],
    [['rfm', '-i', MISSING, '--summary-out', 'x.docx'], '--summary-out x.docx', 'cannot tell which format to write from "x.docx"'],
    [['rfm', '-i', MISSING, '--as-of', '2011-02-30'], '--as-of', '--as-of "2011-02-30" is not a calendar date'],
    [['report', '-i', MISSING, '--bins', '11'], '--bins', 'bins must be a whole number from 2 to 10, got 11'],
    [['report', '-i', MISSING, '--formats', 'html,docx'], '--formats', 'unknown report format "docx"'],
    [['report', '-i', MISSING, '--name', '../../etc/x'], '--name', 'the file name "../../etc/x" cannot be used: it must be a plain name (no folders, no control characters, at most 200 characters)'],
    [['eda', '-i', MISSING, '--exclude-outliers', 'amount:q=abc'], '--exclude-outliers', '--exclude-outliers "amount:q=abc": "q=abc" is not a number'],
    [['eda', '-i', MISSING, '--exclude-outliers', 'amount:q=2'], '--exclude-outliers', '--exclude-outliers "amount:q=2": "q=2" is out of range'],
    [['clv', '-i', MISSING, '--holdout-from', '2011-02-29'], '--holdout-from', '--holdout-from "2011-02-29" is not a calendar date'],
  ])('%j', async (args, where, message) => {
    const r = await segkit(args as string[]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`: ${message} (${where})`);
    expect(r.err).not.toContain('cannot find the input file');
    expect(r.err).not.toMatch(CRASH_TEXT);
  });

  it('the library refuses an impossible day and an empty window too (2011-02-30 became 2011-03-02)', async () => {
    const dir = tmpDir();
    const tx = await readTransactions(txCsv(dir, 'tx.csv'));
    expect(() => cleanTransactions(tx, { dateWindow: { from: '2011-02-30' } })).toThrow('the date "2011-02-30" does not exist (2011-02 has 28 days)');
    expect(() => cleanTransactions(tx, { dateWindow: { from: '2011-06-01', to: '2011-05-01' } })).toThrow(/dateWindow.from \(2011-06-01\) is after dateWindow.to/);
  });
});

describe('flags, not option names, on the command line', () => {
  it('rewrites option names, option objects and library calls', () => {
    expect(cliText('bins must be a whole number (option bins)')).toBe('bins must be a whole number (option bins)'); // no command: --bins unknown
    expect(cliText("turn that rule off with rules: { date_window: false }")).toBe('turn that rule off with --skip-rule date_window');
    expect(cliText("clean with cleanTransactions(tx, { rules: { cancelled_invoice: false, nonpositive_quantity: false } }) to net them")).toBe('clean with --skip-rule cancelled_invoice nonpositive_quantity to net them');
    expect(cliText('if the file uses decimal commas, pass decimalComma: true')).toBe('if the file uses decimal commas, pass --decimal-comma');
    expect(cliText('pass decimalComma: false if that is wrong')).toBe('pass --no-decimal-comma if that is wrong');
    expect(cliText("say which with dateFormat: 'DD/MM/YYYY' or dateFormat: 'MM/DD/YYYY'")).toBe('say which with --date-format DD/MM/YYYY or --date-format MM/DD/YYYY');
    expect(cliText("name the column with columns: { customer: 'NAME' }")).toBe('name the column with --customer-col NAME');
    expect(cliText("columns: { customer: 'Kunde Nr', quantity: 'OTHER' }")).toBe('--customer-col "Kunde Nr" --quantity-col OTHER');
    expect(cliText('quantile NaN is out of range (option outlier.upper)')).toBe('quantile NaN is out of range (--exclude-outliers (q=…))');
    expect(cliText('option userK')).toBe('--k');
    expect(cliText('option rfm.asOf')).toBe('--as-of');
    // with the command, any option that has a flag of the same name (camelCase → kebab-case)
    const rfm = createProgram().commands.find((c) => c.name() === 'rfm')!;
    expect(cliText('bins must be a whole number from 2 to 10 (option bins)', rfm)).toBe('bins must be a whole number from 2 to 10 (--bins)');
    expect(cliText('option summaryOut', rfm)).toBe('--summary-out');
    expect(cliText('option nInit', rfm)).toBe('option nInit'); // no such flag: left as it is
  });

  it('an RFM --bins out of range names --bins', async () => {
    const dir = tmpDir();
    const r = await segkit(['rfm', '-i', txCsv(dir, 'tx.csv'), '--bins', '11']);
    expect(r.code).toBe(1);
    expect(lastBlock(r.err)).toMatch(/bins must be a whole number from 2 to 10, got 11 \(--bins\)/);
    expect(r.err).not.toContain('option bins');
  });

  it('every row removed: the hint names --skip-rule, not rules: { … }', async () => {
    const dir = tmpDir();
    const lines = Array.from({ length: 5 }, (_, i) => `C${i},A,x,-1,2011-01-0${i + 1} 10:00,1.5,${17000 + i},UK`);
    writeFileSync(path.join(dir, 'neg.csv'), ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country', ...lines].join('\n') + '\n');
    const r = await segkit(['rfm', '-i', path.join(dir, 'neg.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('cleaning removed every one of the 5 rows');
    expect(r.err).toMatch(/turn that rule off with --skip-rule (cancelled_invoice|nonpositive_quantity)/);
    expect(r.err).not.toMatch(/rules: \{/);
  });

  it('a missing column: the hint names --customer-col, without the library syntax', async () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'nc.csv'), 'InvoiceNo,InvoiceDate,Amount,Kunde\n1,2011-01-02,3.5,17850\n');
    const r = await segkit(['rfm', '-i', path.join(dir, 'nc.csv')]);
    expect(r.err).toContain('Hint: name the column with --customer-col NAME;');
    expect(r.err).not.toContain('option columns');
  });
});

describe('the error comes last and stands out', () => {
  it('warnings first, then a blank line, then the error and its hint', async () => {
    const dir = tmpDir();
    // semicolons and decimal commas (a warning), then a date that cannot be read (the error)
    const rows = ['Invoice;Date;Amount;Customer', '1;2011-01-02;2,50;17850', '2;2011-01-03;3,50;17851', '3;2011-02-30;1,25;17852'];
    writeFileSync(path.join(dir, 'semi.csv'), rows.join('\n') + '\n');
    const r = await segkit(['rfm', '-i', path.join(dir, 'semi.csv')]);
    expect(r.code).toBe(1);
    const blocks = r.err.trimEnd().split('\n\n');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(/^segkit io warning \[decimal_comma\]: .*pass --no-decimal-comma if that is wrong$/m);
    expect(blocks[1]).toMatch(/^segkit io error \[unreadable_date\]: cannot read the date "2011-02-30"/);
    expect(blocks[1].split('\n')[1]).toMatch(/^ {2}Hint: pass the layout with --date-format/);
  });

  it('without warnings the error is the only output, with no blank line before it', async () => {
    const r = await segkit(['rfm', '-i', MISSING]);
    expect(r.err.startsWith('segkit io error [file_not_found]')).toBe(true);
  });
});

describe('the customer count is checked before the features', () => {
  it('one customer: "needs at least 3 customers", not zero_variance', async () => {
    const dir = tmpDir();
    const f = txCsv(dir, 'one.csv', [], 1);
    await expect(analyze(f, { k: 3 })).rejects.toMatchObject({ code: 'too_few_customers', message: 'only 1 customer(s) after cleaning; segmentation needs at least 3' });
  });
});
