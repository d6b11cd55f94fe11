/**
 * Open a transactions file as a lazy Polars frame of its raw columns (strings for text files), without
 * reading it into JS: CSV/TSV (any single-character delimiter), whitespace-separated and fixed-width
 * text, each optionally gzip-compressed; Parquet; JSON arrays and NDJSON.
 */
import { closeSync, createReadStream, createWriteStream, openSync, promises as fsp, readFileSync, readSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import pl, { type DataType } from 'nodejs-polars';
import { SegkitError } from '../errors';
import { type Delimiter, type FileInfo, type TextRecord, checkText, fixedWidthColumns, guessDelimiter, guessHeader, lines, readHead, splitAny, splitRecords } from './detect';
import { isKnownColumnName } from './mapping';

/** A file opened lazily: raw columns, their names, and how to turn a 0-based row index into a file position. */
export interface RawSource {
  lf: pl.LazyDataFrame;
  /** Column names as found in the file (or column_1… without a header). */
  columns: string[];
  /** Data types of the raw columns (all Utf8 for text files). */
  dtypes: Record<string, DataType>;
  /** Describe a 0-based data row for messages, e.g. "line 12" (1-based file line) or "record 12". */
  position: (index: number) => string;
  /** Text files: the sampled first data rows, as strings keyed by column. */
  sample: Array<Record<string, string | null>>;
  delimiter?: Delimiter;
  header?: boolean;
  /** Header names that occur more than once: the name and the names given to each occurrence (`Quantity`, `Quantity_2`). */
  duplicates?: Array<{ name: string; columns: string[] }>;
  /**
   * Delimited text only: Polars reads a row with fewer fields than the header with nulls in the missing
   * columns, without a word. This finds the first such record (its line, field count and text) by
   * scanning the file; the reader calls it only when the last column has nulls (a short row's last
   * field is always missing), so a file whose last column is always filled is not scanned twice.
   */
  findShortRow?: () => Promise<ShortRow | null>;
  /** Remove temporary files (decompressed copies). Always call when done. */
  dispose: () => Promise<void>;
}

/** A record with fewer fields than the header (see {@link RawSource.findShortRow}). */
export interface ShortRow {
  /** 1-based physical line where the record starts. */
  line: number;
  fields: number;
  expected: number;
  /** The record's first 200 characters. */
  text: string;
}

export interface TextOptions {
  delimiter?: Delimiter;
  header?: boolean;
  /** How to read .gz text: 'memory' lets Polars decompress it, 'tempfile' streams it to a temp file first. */
  decompress?: 'auto' | 'memory' | 'tempfile';
  /** 'auto' decompresses to a temp file above this compressed size (bytes). */
  tempfileAbove?: number;
}

const UNIT_SEP = '\x1f';

/** Stream-decompress a gzip file to a temporary file; returns its path. */
export async function gunzipToTemp(file: string): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'segkit-gunzip-'));
  const out = path.join(dir, path.basename(file).replace(/\.gz$/i, '') || 'data.csv');
  try {
    await pipeline(createReadStream(file), createGunzip(), createWriteStream(out));
  } catch (e) {
    await fsp.rm(dir, { recursive: true, force: true });
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOSPC') {
      throw new SegkitError('io', 'no_space', `no disk space left to decompress ${file} into ${os.tmpdir()}`, { where: file, hint: 'free space in the temp folder (set TMPDIR elsewhere), or pass decompress: "memory"' });
    }
    throw new SegkitError('io', 'corrupt_gzip', `the gzip file could not be decompressed: ${err.message}`, {
      where: file,
      hint: 'the file is damaged or was cut short; download or export it again (check it with `gzip -t FILE`)',
      cause: e,
    });
  }
  return out;
}

/** Open delimited or fixed-width text. */
export async function openText(info: FileInfo, opts: TextOptions): Promise<RawSource> {
  const head = await readHead(info);
  checkText(head.text, info.path);
  // records, not lines: a quoted field may hold a newline ("He said ""hi"",⏎then left")
  const nonBlank = (r: TextRecord, i: number): boolean => i === 0 || r.text.trim() !== '';
  let recs = splitRecords(head.text, head.complete).filter(nonBlank);
  if (!recs.length || recs.every((r) => r.text.trim() === '')) {
    throw new SegkitError('io', 'empty_file', 'the input file has no content (only blank lines)', { where: info.path, hint: 'export the transactions again' });
  }
  const delimiter = opts.delimiter ?? guessDelimiter(recs.slice(0, 200).map((r) => r.text));
  // whitespace and fixed-width text is read line by line, without quotes
  if (delimiter === 'whitespace' || delimiter === 'fixed') recs = lines(head.text).map((text, i) => ({ text, line: i + 1 })).filter(nonBlank);
  const ls = recs.map((r) => r.text);
  const spans = delimiter === 'fixed' ? fixedWidthColumns(ls.slice(0, 500)) : undefined;
  const first = splitAny(ls[0], delimiter, spans);
  const header = opts.header ?? (guessHeader(first) || first.some(isKnownColumnName));
  const dataRecs = header ? recs.slice(1) : recs;
  const dataLines = dataRecs.map((r) => r.text);
  if (dataLines.length === 0 && head.complete) {
    throw new SegkitError('io', 'empty_file', `the input file has a header (${first.join(', ')}) but no data rows`, { where: info.path, hint: 'export the transactions again, including the rows' });
  }
  const names = header ? dedupeNames(first.map((s) => s.trim())) : first.map((_, i) => `column_${i + 1}`);
  const offset = header ? 2 : 1;
  const quoted = delimiter !== 'whitespace' && delimiter !== 'fixed';
  // "line 14" when row and line agree; "row 12, line 14" when quoted newlines or blank lines part them
  const position = (i: number): string => {
    const line = dataRecs[i]?.line ?? (head.complete ? undefined : recordLine(info, i + (header ? 1 : 0), quoted));
    if (line === undefined) return `data row ${i + 1}`;
    return line === i + offset ? `line ${line}` : `row ${i + 1}, line ${line}`;
  };

  let target = info.path;
  let tmpDir: string | undefined;
  const mode = opts.decompress ?? 'auto';
  if (info.compressed && (mode === 'tempfile' || (mode === 'auto' && info.bytes > (opts.tempfileAbove ?? 16 * 1024 * 1024)))) {
    target = await gunzipToTemp(info.path);
    tmpDir = path.dirname(target);
  }
  const dispose = async (): Promise<void> => {
    if (tmpDir) await fsp.rm(tmpDir, { recursive: true, force: true });
  };

  let lf: pl.LazyDataFrame;
  if (delimiter === 'whitespace' || delimiter === 'fixed') {
    const line = pl.col('column_1');
    const base = pl.scanCSV(target, { sep: UNIT_SEP, hasHeader: false, quoteChar: '\x1e', inferSchemaLength: 0, skipRows: header ? 1 : 0 });
    let exprs: pl.Expr[];
    if (delimiter === 'whitespace') {
      const parts = line.str.strip().str.replaceAll('[ \\t]+', UNIT_SEP).str.split(UNIT_SEP);
      exprs = names.map((n, i) => parts.lst.get(i).alias(n));
    } else {
      exprs = names.map((n, i) => {
        const s = spans![i];
        const len = i === spans!.length - 1 ? 1_000_000 : spans![i + 1].start - s.start;
        return line.str.slice(s.start, len).str.strip().alias(n);
      });
    }
    // empty fields are missing, like empty CSV fields
    lf = base.select(exprs.map((e, i) => pl.when(e.eq(pl.lit(''))).then(pl.lit(null)).otherwise(e).alias(names[i])));
  } else {
    lf = pl.scanCSV(target, { sep: delimiter, hasHeader: header, inferSchemaLength: 0, quoteChar: '"' });
    if (header && lf.columns.join('\u0000') !== names.join('\u0000')) {
      // Polars de-duplicates or trims names its own way: use ours.
      lf = lf.rename(Object.fromEntries(lf.columns.map((c, i) => [c, names[i] ?? c])));
    }
  }
  const sample = dataLines.slice(0, 1000).map((l) => {
    const f = splitAny(l, delimiter, spans);
    return Object.fromEntries(names.map((n, i) => [n, f[i] === undefined || f[i].trim() === '' ? null : f[i]]));
  });
  const dtypes = Object.fromEntries(names.map((n) => [n, pl.Utf8 as DataType]));
  const duplicates: Array<{ name: string; columns: string[] }> = [];
  if (header) {
    const raw = first.map((f) => f.trim());
    for (const name of new Set(raw.filter((n, i) => n !== '' && raw.indexOf(n) !== i))) {
      duplicates.push({ name, columns: names.filter((_, i) => raw[i] === name) });
    }
  }
  const findShortRow =
    quoted && delimiter.length === 1 && delimiter.charCodeAt(0) < 0x80 && names.length > 1 ? () => findShortRecord(info, delimiter, names.length, header) : undefined;
  return { lf, columns: names, dtypes, position, sample, delimiter, header, duplicates, findShortRow, dispose };
}

/**
 * The first record of a delimited text file (gzip or not) with fewer than `expected` fields: quotes are
 * honoured (a delimiter or newline inside quotes belongs to the field), blank lines and the header are
 * skipped. Null when every record is complete.
 */
export async function findShortRecord(info: FileInfo, delimiter: string, expected: number, header: boolean): Promise<ShortRow | null> {
  const DELIM = delimiter.charCodeAt(0);
  const raw = createReadStream(info.path);
  const input = info.compressed ? raw.pipe(createGunzip()) : raw;
  let line = 1;
  let startLine = 1;
  let fields = 1;
  let inQ = false;
  let blank = true;
  let skipHeader = header;
  let text: number[] = [];
  /** The record that just ended, if it is short. */
  const ended = (): ShortRow | null => {
    const short = !blank && !skipHeader && fields < expected;
    if (!blank) skipHeader = false;
    return short ? { line: startLine, fields, expected, text: Buffer.from(text).toString('utf8').replace(/\r$/, '') } : null;
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === 0x0a && !inQ) {
          const r = ended();
          if (r) return r;
          line++;
          startLine = line;
          fields = 1;
          blank = true;
          text = [];
          continue;
        }
        if (b === 0x0a) line++;
        else if (b === 0x22) inQ = !inQ;
        else if (b === DELIM && !inQ) fields++;
        if (b !== 0x0d && b !== 0x20 && b !== 0x09) blank = false;
        if (text.length < 200) text.push(b);
      }
    }
    return ended();
  } catch {
    return null;
  } finally {
    raw.destroy();
  }
}

/**
 * The 1-based physical line where record `index` (0-based, blank lines not counted, the header is record
 * 0) starts, found by scanning the file (for error messages about rows beyond the sniffed head).
 * Undefined for gzip files over 64 MB (not worth decompressing twice for a line number).
 */
export function recordLine(info: FileInfo, index: number, quoted = true): number | undefined {
  let line = 1;
  let rec = 0;
  let inQ = false;
  let blank = true;
  let startLine = 1;
  /** Feed bytes; returns the start line once record `index` is complete. */
  const feed = (buf: Uint8Array, n: number): number | undefined => {
    for (let i = 0; i < n; i++) {
      const b = buf[i];
      if (b === 0x22 && quoted) inQ = !inQ;
      if (b === 0x0a) {
        if (!inQ) {
          if (!blank || rec === 0) {
            if (rec === index) return startLine;
            rec++;
          }
          blank = true;
          startLine = line + 1;
        }
        line++;
      } else if (b !== 0x0d && b !== 0x20 && b !== 0x09) blank = false;
    }
    return undefined;
  };
  try {
    if (info.compressed) {
      if (info.bytes > 16 * 1024 * 1024) return undefined;
      const all = gunzipSync(readFileSync(info.path));
      const found = feed(all, all.length);
      if (found !== undefined) return found;
    } else {
      const fd = openSync(info.path, 'r');
      try {
        const chunk = Buffer.alloc(1 << 20);
        for (;;) {
          const n = readSync(fd, chunk, 0, chunk.length, null);
          if (n === 0) break;
          const found = feed(chunk, n);
          if (found !== undefined) return found;
        }
      } finally {
        closeSync(fd);
      }
    }
  } catch {
    return undefined;
  }
  return !blank && rec === index ? startLine : undefined;
}

function dedupeNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n, i) => {
    const base = n === '' ? `column_${i + 1}` : n;
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    return k === 0 ? base : `${base}_${k + 1}`;
  });
}

/** Open a Parquet file (lazy). */
export async function openParquet(info: FileInfo): Promise<RawSource> {
  let lf: pl.LazyDataFrame;
  let probe: pl.DataFrame;
  try {
    lf = pl.scanParquet(info.path);
    probe = lf.limit(0).collectSync();
  } catch (e) {
    throw new SegkitError('io', 'parse_failed', `the Parquet file could not be read: ${(e as Error).message}`, { where: info.path, hint: 'check that the file is a complete Parquet file (export it again)', cause: e });
  }
  return fromFrame(lf, probe, info, (i) => `row ${i + 1}`);
}

/** Open a JSON array of records, or NDJSON (one record per line). */
export async function openJson(info: FileInfo, ndjson: boolean): Promise<RawSource> {
  let lf: pl.LazyDataFrame;
  let probe: pl.DataFrame;
  let firstRows: pl.DataFrame;
  let tmp: string | undefined;
  try {
    let target = info.path;
    if (info.compressed) {
      tmp = await gunzipToTemp(info.path);
      target = tmp;
    }
    const head = (await readHead({ ...info, path: target, compressed: false }, 4096)).text.trimStart();
    checkText(head, info.path);
    if (head === '' || head === '[]' || /^\[\s*\]\s*$/.test(head)) {
      throw new SegkitError('io', 'empty_file', 'the JSON file holds no records', { where: info.path, hint: 'export the transactions again' });
    }
    const lines = ndjson || head.startsWith('{');
    if (lines) {
      lf = pl.scanJson(target, { inferSchemaLength: null });
    } else {
      lf = pl.readJSON(target, { format: 'json', inferSchemaLength: null }).lazy();
    }
    probe = lf.limit(0).collectSync();
    // the sample is read here, not best-effort in fromFrame: a record Polars cannot read among the first
    // thousand is this file's error (located below), not an empty sample that misleads the date guess
    firstRows = lf.limit(1000).collectSync();
  } catch (e) {
    const located = e instanceof SegkitError ? undefined : await jsonError(info, tmp ?? info.path, ndjson, e);
    if (tmp) await fsp.rm(path.dirname(tmp), { recursive: true, force: true });
    if (e instanceof SegkitError) throw e;
    throw located!;
  }
  const src = fromFrame(lf, probe, info, (i) => `record ${i + 1}`, firstRows);
  if (tmp) src.dispose = async () => fsp.rm(path.dirname(tmp!), { recursive: true, force: true });
  return src;
}

/**
 * A SegkitError for a JSON file Polars could not read, located by parsing it in Node: the line (and
 * column) of the first broken NDJSON record, or of the first syntax error in a JSON array ("ends before
 * the array is closed" for a file cut short). Files over 256 MB are not re-parsed.
 */
export async function jsonError(info: FileInfo, target: string, ndjson: boolean, cause: unknown): Promise<SegkitError> {
  const hint = 'segkit reads a JSON array of flat records ([{"customer_id": …}, …]) or NDJSON (one record per line); fix that place or export the file again';
  const generic = (): SegkitError =>
    new SegkitError('io', 'parse_failed', `the JSON file could not be read: ${(cause as Error)?.message ?? String(cause)}`, { where: info.path, hint, cause });
  let text: string;
  try {
    const st = await fsp.stat(target);
    if (st.size > 256 * 1024 * 1024) return generic();
    text = (await fsp.readFile(target, 'utf8')).replace(/^\uFEFF/, '');
  } catch {
    return generic();
  }
  const lines = text.split('\n');
  const isLines = ndjson || text.trimStart().startsWith('{');
  if (isLines) {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i].replace(/\r$/, '');
      if (l.trim() === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch (e) {
        const { col, what } = syntaxAt(e as Error, l);
        return new SegkitError('io', 'bad_json', `line ${i + 1} is not valid JSON: ${what}${col ? ` at column ${col}` : ''}: ${JSON.stringify(l.slice(0, 120))}`, { where: `${info.path}, line ${i + 1}`, hint, cause });
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        return new SegkitError('io', 'bad_json', `line ${i + 1} is not a JSON object (one record per line is expected): ${JSON.stringify(l.slice(0, 120))}`, { where: `${info.path}, line ${i + 1}`, hint, cause });
      }
    }
    const records: unknown[] = [];
    const recordLines: number[] = [];
    lines.forEach((l, i) => {
      if (l.trim() === '') return;
      records.push(JSON.parse(l.replace(/\r$/, '')));
      recordLines.push(i + 1);
    });
    return nestedValueError(info.path, records, (r) => recordLines[r], cause) ?? generic();
  }
  try {
    const v = JSON.parse(text);
    if (!Array.isArray(v)) return new SegkitError('io', 'bad_json', 'the JSON file holds a single value, not an array of records', { where: info.path, hint, cause });
    return nestedValueError(info.path, v, (r) => arrayElementLine(text, r), cause) ?? generic();
  } catch (e) {
    const msg = (e as Error).message;
    if (/end of (JSON )?input|Unterminated/i.test(msg)) {
      return new SegkitError('io', 'bad_json', `the JSON ends before the array is closed (line ${lines.length}): the file was probably cut short`, { where: `${info.path}, line ${lines.length}`, hint: 'export or download the file again', cause });
    }
    const pos = Number(/position (\d+)/.exec(msg)?.[1]);
    if (Number.isFinite(pos)) {
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const col = pos - before.lastIndexOf('\n');
      return new SegkitError('io', 'bad_json', `the JSON is not valid at line ${line}, column ${col}: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, { where: `${info.path}, line ${line}`, hint, cause });
    }
  }
  return generic();
}

/**
 * Polars gives one type to a column: a column whose records hold plain values in some records and an
 * object or array in others cannot be read ("error deserializing value … as struct"). The first such
 * nested value, located: record number, line, column. Undefined when no column mixes the two.
 */
export function nestedValueError(file: string, records: unknown[], lineOf: (record: number) => number | undefined, cause: unknown): SegkitError | undefined {
  // per column: how many records hold a plain value / a nested one, and the first record of each
  const seen = new Map<string, { plain: number; nested: number; firstPlain: number; firstNested: number }>();
  records.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return;
    for (const [k, v] of Object.entries(r)) {
      if (v === null) continue;
      const s = seen.get(k) ?? { plain: 0, nested: 0, firstPlain: -1, firstNested: -1 };
      if (typeof v === 'object') {
        if (s.nested++ === 0) s.firstNested = i;
      } else if (s.plain++ === 0) s.firstPlain = i;
      seen.set(k, s);
    }
  });
  // the odd one out: the first record of the rarer kind, in the column where it comes first
  const odd = [...seen]
    .filter(([, s]) => s.plain > 0 && s.nested > 0)
    .map(([column, s]) => ({ column, record: s.nested <= s.plain ? s.firstNested : s.firstPlain }))
    .sort((a, b) => a.record - b.record)[0];
  if (!odd) return undefined;
  const { column, record } = odd;
  const value = (records[record] as Record<string, unknown>)[column];
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : 'a plain value';
  const others = typeof value === 'object' ? 'plain values' : 'objects or arrays';
  const line = lineOf(record);
  const text = JSON.stringify(value);
  return new SegkitError('io', 'nested_value', `record ${record + 1} holds ${kind} in column "${column}" (${text.length > 80 ? `${text.slice(0, 79)}…` : text}) where other records hold ${others}`, {
    where: `${file}, record ${record + 1}${line ? `, line ${line}` : ''}, column ${column}`,
    hint: `segkit reads flat records: write "${column}" as a plain number or text in every record (e.g. "${column}": 2), or flatten the file first (e.g. with jq)`,
    cause,
  });
}

/** The 1-based line where element `index` of the top-level JSON array in `text` starts. */
export function arrayElementLine(text: string, index: number): number | undefined {
  let depth = 0;
  let line = 1;
  let element = -1;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '"') {
      if (depth === 1 && expectValue && ++element === index) return line;
      expectValue = false;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{') {
      if (depth === 1 && expectValue && ++element === index) return line;
      expectValue = false;
      depth++;
      if (depth === 1) expectValue = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectValue = true;
    else if (depth === 1 && expectValue && !/\s/.test(c)) {
      if (++element === index) return line;
      expectValue = false;
    }
  }
  return undefined;
}

function syntaxAt(e: Error, line: string): { col?: number; what: string } {
  const m = /position (\d+)/.exec(e.message);
  const what = e.message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected end of JSON input$/, 'the record ends too early');
  void line;
  return { col: m ? Number(m[1]) + 1 : undefined, what };
}

function fromFrame(lf: pl.LazyDataFrame, probe: pl.DataFrame, info: FileInfo, position: (i: number) => string, first?: pl.DataFrame): RawSource {
  const dtypes: Record<string, DataType> = {};
  probe.columns.forEach((c, i) => (dtypes[c] = probe.dtypes[i]));
  // a small sample for date-layout guessing, as strings
  let sample: Array<Record<string, string | null>> = [];
  try {
    const head = first ?? lf.limit(1000).collectSync();
    sample = (head.toRecords() as Array<Record<string, unknown>>).map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v)])),
    );
  } catch {
    /* sampling is best-effort */
  }
  void info;
  return { lf, columns: probe.columns, dtypes, position, sample, dispose: async () => undefined };
}

/**
 * Find the first line of a delimited text file with more fields than the header (Polars refuses such
 * files without saying where). Streams the file; quoted fields may span lines.
 */
export async function findRaggedLine(info: FileInfo, delimiter: string, expected: number): Promise<{ line: number; fields: number; text: string } | null> {
  const { createInterface } = await import('node:readline');
  const raw = createReadStream(info.path);
  const input = info.compressed ? raw.pipe(createGunzip()) : raw;
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let inQ = false;
  let fields = 1;
  let startLine = 1;
  let text = '';
  try {
    for await (const l of rl) {
      lineNo++;
      if (!inQ) {
        fields = 1;
        startLine = lineNo;
        text = l;
      }
      for (let i = 0; i < l.length; i++) {
        const ch = l[i];
        if (ch === '"') inQ = !inQ;
        else if (ch === delimiter && !inQ) fields++;
      }
      if (!inQ && fields > expected) return { line: startLine, fields, text: text.slice(0, 200) };
    }
  } catch {
    return null;
  } finally {
    rl.close();
    raw.destroy();
  }
  return null;
}
