/**
 * File sniffing: which format a file is (by extension, checked against its bytes), whether it is
 * gzip, and for delimited text the delimiter, the header and a sample of the first lines.
 *
 * Only the first {@link SNIFF_BYTES} (decompressed) bytes are read here; the whole file is left to Polars.
 */
import { createReadStream, promises as fsp, readdirSync } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { SegkitError, closest } from '../errors';
import { rememberInput } from './inputs';

export type FileFormat = 'csv' | 'parquet' | 'json' | 'ndjson';

/** A delimiter character, or 'whitespace' (runs of spaces/tabs) or 'fixed' (aligned fixed-width columns). */
export type Delimiter = string;

/** Decompressed bytes read to sniff a text file. */
export const SNIFF_BYTES = 256 * 1024;

/** Supported file name endings, longest first. */
export const EXTENSIONS: ReadonlyArray<{ ext: string; format: FileFormat; gz: boolean }> = [
  { ext: '.csv.gz', format: 'csv', gz: true },
  { ext: '.tsv.gz', format: 'csv', gz: true },
  { ext: '.txt.gz', format: 'csv', gz: true },
  { ext: '.json.gz', format: 'json', gz: true },
  { ext: '.ndjson.gz', format: 'ndjson', gz: true },
  { ext: '.jsonl.gz', format: 'ndjson', gz: true },
  { ext: '.csv', format: 'csv', gz: false },
  { ext: '.tsv', format: 'csv', gz: false },
  { ext: '.txt', format: 'csv', gz: false },
  { ext: '.dat', format: 'csv', gz: false },
  { ext: '.parquet', format: 'parquet', gz: false },
  { ext: '.pq', format: 'parquet', gz: false },
  { ext: '.json', format: 'json', gz: false },
  { ext: '.ndjson', format: 'ndjson', gz: false },
  { ext: '.jsonl', format: 'ndjson', gz: false },
];

const SUPPORTED = 'CSV/TSV/TXT (.csv, .tsv, .txt, .dat, optionally .gz), Parquet (.parquet, .pq), JSON (.json) or NDJSON (.ndjson, .jsonl)';

export interface FileInfo {
  path: string;
  format: FileFormat;
  /** The file is gzip (by extension, confirmed by its first bytes). */
  compressed: boolean;
  bytes: number;
}

/** Check that `file` exists, is non-empty and has a supported extension whose bytes agree (gzip magic). */
export async function inspectFile(file: string, formatOverride?: FileFormat): Promise<FileInfo> {
  let st;
  try {
    st = await fsp.stat(file);
  } catch {
    const dir = path.dirname(path.resolve(file));
    let near: string[] = [];
    try {
      near = closest(path.basename(file), readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name), 3);
    } catch {
      /* folder missing too */
    }
    throw new SegkitError('io', 'file_not_found', `cannot find the input file "${file}"`, {
      where: path.resolve(file),
      hint: near.length ? `check the path; files nearby: ${near.join(', ')}` : 'check the path (it is relative to the current folder)',
    });
  }
  rememberInput(file);
  if (st.isDirectory()) {
    throw new SegkitError('io', 'not_a_file', `"${file}" is a folder, not a file`, { where: file, hint: 'give the path of one transactions file' });
  }
  const lower = file.toLowerCase();
  const known = EXTENSIONS.find((e) => lower.endsWith(e.ext));
  if (!known && !formatOverride) {
    const ext = path.extname(file) || '(no extension)';
    throw new SegkitError('io', 'unsupported_format', `unsupported file type ${ext}: segkit reads ${SUPPORTED}`, {
      where: file,
      hint: "convert the file to CSV or Parquet, rename it with the right extension, or pass format: 'csv'",
    });
  }
  if (st.size === 0) {
    throw new SegkitError('io', 'empty_file', 'the input file is empty (0 bytes)', { where: file, hint: 'export the transactions again; the file has no header and no rows' });
  }
  let magic: Buffer;
  try {
    magic = await firstBytes(file, 4);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SegkitError('io', 'unreadable_input', `cannot read the input file: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message} (${code ?? 'error'})`, {
      where: file,
      hint: code === 'EACCES' || code === 'EPERM' ? 'give yourself read permission on the file (chmod u+r FILE), or copy it somewhere you can read it' : 'check the path and that the file can be read',
      cause: e,
    });
  }
  const isGzip = magic[0] === 0x1f && magic[1] === 0x8b;
  const gzExt = known?.gz ?? false;
  if (gzExt && !isGzip) {
    throw new SegkitError('io', 'not_gzip', `the file name ends in .gz but the file is not gzip-compressed (it starts with bytes ${hex(magic)})`, {
      where: file,
      hint: `rename it without ".gz" (e.g. ${path.basename(file).replace(/\.gz$/i, '')}) if it is plain text, or compress it with gzip`,
    });
  }
  const format = formatOverride ?? known!.format;
  const isParquet = magic[0] === 0x50 && magic[1] === 0x41 && magic[2] === 0x52 && magic[3] === 0x31; // PAR1
  if (format === 'parquet' && !isParquet) {
    throw new SegkitError('io', 'not_parquet', `the file name says Parquet but the file does not start with the Parquet magic "PAR1" (it starts with ${hex(magic)})`, {
      where: file,
      hint: 'check that the file was exported as Parquet, or rename it to its real type (e.g. .csv)',
    });
  }
  if (format !== 'parquet' && isParquet) {
    throw new SegkitError('io', 'format_mismatch', `the file is Parquet but its name says ${format.toUpperCase()}`, { where: file, hint: 'rename it to end in .parquet' });
  }
  return { path: file, format, compressed: isGzip && format !== 'parquet', bytes: st.size };
}

async function firstBytes(file: string, n: number): Promise<Buffer> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const hex = (b: Buffer): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

/**
 * The first `maxBytes` decompressed bytes of a file as UTF-8 text, cut after the last complete line
 * (unless the whole file fits). A gzip that fails to decompress gives SegkitError 'corrupt_gzip'.
 */
export async function readHead(info: FileInfo, maxBytes = SNIFF_BYTES): Promise<{ text: string; complete: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  let complete = true;
  await new Promise<void>((resolve, reject) => {
    const raw = createReadStream(info.path);
    const src = info.compressed ? raw.pipe(createGunzip()) : raw;
    const stop = (): void => {
      complete = false;
      raw.destroy();
      if (src !== raw) (src as ReturnType<typeof createGunzip>).destroy();
      resolve();
    };
    src.on('data', (c: Buffer) => {
      chunks.push(c);
      total += c.length;
      if (total >= maxBytes) stop();
    });
    src.on('end', () => resolve());
    src.on('error', (e: Error) => {
      if (!complete) return resolve();
      reject(
        new SegkitError('io', 'corrupt_gzip', `the gzip file could not be decompressed: ${e.message}`, {
          where: info.path,
          hint: 'the file is damaged or was cut short; download or export it again (check it with `gzip -t FILE`)',
          cause: e,
        }),
      );
    });
    raw.on('error', reject);
  });
  let buf = Buffer.concat(chunks);
  if (!complete) {
    const lastNl = buf.lastIndexOf(0x0a, Math.min(buf.length, maxBytes));
    buf = lastNl >= 0 ? buf.subarray(0, lastNl + 1) : buf;
  }
  return { text: buf.toString('utf8').replace(/^\uFEFF/, ''), complete };
}

/**
 * Refuse what is not UTF-8 text before it is parsed as CSV: a UTF-16 file (byte order mark FF FE / FE FF,
 * or NUL bytes between the characters) and binary files (NUL bytes, or mostly control characters and
 * invalid UTF-8), which would otherwise show up as odd "columns found" or unreadable dates.
 */
export function checkText(text: string, file: string): void {
  const start = text.slice(0, 8192);
  if (start.length === 0) return;
  const utf16Hint = 'convert it to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8 in.csv > out.csv`, or save it as "CSV UTF-8" in the spreadsheet';
  // a UTF-16 byte order mark read as UTF-8 is two replacement characters (FF FE / FE FF are invalid UTF-8)
  if (start.startsWith('\uFFFD\uFFFD') && (start.charCodeAt(2) === 0 || start.charCodeAt(3) === 0)) {
    throw new SegkitError('io', 'utf16', 'the file is UTF-16 text (it starts with a UTF-16 byte order mark); segkit reads UTF-8', { where: file, hint: utf16Hint });
  }
  const nul = (start.match(/\u0000/g) ?? []).length;
  if (nul > 0) {
    // ASCII in UTF-16 has a NUL byte next to every character: NULs on one parity of positions only
    const probe = start.slice(start.startsWith('\uFFFD\uFFFD') ? 2 : 0, 402);
    const at = [0, 0];
    for (let i = 0; i < probe.length; i++) if (probe.charCodeAt(i) === 0) at[i % 2]++;
    const half = Math.floor(probe.length / 2);
    const utf16 = half >= 4 && ((at[0] >= 0.9 * half && at[1] === 0) || (at[1] >= 0.9 * half && at[0] === 0));
    throw new SegkitError(
      'io',
      utf16 ? 'utf16' : 'not_text',
      utf16 ? 'the file looks like UTF-16 text (a NUL byte between the characters); segkit reads UTF-8' : `the file is not text: it holds NUL bytes (the first at byte ${Buffer.byteLength(start.slice(0, start.indexOf('\u0000')))})`,
      { where: file, hint: utf16 ? utf16Hint : 'give a CSV, TSV, Parquet or JSON file of transactions; a spreadsheet (.xlsx) or a database dump has to be exported to CSV first' },
    );
  }
  const odd = (start.match(/[\u0001-\u0008\u000e-\u001f\u007f\uFFFD]/g) ?? []).length;
  if (odd > 8 && odd > start.length * 0.05) {
    throw new SegkitError('io', 'not_text', `the file is not text: ${odd} of its first ${start.length} characters are control characters or invalid UTF-8`, {
      where: file,
      hint: 'give a CSV, TSV, Parquet or JSON file of transactions; a spreadsheet (.xlsx), an archive or a database dump has to be exported to CSV first',
    });
  }
  // old Mac line endings: carriage returns and no line feed (Polars would read one endless header line)
  if (!start.includes('\n') && (start.match(/\r/g) ?? []).length >= 2) {
    throw new SegkitError('io', 'cr_line_endings', 'the lines end in a carriage return only (old Mac line endings); segkit reads LF or CRLF line endings', {
      where: file,
      hint: "convert them, e.g. `tr '\\r' '\\n' < in.csv > out.csv`, or save the file again as CSV",
    });
  }
  // no line end in the first 200,000 characters: not a transactions table (or a header nobody can map)
  const firstEnd = text.search(/[\r\n]/);
  if (text.length >= 200_000 && (firstEnd < 0 || firstEnd >= 200_000)) {
    throw new SegkitError('io', 'line_too_long', `the first line is longer than 200,000 characters${firstEnd < 0 ? ' (no line end in the first ' + text.length.toLocaleString('en-GB') + ')' : ''}: this is not a table of transactions`, {
      where: `${file}, line 1`,
      hint: 'check that this is the right file and that it has one transaction per line',
    });
  }
}

/** Split one delimited line into fields (RFC 4180 quotes; quotes are removed). */
export function splitLine(line: string, delimiter: string, quote = '"'): string[] {
  const out: string[] = [];
  let cur = '';
  let inQ = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inQ) {
      if (ch === quote) {
        if (line[i + 1] === quote) {
          cur += quote;
          i++;
        } else inQ = false;
      } else cur += ch;
    } else if (ch === quote && cur === '') inQ = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Split text into lines (LF or CRLF), dropping a trailing empty line. Quoted newlines are not joined (sniffing only). */
export function lines(text: string): string[] {
  const ls = text.split(/\r?\n/);
  if (ls.length && ls[ls.length - 1] === '') ls.pop();
  return ls;
}

/** One record of delimited text and the 1-based physical line it starts on. */
export interface TextRecord {
  text: string;
  line: number;
}

/**
 * Split text into records: at LF/CRLF outside double quotes (RFC 4180), so a quoted field with a
 * newline inside stays in its record. Each record keeps the physical line it starts on. A final record
 * left inside an open quote is dropped when the text is only the head of a longer file (`complete`
 * false); in a complete text it is kept as it is (the parser will report it).
 */
export function splitRecords(text: string, complete = true): TextRecord[] {
  const out: TextRecord[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let inQ = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) inQ = !inQ;
    else if (ch === 10 /* \n */) {
      if (!inQ) {
        const end = i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i;
        out.push({ text: text.slice(start, end), line: startLine });
        start = i + 1;
        startLine = line + 1;
      }
      line++;
    }
  }
  if (start < text.length && (!inQ || complete)) out.push({ text: text.slice(start).replace(/\r$/, ''), line: startLine });
  return out;
}

/** True when some record spans more than one physical line. */
export function hasMultilineRecords(records: readonly TextRecord[]): boolean {
  return records.some((r, i) => i + 1 < records.length && records[i + 1].line - r.line > 1 && /[\r\n]/.test(r.text));
}

const CANDIDATES = [',', ';', '\t', '|'];

/**
 * Guess the delimiter from sample lines: the candidate (comma, semicolon, tab, pipe) that splits the first
 * line into ≥2 fields and splits most lines into the same number of fields; otherwise 'whitespace'
 * (runs of blanks) when lines split consistently on blanks, else 'fixed' (aligned columns).
 */
export function guessDelimiter(sample: string[]): Delimiter {
  const ls = sample.filter((l) => l.trim() !== '').slice(0, 200);
  if (!ls.length) return ',';
  let best: { d: string; score: number } | null = null;
  for (const d of CANDIDATES) {
    const n0 = splitLine(ls[0], d).length;
    if (n0 < 2) continue;
    const same = ls.filter((l) => splitLine(l, d).length === n0).length / ls.length;
    const score = same * 1000 + n0;
    if (same >= 0.9 && (!best || score > best.score)) best = { d, score };
  }
  if (best) return best.d;
  const ws = ls.map((l) => l.trim().split(/\s+/).length);
  if (ws[0] >= 2 && ws.every((n) => n === ws[0])) return 'whitespace';
  if (ws[0] >= 2 && fixedWidthColumns(ls).length >= 2) return 'fixed';
  return ',';
}

/**
 * Column spans of aligned fixed-width text: maximal runs of character positions where at least one
 * sample line has a non-blank character, separated by positions blank in every line.
 */
export function fixedWidthColumns(sample: string[]): Array<{ start: number; end: number }> {
  const width = Math.max(...sample.map((l) => l.length));
  const used = new Array<boolean>(width).fill(false);
  for (const l of sample) for (let i = 0; i < l.length; i++) if (l[i] !== ' ' && l[i] !== '\t') used[i] = true;
  const spans: Array<{ start: number; end: number }> = [];
  let s = -1;
  for (let i = 0; i <= width; i++) {
    if (i < width && used[i]) {
      if (s < 0) s = i;
    } else if (s >= 0) {
      spans.push({ start: s, end: i });
      s = -1;
    }
  }
  return spans;
}

/** Split one line according to a delimiter mode (for sniffing and error messages). */
export function splitAny(line: string, delimiter: Delimiter, spans?: Array<{ start: number; end: number }>): string[] {
  if (delimiter === 'whitespace') return line.trim().split(/\s+/);
  if (delimiter === 'fixed') {
    return (spans ?? []).map((s, i, all) => line.slice(s.start, i === all.length - 1 ? undefined : all[i + 1].start).trim());
  }
  return splitLine(line, delimiter);
}

const NUMBER_RE = /^\s*[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?\s*$/;
const DATE_RE = /^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{8})([ T]\d{1,2}:\d{2}.*)?\s*$/;

/** Looks like data (a number or a date) rather than a column name. */
export function looksLikeValue(s: string): boolean {
  return NUMBER_RE.test(s) || DATE_RE.test(s);
}

/**
 * Guess whether the first line is a header: it is, unless one of its fields looks like data (a number
 * or a date). Pass `header` explicitly for headerless files whose first row is all text.
 */
export function guessHeader(first: string[]): boolean {
  return !first.some((f) => looksLikeValue(f));
}

/** A delimiter given by the user: a character or one of the names comma, semicolon, tab, pipe, space, whitespace, fixed. */
export function parseDelimiterOption(d: string): Delimiter {
  const named: Record<string, string> = {
    comma: ',',
    semicolon: ';',
    tab: '\t',
    '\\t': '\t',
    pipe: '|',
    space: 'whitespace',
    whitespace: 'whitespace',
    ws: 'whitespace',
    fixed: 'fixed',
    'fixed-width': 'fixed',
  };
  const key = d.toLowerCase();
  if (named[key]) return named[key];
  if (d.length === 1) return d === ' ' ? 'whitespace' : d;
  throw new SegkitError('io', 'bad_option', `unknown delimiter "${d}"`, {
    where: 'option delimiter',
    hint: 'use one character (e.g. ";"), or one of: comma, semicolon, tab, pipe, whitespace, fixed',
  });
}
