/**
 * Streaming a generation to `.csv` or `.csv.gz`: rows are built as text in chunks of about
 * 4,000 lines and pushed through stream.pipeline (which respects backpressure) into gzip and
 * the file, so memory stays flat at any size. The file appears atomically: it is written
 * under a temporary name and renamed when complete.
 *
 * (This is the generate stage's one file-touching module; it could move to src/io/ later.)
 */
import { createWriteStream, promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { SegkitError } from '../errors';
import { ensureOutputFolder, ioError } from '../io/place';
import { HEADER } from './csv';
import { Engine, type GenerateSummary } from './engine';
import { resolveOptions, type GenerateOptions } from './options';
import { CsvSink } from './sinks';

/** Rows per chunk handed to the stream. */
const CHUNK_ROWS = 4000;

export interface WriteOptions extends GenerateOptions {
  /** gzip level for `.csv.gz` (1 fastest … 9 smallest). Default 6. */
  gzipLevel?: number;
}

/** Yields the CSV text in chunks: the header, then about CHUNK_ROWS lines at a time. */
function* csvChunks(engine: Engine<CsvSink>, target: number, onProgress?: (done: number, total: number, label?: string) => void): Generator<string> {
  yield HEADER;
  let more = true;
  while (more) {
    const stop = engine.summary.rows + CHUNK_ROWS;
    while (engine.summary.rows < stop && (more = engine.step()));
    const text = engine.sink.take();
    if (text.length > 0) yield text;
    onProgress?.(engine.summary.rows, target, 'rows');
  }
}

/**
 * Generates transactions (see {@link generateTransactions} for the options and their
 * defaults) and streams them to `path`, gzip-compressed when it ends in `.csv.gz`
 * (level `gzipLevel`, default 6). Parent folders are created. Resolves to the summary.
 * Throws SegkitError('generate', 'output_extension') for other extensions.
 */
export async function writeTransactions(path: string, options: WriteOptions = {}): Promise<GenerateSummary> {
  const { gzipLevel = 6, ...rest } = options;
  const gz = path.endsWith('.csv.gz');
  if (!gz && !path.endsWith('.csv')) {
    throw new SegkitError('generate', 'output_extension', `cannot tell the format of "${path}"`, {
      where: 'output file',
      hint: 'name the file *.csv or *.csv.gz',
    });
  }
  if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9) {
    throw new SegkitError('generate', 'gzip_level_invalid', `gzipLevel must be a whole number from 1 to 9, got ${String(gzipLevel)}`, {
      where: 'option gzipLevel',
      hint: 'use 1 (fastest) to 9 (smallest); 6 is the default',
    });
  }
  const o = resolveOptions(rest);
  const engine = new Engine(o, (catalog, customers) => new CsvSink(catalog, customers));
  ensureOutputFolder(path); // refuses /proc, /sys, /dev; a bounded walk instead of a recursive mkdir
  const tmp = `${path}.${process.pid}.tmp`;
  const source = Readable.from(csvChunks(engine, o.rows, o.onProgress), { objectMode: false });
  try {
    if (gz) await pipeline(source, createGzip({ level: gzipLevel }), createWriteStream(tmp));
    else await pipeline(source, createWriteStream(tmp));
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    if (e instanceof SegkitError) throw e;
    // a full disk, a folder taken away: one clear error naming the file, not a raw ENOSPC
    throw ioError('write_failed', 'could not write the generated file', path, e);
  }
  return engine.summary;
}
