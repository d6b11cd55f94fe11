/**
 * One suite every source must pass: a file (Polars), a real PostgreSQL 15 and a real two-shard
 * ClickHouse 18.16 cluster (Distributed table sharded by customer), started here on loopback ports and
 * stopped at the end. Each database gets the same files through `loadTransactions`; every answer is
 * compared with the file path's: cleaning counts exactly, customers, recency and frequency exactly,
 * monetary to 1e-9 relative, top products and countries, one customer's lines.
 */
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CleanOptions } from '../../src/clean';
import { loadTransactions, source, type TransactionSource } from '../../src/source';
import { startClickHouseCluster, startPostgres, type ClickHouseCluster, type PostgresServer } from '../helpers/databases';
import { HAS_SHARED, SAMPLE, sharedData } from '../helpers/shared';

const RETAIL = sharedData('online_retail.csv.gz');

let pg: PostgresServer;
let ch: ClickHouseCluster;
/** kind → dataset → source */
const sources: Record<string, Record<string, TransactionSource>> = { file: {}, postgres: {}, clickhouse: {}, 'clickhouse-shards': {} };

const chUrl = (n: number, table: string): string => `clickhouse://127.0.0.1:${ch.nodes[n].httpPort}/default?table=${table}`;
const pgUrl = (table: string): string => `${pg.url}?table=${table}`;

const DATASETS: Record<string, string> = { sample: SAMPLE, ...(HAS_SHARED ? { retail: RETAIL } : {}) };

beforeAll(async () => {
  [pg, ch] = await Promise.all([startPostgres(), startClickHouseCluster(2)]);
  for (const [name, file] of Object.entries(DATASETS)) {
    await loadTransactions(file, pgUrl(name));
    await loadTransactions(file, chUrl(0, name), { cluster: 'seg', shards: ch.nodes.map((n) => `clickhouse://127.0.0.1:${n.httpPort}`) });
    sources.file[name] = await source(file);
    sources.postgres[name] = await source(pgUrl(name));
    sources.clickhouse[name] = await source(chUrl(0, name));
    // every shard's node named: the cleaned rows are kept on the shards (without: on the node asked)
    sources['clickhouse-shards'][name] = await source(`${chUrl(0, name)}&shards=${ch.nodes.map((n) => `127.0.0.1:${n.httpPort}`).join(',')}`);
  }
}, 600_000);

afterAll(async () => {
  for (const byName of Object.values(sources)) for (const s of Object.values(byName)) await s.close();
  await Promise.all([pg?.stop(), ch?.stop()]);
});

/** Relative difference of two float columns (0 when both are 0). */
function maxRelDiff(a: pl.Series, b: pl.Series): number {
  const x = a.toArray() as number[];
  const y = b.toArray() as number[];
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]) / Math.max(1e-300, Math.abs(x[i]), Math.abs(y[i])));
  return m;
}

const CLEANINGS: Record<string, CleanOptions> = {
  default: {},
  'non-products and a date window': { rules: { non_product_code: true }, dateWindow: { from: '2011-03-01', to: '2011-10-31' } },
  'returns kept (cancel and quantity rules off)': { rules: { cancelled_invoice: false, nonpositive_quantity: false } },
  'duplicates first, then the rest': { order: ['duplicate_row', 'missing_customer_id'] },
};

describe.each(['postgres', 'clickhouse', 'clickhouse-shards'])('%s source against the file source', (kind) => {
  describe.each(Object.keys(DATASETS))('%s', (name) => {
    const db = (): TransactionSource => sources[kind][name];
    const file = (): TransactionSource => sources.file[name];

    it('describes the table: the same mapping, orders and rows read; no password; server version', async () => {
      const [a, b] = await Promise.all([db().describe(), file().describe()]);
      expect(a.kind).toBe(kind.replace('-shards', ''));
      expect(a.rowsRead).toBe(b.rowsRead);
      expect(a.orders).toBe('invoice');
      expect(Object.keys(a.mapping).sort()).toEqual(Object.keys(b.mapping).sort());
      expect(a.label).not.toMatch(/:[^/@]*@/);
      expect(a.server?.version).toMatch(kind === 'postgres' ? /^15\./ : /^18\.16/);
      if (kind !== 'postgres') {
        expect(a.server).toMatchObject({ cluster: 'seg', shards: 2, localTable: `default.${name}_local`, keptOn: kind === 'clickhouse' ? 'node' : 'shards', shardedByCustomer: true });
      }
    });

    it.each(Object.keys(CLEANINGS))('cleaning record (%s): every rule count, rows kept and the date range are the file path\'s', async (c) => {
      const [a, b] = await Promise.all([db().quality({ clean: CLEANINGS[c] }), file().quality({ clean: CLEANINGS[c] })]);
      expect(a.rules).toEqual(b.rules);
      expect(a.rowsKept).toBe(b.rowsKept);
      expect(a.rowsRead).toBe(b.rowsRead);
      expect(a.dateRange).toEqual(b.dateRange);
      expect(a.rules.some((r) => r.removed > 0)).toBe(true);
    });

    it.each([
      ['default asOf, returns dropped', {}, {}],
      ['asOf mid-year (later rows counted and left out)', {}, { asOf: '2011-06-30' }],
      ['returns netted', CLEANINGS['returns kept (cancel and quantity rules off)'], { returns: 'net' as const }],
    ])('customers (%s): ids, recency, frequency, tenure exact; monetary, items, AOV to 1e-9; counts equal', async (_, clean, rfm) => {
      const [a, b] = await Promise.all([db().customers({ clean, rfm }), file().customers({ clean, rfm })]);
      expect(a.asOf).toBe(b.asOf);
      expect(a.counts).toEqual(b.counts);
      expect(a.table.columns).toEqual(b.table.columns);
      expect(a.table.schema).toEqual(b.table.schema);
      const exact = ['customer_id', 'recency_days', 'frequency', 'first_purchase', 'last_purchase', 'tenure_days'];
      expect(a.table.select(...exact).frameEqual(b.table.select(...exact))).toBe(true);
      for (const c of ['monetary', 'items', 'avg_order_value']) expect(maxRelDiff(a.table.getColumn(c), b.table.getColumn(c))).toBeLessThan(1e-9);
      expect(a.warnings.map((w) => w.code).sort()).toEqual(b.warnings.map((w) => w.code).sort());
      expect(a.table.height).toBeGreaterThan(1000);
    });

    it('top products and countries per segment: the same lists, revenue to 1e-9', async () => {
      const customers = (await file().customers()).table;
      const ids = customers.getColumn('customer_id').toArray() as string[];
      const f = customers.getColumn('frequency').toArray() as number[];
      const groups = pl.DataFrame({ customer_id: ids, group: f.map((x) => Math.min(x, 4) - 1) }).withColumns(pl.col('group').cast(pl.Int32));
      const opts = { asOf: '2011-11-30', top: 5 };
      const [a, b] = await Promise.all([db().segmentTops(groups, 4, opts), file().segmentTops(groups, 4, opts)]);
      const strip = (t: typeof a) => ({
        products: t.products.map((g) => g.map((p) => [p.product, p.description, p.quantity, p.customers])),
        countries: t.countries.map((g) => g.map((c) => [c.country, c.customers])),
      });
      expect(strip(a)).toEqual(strip(b));
      expect(a.products.flat().length).toBe(20);
      a.products.flat().forEach((p, i) => expect(Math.abs(p.revenue - b.products.flat()[i].revenue) / p.revenue).toBeLessThan(1e-9));
      a.countries.flat().forEach((p, i) => expect(Math.abs(p.share - b.countries.flat()[i].share)).toBeLessThan(1e-9));
    });

    it("one customer's lines: the same rows and values, oldest first", async () => {
      const customers = (await file().customers()).table;
      const busiest = customers.sort('frequency', true).getColumn('customer_id').get(0) as string;
      const [a, b] = await Promise.all([db().customerLines(busiest), file().customerLines(busiest)]);
      expect(a.height).toBe(b.height);
      expect(a.height).toBeGreaterThan(20);
      const cols = ['customer_id', 'invoice', 'date', 'quantity', 'unit_price', 'amount', 'product', 'description', 'country'];
      const sorted = (df: pl.DataFrame) => df.select(...cols).sort(cols.filter((c) => c !== 'amount'));
      expect(sorted(a).frameEqual(sorted(b), true)).toBe(true);
      const dates = a.getColumn('date').toArray() as unknown as Date[];
      expect(dates.every((d, i) => i === 0 || d >= dates[i - 1])).toBe(true);
    });
  });
});

describe('identifiers and values never reach a server as SQL', () => {
  it.each([
    ['a quote', 'tx"; DROP TABLE sample; --'],
    ['a semicolon', 'tx;DELETE FROM sample'],
    ['a comment', 'tx--'],
    ['a backtick', 'tx`'],
    ['a backslash', 'tx\\'],
  ])('a table name with %s is refused before connecting', async (_, table) => {
    await expect(source(`postgres://seg@127.0.0.1:1/seg?table=${encodeURIComponent(table)}`)).rejects.toMatchObject({ code: 'bad_identifier' });
    await expect(source(`clickhouse://127.0.0.1:1/default?table=${encodeURIComponent(table)}`)).rejects.toMatchObject({ code: 'bad_identifier' });
  });

  it('a column named with a quote is refused with the column named; the tables are untouched', async () => {
    const { connectPostgres } = await import('../../src/source/postgres');
    const { parseSourceUrl } = await import('../../src/source/url');
    const c = await connectPostgres(parseSourceUrl(pgUrl('sample')));
    await c.exec(`CREATE TABLE weird ("CustomerID" text, "Invoice""Date" timestamp, "Amount" float8)`);
    await c.close();
    const s = await source(pgUrl('weird'), { columns: { date: 'Invoice"Date' } });
    await expect(s.describe()).rejects.toMatchObject({ code: 'bad_identifier' });
    await s.close();
    expect((await sources.postgres.sample.describe()).rowsRead).toBe((await sources.file.sample.describe()).rowsRead);
  });

  it('hostile values (cancel prefix, product codes) are bound or escaped, and match the file path', async () => {
    const clean: CleanOptions = { cancelPrefix: "C' OR 1=1 --", rules: { non_product_code: true }, nonProductCodes: ["POST'; DROP TABLE sample; --", 'gift\\_*', 'M'] };
    for (const kind of ['postgres', 'clickhouse']) {
      const [a, b] = await Promise.all([sources[kind].sample.quality({ clean }), sources.file.sample.quality({ clean })]);
      expect(a.rules).toEqual(b.rules);
      expect(a.removed.cancelled_invoice).toBe(0);
    }
  });
});

describe('passwords stay out of messages and labels', () => {
  it('a URL password never appears in an error, and labels drop it', async () => {
    const err = await source('postgres://seg:S3cretPw@127.0.0.1:1/seg?table=t').catch((e) => e);
    expect(String(err.message) + String(err.where) + String(err.hint)).not.toContain('S3cretPw');
    expect(err.code).toBe('connect_failed');
    const ch2 = await source('clickhouse://default:S3cretPw@127.0.0.1:1/default?table=t').catch((e) => e);
    expect(String(ch2.message) + String(ch2.where)).not.toContain('S3cretPw');
    const s = await source(`postgres://seg:S3cretPw@127.0.0.1:${pg.port}/seg?table=sample`);
    expect((await s.describe()).label).toBe(`postgres://seg@127.0.0.1:${pg.port}/seg?table=sample`);
    await s.close();
  });

  it('an unknown table says which and how to load one', async () => {
    const s = await source(pgUrl('no_such_table'));
    await expect(s.describe()).rejects.toMatchObject({ code: 'table_not_found' });
    await s.close();
  });
});
