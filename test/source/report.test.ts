/**
 * The whole pipeline and report from a database: the sample loaded into a real PostgreSQL and a real
 * two-shard ClickHouse with `segkit load`, then `analyze` on each source. The report context (every
 * number, table, chart spec and sentence) equals the file source's apart from the lines that name the
 * source; the CLI writes the report from `--source` and names the table without its password.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Analysis, type AnalyzeOptions } from '../../src/pipeline';
import { reportContext } from '../../src/report/assemble';
import { startClickHouseCluster, startPostgres, type ClickHouseCluster, type PostgresServer } from '../helpers/databases';
import { ROOT, SAMPLE } from '../helpers/shared';

const FAST: AnalyzeOptions = { seed: 7, k: 4, kRange: [2, 6], sweep: { gap: { B: 5 }, stability: { B: 3 } } };
const SEGKIT = path.join(ROOT, 'bin', 'segkit.js');

let pg: PostgresServer;
let ch: ClickHouseCluster;
let dir: string;
let urls: Record<'postgres' | 'clickhouse', string>;
const analyses: Record<string, Analysis> = {};

/** The CLI as a child process, asynchronously (a synchronous child would block this worker's RPC with vitest for minutes). */
const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ out: string; err: string; code: number }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [SEGKIT, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...env } }, (e, out, err) => {
      resolve({ out, err, code: e ? (typeof e.code === 'number' ? e.code : 1) : 0 });
    });
  });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'segkit-source-report-'));
  [pg, ch] = await Promise.all([startPostgres(), startClickHouseCluster(2)]);
  // ClickHouse with every shard's node named: the cleaned rows are kept on the shards, each query aggregates there
  const shardNodes = ch.nodes.map((n) => `127.0.0.1:${n.httpPort}`).join(',');
  urls = { postgres: `${pg.url}?table=tx`, clickhouse: `clickhouse://127.0.0.1:${ch.nodes[0].httpPort}/default?table=tx&shards=${shardNodes}` };
  const shards = ch.nodes.map((n) => `clickhouse://127.0.0.1:${n.httpPort}`).join(',');
  // through the CLI, as a user would
  for (const [kind, extra] of [['postgres', []], ['clickhouse', ['--cluster', 'seg', '--shards', shards]]] as const) {
    const r = await cli(['load', '-i', SAMPLE, '--source', urls[kind].replace(/&shards=.*$/, ''), '--quiet', ...extra]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/wrote 40,182 of 40,182 rows to tx/);
  }
  analyses.file = await analyze(SAMPLE, FAST);
  analyses.postgres = await analyze(urls.postgres, FAST);
  analyses.clickhouse = await analyze(urls.clickhouse, FAST);
}, 600_000);

afterAll(async () => {
  await Promise.all([pg?.stop(), ch?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The context without what names the source or the run's time. */
async function comparable(a: Analysis): Promise<unknown> {
  const ctx = JSON.parse(JSON.stringify(await reportContext(a, { generatedAt: 'fixed' }))) as Record<string, Record<string, unknown>>;
  delete ctx.meta.dataset;
  delete ctx.quality.file;
  delete ctx.appendix.input;
  delete ctx.appendix.runTime;
  // money and shares rounded to what the report shows (sums are exact in the databases, in file order in Polars)
  return JSON.parse(JSON.stringify(ctx, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(10)) : v)));
}

describe.each(['postgres', 'clickhouse'] as const)('report from %s', (kind) => {
  it('every number, table, chart and sentence equals the file source\'s; only the source lines differ', async () => {
    const a = analyses[kind];
    const f = analyses.file;
    expect(a.k).toBe(f.k);
    expect(a.profiles.segments.map((s) => s.name)).toEqual(f.profiles.segments.map((s) => s.name));
    expect(a.cleaned.quality.rules).toEqual(f.cleaned.quality.rules);
    expect(await comparable(a)).toEqual(await comparable(f));
    const ctx = await reportContext(a);
    expect(ctx.meta.dataset).toBe(kind === 'postgres' ? urls.postgres : urls.clickhouse.replace('clickhouse://', 'clickhouse://default@'));
    expect(ctx.appendix.input.kind).toBe(kind === 'postgres' ? 'PostgreSQL table' : 'ClickHouse table');
    expect(ctx.appendix.input.sha256).toBeNull();
    expect(ctx.appendix.input.server).toMatch(kind === 'postgres' ? /^PostgreSQL 15\./ : /^ClickHouse 18\.16.*Distributed table over 2 shards \(cluster seg.*cleaned rows kept on each shard/);
    expect(a.transactions).toBeUndefined();
  });
});

describe('segkit report --source', () => {
  it('writes the HTML and PDF from PostgreSQL; the password given in the URL is nowhere in the outputs', async () => {
    const secret = `${pg.url.replace('postgres://seg@', 'postgres://seg:Sup3rSecret@')}?table=tx`;
    const r = await cli(['report', '--source', secret, '-k', '3', '--seed', '1', '-o', path.join(dir, 'out'), '--name', 'db', '--formats', 'html,csv', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(path.join(dir, 'out', 'db.html'), 'utf8');
    expect(html).toContain(`postgres://seg@127.0.0.1:${pg.port}/seg?table`); // (Handlebars writes "=" as &#x3D;)
    expect(html).toContain('PostgreSQL 15.');
    expect(html + r.out + r.err).not.toContain('Sup3rSecret');
    const csv = readFileSync(path.join(dir, 'out', 'db-segments.csv'), 'utf8');
    expect(csv.split('\n').filter(Boolean).length).toBe(1 + analyses.file.rfm.table.height);
  }, 180_000);

  it('segkit rfm --source writes the same customer table as --input', async () => {
    const a = await cli(['rfm', '--source', urls.clickhouse, '--out', path.join(dir, 'ch.csv')]);
    const b = await cli(['rfm', '--input', SAMPLE, '--out', path.join(dir, 'file.csv')]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const rows = (f: string) => readFileSync(path.join(dir, f), 'utf8').trim().split('\n');
    const [ca, cb] = [rows('ch.csv'), rows('file.csv')];
    expect(ca.length).toBe(cb.length);
    expect(ca[0]).toBe(cb[0]);
    // every column but monetary/avg_order_value (float text can differ in the last digit) is byte-equal
    const header = ca[0].split(',');
    const keep = header.map((h, i) => (['monetary', 'avg_order_value'].includes(h) ? -1 : i)).filter((i) => i >= 0);
    const pick = (line: string) => keep.map((i) => line.split(',')[i]).join(',');
    expect(ca.map(pick)).toEqual(cb.map(pick));
  });

  it('bad sources fail with one line naming the flag', async () => {
    const both = await cli(['report', '-i', SAMPLE, '--source', urls.postgres]);
    expect(both.code).not.toBe(0);
    expect(both.err).toMatch(/--input and --source were both given/);
    const notUrl = await cli(['eda', '--source', 'tx.csv']);
    expect(notUrl.err).toMatch(/--source takes a database URL/);
    const noTable = await cli(['rfm', '--source', `${pg.url}`]);
    expect(noTable.err).toMatch(/names no table/);
    expect(noTable.err).not.toMatch(/\n\s+at /);
    const load = await cli(['load', '-i', SAMPLE, '--source', urls.postgres, '--quiet']);
    expect(load.code).not.toBe(0);
    expect(load.err).toMatch(/already exists/);
    expect(load.err).toMatch(/--replace/);
  });
});
