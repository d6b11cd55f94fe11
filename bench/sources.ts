/**
 * Sources benchmark: `segkit report` on the same transactions from a file, from PostgreSQL and from a
 * two-shard ClickHouse cluster, side by side in one run; optionally 100M lines generated inside ClickHouse.
 * Wall time and the peak RSS of the segkit process itself (VmHWM, polled; Chromium and the database
 * servers are other processes, reported apart where measured).
 *
 *   npm run build
 *   node bench/generate-data.js --rows 1e7 --out bench/data/tx-10m.csv.gz
 *   npx vite-node bench/sources.ts -- --file bench/data/tx-10m.csv.gz [--only file,postgres,clickhouse,clickhouse-node,ch100m] [--rows100m 1e8] [--customers100m 1e6]
 *
 * Writes bench/results/sources-<time>.json and prints a Markdown table.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startClickHouseCluster, startPostgres } from '../test/helpers/databases';

const ROOT = path.resolve(__dirname, '..');
const SEGKIT = path.join(ROOT, 'bin', 'segkit.js');

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

interface Run {
  what: string;
  seconds: number;
  peakRssMb: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Run segkit with args; poll the child's VmHWM (its own peak RSS) every 100 ms. */
function segkit(what: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--max-old-space-size=8192', SEGKIT, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => {
      err += b;
      process.stderr.write(`  [${what}] ${b}`);
    });
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        /* exited */
      }
    }, 100);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ what, seconds: (performance.now() - t0) / 1000, peakRssMb: Math.round(peak), code: code ?? -1, stdout: out, stderr: err });
    });
  });
}

/** The stage timings from the progress lines ("segkit report: rfm: … (12.3 s)"). */
function stages(stderr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stderr.matchAll(/segkit report: ([a-z-]+)[^\n]*\((\d+\.\d) s\)/g)) if (!(m[1] in out)) out[m[1]] = Number(m[2]);
  return out;
}

/** The HTTP address of every shard's node, for ?shards=. */
const shardList = (ch: { nodes: Array<{ httpPort: number }> }): string => ch.nodes.map((n) => `127.0.0.1:${n.httpPort}`).join(',');

async function main(): Promise<void> {
  const file = path.resolve(arg('file', 'bench/data/tx-10m.csv.gz')!);
  const only = new Set((arg('only', 'file,postgres,clickhouse')!).split(','));
  const rows100m = Number(arg('rows100m', '1e8'));
  const customers100m = Number(arg('customers100m', '1e6'));
  const report = ['-k', '5', '--formats', 'html,pdf', '--quiet'];
  const results: Array<Run & { stages?: Record<string, number>; load?: Run }> = [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'segkit-bench-sources-'));
  const reportArgs = (name: string): string[] => ['report', ...report.filter((a) => a !== '--quiet'), '-o', path.join(tmp, name), '--name', name];
  const pg = only.has('postgres') ? await startPostgres() : null;
  const ch = only.has('clickhouse') || only.has('ch100m') ? await startClickHouseCluster(2) : null;
  try {
    if (only.has('file')) {
      const r = await segkit('file', [...reportArgs('file'), '-i', file]);
      results.push({ ...r, stages: stages(r.stderr) });
    }
    if (pg) {
      const url = `${pg.url}?table=tx`;
      const load = await segkit('postgres load', ['load', '-i', file, '--source', url, '--quiet']);
      const r = await segkit('postgres', [...reportArgs('postgres'), '--source', url]);
      results.push({ ...r, stages: stages(r.stderr), load });
    }
    if (ch && only.has('clickhouse')) {
      const url = `clickhouse://127.0.0.1:${ch.nodes[0].httpPort}/default?table=tx`;
      const shards = ch.nodes.map((n) => `clickhouse://127.0.0.1:${n.httpPort}`).join(',');
      const load = await segkit('clickhouse load', ['load', '-i', file, '--source', url, '--cluster', 'seg', '--shards', shards, '--quiet']);
      // every shard's node named: the cleaned rows are kept on the shards and each query aggregates there
      const r = await segkit('clickhouse (rows kept on the shards)', [...reportArgs('clickhouse'), '--source', `${url}&shards=${shardList(ch)}`]);
      results.push({ ...r, stages: stages(r.stderr), load });
      if (only.has('clickhouse-node')) {
        // the same without ?shards= (the nodes are on one host with other ports: not found): kept on the node asked
        const n = await segkit('clickhouse (rows kept on the node asked)', [...reportArgs('clickhouse-node'), '--source', url]);
        results.push({ ...n, stages: stages(n.stderr) });
      }
    }
    if (ch && only.has('ch100m')) {
      // 100M lines generated inside ClickHouse (no file, no segkit process): a tiny table is loaded to
      // create the tables, then INSERT … SELECT FROM numbers() through the Distributed table.
      const { createClient } = await import('@clickhouse/client');
      const url = `clickhouse://127.0.0.1:${ch.nodes[0].httpPort}/default?table=big`;
      const shards = ch.nodes.map((n) => `clickhouse://127.0.0.1:${n.httpPort}`).join(',');
      const seed = path.join(tmp, 'seed.csv');
      writeFileSync(seed, 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n1,A,x,1,2011-01-01 10:00,1.5,1,United Kingdom\n');
      await segkit('create big', ['load', '-i', seed, '--source', url, '--cluster', 'seg', '--shards', shards, '--quiet']);
      const nodes = ch.nodes.map((n) => createClient({ url: n.url, request_timeout: 7_200_000 }));
      const t0 = performance.now();
      // --customers100m customers (default 1M), invoices of ~5 lines, 4,000 products, a year of dates, 1% cancellations, 2% without customer.
      // Each node generates the lines and keeps those of its own shard, as the Distributed table would place them
      // (two shards of weight 1: shard_num = cityHash64(ifNull(customer_id, '')) % 2 + 1), all nodes at once.
      const select = `SELECT
          if(number % 50 = 7, NULL, toString(intHash32(intDiv(number, 5)) % ${customers100m})) AS customer_id,
          concat(if(number % 500 < 5, 'C', ''), toString(intDiv(number, 5))) AS invoice,
          toDateTime('2011-01-01 00:00:00') + (intHash32(intDiv(number, 5) * 3) % (365 * 86400)) AS date,
          toFloat64(1 + intHash32(number * 7) % 12) AS quantity,
          round(0.5 + (intHash32(number * 11) % 2000) / 100, 2) AS unit_price,
          concat('P', toString(intHash32(number * 13) % 4000)) AS product,
          concat('PRODUCT ', toString(intHash32(number * 13) % 4000)) AS description,
          arrayElement(['United Kingdom', 'Germany', 'France', 'EIRE', 'Spain'], 1 + intHash32(intDiv(number, 5)) % 5) AS country
        FROM numbers(${rows100m})`;
      await Promise.all(
        nodes.map(async (c) => {
          await c.command({ query: 'TRUNCATE TABLE big_local' });
          const r = (await (await c.query({ query: "SELECT shard_num FROM system.clusters WHERE cluster = 'seg' AND is_local = 1", format: 'JSONEachRow' })).json()) as Array<{ shard_num: number }>;
          const shard = Number(r[0].shard_num);
          await c.command({
            query: `INSERT INTO big_local SELECT * FROM (${select}) WHERE cityHash64(ifNull(customer_id, '')) % 2 = ${shard - 1}`,
            clickhouse_settings: { max_block_size: '1000000' },
          });
        }),
      );
      const gen: Run = { what: 'generate 100M in ClickHouse', seconds: (performance.now() - t0) / 1000, peakRssMb: 0, code: 0, stdout: '', stderr: '' };
      const placed = await Promise.all(nodes.map(async (c) => Number(((await (await c.query({ query: 'SELECT count() AS n FROM big_local', format: 'JSONEachRow' })).json()) as Array<{ n: string }>)[0].n)));
      console.log(`generated ${rows100m} lines in ${gen.seconds.toFixed(0)} s: ${placed.join(' + ')} per shard`);
      await Promise.all(nodes.map((c) => c.close()));
      const r = await segkit(`clickhouse ${rows100m.toExponential()} lines`, [...reportArgs('ch100m'), '--source', `${url}&shards=${shardList(ch)}`]);
      results.push({ ...r, stages: stages(r.stderr), load: gen });
    }
  } finally {
    await pg?.stop();
    await ch?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `sources-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, JSON.stringify({ file, load: os.loadavg(), results: results.map(({ stdout, stderr, ...r }) => ({ ...r, stdout, stderrTail: stderr.slice(-2000) })) }, null, 2));
  console.log(`\n| source | exit | report wall | peak RSS (segkit) | load/generate | stages (s, cumulative) |\n| --- | --- | --- | --- | --- | --- |`);
  for (const r of results) {
    console.log(`| ${r.what} | ${r.code} | ${r.seconds.toFixed(1)} s | ${(r.peakRssMb / 1024).toFixed(2)} GB | ${r.load ? `${r.load.seconds.toFixed(1)} s, ${(r.load.peakRssMb / 1024).toFixed(2)} GB` : '–'} | ${JSON.stringify(r.stages ?? {})} |`);
  }
  console.log(`\n${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
