/**
 * Open a transactions file as a lazy Polars frame of its raw columns (strings for text files), without
 * reading it into JS: CSV/TSV (any single-character delimiter), whitespace-separated and fixed-width
 * text, each optionally gzip-compressed; Parquet; JSON arrays and NDJSON.
 */
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import pl, { type DataType } from 'nodejs-polars';
import { SegkitError } from '../errors';
import { type Delimiter, type FileInfo, fixedWidthColumns, guessDelimiter, guessHeader, lines, readHead, splitAny } from './detect';
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
  /** Remove temporary files (decompressed copies). Always call when done. */
  dispose: () => Promise<void>;
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
  const ls = lines(head.text).filter((l, i) => i === 0 || l.trim() !== '');
  if (!ls.length || ls.every((l) => l.trim() === '')) {
    throw new SegkitError('io', 'empty_file', 'the input file has no content (only blank lines)', { where: info.path, hint: 'export the transactions again' });
  }
  const delimiter = opts.delimiter ?? guessDelimiter(ls.slice(0, 200));
  const spans = delimiter === 'fixed' ? fixedWidthColumns(ls.slice(0, 500)) : undefined;
  const first = splitAny(ls[0], delimiter, spans);
  const header = opts.header ?? (guessHeader(first) || first.some(isKnownColumnName));
  const dataLines = header ? ls.slice(1) : ls;
  if (dataLines.length === 0 && head.complete) {
    throw new SegkitError('io', 'empty_file', `the input file has a header (${first.join(', ')}) but no data rows`, { where: info.path, hint: 'export the transactions again, including the rows' });
  }
  const names = header ? dedupeNames(first.map((s) => s.trim())) : first.map((_, i) => `column_${i + 1}`);
  const offset = header ? 2 : 1;
  const position = (i: number): string => `line ${i + offset}`;

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
  return { lf, columns: names, dtypes, position, sample, delimiter, header, dispose };
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
  let tmp: string | undefined;
  try {
    let target = info.path;
    if (info.compressed) {
      tmp = await gunzipToTemp(info.path);
      target = tmp;
    }
    const head = (await readHead({ ...info, path: target, compressed: false }, 4096)).text.trimStart();
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
  } catch (e) {
    if (tmp) await fsp.rm(path.dirname(tmp), { recursive: true, force: true });
    if (e instanceof SegkitError) throw e;
    throw new SegkitError('io', 'parse_failed', `the JSON file could not be read: ${(e as Error).message}`, {
      where: info.path,
      hint: 'segkit reads a JSON array of flat records ([{"customer_id": …}, …]) or NDJSON (one record per line); check the file is valid JSON',
      cause: e,
    });
  }
  const src = fromFrame(lf, probe, info, (i) => `record ${i + 1}`);
  if (tmp) src.dispose = async () => fsp.rm(path.dirname(tmp!), { recursive: true, force: true });
  return src;
}

function fromFrame(lf: pl.LazyDataFrame, probe: pl.DataFrame, info: FileInfo, position: (i: number) => string): RawSource {
  const dtypes: Record<string, DataType> = {};
  probe.columns.forEach((c, i) => (dtypes[c] = probe.dtypes[i]));
  // a small sample for date-layout guessing, as strings
  let sample: Array<Record<string, string | null>> = [];
  try {
    const head = lf.limit(1000).collectSync();
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
