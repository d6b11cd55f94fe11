/**
 * Sources: where the line-level transactions live. `source(spec)` opens a file path with Polars, or a
 * `postgres://…` / `clickhouse://…` URL with SQL pushdown; every source answers the same questions
 * (see types.ts), so the pipeline runs the same on all of them.
 *
 * ```ts
 * const src = await seg.source('clickhouse://analyst@ch1:8123/shop?table=tx');
 * const analysis = await seg.analyze(src, { seed: 42 });
 * await src.close();
 * ```
 */
import type { ColumnsOption } from '../io/mapping';
import type { ReadOptions } from '../io/read';
import { FileSource } from './file';
import { SqlSource } from './sql/source';
import type { TransactionSource } from './types';
import { isSourceUrl, parseSourceUrl } from './url';

export interface SourceOptions {
  /** Files: how to read them (columns, date format, delimiter…). */
  read?: ReadOptions;
  /** Databases: role → column of the table (defaults: detected from the names, as for files). */
  columns?: ColumnsOption;
}

/** Open a source: a file path, or a database URL (postgres://…?table=…, clickhouse://…?table=…). */
export async function source(spec: string, options: SourceOptions = {}): Promise<TransactionSource> {
  if (!isSourceUrl(spec)) return new FileSource(spec, options.read);
  const url = parseSourceUrl(spec);
  const columns = options.columns ?? (Array.isArray(options.read?.columns) ? undefined : (options.read?.columns as ColumnsOption | undefined));
  if (url.kind === 'postgres') {
    const { connectPostgres } = await import('./postgres');
    return new SqlSource(await connectPostgres(url), url.table, url.label, { columns });
  }
  const { clickHouseClient } = await import('./clickhouse');
  return new SqlSource(await clickHouseClient(url), url.table, url.label, { columns });
}

export function isTransactionSource(x: unknown): x is TransactionSource {
  return typeof x === 'object' && x !== null && typeof (x as TransactionSource).customers === 'function' && typeof (x as TransactionSource).quality === 'function';
}

export { FileSource } from './file';
export { SqlSource } from './sql/source';
export { isSourceUrl, parseSourceUrl, redact } from './url';
export type { SourceUrl } from './url';
export { loadTransactions } from './load';
export type { LoadOptions, LoadResult } from './load';
export type { TransactionSource, SourceDescription, SourceKind, SegmentTops, GroupMap, AskOptions, CustomersOptions, TopsOptions } from './types';
