/**
 * The EDA tables in SQL: the same tables as eda/explore.ts computes from a file (same columns, types,
 * order and rounding), from aggregate queries run where the data lives.
 */
import type { EdaTables, ExploreOptions } from '../../eda/explore';
import type { ColumnMapping, QualityRecord } from '../../types';
import type { SqlClient } from './client';

export interface ExploreSqlInput {
  /** SELECT of the canonical columns of every row (before cleaning): missing values, cancellations, extreme lines. */
  raw: string;
  /** FROM-able relation of the cleaned rows (a table name or a parenthesised subquery). */
  cleaned: string;
  /** Values bound by placeholders in `cleaned` (PostgreSQL $1…; empty when it has none). */
  values: unknown[];
  mapping: ColumnMapping;
  orders: 'invoice' | 'customer-day';
  /** Rows in the table (before cleaning). */
  rowsRead: number;
  quality: QualityRecord;
  cancelPrefix?: string;
  options: Omit<ExploreOptions, 'cleaned'>;
}

export async function exploreSql(client: SqlClient, input: ExploreSqlInput): Promise<EdaTables> {
  void client;
  void input;
  throw new Error('exploreSql: not written yet');
}
