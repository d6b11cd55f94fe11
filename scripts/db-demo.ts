/**
 * `make db-demo`: the database path end to end on this machine, with nothing left running. Starts a
 * throw-away PostgreSQL 15 and a two-shard ClickHouse 18.16 cluster on free loopback ports (the test
 * suite's helpers), loads data/sample_transactions.csv into both with `segkit load`, writes a report from
 * each with `segkit report --source …` into reports/db-demo/, and stops the servers.
 *
 *   npx vite-node scripts/db-demo.ts
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startClickHouseCluster, startPostgres } from '../test/helpers/databases';

const ROOT = path.resolve(__dirname, '..');
const INPUT = process.env.INPUT ?? path.join(ROOT, 'data', 'sample_transactions.csv');
const OUT = path.join(ROOT, 'reports', 'db-demo');

function segkit(...args: string[]): void {
  console.log(`$ segkit ${args.map((a) => (/[?&* ]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'segkit.js'), ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`segkit ${args[0]} exited with ${r.status}`);
}

async function main(): Promise<void> {
  const [pg, ch] = await Promise.all([startPostgres(), startClickHouseCluster(2)]);
  try {
    const pgUrl = `${pg.url}?table=transactions`;
    const chUrl = `clickhouse://127.0.0.1:${ch.nodes[0].httpPort}/default?table=transactions`;
    const shards = ch.nodes.map((n) => `clickhouse://127.0.0.1:${n.httpPort}`).join(',');
    segkit('load', '--input', INPUT, '--source', pgUrl);
    segkit('report', '--source', pgUrl, '--out-dir', OUT, '--name', 'postgres', '--quiet');
    segkit('load', '--input', INPUT, '--source', chUrl, '--cluster', 'seg', '--shards', shards);
    segkit('report', '--source', chUrl, '--out-dir', OUT, '--name', 'clickhouse', '--quiet');
  } finally {
    await Promise.all([pg.stop(), ch.stop()]);
  }
  console.log(`reports in ${path.relative(process.cwd(), OUT)}/ (the servers are stopped)`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
