/**
 * Segment migration benchmark: the whole migration between two as-of dates (RFM at both dates, scores,
 * segments, transition matrix) against one RFM pass at the second date, side by side in one run, on the
 * same cleaned lines (read and cleaned once, timed apart).
 *
 *   npx vite-node bench/migrate.ts                               # 10M lines, 500k customers (made once, below)
 *   npx vite-node bench/migrate.ts -- --input bench/data/tx-10m.csv.gz --as-of 2011-06-30 --as-of 2011-12-10
 *   npx vite-node bench/migrate.ts -- --reps 5 --cli             # also `segkit rfm` vs `segkit migrate` end to end
 *
 * The default input is made with the project's generator (src/generate): its invoice numbers have six
 * digits, so one file holds at most about 160k customers; four files of 2.5M lines and 125k customers
 * (seeds 1–4) are generated and joined into bench/data/tx-10m-500k.csv.gz, each file's customer ids and
 * invoice numbers prefixed with its number (1–4) so that they stay distinct (cancellations keep their C).
 *
 * "One RFM pass" is what `segkit rfm` does at one date: computeRfm + scoreRfm + segmentRfm. "Migration" is
 * migrateAsOf (RFM at both dates, period 1 scored, period 2 on period 1's cut points, both named, matrix,
 * moves, flows, per-customer table), which makes both dates in one pass over the lines (computeRfmPair).
 * "Two passes" is the same migration the way it was made before: computeRfm at each date, then migrate()
 * matching customers by id. Medians of `--reps` runs after one warm-up of each, the three interleaved
 * (rotating which goes first). Wall and CPU seconds (CPU counts every Polars thread; it is steadier than
 * wall time when other jobs share the machine). Writes bench/results/migrate-<input>.json.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pl from 'nodejs-polars';
import { setWarningSink } from '../src/errors';
import { writeTransactions } from '../src/generate';
import { migrate, migrateAsOf } from '../src/migrate';
import { computeRfm, scoreRfm, segmentRfm } from '../src/rfm';
import { FileSource } from '../src/source';

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, 'bench', 'data');

function args(): { input?: string; asOf: string[]; reps: number; cli: boolean } {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  const out = { input: undefined as string | undefined, asOf: [] as string[], reps: 3, cli: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--input') out.input = argv[++i];
    else if (a === '--as-of') out.asOf.push(argv[++i]);
    else if (a === '--reps') out.reps = Number(argv[++i]);
    else if (a === '--cli') out.cli = true;
    else throw new Error(`unknown option ${a} (see the comment at the top of bench/migrate.ts)`);
  }
  return out;
}

/** bench/data/tx-10m-500k.csv.gz from four generated files (see the top comment); kept for later runs. */
export async function defaultInput(): Promise<string> {
  const out = path.join(DATA, 'tx-10m-500k.csv.gz');
  if (existsSync(out)) return out;
  mkdirSync(DATA, { recursive: true });
  const parts: pl.DataFrame[] = [];
  for (const seed of [1, 2, 3, 4]) {
    const part = path.join(DATA, `tx-2500k-125k-s${seed}.csv.gz`);
    if (!existsSync(part)) {
      process.stderr.write(`generating ${part}\n`);
      await writeTransactions(part, { rows: 2_500_000, customers: 125_000, seed, gzipLevel: 1 });
    }
    const df = pl.readCSV(part, { inferSchemaLength: 0 });
    parts.push(
      df.withColumns(
        pl.col('InvoiceNo').str.replace('^(C?)', '${1}' + String(seed)),
        pl.when(pl.col('CustomerID').isNull().or(pl.col('CustomerID').eq(pl.lit('')))).then(pl.col('CustomerID')).otherwise(pl.concatString([pl.lit(String(seed)), pl.col('CustomerID')], '')).alias('CustomerID'),
      ),
    );
  }
  const csv = `${out}.csv.tmp`;
  pl.concat(parts).writeCSV(csv);
  await pipeline(createReadStream(csv), createGzip({ level: 1 }), createWriteStream(`${out}.tmp`));
  rmSync(csv);
  renameSync(`${out}.tmp`, out);
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timed<T>(f: () => T): { result: T; wall: number; cpu: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = f();
  const c = process.cpuUsage(c0);
  return { result, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

async function main(): Promise<void> {
  const a = args();
  setWarningSink(() => undefined);
  const input = a.input ?? (await defaultInput());
  const load0 = os.loadavg();
  const src = new FileSource(input);
  const t0 = performance.now();
  const clean = (await src.cleaned()).clean;
  const readClean = (performance.now() - t0) / 1000;
  src.releaseTransactions();
  const [d1, d2] = a.asOf.length === 2 ? a.asOf : ['2011-06-30', '2011-12-10'];
  process.stderr.write(`${clean.df.height.toLocaleString('en')} clean lines read and cleaned in ${readClean.toFixed(1)} s; as of ${d1} → ${d2}\n`);

  const rfmPass = () => segmentRfm(scoreRfm(computeRfm(clean, { asOf: d2 })));
  const migration = () => migrateAsOf(clean, [d1, d2]);
  const twoPasses = () => migrate(computeRfm(clean, { asOf: d1 }), computeRfm(clean, { asOf: d2 }));
  type Who = 'rfm' | 'migration' | 'twoPasses';
  const warm = { rfm: timed(rfmPass), migration: timed(migration), twoPasses: timed(twoPasses) };
  const runs: Record<Who, Array<{ wall: number; cpu: number }>> = { rfm: [], migration: [], twoPasses: [] };
  let last = warm.migration.result;
  let lastRfm = warm.rfm.result;
  const whos: Who[] = ['rfm', 'migration', 'twoPasses'];
  for (let i = 0; i < a.reps; i++) {
    for (const who of [...whos.slice(i % 3), ...whos.slice(0, i % 3)]) {
      if (who === 'rfm') {
        const r = timed(rfmPass);
        lastRfm = r.result;
        runs.rfm.push({ wall: r.wall, cpu: r.cpu });
      } else if (who === 'migration') {
        const r = timed(migration);
        last = r.result;
        runs.migration.push({ wall: r.wall, cpu: r.cpu });
      } else {
        const r = timed(twoPasses);
        runs.twoPasses.push({ wall: r.wall, cpu: r.cpu });
      }
    }
  }
  const load1 = os.loadavg();
  const med = (who: Who, k: 'wall' | 'cpu'): number => median(runs[who].map((r) => r[k]));
  // The migration's second period is the plain RFM run's customers (same count, same Σ monetary).
  const sameCustomers = last.totals.after === lastRfm.table.height;
  const result = {
    date: new Date().toISOString(),
    input,
    cleanLines: clean.df.height,
    customers: { before: last.totals.before, after: last.totals.after },
    asOf: [d1, d2],
    readCleanSeconds: readClean,
    reps: a.reps,
    rfm: runs.rfm,
    migration: runs.migration,
    twoPasses: runs.twoPasses,
    warmup: { rfm: warm.rfm.wall, migration: warm.migration.wall, twoPasses: warm.twoPasses.wall },
    medians: Object.fromEntries(whos.map((w) => [w, { wall: med(w, 'wall'), cpu: med(w, 'cpu') }])),
    ratio: { wall: med('migration', 'wall') / med('rfm', 'wall'), cpu: med('migration', 'cpu') / med('rfm', 'cpu') },
    ratioTwoPasses: { wall: med('twoPasses', 'wall') / med('rfm', 'wall'), cpu: med('twoPasses', 'cpu') / med('rfm', 'cpu') },
    sameCustomers,
    loadavg: { before: load0, after: load1 },
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  };
  let cli: Record<string, number> | undefined;
  if (a.cli) {
    const bin = path.join(ROOT, 'bin', 'segkit.js');
    const wall = (argv: string[]): number => {
      const s = performance.now();
      execFileSync(process.execPath, [bin, ...argv], { stdio: ['ignore', 'ignore', 'inherit'] });
      return (performance.now() - s) / 1000;
    };
    cli = { rfm: wall(['rfm', '-i', input, '--as-of', d2]), migrate: wall(['migrate', '-i', input, '--as-of', d1, '--as-of', d2]) };
  }
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  const name = path.basename(input).replace(/\..*$/, '');
  writeFileSync(path.join(ROOT, 'bench', 'results', `migrate-${name}.json`), JSON.stringify({ ...result, cli }, null, 2));
  const f = (x: number): string => x.toFixed(2);
  process.stdout.write(
    [
      `| input | clean lines | customers (d1 / d2) | one RFM pass, wall / CPU s | migration, wall / CPU s | ratio wall / CPU | two passes (before), wall / CPU s | ratio wall / CPU |`,
      `| --- | --- | --- | --- | --- | --- | --- | --- |`,
      `| ${path.basename(input)} | ${clean.df.height.toLocaleString('en')} | ${last.totals.before.toLocaleString('en')} / ${last.totals.after.toLocaleString('en')} | ${f(med('rfm', 'wall'))} / ${f(med('rfm', 'cpu'))} | ${f(med('migration', 'wall'))} / ${f(med('migration', 'cpu'))} | **${f(result.ratio.wall)}×** / ${f(result.ratio.cpu)}× | ${f(med('twoPasses', 'wall'))} / ${f(med('twoPasses', 'cpu'))} | ${f(result.ratioTwoPasses.wall)}× / ${f(result.ratioTwoPasses.cpu)}× |`,
      '',
      `runs (wall / CPU s): rfm ${runs.rfm.map((r) => `${f(r.wall)}/${f(r.cpu)}`).join(', ')}; migration ${runs.migration.map((r) => `${f(r.wall)}/${f(r.cpu)}`).join(', ')}; two passes ${runs.twoPasses.map((r) => `${f(r.wall)}/${f(r.cpu)}`).join(', ')}`,
      `load average before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${load1.map((x) => x.toFixed(2)).join(' ')}; second period = plain RFM run's customers: ${sameCustomers}`,
      ...(cli ? [`end to end (read + clean + …): segkit rfm ${f(cli.rfm)} s, segkit migrate ${f(cli.migrate)} s (ratio ${f(cli.migrate / cli.rfm)}×)`] : []),
      '',
    ].join('\n'),
  );
}

if (!process.env.MIGRATE_BENCH_PREPARE_ONLY) main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
