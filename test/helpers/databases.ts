/**
 * Real database servers for tests: a throw-away PostgreSQL 15 and a ClickHouse cluster of N single-replica
 * shards, each in its own temp folder on free loopback ports. Nothing is left behind: stop() shuts a server
 * down and removes its folder; if the test process ends without stop() (exception, signal, process.exit),
 * exit/signal hooks kill the servers synchronously, and a detached watchdog shell kills them even when the
 * test process itself is SIGKILLed.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PG_BIN = process.env.SEGKIT_PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const CLICKHOUSE_SERVER = process.env.SEGKIT_CLICKHOUSE_SERVER ?? '/usr/sbin/clickhouse-server';

export interface PostgresServer {
  /** postgres://seg@127.0.0.1:PORT/seg (superuser `seg`, trust auth, database `seg`). */
  url: string;
  port: number;
  /** The temp folder: data/ (cluster), postgres.log, and the unix socket. */
  dir: string;
  stop(): Promise<void>;
}

export interface ClickHouseNode {
  httpPort: number;
  tcpPort: number;
  /** http://127.0.0.1:HTTP_PORT (user `default`, no password). */
  url: string;
}

export interface ClickHouseCluster {
  /** One node per shard; every node's config lists all of them as cluster `seg`. */
  nodes: ClickHouseNode[];
  cluster: 'seg';
  /** The temp folder holding node0/, node1/, … (config.xml, users.xml, data/, log/). */
  dir: string;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Small utilities

const IS_ROOT = process.getuid?.() === 0;

/** `n` distinct free TCP ports on 127.0.0.1 (all held open together so they differ, then released). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      servers.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portAccepts(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

function tail(file: string, lines = 30): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    // A zombie (exited, not yet reaped) counts as gone: its parent may be this very process, blocked in a hook.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return false;
  } catch {
    /* no /proc entry: gone (or no procfs; kill(0) below decides) */
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (pids.some(alive)) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

function waitGoneSync(pids: number[], timeoutMs: number): boolean {
  const end = Date.now() + timeoutMs;
  while (pids.some(alive)) {
    if (Date.now() > end) return false;
    sleepSync(20);
  }
  return true;
}

/** Run a program; resolve with stdout, reject with an error naming the command and showing its output. */
function run(file: string, args: string[], opts: { cwd?: string; timeoutMs?: number; what: string; log?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 << 20, env: cleanEnv() }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const why = err.killed ? `timed out after ${opts.timeoutMs ?? 60_000} ms` : `exit code ${err.code ?? err.signal}`;
      reject(
        new Error(
          `${opts.what} failed (${why}): ${file} ${args.join(' ')}\n` +
            `--- stdout ---\n${stdout.trimEnd()}\n--- stderr ---\n${stderr.trimEnd()}` +
            (opts.log ? `\n--- ${opts.log} (tail) ---\n${tail(opts.log)}` : ''),
        ),
      );
    });
  });
}

/** The environment without PG* variables (so a developer's PGHOST/PGDATA cannot redirect the tools). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
  return env;
}

// ---------------------------------------------------------------------------------------------------------
// Cleanup when stop() was not called

const killers = new Map<number, () => void>();
let nextKiller = 1;
let hooksInstalled = false;

function runKillers(): void {
  for (const [id, k] of [...killers]) {
    killers.delete(id);
    try {
      k();
    } catch {
      /* best effort */
    }
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', runKillers);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      runKillers();
      process.off(sig, onSignal);
      // Keep the signal's normal effect when nobody else handles it.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/** Register a synchronous killer; returns a function that unregisters it. */
function onAbandon(killer: () => void): () => void {
  installHooks();
  const id = nextKiller++;
  killers.set(id, killer);
  return () => void killers.delete(id);
}

/**
 * A detached shell that waits for this process to die (even by SIGKILL, when no hook can run), then runs
 * `cleanup`. Returns a function that ends the watchdog (used by stop()).
 */
function watchdog(cleanup: string): () => void {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${cleanup}`;
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid!;
  return () => {
    kill(-pid, 'SIGKILL'); // its process group: the shell and its `sleep`
    kill(pid, 'SIGKILL');
  };
}

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL

/** argv → argv that runs as the `postgres` user when we are root, else unchanged. */
function asPostgres(argv: string[]): [string, string[]] {
  if (!IS_ROOT) return [argv[0], argv.slice(1)];
  return ['su', ['postgres', '-s', '/bin/sh', '-c', argv.map(sq).join(' ')]];
}

export async function startPostgres(): Promise<PostgresServer> {
  const started = Date.now();
  if (!existsSync(path.join(PG_BIN, 'initdb'))) {
    throw new Error(`startPostgres: ${PG_BIN}/initdb not found: install the Debian package postgresql-15 (make setup)`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-pg-'));
  chmodSync(dir, 0o755);
  if (IS_ROOT) {
    const r = spawnSync('chown', ['postgres:postgres', dir], { encoding: 'utf8' });
    if (r.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`startPostgres: chown postgres ${dir} failed (is there a postgres user?): ${r.stderr}`);
    }
  }
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  const pidFile = path.join(data, 'postmaster.pid');
  const pgCtl = path.join(PG_BIN, 'pg_ctl');
  const postmaster = (): number => {
    try {
      return Number(readFileSync(pidFile, 'utf8').split('\n')[0]) || 0;
    } catch {
      return 0;
    }
  };
  const hardKill = () => {
    // Synchronous: immediate shutdown of the postmaster (it ends its children), SIGKILL if it lingers.
    const pid = postmaster();
    if (pid) {
      kill(pid, 'SIGQUIT');
      if (!waitGoneSync([pid], 5000)) kill(pid, 'SIGKILL');
      waitGoneSync([pid], 2000);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = onAbandon(hardKill);
  // Reads the pid file only when it fires, so it covers every step below.
  const unwatch = watchdog(
    `P=$(head -n 1 ${sq(pidFile)} 2>/dev/null); if [ -n "$P" ]; then kill -QUIT $P 2>/dev/null; i=0; ` +
      `while kill -0 $P 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; kill -KILL $P 2>/dev/null; fi; rm -rf ${sq(dir)}`,
  );
  try {
    await run(...asPostgres([path.join(PG_BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'seg', '-E', 'UTF8', '--locale=C', '-N']), {
      cwd: dir,
      what: 'initdb',
    });
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      [port] = await freePorts(1);
      const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        await run(...asPostgres([pgCtl, '-D', data, '-o', opts, '-l', log, '-w', '-t', '60', 'start']), {
          cwd: dir,
          timeoutMs: 90_000,
          what: `pg_ctl start (port ${port})`,
          log,
        });
        break;
      } catch (e) {
        // Another process may have taken the port between freePorts() and the bind: try another one.
        if (attempt < 3 && /could not (bind|create listen)|Address already in use/i.test(tail(log, 20))) continue;
        throw e;
      }
    }
    const pid = postmaster();
    await run(path.join(PG_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'seg', 'seg'], {
      cwd: dir,
      what: 'createdb seg',
      log,
    });
    const url = `postgres://seg@127.0.0.1:${port}/seg`;
    if (process.env.SEGKIT_DB_DEBUG) console.log(`postgres ${url} up in ${Date.now() - started} ms (${dir})`);
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        unregister();
        try {
          await run(...asPostgres([pgCtl, '-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']), {
            cwd: dir,
            timeoutMs: 90_000,
            what: 'pg_ctl stop',
            log,
          });
        } catch (e) {
          hardKill();
          unwatch();
          throw e;
        }
        if (!(await waitGone([pid], 10_000))) kill(pid, 'SIGKILL');
        unwatch();
        rmSync(dir, { recursive: true, force: true });
      })());
    return { url, port, dir, stop };
  } catch (e) {
    unregister();
    hardKill();
    unwatch();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------
// ClickHouse

interface NodePorts {
  http: number;
  tcp: number;
  interserver: number;
}

function clickhouseConfig(nodeDir: string, me: NodePorts, all: NodePorts[]): string {
  const shards = all
    .map((n) => `      <shard><replica><host>127.0.0.1</host><port>${n.tcp}</port></replica></shard>`)
    .join('\n');
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>information</level>
    <log>${nodeDir}/log/server.log</log>
    <errorlog>${nodeDir}/log/server.err.log</errorlog>
    <size>50M</size>
    <count>1</count>
  </logger>
  <http_port>${me.http}</http_port>
  <tcp_port>${me.tcp}</tcp_port>
  <interserver_http_port>${me.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <path>${nodeDir}/data/</path>
  <tmp_path>${nodeDir}/tmp/</tmp_path>
  <user_files_path>${nodeDir}/user_files/</user_files_path>
  <format_schema_path>${nodeDir}/format_schemas/</format_schema_path>
  <users_config>${nodeDir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <keep_alive_timeout>3</keep_alive_timeout>
  <shutdown_wait_unfinished>1</shutdown_wait_unfinished>
  <max_connections>256</max_connections>
  <max_concurrent_queries>50</max_concurrent_queries>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <remote_servers>
    <seg>
${shards}
    </seg>
  </remote_servers>
</yandex>
`;
}

const CLICKHOUSE_USERS = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <max_memory_usage_for_all_queries>6000000000</max_memory_usage_for_all_queries>
      <load_balancing>random</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
`;

interface RunningNode {
  ports: NodePorts;
  dir: string;
  child: ChildProcess;
  /** The spawned pid plus the pid the server wrote to data/status (the same unless it forked). */
  pids(): number[];
  exited: Promise<void>;
}

function nodeLogs(nodeDir: string): string {
  return (
    `--- ${nodeDir}/log/server.err.log (tail) ---\n${tail(path.join(nodeDir, 'log', 'server.err.log'))}\n` +
    `--- ${nodeDir}/log/server.log (tail) ---\n${tail(path.join(nodeDir, 'log', 'server.log'))}\n` +
    `--- ${nodeDir}/stdout.log (tail) ---\n${tail(path.join(nodeDir, 'stdout.log'))}`
  );
}

function statusPid(nodeDir: string): number | undefined {
  try {
    const m = /PID:\s*(\d+)/.exec(readFileSync(path.join(nodeDir, 'data', 'status'), 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function launchNode(nodeDir: string, ports: NodePorts, all: NodePorts[]): RunningNode {
  rmSync(nodeDir, { recursive: true, force: true });
  for (const d of ['', 'data', 'tmp', 'log', 'user_files', 'format_schemas']) mkdirSync(path.join(nodeDir, d), { recursive: true });
  writeFileSync(path.join(nodeDir, 'config.xml'), clickhouseConfig(nodeDir, ports, all));
  writeFileSync(path.join(nodeDir, 'users.xml'), CLICKHOUSE_USERS);
  const out = openSync(path.join(nodeDir, 'stdout.log'), 'a');
  // detached: its own process group, so anything it forks is killed with it (kill(-pid)).
  const child = spawn(CLICKHOUSE_SERVER, [`--config-file=${nodeDir}/config.xml`], {
    cwd: nodeDir,
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (child.pid) writeFileSync(path.join(nodeDir, 'spawn.pid'), `${child.pid}\n`);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  child.unref();
  const pids = () => {
    const s = statusPid(nodeDir);
    return [...new Set([child.pid, s].filter((p): p is number => !!p))];
  };
  return { ports, dir: nodeDir, child, pids, exited };
}

async function waitReady(node: RunningNode, timeoutMs: number): Promise<void> {
  const url = `http://127.0.0.1:${node.ports.http}/?query=SELECT%201`;
  const end = Date.now() + timeoutMs;
  let exitedEarly = false;
  void node.exited.then(() => (exitedEarly = true));
  let last = '';
  while (Date.now() < end) {
    if (exitedEarly && !(statusPid(node.dir) && alive(statusPid(node.dir)!))) {
      throw new Error(
        `clickhouse-server (http ${node.ports.http}, tcp ${node.ports.tcp}) exited during startup ` +
          `(code ${node.child.exitCode}, signal ${node.child.signalCode})\n${nodeLogs(node.dir)}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      if (res.ok && body === '1\n') return;
      last = `HTTP ${res.status}: ${body.slice(0, 300)}`;
    } catch (e) {
      last = String((e as Error).cause ?? e);
    }
    await sleep(100);
  }
  throw new Error(
    `clickhouse-server (http ${node.ports.http}, tcp ${node.ports.tcp}) did not answer SELECT 1 within ${timeoutMs} ms ` +
      `(last: ${last})\n${nodeLogs(node.dir)}`,
  );
}

function killNodeSync(node: RunningNode): void {
  const pids = node.pids();
  if (node.child.pid) kill(-node.child.pid, 'SIGKILL');
  for (const p of pids) kill(p, 'SIGKILL');
  waitGoneSync(pids, 3000);
}

async function stopNode(node: RunningNode): Promise<void> {
  const pids = node.pids();
  for (const p of pids) kill(p, 'SIGTERM');
  if (!(await waitGone(pids, 15_000))) {
    if (node.child.pid) kill(-node.child.pid, 'SIGKILL');
    for (const p of pids) kill(p, 'SIGKILL');
    await waitGone(pids, 5000);
  }
  // Anything else left in its process group.
  if (node.child.pid) kill(-node.child.pid, 'SIGKILL');
  await Promise.race([node.exited, sleep(2000)]);
}

export async function startClickHouseCluster(shards = 2): Promise<ClickHouseCluster> {
  if (!Number.isInteger(shards) || shards < 1) throw new Error(`startClickHouseCluster: shards must be a positive integer, got ${shards}`);
  if (!existsSync(CLICKHOUSE_SERVER)) {
    throw new Error(`startClickHouseCluster: ${CLICKHOUSE_SERVER} not found: install the Debian package clickhouse-server (make setup)`);
  }
  const started = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-ch-'));
  chmodSync(dir, 0o755);
  const nodes: RunningNode[] = [];
  const hardKill = () => {
    for (const n of nodes) killNodeSync(n);
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = onAbandon(hardKill);
  // Reads the pid files only when it fires: the spawned server (and its process group) and the pid each
  // server wrote to data/status.
  const unwatch = watchdog(
    `for f in ${sq(dir)}/node*/spawn.pid; do P=$(cat "$f" 2>/dev/null); [ -n "$P" ] && kill -KILL -$P 2>/dev/null; [ -n "$P" ] && kill -KILL $P 2>/dev/null; done; ` +
      `for f in ${sq(dir)}/node*/data/status; do P=$(sed -n 's/^PID: *//p' "$f" 2>/dev/null); [ -n "$P" ] && kill -KILL $P 2>/dev/null; done; ` +
      `sleep 1; rm -rf ${sq(dir)}`,
  );
  try {
    for (let attempt = 1; ; attempt++) {
      const flat = await freePorts(3 * shards);
      const all: NodePorts[] = Array.from({ length: shards }, (_, i) => ({
        http: flat[3 * i],
        tcp: flat[3 * i + 1],
        interserver: flat[3 * i + 2],
      }));
      nodes.length = 0;
      all.forEach((p, i) => nodes.push(launchNode(path.join(dir, `node${i}`), p, all)));
      try {
        await Promise.all(nodes.map((n) => waitReady(n, 60_000)));
        break;
      } catch (e) {
        await Promise.all(nodes.map(stopNode));
        // A port taken between freePorts() and the bind: start the whole cluster again on new ports.
        if (attempt < 3 && /Address already in use/i.test(String(e))) continue;
        throw e;
      }
    }
    const result: ClickHouseNode[] = nodes.map((n) => ({
      httpPort: n.ports.http,
      tcpPort: n.ports.tcp,
      url: `http://127.0.0.1:${n.ports.http}`,
    }));
    if (process.env.SEGKIT_DB_DEBUG) console.log(`clickhouse ×${shards} up in ${Date.now() - started} ms (${dir})`);
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        unregister();
        await Promise.all(nodes.map(stopNode));
        unwatch();
        rmSync(dir, { recursive: true, force: true });
      })());
    return { nodes: result, cluster: 'seg', dir, stop };
  } catch (e) {
    unregister();
    hardKill();
    unwatch();
    throw e;
  }
}
