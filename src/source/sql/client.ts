/** What the SQL source needs from a database client: one small interface per engine (postgres.ts, clickhouse.ts). */
import type { Dialect } from './dialect';
import type { TableColumn } from './relation';

export type Row = Record<string, unknown>;

/** A staged table (see SqlClient.stage). */
export interface Staged {
  /** The table to query (quoted, FROM-able). */
  table: string;
  /** The table on each node that the next stage reads (unquoted db.name). */
  local: string;
  /** Where the rows were kept: on every shard, or on the node asked. */
  where: 'shards' | 'node';
}

export interface SqlClient {
  readonly dialect: Dialect;
  /** Run a query; rows as plain objects (numbers as numbers, text as strings, NULL as null). */
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Run a statement that returns nothing. */
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** The columns of a table (or view), in order; an empty list when it does not exist. */
  columns(table: string): Promise<TableColumn[]>;
  version(): Promise<string>;
  /**
   * Make `rows` available as a table (customer_id text, grp integer) for the duration of `use`: a
   * temporary table (PostgreSQL) or a Memory table joined with GLOBAL JOIN (ClickHouse). Returns what `use` returns.
   */
  withGroups<T>(rows: Array<[string, number]>, use: (table: string) => Promise<T>): Promise<T>;
  /** The cleaned relation may be kept as a table for the session (PostgreSQL: a temporary table). */
  materialize?(sql: string, params: unknown[]): Promise<string>;
  /**
   * Keep a relation as a table for the session, built where the rows are (ClickHouse over a Distributed
   * table: a table on every shard made from that shard's rows, queried through a Distributed table, so
   * later queries aggregate on the shards). `select(from)` gives the SELECT over `from`: the source's own
   * rows (each shard's local table) when `after` is left out, else the rows of an earlier staged table.
   * Null when staging is not available (not a Distributed table, or no right to create tables): the
   * caller then queries the source table as it is. `view`: on the shards, a view (computed by each query
   * that reads it, nothing copied) instead of a table; on the node asked, always a table.
   */
  stage?(select: (from: string) => string, after?: Staged, options?: { view?: boolean }): Promise<Staged | null>;
  /** Where stage() keeps tables (deciding it if not yet done); null when it does not. */
  staging?(): Promise<Staged['where'] | null>;
  /** ClickHouse: the cluster, shard count, local table and sharding key expression behind a Distributed table. */
  distributed?(table: string): Promise<{ cluster: string; shards: number; localTable: string; key: string } | null>;
  /**
   * Run a query over staged tables with each shard answering for its own rows and no merge of the shards'
   * aggregation states (ClickHouse: distributed_group_by_no_merge); see shards.ts for the queries that
   * stay exact that way.
   */
  queryPerShard?(sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

/** A number from a driver value (bigint, numeric text, number); null stays null. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const n = Number(v);
  return Number.isNaN(n) && String(v).toLowerCase() !== 'nan' ? null : n;
}

/** A naive timestamp text 'YYYY-MM-DD HH:MM:SS[.mmm]' as a Date (read as UTC). */
export function dateOfText(s: unknown): Date | null {
  if (s === null || s === undefined) return null;
  const t = String(s).trim().replace(' ', 'T');
  const d = new Date(/[zZ]$/.test(t) ? t : `${t}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}
