#!/usr/bin/env node
'use strict';
/**
 * RFM + scores (segkit computeRfm + scoreRfm, rank method) vs the equivalent pandas groupby, side by
 * side in one run on the same rows. Reading (and cleaning) are timed apart.
 *
 *   npm run build
 *   node bench/rfm.js                      # 10M generated rows, 500k customers
 *   node bench/rfm.js --rows 1e6 --customers 50000 --reps 3
 *   node bench/rfm.js --input bench/data/tx-1m.csv.gz   # a file: read + clean with segkit first
 *   node bench/rfm.js --baseline ../old/dist           # also time another build, interleaved (before/after)
 *   node bench/rfm.js --pandas-ids str                 # pandas with string ids only (default: str,int)
 *
 * Without --input the rows are generated here with a seeded PRNG (already clean: 1–7 lines per invoice,
 * skewed customers, one year of dates), because bench/generate-data.js caps customers at about 160k
 * (6-digit invoice numbers).
 *
 * pandas runs twice by default: ids read as strings (as segkit reads them) and ids left to read_csv,
 * which makes the all-digit generated ids int64 (see bench/rfm_pandas.py). Segkit's first call in the
 * process is timed apart ("first call"): it builds the Polars expressions that later calls reuse.
 *
 * Writes bench/results/rfm-<rows>.json and prints a summary. Needs /usr/bin/python3 with pandas
 * (apt-get install -y python3-pandas).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const seg = require(path.join(ROOT, 'dist'));

function args(argv) {
  const out = { rows: 1e7, customers: 5e5, reps: 3, bins: 5, seed: 42, 'pandas-ids': 'str,int' };
  const text = ['input', 'baseline', 'pandas-ids'];
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    if (!(k in out) && !text.includes(k)) throw new Error(`unknown option ${argv[i]} (see the comment at the top of bench/rfm.js)`);
    out[k] = text.includes(k) ? argv[i + 1] : Number(String(argv[i + 1]).replace(/[_,]/g, ''));
  }
  return out;
}

/** Seeded synthetic clean transactions with the canonical columns (built in typed arrays, then Polars). */
function synthesize(rows, customers, seed) {
  const pl = require('nodejs-polars');
  const rand = seg.mulberry32(seed);
  const cust = new Int32Array(rows);
  const inv = new Int32Array(rows);
  const ts = new Float64Array(rows);
  const qty = new Float64Array(rows);
  const price = new Float64Array(rows);
  const start = Date.UTC(2023, 0, 1);
  let i = 0;
  for (let k = 0; i < rows; k++) {
    const c = Math.floor(customers * rand() ** 1.5);
    const t = start + Math.floor(rand() * 365 * 86400) * 1000;
    const lines = 1 + Math.floor(rand() * 7);
    for (let l = 0; l < lines && i < rows; l++, i++) {
      cust[i] = c;
      inv[i] = 100000 + k;
      ts[i] = t;
      qty[i] = 1 + Math.floor(rand() * 12);
      price[i] = Math.round(Math.exp(0.5 + 1.2 * (rand() + rand() + rand() - 1.5)) * 100) / 100;
    }
  }
  const df = pl
    .DataFrame({ c: pl.Series('c', cust), i: pl.Series('i', inv), t: pl.Series('t', ts), quantity: pl.Series('quantity', qty), unit_price: pl.Series('unit_price', price) })
    .select(
      pl.col('c').cast(pl.Utf8).alias('customer_id'),
      pl.col('i').cast(pl.Utf8).alias('invoice'),
      pl.col('t').cast(pl.Int64).cast(pl.Datetime('ms')).alias('date'),
      pl.col('quantity'),
      pl.col('unit_price'),
      pl.col('quantity').mul(pl.col('unit_price')).alias('amount'),
    );
  return { df, source: { path: `generated(seed ${seed})`, format: 'csv', compressed: false, rowsRead: rows, columns: df.columns }, mapping: {}, orders: 'invoice', warnings: [] };
}

const secs = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tag = (n) => (n >= 1e6 ? `${n / 1e6}m` : `${n / 1e3}k`);

async function main() {
  const a = args(process.argv.slice(2));
  const dataDir = path.join(ROOT, 'bench', 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const load0 = os.loadavg();
  seg.setWarningSink(() => {});

  let t = process.hrtime.bigint();
  let readS = 0;
  let cleanS = 0;
  let clean;
  let rowsRead;
  if (a.input) {
    const tx = await seg.readTransactions(a.input);
    readS = secs(t);
    rowsRead = tx.df.height;
    t = process.hrtime.bigint();
    clean = seg.cleanTransactions(tx).clean;
    cleanS = secs(t);
  } else {
    clean = synthesize(a.rows, a.customers, a.seed);
    rowsRead = clean.df.height;
    process.stderr.write(`generated ${rowsRead.toLocaleString('en')} rows in ${secs(t).toFixed(1)} s\n`);
  }
  const rows = clean.df.height;
  const name = a.input ? path.basename(a.input).replace(/\..*$/, '') : `gen-${tag(a.rows)}-${tag(a.customers)}`;

  // The same cleaned rows for pandas (CSV: Debian's pandas has no Parquet engine).
  const cleanCsv = path.join(dataDir, `rfm-clean-${name}.csv`);
  clean.df
    .select('customer_id', 'invoice', 'date', 'quantity', 'unit_price', 'amount')
    .writeCSV(cleanCsv, { datetimeFormat: '%Y-%m-%dT%H:%M:%S' });

  // The first call in this process (it builds the expressions later calls reuse), then one more warm-up
  // run (not counted), then `reps` timed runs: wall and CPU seconds (CPU time is steadier when other jobs
  // share the machine; segkit's counts every Polars thread). With --baseline, the other build runs
  // interleaved with this one (alternating which goes first).
  const timed = (lib) => {
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const result = lib.scoreRfm(lib.computeRfm(clean), { bins: a.bins });
    const cpu = process.cpuUsage(cpu0);
    return { result, wall: secs(t0), cpu: (cpu.user + cpu.system) / 1e6 };
  };
  const first = timed(seg);
  let scored = timed(seg).result;
  const base = a.baseline ? require(path.resolve(a.baseline)) : null;
  if (base) base.setWarningSink(() => {});
  const baseFirst = base ? timed(base) : null;
  let baseScored = base ? timed(base).result : null;
  const segTimes = [];
  const segCpu = [];
  const baseTimes = [];
  const baseCpu = [];
  for (let i = 0; i < a.reps; i++) {
    const order = base && i % 2 === 1 ? ['base', 'seg'] : ['seg', 'base'];
    for (const who of order) {
      if (who === 'seg') {
        const r = timed(seg);
        scored = r.result;
        segTimes.push(r.wall);
        segCpu.push(r.cpu);
      } else if (base) {
        const r = timed(base);
        baseScored = r.result;
        baseTimes.push(r.wall);
        baseCpu.push(r.cpu);
      }
    }
  }
  t = process.hrtime.bigint();
  const run = seg.segmentRfm(scored);
  const segmentS = secs(t);

  const pandasRuns = a['pandas-ids'].split(',').map((ids) =>
    JSON.parse(
      execFileSync('/usr/bin/python3', [path.join(ROOT, 'bench', 'rfm_pandas.py'), '--input', cleanCsv, '--reps', String(a.reps), '--bins', String(a.bins), '--ids', ids], { maxBuffer: 1 << 26 }).toString(),
    ),
  );
  const py = pandasRuns[0];
  const load1 = os.loadavg();

  const checkOf = (scoredRfm) => {
    const table = scoredRfm.table;
    const counts = {};
    for (const c of ['r_score', 'f_score', 'm_score']) {
      counts[c] = Object.fromEntries(table.groupBy(c).agg(require('nodejs-polars').len().alias('n')).sort(c).toRecords().map((r) => [String(r[c]), r.n]));
    }
    return {
      customers: table.height,
      sum_monetary: Math.round(table.getColumn('monetary').sum() * 100) / 100,
      mean_recency_days: Math.round(table.getColumn('recency_days').mean() * 1e4) / 1e4,
      sum_frequency: table.getColumn('frequency').sum(),
      score_counts: counts,
    };
  };
  const table = scored.table;
  const check = checkOf(scored);
  const same = pandasRuns.every((p) => JSON.stringify(check) === JSON.stringify(p.check)) && (!base || JSON.stringify(check) === JSON.stringify(checkOf(baseScored)));
  const segMed = median(segTimes);
  const segCpuMed = median(segCpu);
  const pandas = pandasRuns.map((p) => ({
    ids: p.ids,
    idDtypes: p.id_dtypes,
    version: p.pandas,
    readSeconds: p.read_seconds,
    rfmSeconds: p.rfm_seconds,
    rfmCpuSeconds: p.rfm_cpu_seconds,
    speedup: median(p.rfm_seconds) / segMed,
    speedupMin: Math.min(...p.rfm_seconds) / Math.min(...segTimes),
    cpuRatio: median(p.rfm_cpu_seconds) / segCpuMed,
  }));
  const result = {
    date: new Date().toISOString(),
    input: a.input ?? `generated: ${a.rows} rows, ${a.customers} customers, seed ${a.seed}`,
    rowsRead,
    rowsClean: rows,
    customers: table.height,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), loadavgBefore: load0, loadavgAfter: load1 },
    segkit: {
      node: process.version,
      readSeconds: readS,
      cleanSeconds: cleanS,
      firstCallSeconds: first.wall,
      firstCallCpuSeconds: first.cpu,
      rfmSeconds: segTimes,
      rfmCpuSeconds: segCpu,
      segmentSeconds: segmentS,
    },
    ...(base
      ? { baseline: { dist: a.baseline, firstCallSeconds: baseFirst.wall, firstCallCpuSeconds: baseFirst.cpu, rfmSeconds: baseTimes, rfmCpuSeconds: baseCpu, speedup: median(baseTimes) / segMed, cpuRatio: median(baseCpu) / segCpuMed } }
      : {}),
    pandas,
    speedup: pandas[0].speedup,
    speedupMin: pandas[0].speedupMin,
    cpuRatio: pandas[0].cpuRatio,
    sameResults: same,
    check,
    pandasCheck: py.check,
    others: run.others,
  };
  const outDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `rfm-${name}.json`);
  fs.writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  const f = (x) => x.toFixed(2);
  const runs = (w, c) => `median ${f(median(w))} s wall, ${f(median(c))} s CPU (runs ${w.map(f).join(', ')} s; CPU ${c.map(f).join(', ')} s)`;
  process.stdout.write(
    [
      `RFM + scores on ${rows.toLocaleString('en')} clean rows (${rowsRead.toLocaleString('en')} read), ${table.height.toLocaleString('en')} customers`,
      `  segkit    computeRfm + scoreRfm: ${runs(segTimes, segCpu)}; first call ${f(first.wall)} s (CPU ${f(first.cpu)}); segmentRfm ${f(segmentS)} s; read ${f(readS)} s, clean ${f(cleanS)} s`,
      ...(base ? [`  baseline  ${a.baseline}: ${runs(baseTimes, baseCpu)}; first call ${f(baseFirst.wall)} s → ${f(result.baseline.speedup)}× wall, ${f(result.baseline.cpuRatio)}× CPU`] : []),
      ...pandas.map(
        (p) =>
          `  pandas    ids ${p.ids} (${p.idDtypes.join('/')}): ${runs(p.rfmSeconds, p.rfmCpuSeconds)}; read_csv ${f(p.readSeconds)} s → segkit ${f(p.speedup)}× wall (best vs best ${f(p.speedupMin)}×), ${f(p.cpuRatio)}× CPU`,
      ),
      `  same customers, sums and score counts: ${same}`,
      `  load average before ${load0.map(f).join(' ')}, after ${load1.map(f).join(' ')} (${os.cpus().length} cores)`,
      `  → ${path.relative(ROOT, outFile)}`,
    ].join('\n') + '\n',
  );
  if (!same) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write((e && typeof e.toLine === 'function' ? e.toLine() : String(e && e.stack ? e.stack : e)) + '\n');
  process.exit(1);
});
