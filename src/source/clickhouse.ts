/**
 * The ClickHouse client of the SQL source (npm @clickhouse/client over HTTP; verified against
 * ClickHouse 18.16). A Distributed table is queried as it is: each shard aggregates its rows.
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { SegkitError } from '../errors';
import { type Row, type SqlClient, type Staged } from './sql/client';
import { chString, clickhouse } from './sql/dialect';
import type { TableColumn } from './sql/relation';
import { redact, type SourceUrl } from './url';

export async function connectClickHouse(url: SourceUrl, requestTimeout = 3_600_000): Promise<ClickHouseClient> {
  const client = createClient({
    url: `${url.secure ? 'https' : 'http'}://${url.host.includes(':') ? `[${url.host}]` : url.host}:${url.port}`,
    username: url.user,
    password: url.password ?? '',
    database: url.database,
    request_timeout: requestTimeout,
    application: 'segkit',
    // errors are turned into SegkitErrors below; the client's own logging would print them twice
    log: { level: ClickHouseLogLevel.OFF },
  });
  try {
    await (await client.query({ query: 'SELECT 1', format: 'JSONEachRow' })).json();
  } catch (e) {
    await client.close().catch(() => undefined);
    throw new SegkitError('io', 'connect_failed', `cannot connect to ClickHouse at ${url.host}:${url.port}: ${redact((e as Error).message, url.password)}`, {
      where: url.label,
      hint: 'check the host, the HTTP port (8123 by default), the database and the user; give the password in CLICKHOUSE_PASSWORD',
    });
  }
  return client;
}

export async function chQuery(client: ClickHouseClient, sql: string, settings: Record<string, number> = {}): Promise<Row[]> {
  return (await (await client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: settings })).json()) as Row[];
}

export async function chCommand(client: ClickHouseClient, sql: string): Promise<void> {
  await client.command({ query: sql });
}

let temp = 0;

/**
 * Settings that keep a GROUP BY within the server's per-query memory limit: aggregation spills to disk
 * past half of max_memory_usage (ClickHouse's own advice). At 100M lines, the distinct customers and
 * invoices per product (about 100M entries on each shard) went over the limit without it. None when the
 * user may not change settings (readonly) or the server sets no limit.
 */
async function spillSettings(ch: ClickHouseClient): Promise<Record<string, number>> {
  try {
    const rows = await chQuery(ch, "SELECT name, value FROM system.settings WHERE name IN ('max_memory_usage', 'readonly', 'max_bytes_before_external_group_by')");
    const v = (name: string): number => Number(rows.find((r) => r.name === name)?.value ?? 0);
    if (v('readonly') > 0 || v('max_memory_usage') <= 0 || v('max_bytes_before_external_group_by') > 0) return {};
    return { max_bytes_before_external_group_by: Math.floor(v('max_memory_usage') / 2), distributed_aggregation_memory_efficient: 1 };
  } catch {
    return {};
  }
}

export async function clickHouseClient(url: SourceUrl): Promise<SqlClient> {
  const ch = await connectClickHouse(url);
  const fail = (e: unknown, sql: string): never => {
    throw new SegkitError('io', 'query_failed', `ClickHouse refused a query: ${redact((e as Error).message, url.password).slice(0, 600)}`, {
      where: `${url.label}: ${sql.slice(0, 200)}${sql.length > 200 ? '…' : ''}`,
      hint: 'check the table and the column mapping; this may also be a bug in segkit (please report it with the query)',
      cause: e,
    });
  };
  let settings: Record<string, number> = await spillSettings(ch);
  /** The Distributed table behind the source, once distributed() has seen it. */
  let dist: { cluster: string; localTable: string; table: string; deterministic: boolean } | null = null;
  /** How staged tables are made: on every shard (nodes), on the node asked, or not at all; decided at the first stage. */
  let staging: Promise<{ where: 'shards'; nodes: ClickHouseClient[] } | { where: 'node' } | null> | null = null;
  /** Tables made by stage(): dropped on close (on every node for the shards' tables). */
  const staged: Array<{ table: string; local: string; where: 'shards' | 'node' }> = [];
  let shardNodes: ClickHouseClient[] = [];
  const query = async (sql: string): Promise<Row[]> => {
    try {
      return await chQuery(ch, sql, settings);
    } catch (e) {
      return fail(e, sql);
    }
  };
  const exec = async (sql: string): Promise<void> => {
    try {
      await chCommand(ch, sql);
    } catch (e) {
      fail(e, sql);
    }
  };
  const split = (table: string): [string, string] => {
    const p = table.split('.');
    return p.length > 1 ? [p[0], p[1]] : [url.database, p[0]];
  };
  /**
   * Where staged tables go: on every shard when a node of each answers HTTP (given in ?shards=, or found
   * at the cluster's addresses on the URL's port; each node says which shard it is), else on the node
   * asked; none without the right to create tables. Without staging, identical rows of a table sharded by
   * a function of its columns sit on one shard, so the duplicate rule's DISTINCT (made in the query that
   * reads the table: relation.ts) is complete on each shard and distributed_group_by_no_merge leaves out
   * the merge of all shards' rows on the node asked.
   */
  const chooseStaging = async (): Promise<{ where: 'shards'; nodes: ClickHouseClient[] } | { where: 'node' } | null> => {
    const d = dist!;
    const probe = `segkit_probe_${process.pid}_${++temp}`;
    try {
      await chCommand(ch, `CREATE TABLE \`${url.database}\`.\`${probe}\` (x UInt8) ENGINE = Memory`);
      await chCommand(ch, `DROP TABLE \`${url.database}\`.\`${probe}\``);
    } catch {
      if (d.deterministic) settings = { ...settings, distributed_group_by_no_merge: 1 };
      return null;
    }
    const nodes = await findShardNodes(url, ch, d.cluster);
    if (nodes) {
      shardNodes = nodes;
      return { where: 'shards', nodes };
    }
    return { where: 'node' };
  };
  /** The staging decision, made once (none for a table that is not Distributed). */
  const decideStaging = async (): Promise<Awaited<ReturnType<typeof chooseStaging>>> => (dist ? (staging ??= chooseStaging()) : null);
  return {
    dialect: clickhouse,
    query: (sql) => query(sql),
    async queryPerShard(sql: string): Promise<Row[]> {
      try {
        return await chQuery(ch, sql, { ...settings, distributed_group_by_no_merge: 1 });
      } catch (e) {
        return fail(e, sql);
      }
    },
    exec: (sql) => exec(sql),
    async columns(table: string): Promise<TableColumn[]> {
      const [db, name] = split(table);
      const rows = await query(`SELECT name, type FROM system.columns WHERE database = ${chString(db)} AND table = ${chString(name)}`);
      return rows.map((r) => ({ name: String(r.name), type: String(r.type) }));
    },
    async version() {
      return String((await query('SELECT version() AS v'))[0].v);
    },
    async distributed(table: string) {
      const [db, name] = split(table);
      const r = (await query(`SELECT engine, engine_full FROM system.tables WHERE database = ${chString(db)} AND name = ${chString(name)}`))[0];
      if (!r || r.engine !== 'Distributed') return null;
      const m = /Distributed\(\s*'?([^,']+)'?\s*,\s*'?([^,']+)'?\s*,\s*'?([^,')]+)'?\s*(?:,(.*))?\)/.exec(String(r.engine_full));
      if (!m) return null;
      const key = m[4] ?? '';
      dist = { cluster: m[1], localTable: `${m[2]}.${m[3]}`, table: `${db}.${name}`, deterministic: Boolean(key.trim()) && !/rand/i.test(key) };
      const shards = Number((await query(`SELECT uniqExact(shard_num) AS n FROM system.clusters WHERE cluster = ${chString(m[1])}`))[0].n);
      return { cluster: m[1], shards, localTable: `${m[2]}.${m[3]}`, key: key.trim() };
    },
    async withGroups(rows, use) {
      const t = `segkit_groups_${process.pid}_${Date.now() % 1e9}_${++temp}`;
      await exec(`CREATE TABLE \`${url.database}\`.\`${t}\` (customer_id String, grp Int32) ENGINE = Memory`);
      try {
        for (let i = 0; i < rows.length; i += 200_000) {
          await ch.insert({ table: `${url.database}.${t}`, values: rows.slice(i, i + 200_000).map(([customer_id, grp]) => ({ customer_id, grp })), format: 'JSONEachRow' });
        }
        return await use(`\`${url.database}\`.\`${t}\``);
      } finally {
        await exec(`DROP TABLE IF EXISTS \`${url.database}\`.\`${t}\``);
      }
    },
    async staging() {
      return (await decideStaging())?.where ?? null;
    },
    async stage(select: (from: string) => string, after?: Staged, options: { view?: boolean } = {}): Promise<Staged | null> {
      const how = await decideStaging();
      if (!how || !dist) return null;
      const name = `segkit_${process.pid}_${Date.now() % 1e9}_${++temp}`;
      const db = url.database;
      const engine = 'ENGINE = MergeTree() ORDER BY tuple()';
      if (how.where === 'node') {
        // on the node asked: the first stage reads the Distributed table (the rows travel here once)
        const from = after ? after.local : dist.table;
        staged.push({ table: `${db}.${name}`, local: `${db}.${name}`, where: 'node' });
        await exec(`CREATE TABLE \`${db}\`.\`${name}\` ${engine} AS ${select(from)}`);
        return { table: `\`${db}\`.\`${name}\``, local: `${db}.${name}`, where: 'node' };
      }
      // on every shard, from that shard's own rows, at the same time (a view is computed on the shard by
      // each query that reads it: nothing is copied); then a Distributed table over them
      const local = `${name}_local`;
      const from = after ? after.local : dist.localTable;
      staged.push({ table: `${db}.${name}`, local: `${db}.${local}`, where: 'shards' });
      await Promise.all(
        how.nodes.map(async (n) => {
          try {
            await chCommand(n, options.view ? `CREATE VIEW \`${db}\`.\`${local}\` AS ${select(from)}` : `CREATE TABLE \`${db}\`.\`${local}\` ${engine} AS ${select(from)}`);
          } catch (e) {
            fail(e, select(from));
          }
        }),
      );
      const cols = await chQuery(how.nodes[0], `SELECT name, type FROM system.columns WHERE database = ${chString(db)} AND table = ${chString(local)}`);
      const ddl = cols.map((c) => `\`${String(c.name)}\` ${String(c.type)}`).join(', ');
      await exec(`CREATE TABLE \`${db}\`.\`${name}\` (${ddl}) ENGINE = Distributed(${chString(dist.cluster)}, ${chString(db)}, ${chString(local)}, rand())`);
      return { table: `\`${db}\`.\`${name}\``, local: `${db}.${local}`, where: 'shards' };
    },
    async close() {
      for (const t of staged.splice(0).reverse()) {
        await chCommand(ch, `DROP TABLE IF EXISTS ${quoteRef(t.table)}`).catch(() => undefined);
        if (t.where === 'shards') for (const n of shardNodes) await chCommand(n, `DROP TABLE IF EXISTS ${quoteRef(t.local)}`).catch(() => undefined);
      }
      for (const n of shardNodes.splice(0)) await n.close().catch(() => undefined);
      await ch.close().catch(() => undefined);
    },
  };
}

const quoteRef = (t: string): string =>
  t
    .split('.')
    .map((p) => `\`${p}\``)
    .join('.');

/**
 * One node of every shard of `cluster`, in shard order, each asked which shard it is (system.clusters'
 * is_local): the URL's ?shards= addresses, else the cluster's own addresses on the URL's HTTP port. Null
 * when some shard has no node that answers (the caller then keeps the work on the node asked); an error
 * when ?shards= was given and does not cover every shard.
 */
export async function findShardNodes(url: SourceUrl, ch: ClickHouseClient, cluster: string): Promise<ClickHouseClient[] | null> {
  const rows = await chQuery(ch, `SELECT shard_num, host_address, host_name, is_local FROM system.clusters WHERE cluster = ${chString(cluster)} ORDER BY shard_num, replica_num`);
  const shards = [...new Set(rows.map((r) => Number(r.shard_num)))];
  const given = url.shards;
  const candidates = given ?? [{ host: url.host, port: url.port }, ...rows.filter((r) => !Number(r.is_local)).map((r) => ({ host: String(r.host_address), port: url.port }))];
  const found = new Map<number, ClickHouseClient>();
  const tried = new Set<string>();
  for (const c of candidates) {
    const key = `${c.host}:${c.port}`;
    if (tried.has(key) || found.size === shards.length) continue;
    tried.add(key);
    let client: ClickHouseClient | null = null;
    try {
      client = await connectClickHouse({ ...url, host: c.host, port: c.port }, given ? 3_600_000 : 5_000);
      const r = await chQuery(client, `SELECT shard_num FROM system.clusters WHERE cluster = ${chString(cluster)} AND is_local = 1 LIMIT 1`);
      const shard = r.length ? Number(r[0].shard_num) : NaN;
      if (!found.has(shard) && shards.includes(shard)) {
        // a node found by probing was asked with a short timeout; the staging queries take longer
        if (!given) {
          await client.close().catch(() => undefined);
          client = await connectClickHouse({ ...url, host: c.host, port: c.port });
        }
        found.set(shard, client);
        client = null;
      }
    } catch (e) {
      if (given) {
        for (const n of found.values()) await n.close().catch(() => undefined);
        throw e;
      }
    } finally {
      if (client) await client.close().catch(() => undefined);
    }
  }
  if (found.size === shards.length) return shards.map((s) => found.get(s)!);
  for (const n of found.values()) await n.close().catch(() => undefined);
  if (given) {
    const missing = shards.filter((s) => !found.has(s));
    throw new SegkitError('io', 'shards_incomplete', `no node given in ?shards= is shard ${missing.join(', ')} of cluster "${cluster}" (it has ${shards.length} shards)`, {
      where: url.label,
      hint: 'give the HTTP address of one node of every shard: &shards=host1:8123,host2:8123 (or leave the option out to keep the work on the node asked)',
    });
  }
  return null;
}
