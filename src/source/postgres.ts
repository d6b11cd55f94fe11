/** The PostgreSQL client of the SQL source (npm `pg`). Connections are made with the URL's parts, never a string holding the password. */
import pg from 'pg';
import { SegkitError } from '../errors';
import { type Row, type SqlClient } from './sql/client';
import { postgres } from './sql/dialect';
import type { TableColumn } from './sql/relation';
import { redact, type SourceUrl } from './url';

const OID = { int8: 20, numeric: 1700, timestamp: 1114, timestamptz: 1184, date: 1082 };

/** Numbers as numbers; dates and timestamps as their text (naive, read as UTC by the caller). */
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === OID.int8 || oid === OID.numeric) return (v: string) => (v === null ? null : Number(v));
    if (oid === OID.timestamp || oid === OID.timestamptz || oid === OID.date) return (v: string) => v;
    return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
  },
};

let temp = 0;

/**
 * Keep only the values a query uses, renumbered in order: queries are built with one set of parameters
 * for a whole question, and PostgreSQL refuses values that a statement does not use. Placeholders
 * inside quoted identifiers or string literals are left alone.
 */
export function compactParams(sql: string, values: unknown[]): { text: string; values: unknown[] } {
  const map = new Map<number, number>();
  const out: unknown[] = [];
  let text = '';
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (quote) {
      text += ch;
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      text += ch;
      continue;
    }
    const m = ch === '$' ? /^\$(\d+)/.exec(sql.slice(i, i + 12)) : null;
    if (!m) {
      text += ch;
      continue;
    }
    const n = Number(m[1]);
    if (!map.has(n)) {
      out.push(values[n - 1]);
      map.set(n, out.length);
    }
    text += `$${map.get(n)}`;
    i += m[0].length - 1;
  }
  return { text, values: out };
}

export async function connectPostgres(url: SourceUrl): Promise<SqlClient> {
  const client = new pg.Client({ host: url.host, port: url.port, user: url.user, password: url.password, database: url.database, types, application_name: 'segkit' });
  try {
    await client.connect();
    // naive timestamps: a timestamptz column is read in UTC
    await client.query("SET TIME ZONE 'UTC'");
  } catch (e) {
    await client.end().catch(() => undefined);
    throw new SegkitError('io', 'connect_failed', `cannot connect to PostgreSQL at ${url.host}:${url.port}: ${redact((e as Error).message, url.password)}`, {
      where: url.label,
      hint: 'check the host, port, database and user; give the password in PGPASSWORD (not in the URL, which may end up in shell history)',
    });
  }
  const fail = (e: unknown, sql: string): never => {
    throw new SegkitError('io', 'query_failed', `PostgreSQL refused a query: ${redact((e as Error).message, url.password)}`, {
      where: `${url.label}: ${sql.slice(0, 200)}${sql.length > 200 ? '…' : ''}`,
      hint: 'check the table and the column mapping; this may also be a bug in segkit (please report it with the query)',
      cause: e,
    });
  };
  /** Tables this connection made (dropped on close). */
  const created: string[] = [];
  const query = async (sql: string, params: unknown[] = []): Promise<Row[]> => {
    try {
      return (await client.query(compactParams(sql, params))).rows as Row[];
    } catch (e) {
      return fail(e, sql);
    }
  };
  return {
    dialect: postgres,
    query,
    async exec(sql, params = []) {
      await query(sql, params);
    },
    async columns(table: string): Promise<TableColumn[]> {
      const parts = table.split('.');
      const [schema, name] = parts.length > 1 ? [parts[0], parts[1]] : [null, parts[0]];
      const rows = await query(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace ` +
          `WHERE c.relname = $1 AND ($2::text IS NULL AND pg_table_is_visible(c.oid) OR n.nspname = $2::text) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
        [name, schema],
      );
      return rows.map((r) => ({ name: String(r.name), type: String(r.type) }));
    },
    async version() {
      return String((await query('SHOW server_version'))[0].server_version);
    },
    async withGroups(rows, use) {
      const t = `segkit_groups_${process.pid}_${++temp}`;
      await query(`CREATE TEMP TABLE ${t} (customer_id text PRIMARY KEY, grp integer NOT NULL)`);
      try {
        for (let i = 0; i < rows.length; i += 200_000) {
          const part = rows.slice(i, i + 200_000);
          await query(`INSERT INTO ${t} SELECT * FROM unnest($1::text[], $2::integer[])`, [part.map((r) => r[0]), part.map((r) => r[1])]);
        }
        await query(`ANALYZE ${t}`);
        return await use(t);
      } finally {
        await query(`DROP TABLE IF EXISTS ${t}`);
      }
    },
    async materialize(sql, params) {
      // An UNLOGGED table, which PostgreSQL scans with parallel workers (a TEMP table is never scanned in
      // parallel): 10M lines, the EDA queries 2× faster on 2 cores. Dropped on close; without the right to
      // create tables in the schema, a TEMP table.
      const t = `segkit_clean_${process.pid}_${Date.now() % 1e9}_${++temp}`;
      try {
        await client.query(compactParams(`CREATE UNLOGGED TABLE ${t} AS ${sql}`, params));
        created.push(t);
      } catch (e) {
        if ((e as { code?: string }).code !== '42501') return fail(e, sql);
        await query(`CREATE TEMP TABLE ${t} AS ${sql}`, params);
      }
      await query(`ANALYZE ${t}`);
      return t;
    },
    async close() {
      for (const t of created.splice(0)) await client.query(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
