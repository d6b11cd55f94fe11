/**
 * `loadTransactions(file, url)`: ingest a transactions file into a database table with typed canonical
 * columns (the file is read and mapped by readTransactions, so dates and numbers are parsed once, here).
 *
 * - PostgreSQL: one table, filled with COPY … FROM STDIN (CSV), in one transaction: a failed load leaves
 *   no table behind.
 * - ClickHouse: a MergeTree table on every shard (`<table>_local`, created on each node given) and a
 *   Distributed table sharded by cityHash64(customer_id), so all of a customer's lines live on one shard;
 *   rows go in through the Distributed table with insert_distributed_sync = 1.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pl from 'nodejs-polars';
import { SegkitError } from '../errors';
import { readTransactions, type ReadOptions } from '../io/read';
import { CANONICAL_COLUMNS, ROLE_COLUMN, type Role, type TransactionTable } from '../types';
import { checkIdentifier } from './sql/dialect';
import { parseSourceUrl, redact, type SourceUrl } from './url';

export interface LoadOptions {
  read?: ReadOptions;
  /** What to do when the table exists: 'fail' (default), 'replace' (drop and recreate) or 'append'. */
  ifExists?: 'fail' | 'replace' | 'append';
  /** ClickHouse: the cluster name (in remote_servers) of the Distributed table. Default: a plain MergeTree table on the one node. */
  cluster?: string;
  /** ClickHouse: the HTTP URLs of every shard node, in the cluster's shard order (the first is the URL's own node when omitted). */
  shards?: string[];
  /** Rows per batch sent. Default 100,000. */
  batch?: number;
  /** Progress: rows written so far, of the total. */
  onProgress?: (written: number, total: number) => void;
}

export interface LoadResult {
  /** The source URL to analyse the table with (no password). */
  source: string;
  table: string;
  rowsRead: number;
  rowsWritten: number;
  /** ClickHouse: rows per shard, read back from each node's local table. */
  shards?: number[];
  seconds: number;
}

/** Rows of the canonical table in batches, as plain values (dates as naive 'YYYY-MM-DD HH:MM:SS.mmm'). */
function* batches(df: pl.DataFrame, columns: string[], size: number): Generator<{ rows: unknown[][]; end: number }> {
  const textDates = df.select(...columns.map((c) => (c === 'date' ? pl.col('date').dt.strftime('%Y-%m-%d %H:%M:%S%.3f').alias('date') : pl.col(c))));
  for (let i = 0; i < textDates.height; i += size) {
    const part = textDates.slice(i, size);
    const cols = columns.map((c) => part.getColumn(c).toArray());
    const rows: unknown[][] = new Array(part.height);
    for (let r = 0; r < part.height; r++) rows[r] = cols.map((col) => col[r]);
    yield { rows, end: i + part.height };
  }
}

/** A CSV field for PostgreSQL's COPY: NULL unquoted-empty, text always quoted (so "" is an empty string). */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return `"${String(v).replace(/"/g, '""')}"`;
}

const PG_TYPES: Record<string, string> = {
  customer_id: 'text', invoice: 'text', date: 'timestamp(3)', quantity: 'double precision', unit_price: 'double precision', amount: 'double precision',
  product: 'text', description: 'text', country: 'text',
};

/**
 * The table's columns: the canonical columns of the roles the file has, so the table maps to the same
 * roles (no invoice column: orders are customer-days; no amount column: amount = quantity × unit price).
 */
function tableColumns(tx: TransactionTable): string[] {
  return CANONICAL_COLUMNS.filter((c) => c === 'customer_id' || c === 'date' || (Object.entries(ROLE_COLUMN) as Array<[Role, string]>).some(([role, col]) => col === c && tx.mapping[role] !== undefined));
}

async function loadPostgres(url: SourceUrl, df: pl.DataFrame, columns: string[], o: LoadOptions): Promise<number> {
  const { connectPostgres } = await import('./postgres');
  const pg = await import('pg');
  const { from: copyFrom } = await import('pg-copy-streams');
  await (await connectPostgres(url)).close(); // the same connection errors as the source
  const client = new pg.default.Client({ host: url.host, port: url.port, user: url.user, password: url.password, database: url.database, application_name: 'segkit load' });
  await client.connect();
  const table = url.table
    .split('.')
    .map((p) => `"${p}"`)
    .join('.');
  try {
    await client.query('BEGIN');
    const exists = (await client.query('SELECT to_regclass($1) AS t', [table])).rows[0].t !== null;
    if (exists && (o.ifExists ?? 'fail') === 'fail') {
      throw new SegkitError('io', 'table_exists', `the table ${url.table} already exists`, { where: url.label, hint: 'pass --replace to drop and recreate it, or --append to add the rows' });
    }
    if (exists && o.ifExists === 'replace') await client.query(`DROP TABLE ${table}`);
    if (!exists || o.ifExists === 'replace') await client.query(`CREATE TABLE ${table} (${ddl(columns, PG_TYPES)})`);
    const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`));
    const size = o.batch ?? 100_000;
    const source = Readable.from(
      (function* () {
        for (const b of batches(df, columns, size)) {
          yield b.rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
          o.onProgress?.(b.end, df.height);
        }
      })(),
    );
    await pipeline(source, stream);
    await client.query(`ANALYZE ${table}`).catch(() => undefined);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (e instanceof SegkitError) throw e;
    throw new SegkitError('io', 'load_failed', `loading into PostgreSQL failed: ${redact((e as Error).message, url.password)}`, { where: url.label, hint: 'nothing was written (the load runs in one transaction)', cause: e });
  } finally {
    await client.end().catch(() => undefined);
  }
  return df.height;
}

const CH_TYPES: Record<string, string> = {
  customer_id: 'Nullable(String)', invoice: 'Nullable(String)', date: 'DateTime', quantity: 'Nullable(Float64)', unit_price: 'Nullable(Float64)', amount: 'Nullable(Float64)',
  product: 'Nullable(String)', description: 'Nullable(String)', country: 'Nullable(String)',
};

const ddl = (columns: string[], types: Record<string, string>): string => columns.map((c) => `${c} ${types[c]}`).join(', ');

async function loadClickHouse(url: SourceUrl, df: pl.DataFrame, columns: string[], o: LoadOptions): Promise<{ written: number; shards?: number[] }> {
  const { connectClickHouse, chCommand, chQuery } = await import('./clickhouse');
  const nodes = o.shards?.length ? o.shards.map((s) => withTable(s, url)) : [url];
  if (o.cluster) checkIdentifier(o.cluster, 'cluster name');
  const db = url.database;
  const t = checkIdentifier(url.table, 'table name');
  const local = `${t}_local`;
  const main = await connectClickHouse(url);
  try {
    if (o.cluster) {
      const shards = Number((await chQuery(main, `SELECT uniqExact(shard_num) AS n FROM system.clusters WHERE cluster = '${o.cluster}'`))[0]?.n ?? 0);
      if (shards === 0) {
        throw new SegkitError('io', 'unknown_cluster', `the ClickHouse server has no cluster "${o.cluster}" in remote_servers`, { where: url.label, hint: 'check the cluster name in the servers\' config (system.clusters)' });
      }
      if (shards !== nodes.length) {
        throw new SegkitError('io', 'shards_mismatch', `cluster "${o.cluster}" has ${shards} shards but ${nodes.length} node URL(s) were given`, {
          where: '--shards',
          hint: 'give the HTTP URL of one node of every shard, in shard order: --shards clickhouse://host1:8123,clickhouse://host2:8123',
        });
      }
    }
    const exists = Number((await chQuery(main, `SELECT count() AS n FROM system.tables WHERE database = '${db}' AND name = '${t}'`))[0].n) > 0;
    if (exists && (o.ifExists ?? 'fail') === 'fail') {
      throw new SegkitError('io', 'table_exists', `the table ${db}.${t} already exists`, { where: url.label, hint: 'pass --replace to drop and recreate it, or --append to add the rows' });
    }
    const replace = exists && o.ifExists === 'replace';
    const create = !exists || replace;
    if (o.cluster) {
      for (const n of nodes) {
        const c = await connectClickHouse(n);
        try {
          if (replace) await chCommand(c, `DROP TABLE IF EXISTS \`${db}\`.\`${local}\``);
          if (create) await chCommand(c, `CREATE TABLE IF NOT EXISTS \`${db}\`.\`${local}\` (${ddl(columns, CH_TYPES)}) ENGINE = MergeTree() PARTITION BY toYYYYMM(date) ORDER BY (date)`);
        } finally {
          await c.close();
        }
      }
      if (replace) await chCommand(main, `DROP TABLE IF EXISTS \`${db}\`.\`${t}\``);
      if (create) await chCommand(main, `CREATE TABLE \`${db}\`.\`${t}\` (${ddl(columns, CH_TYPES)}) ENGINE = Distributed(${o.cluster}, ${db}, ${local}, cityHash64(ifNull(customer_id, '')))`);
    } else {
      if (replace) await chCommand(main, `DROP TABLE IF EXISTS \`${db}\`.\`${t}\``);
      if (create) await chCommand(main, `CREATE TABLE \`${db}\`.\`${t}\` (${ddl(columns, CH_TYPES)}) ENGINE = MergeTree() PARTITION BY toYYYYMM(date) ORDER BY (date)`);
    }
    const size = o.batch ?? 100_000;
    const names = columns;
    for (const b of batches(df, columns, size)) {
      const values = b.rows.map((r) => Object.fromEntries(names.map((n, i) => [n, n === 'date' ? String(r[i]).slice(0, 19) : r[i]])));
      await main.insert({ table: `${db}.${t}`, values, format: 'JSONEachRow', clickhouse_settings: { insert_distributed_sync: 1 } });
      o.onProgress?.(b.end, df.height);
    }
    let shards: number[] | undefined;
    if (o.cluster) {
      shards = [];
      for (const n of nodes) {
        const c = await connectClickHouse(n);
        try {
          shards.push(Number((await chQuery(c, `SELECT count() AS n FROM \`${db}\`.\`${local}\``))[0].n));
        } finally {
          await c.close();
        }
      }
    }
    return { written: df.height, shards };
  } finally {
    await main.close();
  }
}

/** A shard URL may be given without ?table= or a database: the loaded table's are used. */
function withTable(s: string, url: SourceUrl): SourceUrl {
  let u: URL;
  try {
    u = new URL(s.trim());
  } catch {
    throw new SegkitError('cli', 'bad_option', `cannot read the shard URL ${JSON.stringify(redact(s))}`, { where: '--shards', hint: 'give clickhouse://host:port URLs, comma-separated' });
  }
  if (!u.searchParams.has('table')) u.searchParams.set('table', url.table);
  if (u.pathname === '' || u.pathname === '/') u.pathname = `/${url.database}`;
  return parseSourceUrl(u.toString());
}

/** Read a transactions file and write it into the table the URL names. */
export async function loadTransactions(file: string, url: string, options: LoadOptions = {}): Promise<LoadResult> {
  const t0 = performance.now();
  const u = parseSourceUrl(url);
  const tx = await readTransactions(file, options.read);
  const df = tx.df;
  let written: number;
  let shards: number[] | undefined;
  if (u.kind === 'postgres') {
    if (options.cluster || options.shards?.length) {
      throw new SegkitError('cli', 'bad_option', '--cluster and --shards are for ClickHouse', { where: '--cluster', hint: 'leave them out for PostgreSQL' });
    }
    written = await loadPostgres(u, df, tableColumns(tx), options);
  } else {
    ({ written, shards } = await loadClickHouse(u, df, tableColumns(tx), options));
  }
  return { source: u.label, table: u.table, rowsRead: tx.source.rowsRead, rowsWritten: written, shards, seconds: (performance.now() - t0) / 1000 };
}
