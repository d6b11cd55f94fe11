/**
 * The ClickHouse client of the SQL source (npm @clickhouse/client over HTTP; verified against
 * ClickHouse 18.16). A Distributed table is queried as it is: each shard aggregates its rows.
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { SegkitError } from '../errors';
import { type Row, type SqlClient } from './sql/client';
import { chString, clickhouse } from './sql/dialect';
import type { TableColumn } from './sql/relation';
import { redact, type SourceUrl } from './url';

export async function connectClickHouse(url: SourceUrl): Promise<ClickHouseClient> {
  const client = createClient({
    url: `${url.secure ? 'https' : 'http'}://${url.host.includes(':') ? `[${url.host}]` : url.host}:${url.port}`,
    username: url.user,
    password: url.password ?? '',
    database: url.database,
    request_timeout: 3_600_000,
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

export async function clickHouseClient(url: SourceUrl): Promise<SqlClient> {
  const ch = await connectClickHouse(url);
  const fail = (e: unknown, sql: string): never => {
    throw new SegkitError('io', 'query_failed', `ClickHouse refused a query: ${redact((e as Error).message, url.password).slice(0, 600)}`, {
      where: `${url.label}: ${sql.slice(0, 200)}${sql.length > 200 ? '…' : ''}`,
      hint: 'check the table and the column mapping; this may also be a bug in segkit (please report it with the query)',
      cause: e,
    });
  };
  // Identical rows of a Distributed table sharded by a function of its columns sit on one shard, so the
  // duplicate rule's DISTINCT (made in the query that reads the table: relation.ts) is complete on each
  // shard: distributed_group_by_no_merge leaves out the merge of all shards' rows on the node asked.
  // Every query reads the table only there, so the setting changes nothing else.
  let settings: Record<string, number> = {};
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
  return {
    dialect: clickhouse,
    query: (sql) => query(sql),
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
      if (key.trim() && !/rand/i.test(key)) settings = { distributed_group_by_no_merge: 1 };
      const shards = Number((await query(`SELECT uniqExact(shard_num) AS n FROM system.clusters WHERE cluster = ${chString(m[1])}`))[0].n);
      return { cluster: m[1], shards, localTable: `${m[2]}.${m[3]}` };
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
    async close() {
      await ch.close().catch(() => undefined);
    },
  };
}
