/**
 * The EDA tables of a database source (source/sql/eda.ts exploreSql, through SqlSource.explore) against the
 * file path's (eda/explore.ts explore), table by table, on a throw-away PostgreSQL 15 and a two-shard
 * ClickHouse 18.16 cluster (Distributed table sharded by customer), both loaded by `loadTransactions`:
 * the bundled sample (with realistic faults), the sample without its invoice column (orders are
 * customer-days), and UCI Online Retail (541,909 lines). One more PostgreSQL table keeps the file's own
 * column names (amount derived in SQL), so the missing-values table's `source` column is compared too.
 *
 * Strings, counts, dates and row order must be identical; floats equal within 1e-9 relative (the database adds
 * amounts exactly, the file path adds Float64s in row order). Each table also reports whether it came out
 * bit-identical.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@clickhouse/client';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explore, type EdaResult, type ExploreOptions } from '../../src/eda';
import type { Histogram } from '../../src/eda/numeric';
import { readTransactions } from '../../src/io';
import { loadTransactions, source } from '../../src/source';
import { connectPostgres } from '../../src/source/postgres';
import type { SqlClient } from '../../src/source/sql/client';
import { SqlSource } from '../../src/source/sql/source';
import { parseSourceUrl } from '../../src/source/url';
import type { TransactionTable } from '../../src/types';
import { startClickHouseCluster, startPostgres, type ClickHouseCluster, type PostgresServer } from '../helpers/databases';
import { HAS_SHARED, SAMPLE, sharedData } from '../helpers/shared';

const RETAIL = sharedData('online_retail.csv.gz');

const FRAMES = [
  'overview', 'missing', 'numeric', 'monthly', 'weekdayHour', 'topCountries', 'topCountriesByCustomers', 'topProducts', 'topProductsByCustomers',
  'cancellations', 'customers', 'customerSummary', 'extremeLines', 'topCustomers',
] as const;

let pg: PostgresServer | undefined;
let ch: ClickHouseCluster | undefined;
let tmp: string;
/** dataset → file */
const files: Record<string, string> = {};
const DATASETS = ['sample', 'sample_days', 'sample_mixed', ...(HAS_SHARED ? ['retail'] : [])];

const pgUrl = (table: string): string => `${pg!.url}?table=${table}`;
const chUrl = (table: string): string => `clickhouse://127.0.0.1:${ch!.nodes[0].httpPort}/default?table=${table}`;
/** clickhouse-shards: every shard's node named in the URL, so the cleaned rows are kept on the shards. */
const url = (kind: string, table: string): string =>
  kind === 'postgres' ? pgUrl(table) : kind === 'clickhouse' ? chUrl(table) : `${chUrl(table)}&shards=${ch!.nodes.map((n) => `127.0.0.1:${n.httpPort}`).join(',')}`;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'segkit-eda-sql-'));
  // The sample without its invoice column (the first, never quoted): orders are customer-days.
  const days = path.join(tmp, 'no-invoice.csv');
  const lines = readFileSync(SAMPLE, 'utf8').split('\n');
  if (!lines[0].startsWith('InvoiceNo,')) throw new Error(`unexpected sample header ${lines[0]}`);
  writeFileSync(days, lines.map((l) => l.slice(l.indexOf(',') + 1)).join('\n'));
  // The sample with the second line of the first 40 invoices of two or more lines moved to another customer:
  // invoices with lines on both shards, so orders cannot be counted on each shard and added (shards.ts).
  const mixed = path.join(tmp, 'mixed.csv');
  const seen = new Map<string, number>();
  let moved = 0;
  const mixedLines = lines.map((l, i) => {
    if (i === 0 || !l) return l;
    const invoice = l.slice(0, l.indexOf(','));
    const n = (seen.get(invoice) ?? 0) + 1;
    seen.set(invoice, n);
    const f = l.split(',');
    if (n !== 2 || moved >= 40 || !f[f.length - 2]) return l;
    moved++;
    f[f.length - 2] = `9${String(moved).padStart(4, '0')}`;
    return f.join(',');
  });
  writeFileSync(mixed, mixedLines.join('\n'));
  Object.assign(files, { sample: SAMPLE, sample_days: days, sample_mixed: mixed, ...(HAS_SHARED ? { retail: RETAIL } : {}) });
  const [p, c] = await Promise.allSettled([startPostgres(), startClickHouseCluster(2)]);
  if (p.status === 'fulfilled') pg = p.value;
  if (c.status === 'fulfilled') ch = c.value;
  if (p.status === 'rejected' || c.status === 'rejected') throw p.status === 'rejected' ? p.reason : (c as PromiseRejectedResult).reason;
  for (const name of DATASETS) {
    await loadTransactions(files[name], pgUrl(name));
    await loadTransactions(files[name], chUrl(name), { cluster: 'seg', shards: ch!.nodes.map((n) => `clickhouse://127.0.0.1:${n.httpPort}`) });
  }
}, 600_000);

afterAll(async () => {
  await Promise.allSettled([pg?.stop(), ch?.stop()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The file path's answer per dataset (read and explored once). */
const expected = new Map<string, Promise<{ tx: TransactionTable; result: EdaResult; ms: number }>>();
function fileAnswer(name: string): Promise<{ tx: TransactionTable; result: EdaResult; ms: number }> {
  let e = expected.get(name);
  if (!e) {
    e = readTransactions(files[name]).then((tx) => {
      const t0 = performance.now();
      const result = explore(tx);
      return { tx, result, ms: performance.now() - t0 };
    });
    expected.set(name, e);
  }
  return e;
}

type ColumnKind = 'text' | 'float' | 'timestamp';
const SQL_TYPE: Record<ColumnKind, string> = { text: 'text', float: 'double precision', timestamp: 'timestamp(3)' };
const CANONICAL_KIND: Record<string, ColumnKind> = {
  customer_id: 'text', invoice: 'text', date: 'timestamp', quantity: 'float', unit_price: 'float', amount: 'float', product: 'text', description: 'text', country: 'text',
};
const ROLE_OF_COLUMN: Record<string, string> = {
  customer_id: 'customer', invoice: 'invoice', date: 'date', quantity: 'quantity', unit_price: 'unitPrice', amount: 'amount', product: 'product', description: 'description', country: 'country',
};

/** Put the rows of `tx` in a new table whose columns have the file's names (only the mapped ones: amount is derived). */
async function load(client: SqlClient, table: string, tx: TransactionTable): Promise<void> {
  const cols = Object.keys(CANONICAL_KIND)
    .map((c) => ({ canonical: c, name: (tx.mapping as Record<string, string | undefined>)[ROLE_OF_COLUMN[c]], kind: CANONICAL_KIND[c] }))
    .filter((c): c is { canonical: string; name: string; kind: ColumnKind } => Boolean(c.name));
  await client.exec(`DROP TABLE IF EXISTS ${table}`);
  await client.exec(`CREATE TABLE ${table} (${cols.map((c) => `"${c.name}" ${SQL_TYPE[c.kind]}`).join(', ')})`);
  const data = cols.map((c) => {
    const vs = tx.df.getColumn(c.canonical).toArray() as unknown[];
    if (c.kind === 'timestamp') return vs.map((v) => (v == null ? null : (v as Date).toISOString().replace('T', ' ').replace('Z', '')));
    if (c.kind === 'float') return vs.map((v) => (v == null ? null : String(v)));
    return vs;
  });
  const unnest = cols.map((c, i) => `$${i + 1}::${c.kind === 'text' ? 'text' : c.kind === 'float' ? 'float8' : 'timestamp(3)'}[]`).join(', ');
  const batch = 100_000;
  for (let i = 0; i < tx.df.height; i += batch) {
    await client.exec(`INSERT INTO ${table} SELECT * FROM unnest(${unnest})`, data.map((d) => d.slice(i, i + batch)));
  }
  await client.exec(`ANALYZE ${table}`);
}

// ---------------------------------------------------------------------------------------------------------
// Comparison

const TOL = 1e-9;
const close = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= TOL * Math.max(1, Math.abs(a), Math.abs(b));

interface Verdict {
  table: string;
  /** Every value bit-identical (floats by Object.is). */
  exact: boolean;
  problems: string[];
}

function compareFrames(table: string, got: pl.DataFrame, want: pl.DataFrame, skip: string[] = []): Verdict {
  const problems: string[] = [];
  let exact = true;
  const schema = (df: pl.DataFrame): string[] => df.columns.map((c) => `${c}: ${String(df.schema[c])}`);
  if (JSON.stringify(schema(got)) !== JSON.stringify(schema(want))) problems.push(`schema ${schema(got).join(', ')} ≠ ${schema(want).join(', ')}`);
  if (got.height !== want.height) problems.push(`height ${got.height} ≠ ${want.height}`);
  if (problems.length) return { table, exact: false, problems };
  for (const c of want.columns) {
    if (skip.includes(c)) continue;
    const isFloat = /Float/.test(String(want.schema[c]));
    const a = got.getColumn(c).toArray() as unknown[];
    const b = want.getColumn(c).toArray() as unknown[];
    for (let i = 0; i < b.length; i++) {
      const x = a[i] instanceof Date ? (a[i] as Date).getTime() : a[i];
      const y = b[i] instanceof Date ? (b[i] as Date).getTime() : b[i];
      if (x === null || y === null || !isFloat) {
        if (x !== y && !(typeof x === 'bigint' || typeof y === 'bigint' ? BigInt(x as number) === BigInt(y as number) : false)) {
          problems.push(`${c}[${i}]: ${String(x)} ≠ ${String(y)}`);
        }
        continue;
      }
      if (!Object.is(x, y)) exact = false;
      if (!close(x as number, y as number)) problems.push(`${c}[${i}]: ${String(x)} ≠ ${String(y)} (rel ${Math.abs((x as number) - (y as number)) / Math.abs(y as number)})`);
    }
  }
  return { table, exact: exact && problems.length === 0, problems };
}

function compareHistograms(table: string, got: Histogram | null, want: Histogram | null): Verdict {
  if (!got || !want) return { table, exact: got === want, problems: got === want ? [] : [`${got ? 'a' : 'no'} histogram ≠ ${want ? 'a' : 'no'} histogram`] };
  const v = compareFrames(table, got.table, want.table);
  for (const k of ['column', 'log', 'excluded', 'total'] as const) if (got[k] !== want[k]) v.problems.push(`${k}: ${String(got[k])} ≠ ${String(want[k])}`);
  return v;
}

/** Every table of the two explorations compared. */
function compareAll(got: EdaResult, want: EdaResult, skip: Partial<Record<string, string[]>> = {}): Verdict[] {
  const out: Verdict[] = FRAMES.map((t) => compareFrames(t, got[t], want[t], skip[t]));
  for (const k of ['quantity', 'unit_price', 'amount'] as const) out.push(compareHistograms(`distributions.${k}`, got.distributions[k], want.distributions[k]));
  for (const k of ['orders', 'revenue', 'items'] as const) out.push(compareHistograms(`customerDistributions.${k}`, got.customerDistributions[k], want.customerDistributions[k]));
  const q = (r: EdaResult) => ({ ...r.quality, warnings: [] });
  out.push({ table: 'quality', exact: true, problems: JSON.stringify(q(got)) === JSON.stringify(q(want)) ? [] : [`${JSON.stringify(q(got))} ≠ ${JSON.stringify(q(want))}`] });
  return out;
}

function expectSame(verdicts: Verdict[], label: string): void {
  const bad = verdicts.filter((v) => v.problems.length);
  const inexact = verdicts.filter((v) => !v.problems.length && !v.exact).map((v) => v.table);
  console.log(`${label}: ${verdicts.length - bad.length}/${verdicts.length} tables match; within tolerance only: ${inexact.join(', ') || 'none'}`);
  expect(bad.map((v) => `${v.table}: ${v.problems.slice(0, 5).join('; ')}${v.problems.length > 5 ? ` (+${v.problems.length - 5} more)` : ''}`)).toEqual([]);
}


// ---------------------------------------------------------------------------------------------------------

/** `missing.source` of a table loaded by loadTransactions: its canonical column names (amount derived). */
const LOADED_SOURCES = (hasInvoice: boolean): Array<string | null> => [
  'customer_id', hasInvoice ? 'invoice' : null, 'date', 'quantity', 'unit_price', 'quantity × unit_price', 'product', 'description', 'country',
];

describe.each(['postgres', 'clickhouse', 'clickhouse-shards'])('exploreSql on %s = explore() on the file', (kind) => {
  it.each(DATASETS)('%s', async (name) => {
    const want = await fileAnswer(name);
    const src = await source(url(kind, name));
    try {
      const t0 = performance.now();
      const got = await src.explore();
      const firstMs = performance.now() - t0;
      const desc = await src.describe();
      expect(desc.orders).toBe(want.tx.orders);
      // the table's columns have the canonical names: the sources of the missing-values table are those
      expect(got.missing.getColumn('source').toArray()).toEqual(LOADED_SOURCES(desc.orders === 'invoice'));
      expectSame(compareAll(got, want.result, { missing: ['source'] }), `${kind} ${name}`);
      expect(Object.keys(got.charts)).toEqual(Object.keys(want.result.charts));
      expect(got.notes).toEqual(want.result.notes);
      if (name === 'retail') {
        // again, with the cleaned rows known (PostgreSQL: materialised): exploreSql and the charts alone
        const t1 = performance.now();
        const again = await src.explore();
        const againMs = performance.now() - t1;
        expectSame(compareAll(again, want.result, { missing: ['source'] }), `${kind} ${name} (again)`);
        console.log(`Online Retail on ${kind}: source.explore() ${firstMs.toFixed(0)} ms first (cleaning queries + exploreSql), ${againMs.toFixed(0)} ms again; file explore() ${want.ms.toFixed(0)} ms`);
      }
    } finally {
      await src.close();
    }
  }, 600_000);
});

describe('orders counted on each shard only where no order spans two shards', () => {
  it.each([
    ['sample', false],
    ['sample_mixed', true],
  ])('%s: invoices on both shards %s', async (name, spans) => {
    const clients = ch!.nodes.map((n) => createClient({ url: n.url }));
    try {
      const count = async (c: ReturnType<typeof createClient>, table: string): Promise<number> =>
        Number(((await (await c.query({ query: `SELECT uniqExact(invoice) AS n FROM default.${table}`, format: 'JSONEachRow' })).json()) as Array<{ n: string }>)[0].n);
      const perShard = (await Promise.all(clients.map((c) => count(c, `${name}_local`)))).reduce((a, b) => a + b, 0);
      const all = await count(clients[0], name);
      // sample_mixed is only a test of the fallback if the shards' own counts overcount; the EDA comparison
      // above then shows the order counts come out right all the same
      if (spans) expect(perShard).toBeGreaterThan(all);
      else expect(perShard).toBe(all);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});

/** Options that let missing customers, cancellations and returns into the cleaned rows, with linear bins. */
const OTHER_OPTIONS: Record<string, Omit<ExploreOptions, 'cleaned'>> = {
  'returns and missing customers kept, linear bins, top 5, 15 bins': {
    clean: { rules: { missing_customer_id: false, cancelled_invoice: false, nonpositive_quantity: false } },
    top: 5,
    bins: 15,
    log: false,
  },
  'non-products, a date window, cancellations prefixed "C5", top 3': {
    clean: { rules: { non_product_code: true }, dateWindow: { from: '2011-03-01', to: '2011-10-31' }, cancelPrefix: 'C5' },
    top: 3,
  },
};

describe.each(['postgres', 'clickhouse'])('exploreSql on %s with other options', (kind) => {
  it.each(Object.keys(OTHER_OPTIONS).flatMap((o) => ['sample', 'sample_days'].map((d) => [o, d])))('%s (%s)', async (o, name) => {
    const { tx } = await fileAnswer(name);
    const want = explore(tx, OTHER_OPTIONS[o]);
    const src = await source(url(kind, name));
    try {
      const got = await src.explore(OTHER_OPTIONS[o]);
      expectSame(compareAll(got, want, { missing: ['source'] }), `${kind} ${name}, ${o}`);
    } finally {
      await src.close();
    }
  }, 120_000);
});

describe('exploreSql on PostgreSQL, columns named as in the file', () => {
  it('the bundled sample: every table, the sources of the missing values included', async () => {
    const want = await fileAnswer('sample');
    const client = await connectPostgres(parseSourceUrl(pgUrl('sample_file_names')));
    await load(client, 'sample_file_names', want.tx);
    const src = new SqlSource(client, 'sample_file_names', 'postgres test');
    try {
      expect((await src.describe()).mapping).toEqual(want.tx.mapping);
      expectSame(compareAll(await src.explore(), want.result), 'postgres sample, file column names');
    } finally {
      await src.close();
    }
  }, 120_000);
});

describe('the comparison itself', () => {
  it('notices a changed count, a float beyond 1e-9 and a reordered row', async () => {
    const { result } = await fileAnswer('sample');
    const m = result.monthly;
    expect(compareFrames('monthly', m, m).problems).toEqual([]);
    const lines = m.getColumn('lines').toArray() as number[];
    expect(compareFrames('monthly', m.withColumns(pl.Series('lines', lines.map((v, i) => (i === 3 ? Number(v) + 1 : v)), pl.Int64)), m).problems).toHaveLength(1);
    const rev = m.getColumn('revenue').toArray() as number[];
    expect(compareFrames('monthly', m.withColumns(pl.Series('revenue', rev.map((v, i) => (i === 2 ? v * (1 + 1e-8) : v)), pl.Float64)), m).problems).toHaveLength(1);
    const nudged = compareFrames('monthly', m.withColumns(pl.Series('revenue', rev.map((v, i) => (i === 2 ? v * (1 + 1e-12) : v)), pl.Float64)), m);
    expect(nudged.problems).toEqual([]);
    expect(nudged.exact).toBe(false);
    expect(compareFrames('monthly', m.reverse(), m).problems.length).toBeGreaterThan(0);
    expect(compareFrames('monthly', m.withColumns(pl.col('lines').cast(pl.Int32)), m).problems[0]).toMatch(/^schema/);
  });
});
