/** The database test servers themselves: a real PostgreSQL 15 and a real two-shard ClickHouse 18.16 cluster. */
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClickHouseCluster, type PostgresServer, portAccepts, startClickHouseCluster, startPostgres } from './databases';

let pg: PostgresServer | undefined;
let ch: ClickHouseCluster | undefined;
const clients: ClickHouseClient[] = [];

beforeAll(async () => {
  const [p, c] = await Promise.allSettled([startPostgres(), startClickHouseCluster(2)]);
  if (p.status === 'fulfilled') pg = p.value;
  if (c.status === 'fulfilled') ch = c.value;
  if (p.status === 'rejected' || c.status === 'rejected') {
    await Promise.allSettled([pg?.stop(), ch?.stop()]);
    throw p.status === 'rejected' ? p.reason : (c as PromiseRejectedResult).reason;
  }
  for (const n of ch!.nodes) clients.push(createClient({ url: n.url, request_timeout: 60_000 }));
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await Promise.allSettled([pg?.stop(), ch?.stop()]);
});

describe('startPostgres', () => {
  it('serves SQL as superuser seg in database seg', async () => {
    expect(pg!.url).toBe(`postgres://seg@127.0.0.1:${pg!.port}/seg`);
    const client = new Client({ connectionString: pg!.url });
    await client.connect();
    try {
      const v = await client.query<{ version: string }>('SELECT version()');
      expect(v.rows[0].version).toMatch(/^PostgreSQL 15\./);
      const who = await client.query<{ u: string; d: string }>('SELECT current_user AS u, current_database() AS d');
      expect(who.rows[0]).toEqual({ u: 'seg', d: 'seg' });
      await client.query('CREATE TABLE tx (customer text, amount numeric(12,2))');
      await client.query('INSERT INTO tx VALUES ($1, $2)', ['C1', '12.34']);
      const r = await client.query('SELECT customer, amount FROM tx');
      expect(r.rows).toEqual([{ customer: 'C1', amount: '12.34' }]);
    } finally {
      await client.end();
    }
  });
});

describe('startClickHouseCluster', () => {
  const N = 1000;
  const customer = (i: number): string | null => (i % 50 === 0 ? null : `C${i % 37}`);
  const rows = Array.from({ length: N }, (_, i) => ({
    customer: customer(i),
    d: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')} 10:00:00`,
    amount: (i % 97) + 0.25,
  }));

  it('runs one server per shard, each with the whole seg cluster configured', async () => {
    expect(ch!.cluster).toBe('seg');
    expect(ch!.nodes).toHaveLength(2);
    for (const c of clients) {
      const v = await (await c.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>();
      expect(v[0].v).toMatch(/^18\.16\./);
      const shards = await (
        await c.query({ query: "SELECT shard_num, port FROM system.clusters WHERE cluster = 'seg' ORDER BY shard_num", format: 'JSONEachRow' })
      ).json<{ shard_num: number; port: number }>();
      expect(shards.map((s) => s.port)).toEqual(ch!.nodes.map((n) => n.tcpPort));
    }
  });

  it('shards rows inserted through a Distributed table and aggregates them back', async () => {
    for (const c of clients) {
      await c.command({
        query: 'CREATE TABLE tx_local (customer Nullable(String), d DateTime, amount Float64) ENGINE = MergeTree ORDER BY d',
      });
    }
    const [c0] = clients;
    await c0.command({
      query: "CREATE TABLE tx AS tx_local ENGINE = Distributed(seg, default, tx_local, cityHash64(ifNull(customer, '')))",
    });
    await c0.insert({ table: 'tx', values: rows, format: 'JSONEachRow', clickhouse_settings: { insert_distributed_sync: 1 } });

    const total = await (await c0.query({ query: 'SELECT count() AS n FROM tx', format: 'JSONEachRow' })).json<{ n: string }>();
    expect(Number(total[0].n)).toBe(N);

    const shares: number[] = [];
    for (const c of clients) {
      const r = await (await c.query({ query: 'SELECT count() AS n FROM tx_local', format: 'JSONEachRow' })).json<{ n: string }>();
      shares.push(Number(r[0].n));
    }
    expect(shares.every((n) => n > 0)).toBe(true);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(N);

    const expected = new Map<string | null, number>();
    for (const r of rows) expected.set(r.customer, (expected.get(r.customer) ?? 0) + 1);
    const got = await (
      await c0.query({ query: 'SELECT customer, count() AS n FROM tx GROUP BY customer', format: 'JSONEachRow' })
    ).json<{ customer: string | null; n: string }>();
    expect(new Map(got.map((g) => [g.customer, Number(g.n)]))).toEqual(expected);
  });

  it('stop() ends every server and removes the folders', async () => {
    const pgPort = pg!.port;
    const pgDir = pg!.dir;
    const chPorts = ch!.nodes.flatMap((n) => [n.httpPort, n.tcpPort]);
    const chDir = ch!.dir;
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all([pg!.stop(), ch!.stop()]);
    for (const port of [pgPort, ...chPorts]) expect(await portAccepts(port), `port ${port} still accepts connections`).toBe(false);
    expect(existsSync(pgDir)).toBe(false);
    expect(existsSync(chDir)).toBe(false);
  });
});
