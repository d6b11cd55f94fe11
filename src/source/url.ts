/**
 * Source URLs: `postgres://user@host:5432/db?table=transactions` and `clickhouse://user@host:8123/db?table=tx`.
 * Passwords come from the URL or from PGPASSWORD / CLICKHOUSE_PASSWORD, and never appear in a label,
 * a message, a report or a notebook: {@link SourceUrl.label} is the URL without them.
 */
import { SegkitError } from '../errors';
import { checkIdentifier } from './sql/dialect';

export interface SourceUrl {
  kind: 'postgres' | 'clickhouse';
  host: string;
  port: number;
  user: string;
  /** Not printed anywhere. */
  password?: string;
  database: string;
  table: string;
  /** ClickHouse over HTTPS. */
  secure: boolean;
  /**
   * ClickHouse: the HTTP address of one node of every shard of a Distributed table, in any order
   * (`?shards=host1:8123,host2:8123`; each node says which shard it is). Optional: segkit finds them itself when every node answers HTTP on
   * the URL's port. With them, the cleaned rows are kept on each shard and every query aggregates there.
   */
  shards?: Array<{ host: string; port: number }>;
  /** The URL without its password (safe to print). */
  label: string;
}

const SCHEMES: Record<string, { kind: SourceUrl['kind']; port: number; secure: boolean }> = {
  'postgres:': { kind: 'postgres', port: 5432, secure: false },
  'postgresql:': { kind: 'postgres', port: 5432, secure: false },
  'clickhouse:': { kind: 'clickhouse', port: 8123, secure: false },
  'clickhouses:': { kind: 'clickhouse', port: 8443, secure: true },
};

/** True when `s` looks like a database URL rather than a file path. */
export function isSourceUrl(s: string): boolean {
  return /^(postgres|postgresql|clickhouses?):\/\//i.test(s.trim());
}

/** Remove a password from any text that may hold a URL (for error messages). */
export function redact(text: string, password?: string): string {
  let out = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s/]*@/gi, '$1:***@');
  if (password) out = out.split(password).join('***');
  return out;
}

export function parseSourceUrl(s: string, env: NodeJS.ProcessEnv = process.env): SourceUrl {
  let u: URL;
  try {
    u = new URL(s.trim());
  } catch {
    throw new SegkitError('io', 'bad_source', `cannot read the source URL ${JSON.stringify(redact(s))}`, {
      where: '--source',
      hint: 'write it as postgres://user@host:5432/db?table=transactions or clickhouse://host:8123/db?table=tx',
    });
  }
  const scheme = SCHEMES[u.protocol.toLowerCase()];
  if (!scheme) {
    throw new SegkitError('io', 'bad_source', `unknown source type "${u.protocol.replace(/:$/, '')}"`, {
      where: `--source ${redact(s)}`,
      hint: 'segkit reads postgres://… and clickhouse://… URLs, or a file path',
    });
  }
  const table = u.searchParams.get('table') ?? '';
  if (!table) {
    throw new SegkitError('io', 'bad_source', 'the source URL names no table', {
      where: `--source ${redact(s)}`,
      hint: `add ?table=NAME, e.g. ${scheme.kind}://${u.host || 'localhost'}/${decodeURIComponent(u.pathname.slice(1)) || 'db'}?table=transactions`,
    });
  }
  for (const part of table.split('.')) checkIdentifier(part, 'table name');
  for (const key of u.searchParams.keys()) {
    if (key !== 'table' && !(key === 'shards' && scheme.kind === 'clickhouse')) {
      throw new SegkitError('io', 'bad_source', `unknown URL option "${key}"`, {
        where: `--source ${redact(s)}`,
        hint: scheme.kind === 'clickhouse' ? 'the options are ?table=NAME and &shards=host1:8123,host2:8123' : 'the only option is ?table=NAME',
      });
    }
  }
  const shards = u.searchParams.has('shards') ? parseShards(u.searchParams.get('shards') ?? '', scheme.port, redact(s)) : undefined;
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || (scheme.kind === 'postgres' ? 'postgres' : 'default');
  checkIdentifier(database, 'database name');
  const user = decodeURIComponent(u.username) || (scheme.kind === 'postgres' ? (env.PGUSER ?? 'postgres') : (env.CLICKHOUSE_USER ?? 'default'));
  const password = u.password ? decodeURIComponent(u.password) : scheme.kind === 'postgres' ? env.PGPASSWORD : env.CLICKHOUSE_PASSWORD;
  const host = u.hostname || 'localhost';
  const port = u.port ? Number(u.port) : scheme.port;
  const shardText = shards ? `&shards=${shards.map((x) => `${x.host.includes(':') ? `[${x.host}]` : x.host}:${x.port}`).join(',')}` : '';
  const label = `${scheme.kind}://${encodeURIComponent(user)}@${host.includes(':') ? `[${host}]` : host}:${port}/${database}?table=${table}${shardText}`;
  return { kind: scheme.kind, host: host.replace(/^\[|\]$/g, ''), port, user, password: password || undefined, database, table, secure: scheme.secure, label, ...(shards ? { shards } : {}) };
}

/** `host1:8123,host2:8123` (a port may be left out: the scheme's) → the shard nodes' HTTP addresses. */
function parseShards(text: string, defaultPort: number, where: string): Array<{ host: string; port: number }> {
  const parts = text.split(',').map((x) => x.trim()).filter(Boolean);
  if (!parts.length) {
    throw new SegkitError('io', 'bad_source', 'the shards option is empty', { where: `--source ${where}`, hint: 'give the HTTP address of one node of every shard: &shards=host1:8123,host2:8123, or leave the option out' });
  }
  return parts.map((x) => {
    const m = /^(\[[^\]]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(x);
    const port = m?.[2] ? Number(m[2]) : defaultPort;
    if (!m || port < 1 || port > 65535) {
      throw new SegkitError('io', 'bad_source', `cannot read the shard address ${JSON.stringify(x)}`, { where: `--source ${where}`, hint: 'write each shard node as host:port (its HTTP port), comma-separated: &shards=ch1:8123,ch2:8123' });
    }
    return { host: m[1].replace(/^\[|\]$/g, ''), port };
  });
}
