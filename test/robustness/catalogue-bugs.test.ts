/**
 * Issue 19, the open bugs the bad-input catalogue found (test/bad-input/cases.ts carried them as
 * `knownBug`): each test here failed before its fix.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkParameterFiles, parametersFromFlags } from '../../src/cli/commands/run';
import { cliText } from '../../src/cli/wording';
import { cleanTransactions } from '../../src/clean';
import { readTransactions } from '../../src/io';
import { migrateAsOf } from '../../src/migrate';
import { checkParametersSyntax, parseNotebook, type Notebook } from '../../src/notebook';
import { captureWarnings } from '../helpers/warnings';
import { HEADER, segkit, tmpDir, txCsv } from './helpers';

captureWarnings();

const fail = async (p: Promise<unknown>): Promise<{ code: string; message: string; where?: string; hint?: string }> => {
  const e = await p.then(
    () => undefined,
    (x) => x,
  );
  if (!e) throw new Error('expected an error');
  return e as { code: string; message: string; where?: string; hint?: string };
};

const records = (n: number, odd?: { at: number; quantity: unknown }): Array<Record<string, unknown>> =>
  Array.from({ length: n }, (_, i) => ({ customer_id: `c${i % 5}`, invoice: `${1000 + i}`, date: `2011-01-${String(1 + (i % 28)).padStart(2, '0')} 10:00`, quantity: odd && i === odd.at ? odd.quantity : 2, price: 1.5 }));

describe('a nested JSON value: the file, record, line and column instead of Polars\' infer_schema_length text', () => {
  it('a JSON array (pretty-printed: the record\'s own line)', async () => {
    const f = path.join(tmpDir(), 'nested.json');
    writeFileSync(f, JSON.stringify(records(6, { at: 3, quantity: { value: 2 } }), null, 2));
    const e = await fail(readTransactions(f));
    expect(e.code).toBe('nested_value');
    expect(e.message).toBe('record 4 holds an object in column "quantity" ({"value":2}) where other records hold plain values');
    expect(e.where).toBe(`${f}, record 4, line 23, column quantity`);
    expect(e.hint).toMatch(/flat records/);
  });

  it('NDJSON, also beyond the first thousand records', async () => {
    const dir = tmpDir();
    const near = path.join(dir, 'near.ndjson');
    writeFileSync(near, records(8, { at: 5, quantity: [1, 2] }).map((r) => JSON.stringify(r)).join('\n') + '\n');
    const e = await fail(readTransactions(near));
    expect(e.message).toMatch(/^record 6 holds an array in column "quantity"/);
    expect(e.where).toBe(`${near}, record 6, line 6, column quantity`);
    const far = path.join(dir, 'far.ndjson');
    writeFileSync(far, records(1500, { at: 1200, quantity: { value: 2 } }).map((r) => JSON.stringify(r)).join('\n') + '\n');
    const e2 = await fail(readTransactions(far));
    expect(e2.code).toBe('nested_value');
    expect(e2.where).toBe(`${far}, record 1201, line 1201, column quantity`);
  });

  it('a nested column that is nested in every record is no error of this kind', async () => {
    const f = path.join(tmpDir(), 'meta.json');
    writeFileSync(f, JSON.stringify(records(6).map((r) => ({ ...r, meta: { source: 'web' } }))));
    expect((await readTransactions(f)).df.height).toBe(6);
  });
});

describe('one date in another layout: that date and its line, not the first date of the file', () => {
  it('one DD/MM/YYYY date among ISO dates', async () => {
    const dir = tmpDir();
    const f = txCsv(dir, 'mixed.csv');
    const lines = readFileSync(f, 'utf8').split('\n');
    lines[6] = lines[6].replace(/2011-01-(\d\d) 10:00/, '$1/01/2011 10:00');
    writeFileSync(f, lines.join('\n'));
    const e = await fail(readTransactions(f));
    expect(e.code).toBe('mixed_date_layouts');
    expect(e.message).toMatch(/^the date "\d\d\/01\/2011 10:00" is not written like the others in column InvoiceDate \(e\.g\. "2011-01-01 10:00"\)$/);
    expect(e.where).toBe(`${f}, line 7, column InvoiceDate`);
  });
});

describe('a row with fewer fields than the header is an error, not nulls counted under a cleaning rule', () => {
  const shortLine = '1100,A9,Short';

  it('names the file, the line and the field count', async () => {
    const dir = tmpDir();
    const f = txCsv(dir, 'short.csv');
    const lines = readFileSync(f, 'utf8').split('\n');
    lines.splice(3, 0, shortLine);
    writeFileSync(f, lines.join('\n'));
    const e = await fail(readTransactions(f));
    expect(e.code).toBe('short_row');
    expect(e.message).toBe(`line 4 has 3 fields, expected 8 (as many as the header has): "${shortLine}"`);
    expect(e.where).toBe(`${f}, line 4`);
  });

  it('beyond the sniffed head, after quoted newlines, and in gzip', async () => {
    const dir = tmpDir();
    const rows = [HEADER];
    for (let i = 0; i < 3000; i++) rows.push(`${i},A,"two\nlines",1,2011-01-02 10:00,1.5,${17000 + (i % 50)},UK`);
    rows.push(shortLine);
    const text = rows.join('\n') + '\n';
    writeFileSync(path.join(dir, 'far.csv'), text);
    const e = await fail(readTransactions(path.join(dir, 'far.csv')));
    expect(e.where).toBe(`${path.join(dir, 'far.csv')}, line 6002`);
    writeFileSync(path.join(dir, 'far.csv.gz'), gzipSync(text));
    const g = await fail(readTransactions(path.join(dir, 'far.csv.gz')));
    expect(g.where).toBe(`${path.join(dir, 'far.csv.gz')}, line 6002`);
  });

  it('an empty last field (the delimiter is there) is a complete row: read, and counted by the rules as before', async () => {
    const dir = tmpDir();
    const f = txCsv(dir, 'empty-last.csv', ['1200,A1,Item,2,2011-01-05 10:00,1.5,17001,', '1201,A1,Item,2,2011-01-05 10:00,,17001,UK']);
    const tx = await readTransactions(f);
    expect(tx.df.height).toBe(38);
    expect(cleanTransactions(tx).quality.removed.nonpositive_unit_price).toBe(1);
  });
});

describe('segkit inspect: a parameters cell that does not parse is an error, not `k number (none)`', () => {
  const nb = (source: string): Notebook =>
    parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', metadata: { tags: ['parameters'] }, source, outputs: [], execution_count: null }] }), 'x.ipynb');

  it('checkParametersSyntax names the notebook, the cell and the line', () => {
    expect(() => checkParametersSyntax(nb('let k: number = 4;\nlet name = ;\n'), 'nb.ipynb')).toThrow(/the parameters cell cannot be parsed: Expression expected at line 2, column 12 of the cell: "let name = ;"/);
    try {
      checkParametersSyntax(nb('let k: number = ;'), 'nb.ipynb');
    } catch (e) {
      expect((e as { where: string }).where).toBe('nb.ipynb, cell 0 tagged "parameters", line 1');
    }
    expect(() => checkParametersSyntax(nb("let k: number | 'auto' = 'auto'; // clusters\nconst xs = [1, 2];\nconst data = await Promise.resolve(1);\n"), 'nb.ipynb')).not.toThrow();
  });

  it('the command exits 1 and prints no table', async () => {
    const f = path.join(tmpDir(), 'bad.ipynb');
    writeFileSync(f, JSON.stringify(nb('let k: number = ;\nconst = 5;')));
    const r = await segkit(['inspect', f]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`segkit notebook error [parameters_syntax]: the parameters cell cannot be parsed: Expression expected at line 1, column 17 of the cell: "let k: number = ;" (${f}, cell 0 tagged "parameters", line 1)`);
  });
});

describe('segkit run -f: a problem with a value from a parameters file names that file', () => {
  const nb = parseNotebook(
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', metadata: { tags: ['parameters'] }, source: "let k: number | 'auto' = 'auto';\nlet seed = 1;", outputs: [], execution_count: null }] }),
    'p.ipynb',
  );

  it('an unknown name and a wrong type', () => {
    const dir = tmpDir();
    const unknown = path.join(dir, 'unknown.json');
    const wrong = path.join(dir, 'wrong.yaml');
    writeFileSync(unknown, JSON.stringify({ k: 3, nosuch: 1 }));
    writeFileSync(wrong, 'k: many\n');
    const check = (flags: Parameters<typeof parametersFromFlags>[0]): void => checkParameterFiles(nb, parametersFromFlags(flags).files, false);
    expect(() => check({ parametersFile: [unknown] })).toThrow(expect.objectContaining({ code: 'unknown_parameter', where: `parameters file ${unknown} (-f)` }));
    expect(() => check({ parametersFile: [wrong] })).toThrow(expect.objectContaining({ code: 'parameter_type', where: `parameters file ${wrong} (-f)` }));
    // a value that -p, -r or a later -f overrides is not the file's problem
    expect(() => check({ parametersFile: [wrong], parameter: ['k', '4'] })).not.toThrow();
    expect(() => checkParameterFiles(nb, parametersFromFlags({ parametersFile: [wrong, unknown] }).files, true)).not.toThrow();
  });

  it('on the command line, before a kernel starts (no output written)', async () => {
    const dir = tmpDir();
    const nbFile = path.join(dir, 'p.ipynb');
    writeFileSync(nbFile, JSON.stringify(nb));
    writeFileSync(path.join(dir, 'wrong.json'), JSON.stringify({ seed: 'x' }));
    const r = await segkit(['run', nbFile, '-o', path.join(dir, 'o.ipynb'), '-f', path.join(dir, 'wrong.json')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`parameter seed is declared as number but the value "x" is a string (parameters file ${path.join(dir, 'wrong.json')} (-f))`);
    expect(readdirSync(dir).sort()).toEqual(['p.ipynb', 'wrong.json']);
  });
});

describe('segkit eda --date-from/--date-to with no rows in the window: the hint names the flags', () => {
  it('not --skip-rule date_window', async () => {
    const dir = tmpDir();
    const f = txCsv(dir, 'tx.csv');
    const r = await segkit(['eda', '-i', f, '-o', path.join(dir, 'eda'), '--date-from', '2011-06-01', '--date-to', '2011-06-02']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('or widen the window of --date-from / --date-to (or leave them out)');
    expect(r.err).not.toContain('--skip-rule date_window');
    // another rule keeps its --skip-rule hint
    expect(cliText('most went to "nonpositive_quantity" (x); check the column mapping (a=b) or turn that rule off with rules: { nonpositive_quantity: false }')).toBe(
      'most went to "nonpositive_quantity" (x); check the column mapping (a=b) or turn that rule off with --skip-rule nonpositive_quantity',
    );
  });
});

describe('migrate: the second as-of date checked against the data\'s real last purchase', () => {
  it('a gap in the data before the second date is not "past the data"', async () => {
    const dir = tmpDir();
    // purchases in January, none from February to July, more in September
    const f = txCsv(dir, 'gap.csv', ['2000,A1,Item,1,2011-09-10 10:00,2.5,17001,UK', '2001,A1,Item,1,2011-09-12 10:00,2.5,17002,UK']);
    const { clean } = cleanTransactions(await readTransactions(f));
    const m = migrateAsOf(clean, ['2011-01-15', '2011-08-01']);
    expect(m.asOf).toEqual({ before: '2011-01-15', after: '2011-08-01' });
    // past the real end of the data it is still refused
    expect(() => migrateAsOf(clean, ['2011-01-15', '2011-10-01'])).toThrow(/past the data, whose last purchase is on 2011-09-12/);
  });
});

describe('segkit eda: control characters from the data never reach index.html or the SVG files raw', () => {
  it('ESC and BEL in countries and descriptions are shown as \\x1b and \\x07', async () => {
    const dir = tmpDir();
    const f = txCsv(dir, 'ctl.csv', ['3000,A1,bell\u0007item,2,2011-01-05 10:00,1.5,17001,\u001b[31mRED\u001b[0m', '3001,A1,x,2,2011-01-06 10:00,1.5,17002,\u001b[31mRED\u001b[0m']);
    const out = path.join(dir, 'eda');
    const r = await segkit(['eda', '-i', f, '-o', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(html).toContain('\\x1b[31mRED\\x1b[0m');
    for (const file of readdirSync(out).filter((x) => /\.(html|svg)$/.test(x))) {
      expect(readFileSync(path.join(out, file), 'utf8'), file).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    }
  });
});
