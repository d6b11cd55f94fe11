/**
 * The bad-input catalogue: one row per bad, broken or hostile input given to the real CLI.
 *
 * Arguments are words of a `segkit` command line; `@name` is a fixture (test/bad-input/fixtures.ts),
 * `%name` a path in the case's own empty output folder (`%` alone is that folder); `%%…` is a literal `%…`.
 *
 * The runner (catalogue.test.ts) checks for every case: the exit code; that the run ended (no hang) and
 * printed no stack trace, panic or "this is unexpected"; that the error is one located line first or
 * last (not buried among warnings); that `says` all appear in what it printed (what is wrong and where:
 * the flag, file, line, column); that stderr is bounded and free of raw control characters; and that no
 * output is left half-written (no temp files; `outputs` absent after a failure, complete after success).
 *
 * `issue` marks a case that reproduces a failure listed in issue #19 (fixed by the robustness work).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pl from 'nodejs-polars';
import type { RunResult } from './run';

export type Theme = 'files' | 'schemas' | 'values' | 'flags' | 'notebooks' | 'models' | 'outputs' | 'hostile';

export interface CaseContext {
  /** The case's own folder (outputs, extra files). */
  dir: string;
  /** A fixture's path. */
  fx(name: string): string;
}

export interface Case {
  id: string;
  theme: Theme;
  /** What is wrong, in words. */
  what: string;
  args: string[];
  code: number;
  /** Texts (case-insensitive) or patterns that must appear in the output (stderr; stdout too when code is 0). */
  says?: Array<string | RegExp>;
  /** Texts or patterns that must not appear in stdout or stderr. */
  never?: Array<string | RegExp>;
  /** Output paths (same `%` notation): absent after a failure, complete after a success. */
  outputs?: string[];
  /** Make extra files or folders in the case's folder before the run. */
  setup?: (c: CaseContext) => void;
  /** Further checks after the run: return the problems found (empty when all is well). */
  check?: (r: RunResult, c: CaseContext) => string[];
  /** Run as an unprivileged user (uid 65534) so that file permissions apply even when the tests run as root. */
  unprivileged?: boolean;
  /** Needs a small tmpfs mounted at %full (root only). */
  fullDisk?: boolean;
  /** The item of issue #19 this case reproduces. */
  issue?: string;
  /** Time limit of the run (default 90 s; report runs 240 s: the machine is shared). */
  timeoutMs?: number;
  /**
   * An open bug this case finds (what goes wrong today): the runner asserts the case still fails, so the
   * day it is fixed the test says to remove this mark. Listed in the issue's closing note.
   */
  knownBug?: string;
}

const R = (args: string): string[] => args.split(' ').filter(Boolean);
const rfm = (input: string, more = ''): string[] => R(`rfm -i @${input} ${more}`);
const fail = (theme: Theme, id: string, what: string, args: string[], says: Array<string | RegExp>, extra: Partial<Case> = {}): Case => ({ theme, id, what, args, code: 1, says, ...extra });
const ok = (theme: Theme, id: string, what: string, args: string[], extra: Partial<Case> = {}): Case => ({ theme, id, what, args, code: 0, ...extra });

/** Library option syntax that must not appear in a CLI message (issue #19: name the flag on the CLI). */
export const LIBRARY_SYNTAX = /\(option [\w.]+\)|option \w+: \{|\bdecimalComma: (true|false)|\brules: \{|\bdateFormat: '|\bcolumns: \{/;
const NO_LIBRARY = { never: [LIBRARY_SYNTAX] };
const BINARY = /not (a )?text|binary/i;

// ─────────────────────────────────────────────────────────────── files
const FILES: Case[] = [
  fail('files', 'missing-file', 'input file does not exist', rfm('nope.csv'), ['nope.csv', /cannot find/i]),
  fail('files', 'input-is-folder', 'input is a folder', R('rfm -i %'), [/folder/i]),
  fail('files', 'empty-0-bytes', 'empty file', rfm('empty.csv', '-o %rfm.csv'), ['empty.csv', /empty/i], { outputs: ['%rfm.csv'] }),
  fail('files', 'blank-lines-only', 'only blank lines', rfm('blank_lines.csv'), ['blank_lines.csv', /no content|blank|empty/i]),
  fail('files', 'header-only', 'a header and no rows', rfm('header_only.csv'), ['header_only.csv', /no data rows/i]),
  fail('files', 'header-only-no-newline', 'a header without a newline', rfm('header_only_nonl.csv'), ['header_only_nonl.csv', /no data rows/i]),
  ok('files', 'bom-utf8', 'UTF-8 byte-order mark', rfm('bom_utf8.csv', '-o %rfm.csv'), { outputs: ['%rfm.csv'] }),
  ok('files', 'bom-utf8-quoted-header', 'BOM before a quoted header', rfm('bom_utf8_quoted_header.csv', '-o %rfm.csv'), { outputs: ['%rfm.csv'] }),
  ok('files', 'double-bom', 'two byte-order marks', rfm('double_bom.csv')),
  fail('files', 'utf16le-bom', 'UTF-16 LE with BOM', rfm('utf16le.csv'), ['utf16le.csv', /UTF-16/i], { issue: 'UTF-16 detection' }),
  fail('files', 'utf16be-bom', 'UTF-16 BE with BOM', rfm('utf16be.csv'), ['utf16be.csv', /UTF-16/i], { issue: 'UTF-16 detection' }),
  fail('files', 'utf16le-no-bom', 'UTF-16 LE without BOM (NUL bytes between characters)', rfm('utf16le_nobom.csv'), ['utf16le_nobom.csv', /UTF-16|not (a )?text|binary|NUL/i], { issue: 'UTF-16 detection' }),
  fail('files', 'utf32le', 'UTF-32 LE with BOM', rfm('utf32le.csv'), ['utf32le.csv', /UTF-32|UTF-16|not (a )?text|binary|encoding/i], { issue: 'UTF-16 detection' }),
  fail('files', 'latin1-description', 'Latin-1 bytes in a description', rfm('latin1_description.csv', '-o %rfm.csv'), ['latin1_description.csv', /UTF-8/], { outputs: ['%rfm.csv'] }),
  fail('files', 'latin1-customer', 'Latin-1 bytes in customer ids', rfm('latin1_customer.csv'), ['latin1_customer.csv', /UTF-8/]),
  fail('files', 'nul-bytes', 'NUL bytes inside a text file', rfm('nul_bytes.csv'), ['nul_bytes.csv', /NUL|binary|not (a )?text/i], { issue: 'binary detection' }),
  fail('files', 'random-bytes', 'random bytes named .csv', rfm('random.csv'), ['random.csv', BINARY], { issue: 'binary detection', never: [/columns found/] }),
  fail('files', 'png-as-csv', 'a PNG image named .csv', rfm('png.csv'), ['png.csv', BINARY], { issue: 'binary detection', never: [/columns found/] }),
  fail('files', 'zip-as-csv', 'a ZIP archive named .csv', rfm('zip.csv'), ['zip.csv', /zip|binary|not (a )?text|compressed/i], { issue: 'binary detection', never: [/columns found/] }),
  fail('files', 'elf-as-csv', 'an executable named .csv', rfm('elf.csv'), ['elf.csv', BINARY], { issue: 'binary detection', never: [/columns found/] }),
  fail('files', 'pdf-as-csv', 'a PDF named .csv', rfm('pdf.csv'), ['pdf.csv', /PDF|binary|not (a )?text/i], { issue: 'binary detection', never: [/columns found/] }),
  ok('files', 'gzip-named-csv', 'gzip content named .csv is read as gzip', rfm('gzip_named.csv', '-o %rfm.csv'), { outputs: ['%rfm.csv'] }),
  ok('files', 'gzip-good', 'a .csv.gz', rfm('good.csv.gz', '-o %rfm.csv.gz'), { outputs: ['%rfm.csv.gz'] }),
  fail('files', 'gzip-truncated', 'a gzip cut short', rfm('truncated.csv.gz', '-o %rfm.csv'), ['truncated.csv.gz', /gzip|cut short|damaged/i], { outputs: ['%rfm.csv'] }),
  fail('files', 'gzip-not-gzip', 'a .csv.gz that is plain text', rfm('not_gzip.csv.gz'), ['not_gzip.csv.gz', /not gzip/i]),
  fail('files', 'gzip-double', 'gzip inside gzip', rfm('double.csv.gz'), ['double.csv.gz', /gzip|binary|not (a )?text/i], { issue: 'binary detection', never: [/columns found/] }),
  fail('files', 'gzip-of-garbage', 'gzip of random bytes', rfm('garbage_inside.csv.gz'), ['garbage_inside.csv.gz', BINARY], { issue: 'binary detection', never: [/columns found/] }),
  fail('files', 'gzip-nul-bomb', '8 MB of NUL bytes gzipped', rfm('nul_bomb.csv.gz'), ['nul_bomb.csv.gz', /NUL|binary|not (a )?text/i], { issue: 'binary detection', never: [/columns found/] }),
  fail('files', 'truncated-mid-date', 'file cut in the middle of a date', rfm('truncated_midline.csv', '-o %rfm.csv'), ['truncated_midline.csv', /line \d+/], { outputs: ['%rfm.csv'] }),
  fail('files', 'truncated-mid-quote', 'file cut inside a quoted field', rfm('truncated_midquote.csv'), ['truncated_midquote.csv', 'line 9', /quote/i], { never: [/infer_schema_length|You might want to try/] }),
  ok('files', 'crlf', 'CRLF line endings', rfm('crlf.csv', '-o %rfm.csv'), { outputs: ['%rfm.csv'] }),
  fail('files', 'cr-only', 'old Mac CR-only line endings', rfm('cr_only.csv'), ['cr_only.csv', /carriage return|\\r|CR\b|line ending/i]),
  ok('files', 'mixed-eol', 'mixed LF and CRLF', rfm('mixed_eol.csv')),
  ok('files', 'no-final-newline', 'no newline at the end', rfm('no_final_newline.csv')),
  ok('files', 'huge-field', 'a 2 MB quoted description', rfm('huge_field.csv', '-o %rfm.csv'), { outputs: ['%rfm.csv'] }),
  fail('files', 'huge-line-no-newline', '3 MB on one line and no newline', rfm('huge_line_no_newline.csv'), ['huge_line_no_newline.csv']),
  fail('files', 'huge-header', 'a 500 KB header line (30,000 columns)', rfm('huge_header.csv'), ['huge_header.csv', /header|first line|too long|line 1/i], { never: [/date ""/] }),
  ok('files', 'many-columns', '2,008 columns', rfm('long_lines_many_cols.csv')),
  fail('files', 'trailing-garbage', 'random bytes appended after the rows', rfm('trailing_garbage.csv'), ['trailing_garbage.csv', /line \d+|binary|not (a )?text|UTF-8/i]),
  ok('files', 'parquet-good', 'a Parquet file', rfm('good.parquet', '-o %rfm.parquet'), { outputs: ['%rfm.parquet'] }),
  fail('files', 'csv-named-parquet', 'CSV text named .parquet', rfm('csv_named.parquet'), ['csv_named.parquet', /Parquet/]),
  fail('files', 'parquet-named-csv', 'Parquet bytes named .csv', rfm('parquet_named.csv'), ['parquet_named.csv', /Parquet/]),
  fail('files', 'parquet-truncated', 'Parquet cut in half', rfm('truncated.parquet'), ['truncated.parquet', /Parquet|could not be read/i]),
  fail('files', 'parquet-magic-only', 'PAR1 magic around random bytes', rfm('parquet_magic_only.parquet'), ['parquet_magic_only.parquet', /Parquet|could not be read/i]),
  ok('files', 'json-good', 'a JSON array of records', rfm('good.json', '-o %rfm.json'), { outputs: ['%rfm.json'] }),
  ok('files', 'ndjson-good', 'NDJSON', rfm('good.ndjson', '-o %rfm.ndjson'), { outputs: ['%rfm.ndjson'] }),
  fail('files', 'json-truncated', 'a JSON array cut short', rfm('truncated.json'), ['truncated.json', /cut short|truncat|incomplete|unexpected end|line \d+/i], { issue: 'JSON/NDJSON positions', never: [/character 0\b/] }),
  fail('files', 'ndjson-broken-line-50', 'NDJSON with a broken line 50', rfm('broken_line50.ndjson'), ['broken_line50.ndjson', 'line 50'], { issue: 'JSON/NDJSON positions' }),
  fail('files', 'json-object', 'a JSON object, not an array', rfm('object.json'), ['object.json']),
  fail('files', 'json-numbers', 'a JSON array of numbers', rfm('numbers.json'), ['numbers.json', /object|record/i]),
  fail('files', 'json-empty-array', 'an empty JSON array', rfm('empty_array.json'), ['empty_array.json', /no records|empty/i]),
  fail('files', 'json-is-csv', 'CSV text named .json', rfm('not_json.json'), ['not_json.json', /JSON/]),
  ok('files', 'ndjson-blank-lines', 'NDJSON with blank lines between records', rfm('ndjson_blank_lines.ndjson')),
  fail('files', 'dev-null', '/dev/null as input', R('rfm -i /dev/null'), ['/dev/null']),
  fail('files', 'proc-file', 'a /proc file as input', R('rfm -i /proc/self/status'), ['/proc/self/status']),
  fail('files', 'xlsx-extension', 'an .xlsx file', rfm('good.xlsx'), ['good.xlsx', '.xlsx']),
  fail('files', 'no-extension', 'no file extension', rfm('noext'), ['noext', /extension/i]),
  ok('files', 'no-extension-format', 'no extension, --format csv', rfm('noext', '--format csv')),
  ok('files', 'dat-extension', 'a .dat file', rfm('good.dat')),
  fail('files', 'format-parquet-on-csv', '--format parquet on a CSV', rfm('good.csv', '--format parquet'), ['good.csv', /Parquet/]),
  fail('files', 'symlink-loop', 'input is a symbolic-link loop', R('rfm -i %loop.csv'), ['loop.csv', /link|loop|cannot/i], {
    setup: (c) => {
            fs.symlinkSync(`${c.dir}/loop.csv`, `${c.dir}/loop.csv`);
    },
  }),
  fail('files', 'unreadable-input', 'an input the user may not read', R('rfm -i %secret.csv'), ['secret.csv', /permission|EACCES|cannot read/i], {
    unprivileged: true,
    setup: (c) => {
            fs.copyFileSync(c.fx('good.csv'), `${c.dir}/secret.csv`);
      fs.chmodSync(`${c.dir}/secret.csv`, 0o000);
    },
  }),
];

// ─────────────────────────────────────────────────────────────── schemas
const SCHEMAS: Case[] = [
  fail('schemas', 'no-customer-column', 'no customer column', rfm('no_customer.csv'), ['no_customer.csv', /customer/i, '--customer-col'], NO_LIBRARY),
  fail('schemas', 'no-date-column', 'no date column', rfm('no_date.csv'), ['no_date.csv', /date/i, '--date-col'], NO_LIBRARY),
  fail('schemas', 'no-price-column', 'no price or amount column', rfm('no_price.csv'), ['no_price.csv', /price|amount/i, /--price-col|--amount-col/], NO_LIBRARY),
  fail('schemas', 'misnamed-customer', 'customer column misspelled', rfm('misnamed.csv'), ['misnamed.csv', 'custmer_id', '--customer-col'], NO_LIBRARY),
  fail('schemas', 'customer-col-missing', '--customer-col names no column', rfm('good.csv', '--customer-col Nope'), ['Nope', '--customer-col', 'good.csv']),
  fail('schemas', 'duplicate-quantity', 'two quantity columns', rfm('dup_quantity.csv'), ['dup_quantity.csv', 'quantity', /duplicate|twice|more than once|two columns/i], { issue: 'duplicate columns' }),
  fail('schemas', 'duplicate-customer', 'two customer_id columns', rfm('dup_customer.csv'), ['dup_customer.csv', 'customer_id', /duplicate|twice|more than once|two columns/i], { issue: 'duplicate columns' }),
  ok('schemas', 'empty-header-name', 'an unnamed extra column', rfm('empty_header_names.csv')),
  fail('schemas', 'blank-header', 'a header of empty names', rfm('blank_header.csv'), ['blank_header.csv', /--customer-col|--columns/], NO_LIBRARY),
  fail('schemas', 'headerless-no-columns', 'a headerless file without --columns', rfm('headerless.csv'), ['headerless.csv', '--columns'], NO_LIBRARY),
  fail('schemas', 'columns-too-few', 'fewer --columns roles than columns', rfm('headerless.csv', '--columns customer,_,date,quantity,price'), ['headerless.csv', '--columns', /\b5\b/, /\b8\b/], { issue: '--columns count' }),
  fail('schemas', 'columns-too-many', 'more --columns roles than columns', rfm('headerless4.csv', '--columns customer,invoice,date,quantity,amount,country'), ['headerless4.csv', '--columns', /\b6\b/, /\b4\b/]),
  fail('schemas', 'columns-unknown-role', 'an unknown role in --columns', rfm('headerless4.csv', '--columns customer,invoice,datum,amount'), ['datum', '--columns']),
  fail('schemas', 'columns-no-customer', '--columns without a customer role', rfm('headerless4.csv', '--columns _,invoice,date,amount'), ['customer', '--columns']),
  fail('schemas', 'columns-duplicate-role', 'the same role twice in --columns', rfm('headerless4.csv', '--columns customer,customer,date,amount'), ['customer', '--columns', /twice|more than once|duplicate/i]),
  fail('schemas', 'no-header-on-header-file', '--no-header on a file with a header', rfm('good.csv', '--no-header'), ['good.csv', /--columns|line 1\b/]),
  fail('schemas', 'one-column', 'a single column', rfm('one_column.csv'), ['one_column.csv', /date/i]),
  ok('schemas', 'padded-header', 'spaces around header names', rfm('padded_header.csv')),
  ok('schemas', 'upper-header', 'upper-case header names', rfm('upper_header.csv')),
  fail('schemas', 'parquet-int-date', 'a Parquet date column of integers', rfm('int_date.parquet'), ['int_date.parquet', /date/i, '--date-col']),
  fail('schemas', 'parquet-text-quantity', 'text in a Parquet quantity column', rfm('string_qty.parquet'), ['string_qty.parquet', 'lots', 'quantity', /row \d+|line \d+/]),
  ok('schemas', 'parquet-float-ids', 'Parquet customer ids as floats', rfm('float_ids.parquet')),
  fail('schemas', 'json-nested-value', 'a nested object as a quantity', rfm('json_nested.json'), ['json_nested.json', 'quantity', 'record 4'], { never: [/infer_schema_length/] }),
  fail('schemas', 'json-string-quantity', 'a text quantity in JSON', rfm('json_string_qty.json'), ['json_string_qty.json', 'five', /line \d+|row \d+|record \d+/]),
  fail('schemas', 'same-column-two-roles', 'one column for customer and quantity', rfm('good.csv', '--customer-col quantity --quantity-col quantity'), ['quantity', /--customer-col|--quantity-col|two roles|twice|both/i]),
  fail('schemas', 'date-col-not-dates', '--date-col on the description column', rfm('good.csv', '--date-col description'), ['description', 'good.csv', /line \d+/, /Mug|Teapot|Cup|Plate/]),
  fail('schemas', 'quantity-col-text', '--quantity-col on the description', rfm('good.csv', '--quantity-col description'), ['description', 'good.csv', /line \d+/]),
  fail('schemas', 'wrong-delimiter', '--delimiter ; on a comma file', rfm('good.csv', '--delimiter ;'), ['good.csv', /delimiter/i]),
];

// ─────────────────────────────────────────────────────────────── values
const VALUES: Case[] = [
  fail('values', 'text-in-quantity', 'text in a quantity', rfm('text_qty.csv', '-o %rfm.csv'), ['text_qty.csv', '"two"', 'line 3', 'quantity'], { outputs: ['%rfm.csv'], ...NO_LIBRARY }),
  fail('values', 'text-in-price', 'text in a price', rfm('text_price.csv'), ['text_price.csv', 'abc', 'line 8', 'price'], NO_LIBRARY),
  fail('values', 'nan-price', 'NaN as a price', rfm('nan_price.csv'), ['nan_price.csv', 'NaN', 'line 4']),
  fail('values', 'inf-quantity', 'inf as a quantity', rfm('inf_qty.csv'), ['inf_qty.csv', 'inf', 'line 4']),
  fail('values', 'neg-infinity-price', '-Infinity as a price', rfm('neg_inf_price.csv'), ['-Infinity', 'line 4']),
  fail('values', 'price-1e308', 'a price of 1e308 (sums overflow)', rfm('huge_price.csv', '-o %rfm.csv'), [/1e\+?308|too large|overflow|infinite|finite/i, 'huge_price.csv'], { issue: '1e308', outputs: ['%rfm.csv'], never: [/\binf\b/] }),
  fail('values', 'price-1e400', 'a price beyond float range', rfm('overflow_price.csv'), ['1e400', 'line 4']),
  fail('values', 'quantity-1e15', 'a quantity of 1e15 (line amount beyond any real sale)', rfm('big_qty.csv', '-o %rfm.csv'), ['1e15', 'line 4', 'big_qty.csv'], { outputs: ['%rfm.csv'] }),
  fail('values', 'currency-symbol', 'a £ sign in a price', rfm('currency_price.csv'), ['£2.50', 'line 5']),
  fail('values', 'percent', '10% as a quantity', rfm('percent_qty.csv'), ['10%', 'line 5']),
  fail('values', 'thousands-separator', '"1,234.50" in a comma CSV', rfm('thousands_quoted.csv'), ['1,234.50', 'line 5'], NO_LIBRARY),
  ok('values', 'empty-quantity', 'an empty quantity (removed by a rule and counted)', rfm('empty_qty.csv', '--json'), { check: (r) => (/"rowsUsed": 53\b/.test(r.out) || /nonpositive_quantity/.test(r.out) ? [] : ['the empty quantity is not counted']) }),
  fail('values', 'all-quantities-negative', 'every quantity negative', rfm('negative_all.csv'), ['nonpositive_quantity', /every|all/i], NO_LIBRARY),
  fail('values', 'all-prices-zero', 'every price zero', rfm('zero_price_all.csv'), ['nonpositive_unit_price'], NO_LIBRARY),
  fail('values', 'all-ids-missing', 'every customer id missing or a missing token', rfm('missing_ids_all.csv'), ['missing_customer_id'], NO_LIBRARY),
  ok('values', 'float-text-ids', 'ids written as 17850.0', rfm('float_ids.csv', '-o %rfm.csv'), { outputs: ['%rfm.csv'], check: (r, c) => (fs.readFileSync(`${c.dir}/rfm.csv`, 'utf8').includes('17850.0') ? ['ids keep ".0"'] : []) }),
  ok('values', 'long-id', 'a 10,000-character customer id', rfm('long_id.csv', '-o %rfm.csv'), { outputs: ['%rfm.csv'] }),
  ok('values', 'blank-id', 'a customer id of spaces', rfm('blank_id_spaces.csv')),
  fail('values', 'empty-date', 'an empty date', rfm('empty_date.csv'), ['empty_date.csv', 'line 6', /no date/i]),
  fail('values', 'feb-30', '2011-02-30 in the data', rfm('feb30.csv'), ['2011-02-30', 'line 5', 'feb30.csv'], NO_LIBRARY),
  fail('values', 'month-13', 'month 13', rfm('month13.csv'), ['2011-13-01', 'line 5']),
  fail('values', 'month-0', 'month 0', rfm('month0.csv'), ['2011-00-10', 'line 5']),
  fail('values', 'time-24-61', 'time 24:61', rfm('bad_time.csv'), ['24:61', 'line 5']),
  ok('values', 'year-2099', 'a date in 2099: a located warning', rfm('year2099.csv', '-o %rfm.csv'), { says: [/warning/, '2099', 'year2099.csv', 'line 5', '--date-to'], issue: 'out-of-range dates', outputs: ['%rfm.csv'] }),
  ok('values', 'year-1850', 'a date in 1850: a located warning', rfm('year1850.csv'), { says: [/warning/, '1850', 'year1850.csv', 'line 5', '--date-from'], issue: 'out-of-range dates' }),
  ok('values', 'year-0', 'a date in year 0: a located warning', rfm('year0.csv'), { says: [/warning/, '0000', 'year0.csv', 'line 5'], issue: 'out-of-range dates' }),
  ok('values', 'only-future-dates', 'every date in 2099: a warning', rfm('dates_only_future.csv'), { says: [/warning/, '2099', 'dates_only_future.csv', /54 rows/], issue: 'out-of-range dates' }),
  fail('values', 'excel-serial-dates', 'Excel serial numbers as dates', rfm('excel_serial.csv'), ['40544', /Excel/, 'line 2']),
  fail('values', 'unix-timestamps', 'Unix timestamps as dates', rfm('unix_ts.csv'), ['1294000000', 'line 2']),
  fail('values', 'one-odd-date-layout', 'one DD/MM date among ISO dates', rfm('mixed_layouts.csv'), ['15/03/2011', 'line 7'], { never: [/line 2\b/] }),
  fail('values', 'ambiguous-slash-dates', 'slash dates that could be either order', rfm('ambiguous_slash.csv'), ['--date-format', 'ambiguous_slash.csv'], NO_LIBRARY),
  fail('values', 'inconsistent-slash-dates', 'day-first and month-first dates mixed', rfm('inconsistent_slash.csv'), ['03/25/2011', 'line 3']),
  ok('values', 'mixed-timezones', 'ISO dates with and without Z', rfm('tz_mixed.csv')),
  fail('values', 'mixed-decimal-marks', 'decimal commas and points in one ; file', rfm('decimal_mixed.csv'), ['decimal_mixed.csv', /line \d+/, '--decimal-comma'], NO_LIBRARY),
  ok('values', 'quoted-newline', 'a quoted field with "" , and a newline in the first lines', rfm('quoted_newline.csv', '-o %rfm.csv'), { issue: 'quoted-newline pre-scan', outputs: ['%rfm.csv'] }),
  fail('values', 'error-after-quoted-newline', 'an error after a field with newlines: the physical line', rfm('quoted_newline_then_error.csv'), ['seven', 'line 13'], { issue: 'physical line numbers' }),
  fail('values', 'ragged-row', 'a row with an extra field', rfm('ragged.csv', '-o %rfm.csv'), ['ragged.csv', 'line 4', /9 fields/], { outputs: ['%rfm.csv'] }),
  fail('values', 'short-row', 'a row with 4 of 8 fields', rfm('short_row.csv'), ['short_row.csv', 'line 4', /4 fields, expected 8/]),
  fail('values', 'unterminated-quote', 'a quote never closed', rfm('unterminated_quote.csv'), ['unterminated_quote.csv', 'line 7', /quote/i], { never: [/infer_schema_length|You might want to try/] }),
  fail('values', 'report-one-customer', 'a report on one customer', R('report -i @one_customer.csv -o % --formats csv -q'), [/at least 3\b/, /customer/], { issue: 'validation order', never: [/zero_variance/] }),
  fail('values', 'report-two-customers', 'a report on two customers', R('report -i @two_customers.csv -o % --formats csv -q'), [/at least 3\b/, /customer/], { issue: 'validation order', never: [/zero_variance/] }),
  fail('values', 'report-identical-customers', 'a report on 39 identical customers', R('report -i @all_same.csv -o % --formats csv,html -q'), [/identical|no variation|variance|same/i], { outputs: ['%segmentation.html', '%segmentation-segments.csv'] }),
];

// ─────────────────────────────────────────────────────────────── flags
const G = 'good.csv';
const FLAGS: Case[] = [
  fail('flags', 'unknown-option', 'an unknown option', rfm(G, '--bogus'), ['--bogus']),
  fail('flags', 'input-no-value', '-i without a value', R('rfm -i'), [/--input|-i\b/]),
  fail('flags', 'unknown-command', 'an unknown command', R('frobnicate'), ['frobnicate']),
  fail('flags', 'bins-text', '--bins abc', rfm(G, '--bins abc'), ['--bins', 'abc']),
  fail('flags', 'bins-zero', '--bins 0', rfm(G, '--bins 0'), ['--bins'], NO_LIBRARY),
  fail('flags', 'bins-one', '--bins 1', rfm(G, '--bins 1'), ['--bins'], NO_LIBRARY),
  fail('flags', 'bins-eleven', '--bins 11', rfm(G, '--bins 11'), ['--bins', '11'], NO_LIBRARY),
  fail('flags', 'bins-fraction', '--bins 2.5', rfm(G, '--bins 2.5'), ['--bins', '2.5']),
  fail('flags', 'bins-negative', '--bins=-3', rfm(G, '--bins=-3'), ['--bins', '-3']),
  fail('flags', 'as-of-feb-30', '--as-of 2011-02-30', rfm(G, '--as-of 2011-02-30'), ['--as-of', '2011-02-30'], NO_LIBRARY),
  fail('flags', 'as-of-text', '--as-of notadate', rfm(G, '--as-of notadate'), ['--as-of', 'notadate'], { issue: 'flag names in messages', ...NO_LIBRARY }),
  fail('flags', 'date-from-feb-30', '--date-from 2011-02-30', rfm(G, '--date-from 2011-02-30'), ['--date-from', '2011-02-30'], { issue: '2011-02-30 in --date-from', ...NO_LIBRARY }),
  fail('flags', 'date-from-after-to', '--date-from after --date-to', rfm(G, '--date-from 2011-06-01 --date-to 2011-01-01'), ['--date-from', '--date-to'], { issue: 'validation order', never: [/removed every/, LIBRARY_SYNTAX] }),
  fail('flags', 'date-from-text', '--date-from yesterday', rfm(G, '--date-from yesterday'), ['--date-from', 'yesterday'], { issue: 'flag names in messages', ...NO_LIBRARY }),
  fail('flags', 'date-to-impossible', '--date-to 2011-13-45', rfm(G, '--date-to 2011-13-45'), ['--date-to', '2011-13-45'], { issue: 'flag names in messages', ...NO_LIBRARY }),
  fail('flags', 'date-window-empty', 'a date window with no rows in it', R(`eda -i @${G} -o % --date-from 2011-06-01 --date-to 2011-06-02`), ['--date-from', /date_window|date window/i], { issue: 'flag names in messages', never: [LIBRARY_SYNTAX, /--skip-rule date_window/] }),
  fail('flags', 'outlier-q-text', '--exclude-outliers amount:q=abc', rfm(G, '--exclude-outliers amount:q=abc'), ['--exclude-outliers', 'abc'], { issue: 'flag names in messages', never: [/\bNaN\b/, LIBRARY_SYNTAX] }),
  fail('flags', 'outlier-q-range', '--exclude-outliers amount:q=1.5', rfm(G, '--exclude-outliers amount:q=1.5'), ['--exclude-outliers', '1.5'], { issue: 'flag names in messages', ...NO_LIBRARY }),
  fail('flags', 'outlier-unknown-part', '--exclude-outliers price', rfm(G, '--exclude-outliers price'), ['--exclude-outliers', 'price']),
  fail('flags', 'outlier-k-negative', '--exclude-outliers amount:iqr:k=-1', rfm(G, '--exclude-outliers amount:iqr:k=-1'), ['--exclude-outliers', '-1'], { issue: 'flag names in messages', ...NO_LIBRARY }),
  fail('flags', 'skip-rule-unknown', '--skip-rule bogus', rfm(G, '--skip-rule bogus'), ['--skip-rule', 'bogus']),
  fail('flags', 'skip-rule-no-value', '--skip-rule without a value', rfm(G, '--skip-rule'), ['--skip-rule']),
  fail('flags', 'method-breaks-no-breaks', '--method breaks without --breaks', rfm(G, '--method breaks'), ['--breaks']),
  fail('flags', 'breaks-without-method', '--breaks without --method breaks', rfm(G, '--breaks recency=1,2;frequency=1,2;monetary=1,2'), ['--method breaks']),
  fail('flags', 'breaks-text', '--breaks with words', rfm(G, '--method breaks --breaks recency=a,b'), ['--breaks', 'recency=a,b']),
  fail('flags', 'breaks-descending', '--breaks not increasing', rfm(G, '--method breaks --breaks recency=300,200,100;frequency=1,2;monetary=5,10'), ['--breaks', '300'], { issue: 'flag names in messages', ...NO_LIBRARY }),
  fail('flags', 'method-unknown', '--method foo', rfm(G, '--method foo'), ['--method', 'foo']),
  fail('flags', 'returns-unknown', '--returns keep', rfm(G, '--returns keep'), ['--returns', 'keep']),
  fail('flags', 'delimiter-two-chars', '--delimiter ab', rfm(G, '--delimiter ab'), ['--delimiter', 'ab'], { issue: 'flag names in messages', ...NO_LIBRARY }),
  fail('flags', 'date-format-garbage', '--date-format %Q%Q', rfm(G, '--date-format %%Q%Q'), ['--date-format', '%Q%Q'], NO_LIBRARY),
  fail('flags', 'date-format-wrong', '--date-format DD/MM/YYYY on ISO dates', rfm(G, '--date-format DD/MM/YYYY'), ['--date-format', 'line 2', '2011-'], NO_LIBRARY),
  fail('flags', 'format-unknown', '--format xlsx', rfm(G, '--format xlsx'), ['--format', 'xlsx']),
  fail('flags', 'columns-with-col-flags', '--columns with --customer-col', rfm(G, '--columns customer,date,amount --customer-col x'), ['--columns', '--customer-col']),
  fail('flags', 'input-and-source', '--input and --source', rfm(G, '--source postgres://h/db?table=t'), ['--input', '--source']),
  fail('flags', 'source-not-url', '--source a file name', R('rfm --source tx.csv'), ['--source', 'tx.csv']),
  fail('flags', 'source-password-refused', 'a password in a --source URL that cannot connect', R('rfm --source postgres://u:hunter2@127.0.0.1:1/db?table=t'), ['127.0.0.1'], { never: ['hunter2'] }),
  fail('flags', 'k-text', 'report --k abc', R(`report -i @${G} -o % --k abc`), ['--k', 'abc']),
  fail('flags', 'k-one', 'report --k 1', R(`report -i @${G} -o % --k 1`), ['--k', '1']),
  fail('flags', 'k-range-reversed', 'report --k-min 5 --k-max 3', R(`report -i @${G} -o % --k-min 5 --k-max 3`), ['--k-min', '--k-max']),
  fail('flags', 'k-above-customers', 'report --k 70 on 60 customers', R('report -i @good60.csv -o % --k 70 --formats csv -q'), ['--k', '70', /60 customers|customers/], { ...NO_LIBRARY }),
  fail('flags', 'formats-unknown-before-reading', 'report --formats docx is refused before the data is read', R('report -i @nope.csv -o % --formats docx'), ['--formats', 'docx'], { issue: 'validation order', never: [/cannot find/] }),
  fail('flags', 'bins-before-reading', 'report --bins 99 is refused before the data is read', R('report -i @nope.csv -o % --bins 99'), ['--bins', '99'], { issue: 'validation order', never: [/cannot find/, LIBRARY_SYNTAX] }),
  fail('flags', 'out-xlsx-before-reading', 'rfm -o x.xlsx is refused before the data is read', R('rfm -i @nope.csv -o %x.xlsx'), ['.xlsx'], { issue: 'validation order', never: [/cannot find/], outputs: ['%x.xlsx'] }),
  fail('flags', 'seed-text', 'report --seed abc', R(`report -i @${G} -o % --seed abc`), ['--seed', 'abc']),
  fail('flags', 'min-share-150', 'report --min-segment-share 150', R(`report -i @${G} -o % --min-segment-share 150`), ['--min-segment-share', '150']),
  fail('flags', 'page-size-b5', 'report --page-size B5', R(`report -i @${G} -o % --page-size B5`), ['--page-size', 'B5']),
  fail('flags', 'eda-top-zero', 'eda --top 0', R(`eda -i @${G} -o % --top 0`), ['--top', '0']),
  fail('flags', 'eda-bins-text', 'eda --bins abc', R(`eda -i @${G} -o % --bins abc`), ['--bins', 'abc']),
  fail('flags', 'clv-horizon-text', 'clv --horizon abc', R(`clv -i @${G} --horizon abc`), ['--horizon', 'abc']),
  fail('flags', 'clv-discount-negative', 'clv --discount -1', R(`clv -i @${G} --discount=-1`), ['--discount', '-1']),
  fail('flags', 'clv-holdout-after-data', 'clv --holdout-from after the data', R(`clv -i @${G} --holdout-from 2012-01-01`), ['--holdout-from', '2012-01-01'], { issue: 'flag names in messages', ...NO_LIBRARY }),
  fail('flags', 'migrate-one-as-of', 'migrate with one --as-of', R(`migrate -i @${G} --as-of 2011-06-01`), ['--as-of']),
  fail('flags', 'migrate-as-of-reversed', 'migrate with the later --as-of first', R(`migrate -i @${G} --as-of 2011-09-01 --as-of 2011-06-01`), ['--as-of', '2011-09-01']),
  fail('flags', 'migrate-moves-unknown', 'migrate --moves bogus', R(`migrate -i @${G} --as-of 2011-06-01 --as-of 2011-09-01 --moves bogus -o %m.csv`), ['--moves', 'bogus'], { outputs: ['%m.csv'] }),
  fail('flags', 'generate-rows-negative', 'generate --rows=-5', R('generate -o %g.csv --rows=-5'), ['--rows', '-5'], { issue: 'flag names in messages', outputs: ['%g.csv'], ...NO_LIBRARY }),
  fail('flags', 'generate-customers-zero', 'generate --customers 0', R('generate -o %g.csv --customers 0'), ['--customers', '0'], { issue: 'flag names in messages', outputs: ['%g.csv'], ...NO_LIBRARY }),
  fail('flags', 'generate-end-before-start', 'generate --end before --start', R('generate -o %g.csv --start 2012-01-01 --end 2011-01-01'), ['--end', '2011-01-01', '2012-01-01'], { issue: 'flag names in messages', outputs: ['%g.csv'], ...NO_LIBRARY }),
  fail('flags', 'generate-gzip-level', 'generate --gzip-level 12', R('generate -o %g.csv.gz --gzip-level 12'), ['--gzip-level', '12'], { issue: 'flag names in messages', outputs: ['%g.csv.gz'], ...NO_LIBRARY }),
  fail('flags', 'generate-xlsx', 'generate -o g.xlsx', R('generate -o %g.xlsx'), ['g.xlsx'], { outputs: ['%g.xlsx'] }),
  fail('flags', 'rules-missing', 'rfm --rules with a missing file', rfm(G, '--rules @nope.json'), ['nope.json', /cannot read|not found|no such/i]),
  fail('flags', 'rules-not-json', 'rfm --rules with broken JSON', rfm(G, '--rules @rules_not_json.json'), ['rules_not_json.json', /JSON/]),
  fail('flags', 'rules-wrong-shape', 'rfm --rules of the wrong shape', rfm(G, '--rules @rules_wrong_shape.json'), ['rules_wrong_shape.json']),
  fail('flags', 'rules-bad-range', 'rfm --rules with a reversed range', rfm(G, '--rules @rules_bad_range.json'), ['rules_bad_range.json', 'rule 1']),
];

// ─────────────────────────────────────────────────────────────── notebooks and parameter files
const NB = '@params.ipynb';
const NOTEBOOKS: Case[] = [
  fail('notebooks', 'inspect-missing', 'inspect a missing notebook', R('inspect @nope.ipynb'), ['nope.ipynb']),
  fail('notebooks', 'inspect-not-json', 'inspect a file that is not JSON', R('inspect @not_json.ipynb'), ['not_json.ipynb', /JSON/]),
  fail('notebooks', 'inspect-no-cells', 'a notebook without cells', R('inspect @no_cells.ipynb'), ['no_cells.ipynb', 'cells']),
  fail('notebooks', 'inspect-cells-object', 'cells is an object', R('inspect @cells_not_array.ipynb'), ['cells_not_array.ipynb', 'cells']),
  ok('notebooks', 'inspect-no-parameters', 'a notebook without a parameters cell', R('inspect @no_params.ipynb'), { says: [/no cell tagged "parameters"/] }),
  fail('notebooks', 'inspect-parameters-syntax-error', 'a parameters cell that does not parse', R('inspect @bad_params_syntax.ipynb'), ['bad_params_syntax.ipynb', /cannot be parsed/, 'line 1'], { never: [/\(none\)/] }),
  fail('notebooks', 'inspect-truncated', 'a notebook cut short', R('inspect @truncated.ipynb'), ['truncated.ipynb', /JSON/]),
  fail('notebooks', 'inspect-nbformat-3', 'an nbformat 3 notebook', R('inspect @nbformat3.ipynb'), ['nbformat3.ipynb', /nbformat/]),
  fail('notebooks', 'inspect-folder', 'inspect a folder', R('inspect %'), [/folder|director/i]),
  fail('notebooks', 'run-unknown-parameter', 'run -p with an undeclared name', R(`run ${NB} -o %o.ipynb -p nosuch 1`), ['nosuch', '--allow-unknown'], { outputs: ['%o.ipynb'] }),
  fail('notebooks', 'run-wrong-type', 'run -p k many (k is a number)', R(`run ${NB} -o %o.ipynb -p k many`), ['k', 'many', /number/], { outputs: ['%o.ipynb'] }),
  fail('notebooks', 'run-params-yaml-broken', 'a parameters file of broken YAML', R(`run ${NB} -o %o.ipynb -f @params_bad.yaml`), ['params_bad.yaml', /line \d+/], { outputs: ['%o.ipynb'] }),
  fail('notebooks', 'run-params-list', 'a parameters file that is a list', R(`run ${NB} -o %o.ipynb -f @params_list.json`), ['params_list.json', /mapping|object/i]),
  fail('notebooks', 'run-params-unknown', 'a parameters file with an undeclared name', R(`run ${NB} -o %o.ipynb -f @params_unknown.json`), ['nosuchparam', 'params_unknown.json'], { outputs: ['%o.ipynb'] }),
  fail('notebooks', 'run-params-wrong-type', 'a parameters file with a wrong type', R(`run ${NB} -o %o.ipynb -f @params_wrongtype.json`), ['many', 'params_wrongtype.json'], { outputs: ['%o.ipynb'] }),
  fail('notebooks', 'run-params-truncated', 'a parameters file cut short', R(`run ${NB} -o %o.ipynb -f @params_truncated.json`), ['params_truncated.json']),
  fail('notebooks', 'run-params-missing', 'a parameters file that does not exist', R(`run ${NB} -o %o.ipynb -f @nope.yaml`), ['nope.yaml']),
  fail('notebooks', 'run-params-binary', 'a parameters file of random bytes', R(`run ${NB} -o %o.ipynb -f @params_binary.yaml`), ['params_binary.yaml']),
  fail('notebooks', 'run-batch-bad-line', 'a batch file with a broken line 3', R(`run ${NB} --batch @batch_bad_line3.jsonl`), ['batch_bad_line3.jsonl', /line 3|:3\b/]),
  fail('notebooks', 'run-batch-not-object', 'a batch line that is an array', R(`run ${NB} --batch @batch_not_object.jsonl`), ['batch_not_object.jsonl', /line 2|:2\b/]),
  fail('notebooks', 'run-timeout-text', 'run --timeout abc', R(`run ${NB} -o %o.ipynb --timeout abc`), ['--timeout', 'abc'], { outputs: ['%o.ipynb'] }),
  fail('notebooks', 'run-missing-notebook', 'run a notebook that does not exist', R('run @nope.ipynb -o %o.ipynb'), ['nope.ipynb'], { outputs: ['%o.ipynb'] }),
  fail('notebooks', 'run-not-json', 'run a notebook that is not JSON', R('run @not_json.ipynb -o %o.ipynb'), ['not_json.ipynb'], { outputs: ['%o.ipynb'] }),
  fail('notebooks', 'run-no-notebook', 'run without a notebook', R('run'), [/notebook/i]),
  fail('notebooks', 'run-p-no-value', 'run -p without a value', R(`run ${NB} -p`), ['-p']),
  fail('notebooks', 'run-output-in-proc', 'run -o under /proc', R(`run ${NB} -o /proc/segkit-nb/o.ipynb -p k 3`), ['/proc'], { timeoutMs: 120_000, never: [/tslab ready/] }),
];

// ─────────────────────────────────────────────────────────────── models
const ONE = '--recency 10 --frequency 2 --monetary 50';
const assign = (model: string, more = ONE): string[] => R(`assign --model @${model} ${more}`);
const MODELS: Case[] = [
  ok('models', 'assign-good', 'a valid model and one customer', assign('model.json', `${ONE} --json`), { check: (r) => { try { JSON.parse(r.out); return []; } catch { return ['--json output is not JSON']; } } }),
  ok('models', 'assign-file-good', 'a valid model and a customers file', R(`assign --model @model.json -i %c.csv -o %scored.csv`), {
    outputs: ['%scored.csv'],
    setup: (c) => fs.writeFileSync(`${c.dir}/c.csv`, 'customer_id,recency,frequency,monetary\na,10,2,30\nb,100,5,400\n'),
  }),
  fail('models', 'model-missing', 'the model file does not exist', assign('nope.json'), ['nope.json', /not found|cannot find/i]),
  fail('models', 'model-not-json', 'the model file is not JSON', assign('not_json_model.json'), ['not_json_model.json', /JSON/]),
  fail('models', 'model-empty-object', 'the model file is {}', assign('empty_model.json'), ['empty_model.json', 'format']),
  fail('models', 'model-array', 'the model file is []', assign('array_model.json'), ['array_model.json']),
  fail('models', 'model-wrong-format', 'another kind of JSON file', assign('wrong_format_model.json'), ['wrong_format_model.json', 'something-else']),
  fail('models', 'model-truncated', 'a model cut short', assign('truncated_model.json'), ['truncated_model.json', /JSON|cut short/i]),
  fail('models', 'model-future-version', 'a model from a newer segkit', assign('future_model.json'), ['future_model.json', /version|format 6|99\.0\.0/]),
  fail('models', 'model-no-clusters', 'a model without clusters', assign('no_clusters_model.json'), ['no_clusters_model.json', 'clusters']),
  fail('models', 'model-bad-centroid', 'a centroid of the wrong length', assign('bad_centroid_model.json'), ['bad_centroid_model.json', 'centroids']),
  fail('models', 'model-string-centroid', 'centroid values that are strings', assign('string_centroid_model.json'), ['string_centroid_model.json', 'centroids']),
  fail('models', 'model-is-csv', 'a CSV given as the model', R(`assign --model @good.csv ${ONE}`), ['good.csv', /JSON/]),
  fail('models', 'model-is-folder', 'a folder given as the model', R(`assign --model % ${ONE}`), [/folder|director/i]),
  fail('models', 'recency-text', 'assign --recency abc', assign('model.json', '--recency abc --frequency 2 --monetary 3'), ['--recency', 'abc']),
  fail('models', 'recency-negative', 'assign --recency=-5', assign('model.json', '--recency=-5 --frequency 2 --monetary 3'), ['--recency', '-5'], { issue: 'flag names in messages' }),
  fail('models', 'monetary-nan', 'assign --monetary NaN', assign('model.json', '--recency 5 --frequency 2 --monetary NaN'), ['--monetary', 'NaN']),
  fail('models', 'monetary-overflow', 'assign --monetary 1e400', assign('model.json', '--recency 5 --frequency 2 --monetary 1e400'), ['--monetary', '1e400']),
  fail('models', 'one-value-only', 'assign with --recency only', assign('model.json', '--recency 5'), ['--frequency', '--monetary']),
  fail('models', 'customers-no-recency', 'a customers file without recency', R('assign --model @model.json -i @customers_no_recency.csv'), ['customers_no_recency.csv', 'recency']),
  fail('models', 'customers-text-recency', 'text in a customers file', R('assign --model @model.json -i @customers_text_recency.csv -o %s.csv'), ['customers_text_recency.csv', 'ten', /line 3|row 2/], { outputs: ['%s.csv'] }),
  fail('models', 'customers-nan', 'NaN in a customers file', R('assign --model @model.json -i @customers_nan.csv'), ['customers_nan.csv', 'NaN']),
  fail('models', 'feature-bad', 'assign --feature without =', assign('model.json', `${ONE} --feature bad`), ['--feature', 'bad']),
  fail('models', 'input-and-one', 'assign --input and --recency together', R(`assign --model @model.json -i @customers_nan.csv ${ONE}`), ['--input', '--recency']),
  ok('models', 'model-hostile-names', 'segment names with HTML', assign('html_model.json', `${ONE} --json`), { check: (r) => { try { JSON.parse(r.out); return []; } catch { return ['--json output is not JSON']; } } }),
];

// ─────────────────────────────────────────────────────────────── output places
const mkfile = (name: string) => (c: CaseContext): void => fs.writeFileSync(`${c.dir}/${name}`, 'I am a file\n');
const locked = (c: CaseContext): void => {
    fs.mkdirSync(`${c.dir}/locked`);
  fs.chmodSync(`${c.dir}/locked`, 0o555);
};
const OUTPUTS: Case[] = [
  ok('outputs', 'missing-folders-made', 'rfm -o into folders that do not exist yet', rfm(G, '-o %new/deeper/rfm.csv'), { outputs: ['%new/deeper/rfm.csv'] }),
  ok('outputs', 'summary-out', 'rfm --out and --summary-out', rfm(G, '-o %rfm.csv --summary-out %summary.json'), { outputs: ['%rfm.csv', '%summary.json'] }),
  fail('outputs', 'proc-rfm', 'rfm -o under /proc', rfm(G, '-o /proc/segkit-bad/rfm.csv'), ['/proc'], { issue: '/proc hang', timeoutMs: 30_000 }),
  fail('outputs', 'proc-eda', 'eda -o a folder under /proc', R(`eda -i @${G} -o /proc/segkit-out`), ['/proc'], { issue: '/proc hang', timeoutMs: 30_000 }),
  fail('outputs', 'proc-clv', 'clv -o under /proc', R(`clv -i @good60.csv -o /proc/x/clv.csv`), ['/proc'], { issue: '/proc hang', timeoutMs: 30_000 }),
  fail('outputs', 'proc-generate', 'generate -o under /proc', R('generate -o /proc/x/g.csv --rows 100'), ['/proc'], { issue: '/proc hang', timeoutMs: 30_000 }),
  fail('outputs', 'sys-report', 'report -o under /sys', R(`report -i @${G} -o /sys/segkit --formats csv -q`), ['/sys'], { timeoutMs: 30_000 }),
  fail('outputs', 'file-as-folder-rfm', 'rfm -o afile/rfm.csv where afile is a file', rfm(G, '-o %afile/rfm.csv'), ['afile', /not a folder|is a file|ENOTDIR/i], { setup: mkfile('afile'), outputs: ['%afile/rfm.csv'] }),
  fail('outputs', 'file-as-folder-eda', 'eda -o a file', R(`eda -i @${G} -o %afile`), ['afile', /not a folder|is a file|ENOTDIR/i], { setup: mkfile('afile') }),
  fail('outputs', 'file-as-folder-report', 'report -o a file', R(`report -i @good60.csv -o %afile --formats csv -q`), ['afile', /not a folder|is a file|ENOTDIR/i], { setup: mkfile('afile') }),
  fail('outputs', 'file-as-folder-charts', 'migrate --charts-dir a file', R(`migrate -i @good60.csv --as-of 2011-06-01 --as-of 2011-09-01 --charts-dir %afile`), ['afile', '--charts-dir'], { setup: mkfile('afile') }),
  fail('outputs', 'folder-as-file', 'rfm -o an existing folder', rfm(G, '-o %'), [/folder|director|\.csv/i]),
  fail('outputs', 'trailing-slash', 'rfm -o out/', rfm(G, '-o %out/'), [/folder|\.csv/i], { outputs: ['%out'] }),
  fail('outputs', 'xlsx-output', 'rfm -o rfm.xlsx', rfm(G, '-o %rfm.xlsx'), ['rfm.xlsx', /\.csv/], { outputs: ['%rfm.xlsx'] }),
  fail('outputs', 'unwritable-csv', 'rfm -o CSV into a folder the user cannot write', rfm(G, '-o %locked/rfm.csv'), ['locked', /permission|EACCES|cannot write/i], { issue: 'writeCSV panic', unprivileged: true, setup: locked, outputs: ['%locked/rfm.csv'] }),
  fail('outputs', 'unwritable-json', 'rfm -o JSON into a folder the user cannot write', rfm(G, '-o %locked/rfm.json'), ['locked', /permission|EACCES|cannot write/i], { unprivileged: true, setup: locked, outputs: ['%locked/rfm.json'] }),
  fail('outputs', 'unwritable-parquet', 'rfm -o Parquet into a folder the user cannot write', rfm(G, '-o %locked/rfm.parquet'), ['locked', /permission|EACCES|cannot write/i], { issue: 'writeCSV panic', unprivileged: true, setup: locked, outputs: ['%locked/rfm.parquet'] }),
  fail('outputs', 'unwritable-summary', 'rfm --summary-out into a folder the user cannot write', rfm(G, '--summary-out %locked/s.csv'), ['locked', /permission|EACCES|cannot write/i], { issue: 'writeCSV panic', unprivileged: true, setup: locked }),
  fail('outputs', 'unwritable-eda', 'eda -o a folder the user cannot write', R(`eda -i @${G} -o %locked`), ['locked', /permission|EACCES|cannot write/i], { issue: 'writeCSV panic', unprivileged: true, setup: locked }),
  fail('outputs', 'unwritable-eda-subfolder', 'eda -o a new folder inside one the user cannot write', R(`eda -i @${G} -o %locked/eda`), ['locked', /permission|EACCES|cannot/i], { unprivileged: true, setup: locked }),
  fail('outputs', 'unwritable-report', 'report -o a folder the user cannot write', R(`report -i @good60.csv -o %locked --formats csv,html -q`), ['locked', /permission|EACCES|cannot write/i], { issue: 'writeCSV panic', unprivileged: true, setup: locked }),
  fail('outputs', 'unwritable-generate', 'generate -o into a folder the user cannot write', R('generate -o %locked/g.csv --rows 200'), ['locked', /permission|EACCES|cannot write/i], { unprivileged: true, setup: locked }),
  fail('outputs', 'full-disk-rfm', 'rfm -o onto a full file system', R('rfm -i @good60.csv -o %full/rfm.csv'), ['full', /space|ENOSPC/i], { fullDisk: true, outputs: ['%full/rfm.csv'] }),
  fail('outputs', 'full-disk-csv-gz', 'rfm -o .csv.gz onto a full file system', R('rfm -i @good60.csv -o %full/rfm.csv.gz'), ['full', /space|ENOSPC/i], { fullDisk: true, outputs: ['%full/rfm.csv.gz'] }),
  fail('outputs', 'full-disk-parquet', 'rfm -o .parquet onto a full file system', R('rfm -i @good60.csv -o %full/rfm.parquet'), ['full', /space|ENOSPC/i], { fullDisk: true, outputs: ['%full/rfm.parquet'] }),
  fail('outputs', 'full-disk-eda', 'eda -o onto a full file system', R('eda -i @good60.csv -o %full/eda'), ['full', /space|ENOSPC/i], { fullDisk: true }),
  fail('outputs', 'full-disk-generate', 'generate -o onto a full file system', R('generate -o %full/g.csv --rows 5000'), ['full', /space|ENOSPC/i], { fullDisk: true, outputs: ['%full/g.csv'] }),
  fail('outputs', 'failure-keeps-old-output', 'a failed run leaves the previous output as it was', rfm('text_qty.csv', '-o %rfm.csv'), ['text_qty.csv'], {
    setup: (c) => fs.writeFileSync(`${c.dir}/rfm.csv`, 'OLD\n'),
    check: (_r, c) => (fs.readFileSync(`${c.dir}/rfm.csv`, 'utf8') === 'OLD\n' ? [] : ['the previous rfm.csv was changed']),
  }),
  fail('outputs', 'output-is-input', 'rfm -o the input file itself', R('rfm -i %tx.csv -o %tx.csv'), ['tx.csv', /input/i], {
    setup: (c) => fs.copyFileSync(c.fx('good.csv'), `${c.dir}/tx.csv`),
    check: (_r, c) => (fs.readFileSync(`${c.dir}/tx.csv`, 'utf8') === fs.readFileSync(c.fx('good.csv'), 'utf8') ? [] : ['the input file was overwritten']),
  }),
  fail('outputs', 'output-is-input-symlink', 'rfm -o a link to the input file', R('rfm -i %tx.csv -o %link.csv'), ['link.csv', /input/i], {
    setup: (c) => {
            fs.copyFileSync(c.fx('good.csv'), `${c.dir}/tx.csv`);
      fs.symlinkSync(`${c.dir}/tx.csv`, `${c.dir}/link.csv`);
    },
    check: (_r, c) => (fs.readFileSync(`${c.dir}/tx.csv`, 'utf8').startsWith('customer_id,invoice') ? [] : ['the input file was overwritten']),
  }),
  fail('outputs', 'name-too-long', 'rfm -o a 300-character file name', R(`rfm -i @${G} -o %${'n'.repeat(300)}.csv`), [/too long|ENAMETOOLONG/i]),
];

// ─────────────────────────────────────────────────────────────── hostile content
const FORMULA_START = /^[=+\-@\t\r]/;
/** Problems when any cell of a CSV starts like a spreadsheet formula. */
export function formulaCells(csv: string): string[] {
  const bad = new Set<string>();
  for (const cell of csvCells(csv)) if (FORMULA_START.test(cell) && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(cell)) bad.add(cell);
  return [...bad].slice(0, 5).map((c) => `a cell starts like a formula: ${JSON.stringify(c)}`);
}
/**
 * The rows of a CSV text, each as its cells (RFC 4180 quotes: a newline inside quotes stays in the cell;
 * the CR of a CRLF is dropped). A last line without a newline is a row too.
 */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') q = true;
    else if (ch === ',') {
      row.push(cur);
      cur = '';
    } else if (ch === '\n') {
      row.push(cur);
      rows.push(row);
      row = [];
      cur = '';
    }
    else if (ch !== '\r' || text[i + 1] !== '\n') cur += ch;
  }
  if (cur || row.length) rows.push([...row, cur]);
  return rows;
}

/** Every cell of a CSV text. */
export const csvCells = (csv: string): string[] => csvRows(csv).flat();
const read = (p: string): string => fs.readFileSync(p, 'utf8');
const noFormulas = (...files: string[]) => (_r: RunResult, c: CaseContext): string[] => files.flatMap((f) => formulaCells(read(`${c.dir}/${f}`)).map((p) => `${f}: ${p}`));
const noRawHtml = (file: string) => (_r: RunResult, c: CaseContext): string[] => {
  const html = read(`${c.dir}/${file}`);
  return [/<script>alert/i, /<img src=x/i, /<\/table><h1>pwned/i, /<b>c\d+<\/b>/].filter((re) => re.test(html)).map((re) => `${file} holds raw HTML from the data (${re})`);
};
const HOSTILE: Case[] = [
  ok('hostile', 'csv-injection-rfm', 'formula-like customer ids in rfm CSV', rfm('formulas.csv', '-o %rfm.csv'), { issue: 'CSV injection', outputs: ['%rfm.csv'], check: noFormulas('rfm.csv') }),
  ok('hostile', 'csv-injection-rfm-gz', 'formula-like ids in rfm .csv.gz', rfm('formulas.csv', '-o %rfm.csv.gz'), {
    issue: 'CSV injection',
    outputs: ['%rfm.csv.gz'],
    check: (_r, c) => formulaCells(zlib.gunzipSync(fs.readFileSync(`${c.dir}/rfm.csv.gz`)).toString('utf8')),
  }),
  ok('hostile', 'csv-injection-report', 'formula-like ids in the report\'s per-customer CSV', R('report -i @formulas.csv -o % --formats csv -q --k 3'), {
    issue: 'CSV injection',
    outputs: ['%segmentation-segments.csv'],
    check: noFormulas('segmentation-segments.csv'),
  }),
  ok('hostile', 'csv-injection-summary', 'formula-like ids, summary CSV', rfm('formulas.csv', '--summary-out %summary.csv'), { outputs: ['%summary.csv'], check: noFormulas('summary.csv') }),
  ok('hostile', 'formulas-raw-in-parquet', 'Parquet keeps formula-like ids raw', rfm('formulas.csv', '-o %rfm.parquet'), {
    outputs: ['%rfm.parquet'],
    check: (_r, c) => {
            const ids = pl.readParquet(`${c.dir}/rfm.parquet`).getColumn('customer_id').toArray() as string[];
      return ids.includes('=1+2') && ids.includes('@SUM(1+1)') ? [] : ['Parquet ids were changed'];
    },
  }),
  ok('hostile', 'formulas-raw-in-json', 'JSON keeps formula-like ids raw', rfm('formulas.csv', '-o %rfm.json'), {
    outputs: ['%rfm.json'],
    check: (_r, c) => ((JSON.parse(read(`${c.dir}/rfm.json`)) as Array<{ customer_id: string }>).some((r) => r.customer_id === '=1+2') ? [] : ['JSON ids were changed']),
  }),
  ok('hostile', 'csv-injection-eda', 'formula-like descriptions in eda CSV tables', R('eda -i @formula_products.csv -o %eda --no-html'), { check: (_r, c) => fs.readdirSync(`${c.dir}/eda`).filter((f) => f.endsWith('.csv')).flatMap((f) => formulaCells(read(`${c.dir}/eda/${f}`)).map((p) => `eda/${f}: ${p}`)) }),
  ok('hostile', 'csv-injection-migrate', 'formula-like ids in migrate CSV', R('migrate -i @formulas.csv --as-of 2011-05-01 --as-of 2011-08-01 -o %m.csv'), { outputs: ['%m.csv'], check: noFormulas('m.csv') }),
  ok('hostile', 'csv-injection-assign', 'formula-like ids in assign CSV', R('assign --model @model.json -i %c.csv -o %scored.csv'), {
    outputs: ['%scored.csv'],
    setup: (c) => fs.writeFileSync(`${c.dir}/c.csv`, 'customer_id,recency,frequency,monetary\n=1+2,10,2,30\n@SUM(A1),100,5,400\n+4179,5,1,20\n'),
    check: noFormulas('scored.csv'),
  }),
  ok('hostile', 'html-in-eda', 'HTML and script in descriptions and countries', R('eda -i @html_content.csv -o %eda'), { outputs: ['%eda/index.html'], check: noRawHtml('eda/index.html') }),
  ok('hostile', 'html-in-report', 'HTML and script in the data of a report', R('report -i @html_content.csv -o % --formats html -q --k 3'), { outputs: ['%segmentation.html'], check: noRawHtml('segmentation.html') }),
  ok('hostile', 'html-ids-report', 'HTML customer ids in a report', R('report -i @html_ids.csv -o % --formats html,csv -q --k 3'), { outputs: ['%segmentation.html', '%segmentation-segments.csv'], check: noRawHtml('segmentation.html') }),
  ok('hostile', 'html-column-name', 'a column named <script>', R('eda -i @html_header.csv -o %eda --customer-col <script>alert(1)</script>'), { outputs: ['%eda/index.html'], check: noRawHtml('eda/index.html') }),
  ok('hostile', 'html-title-author', 'report --title and --author with HTML', ['report', '-i', '@good60.csv', '-o', '%', '--formats', 'html', '-q', '--k', '3', '--title', '<script>alert(1)</script>', '--author', '<img src=x onerror=alert(1)>'], { outputs: ['%segmentation.html'], check: noRawHtml('segmentation.html') }),
  fail('hostile', 'name-traversal', 'report --name ../../evil', R('report -i @good60.csv -o %out --formats csv -q --name ../../evil'), ['--name', '../../evil'], {
    check: (_r, c) => (fs.readdirSync(path.dirname(c.dir)).some((f: string) => f.startsWith('evil')) ? ['a file was written outside --out-dir'] : []),
  }),
  fail('hostile', 'name-absolute', 'report --name /tmp/evil', R('report -i @good60.csv -o %out --formats csv -q --name /tmp/segkit-evil'), ['--name'], { check: () => (fs.existsSync('/tmp/segkit-evil-segments.csv') ? ['wrote /tmp/segkit-evil-segments.csv'] : []) }),
  fail('hostile', 'name-slash', 'report --name a/b', R('report -i @good60.csv -o %out --formats csv -q --name a/b'), ['--name', 'a/b']),
  fail('hostile', 'name-very-long', 'report --name of 300 characters', R(`report -i @good60.csv -o %out --formats csv -q --name ${'x'.repeat(300)}`), ['--name', /long|200 characters/i]),
  fail('hostile', 'name-empty', 'report --name ""', ['report', '-i', '@good60.csv', '-o', '%out', '--formats', 'csv', '-q', '--name', ''], ['--name']),
  fail('hostile', 'name-control-chars', 'report --name with an escape sequence', ['report', '-i', '@good60.csv', '-o', '%out', '--formats', 'csv', '-q', '--name', 'x\u001b[2Jy'], ['--name']),
  fail('hostile', 'name-dotdot', 'report --name ..', R('report -i @good60.csv -o %out --formats csv -q --name ..'), ['--name']),
  ok('hostile', 'control-chars-in-data', 'escape sequences and BEL in countries', R('eda -i @control_chars.csv -o %eda'), {
    outputs: ['%eda/index.html'],
    check: (_r, c) =>
      ['index.html', ...fs.readdirSync(`${c.dir}/eda`).filter((f) => f.endsWith('.svg'))].flatMap((f) => {
        const text = read(`${c.dir}/eda/${f}`);
        if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return [`eda/${f} holds raw control characters`];
        return f === 'index.html' && !text.includes('\\x1b[31mRED') ? ['index.html does not show the escape sequence as \\x1b'] : [];
      }),
  }),
  fail('hostile', 'control-chars-in-bad-value', 'an escape sequence as a quantity: the message quotes it safely', rfm('control_in_number.csv'), ['control_in_number.csv', 'line 5']),
  fail('hostile', 'huge-bad-value', 'a 200,000-character bad quantity: the message stays short', rfm('huge_bad_number.csv'), ['huge_bad_number.csv', 'line 5']),
  fail('hostile', 'huge-column-flag', 'a 5,000-character --customer-col', R(`rfm -i @${G} --customer-col ${'k'.repeat(5000)}`), ['--customer-col']),
  fail('hostile', 'control-chars-in-path', 'a missing input whose name holds an escape sequence', ['rfm', '-i', '%bad\u001b[2Jname.csv'], [/cannot find/i]),
  fail('hostile', 'input-name-newline', 'a missing input whose name holds a newline', ['rfm', '-i', '%two\nlines.csv'], [/cannot find/i]),
];

export const CASES: Case[] = [...FILES, ...SCHEMAS, ...VALUES, ...FLAGS, ...NOTEBOOKS, ...MODELS, ...OUTPUTS, ...HOSTILE];
